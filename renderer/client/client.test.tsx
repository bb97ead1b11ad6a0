// The client's trust boundary and reconnect loop (no DOM needed; .tsx so it compiles with the
// renderer's DOM types rather than the Node-only test project).
import { describe, expect, it, vi } from 'vitest';
import type { ApiResult, HubBridge } from '../../shared/api/client.ts';
import type { HubState } from '../../shared/api/model.ts';
import { createBridgeClient } from './bridge-client.ts';
import { RECONNECT_INITIAL_MS, RECONNECT_MAX_MS, createHttpClient, type OpenSocket, type Timers } from './http-client.ts';
import { TOKEN_STORAGE_KEY, takeToken } from './token.ts';

const STATE: HubState = { devices: [], demo: true, workstation: 'ROOM-3' };

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** Sockets the test opens and closes by hand, and timers it fires by hand. */
function harness() {
  const sockets: Array<{ url: string; on: Parameters<OpenSocket>[1]; closed: boolean }> = [];
  const openSocket: OpenSocket = (url, on) => {
    const s = { url, on, closed: false };
    sockets.push(s);
    return { close: () => void (s.closed = true) };
  };
  const pending: Array<{ fn: () => void; ms: number }> = [];
  const timers: Timers = { set: (fn, ms) => pending.push({ fn, ms }), clear: () => undefined };
  const fire = (): number | undefined => {
    const next = pending.shift();
    next?.fn();
    return next?.ms;
  };
  return { sockets, openSocket, timers, pending, fire };
}

describe('createHttpClient', () => {
  it('posts to /api/<method> with the bearer token and returns the checked value', async () => {
    const fetch = vi.fn(async () => json(200, { ok: true, value: STATE }));
    const h = harness();
    const client = createHttpClient({ origin: 'http://127.0.0.1:4800', token: 'tok-1', fetch, openSocket: h.openSocket, timers: h.timers });
    expect(await client.call('getState', {})).toEqual({ ok: true, value: STATE });
    expect(fetch).toHaveBeenCalledWith('http://127.0.0.1:4800/api/getState', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer tok-1' },
      body: '{}',
      credentials: 'same-origin',
    });
    expect(h.sockets[0]?.url).toBe('ws://127.0.0.1:4800/api/events?token=tok-1');
    client.close();
  });

  it('turns an answer that breaks the contract into an error, and passes API errors through', async () => {
    const answers = [json(200, { ok: true, value: { workstation: 3 } }), json(409, { ok: false, error: { code: 'CONFLICT', message: 'MRN on file with another name' } }), new Response('<html>', { status: 502 })];
    const h = harness();
    const client = createHttpClient({ origin: 'http://127.0.0.1:1', token: 't', fetch: async () => answers.shift() as Response, openSocket: h.openSocket, timers: h.timers });
    const bad = await client.call('getState', {});
    expect(bad.ok === false && bad.error.code).toBe('PROTOCOL_UNEXPECTED');
    expect(await client.call('getState', {})).toEqual({ ok: false, error: { code: 'CONFLICT', message: 'MRN on file with another name' } });
    const notJson = await client.call('getState', {});
    expect(notJson.ok === false && notJson.error.code).toBe('PROTOCOL_UNEXPECTED');
    client.close();
  });

  it('opens the event socket only once the calls sent before it are answered, so it carries the session cookie they set', async () => {
    const answers: Array<(r: Response) => void> = [];
    const h = harness();
    const client = createHttpClient({ origin: 'http://127.0.0.1:1', token: 't', fetch: () => new Promise<Response>((resolve) => answers.push(resolve)), openSocket: h.openSocket, timers: h.timers });
    expect(h.sockets).toHaveLength(0);
    const first = client.call('getState', {});
    const second = client.call('getState', {});
    answers[0]?.(json(200, { ok: true, value: STATE }));
    await first;
    expect(h.sockets).toHaveLength(0);
    answers[1]?.(json(200, { ok: true, value: STATE }));
    await second;
    expect(h.sockets).toHaveLength(1);
    // Later calls carry the cookie: the socket is not opened again for them.
    const third = client.call('getState', {});
    answers[2]?.(json(200, { ok: true, value: STATE }));
    await third;
    expect(h.sockets).toHaveLength(1);
    client.close();
  });

  it('opens the event socket after a first call that failed on the network too (it then retries as usual)', async () => {
    const h = harness();
    const client = createHttpClient({
      origin: 'http://127.0.0.1:1',
      token: 't',
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
      openSocket: h.openSocket,
      timers: h.timers,
    });
    await client.call('getState', {});
    expect(h.sockets).toHaveLength(1);
    client.close();
  });

  it('reports the hub unreachable when a request fails on the network, and back when it answers', async () => {
    let up = true;
    const h = harness();
    const client = createHttpClient({
      origin: 'http://127.0.0.1:1',
      token: 't',
      fetch: async () => {
        if (!up) throw new TypeError('fetch failed');
        return json(200, { ok: true, value: STATE });
      },
      openSocket: h.openSocket,
      timers: h.timers,
    });
    const seen: boolean[] = [];
    client.onConnection((c) => seen.push(c));
    await client.call('getState', {});
    h.sockets[0]?.on.open();
    up = false;
    const down = await client.call('getState', {});
    expect(down.ok === false && down.error.code).toBe('TRANSPORT_CLOSED');
    up = true;
    await client.call('getState', {});
    expect(seen).toEqual([true, false, true]);
    client.close();
  });

  it('delivers only events whose payload matches the contract', async () => {
    const h = harness();
    const client = createHttpClient({ origin: 'http://127.0.0.1:1', token: 't', fetch: async () => json(200, {}), openSocket: h.openSocket, timers: h.timers });
    await client.call('getState', {});
    const states: HubState[] = [];
    client.on('state', (s) => states.push(s));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const socket = h.sockets[0];
    socket?.on.message(JSON.stringify({ event: 'state', payload: STATE }));
    socket?.on.message(JSON.stringify({ event: 'state', payload: { demo: 'yes' } }));
    socket?.on.message(JSON.stringify({ event: 'unknown', payload: {} }));
    socket?.on.message('not json');
    expect(states).toEqual([STATE]);
    expect(warn).toHaveBeenCalledTimes(3);
    warn.mockRestore();
    client.close();
  });

  it('reopens a closed event socket with growing back-off, reset once it is open again', async () => {
    const h = harness();
    const client = createHttpClient({ origin: 'http://127.0.0.1:1', token: 't', fetch: async () => json(200, {}), openSocket: h.openSocket, timers: h.timers });
    await client.call('getState', {});
    const seen: boolean[] = [];
    client.onConnection((c) => seen.push(c));
    h.sockets[0]?.on.open();
    h.sockets[0]?.on.close();
    expect(seen).toEqual([true, false]);
    const waits: Array<number | undefined> = [];
    for (let i = 0; i < 7; i++) {
      waits.push(h.fire());
      h.sockets[h.sockets.length - 1]?.on.close();
    }
    expect(waits).toEqual([500, 1000, 2000, 4000, RECONNECT_MAX_MS, RECONNECT_MAX_MS, RECONNECT_MAX_MS]);
    waits.length = 0;
    h.fire();
    h.sockets[h.sockets.length - 1]?.on.open();
    expect(seen).toEqual([true, false, true]);
    h.sockets[h.sockets.length - 1]?.on.close();
    expect(h.fire()).toBe(RECONNECT_INITIAL_MS);
    client.close();
    expect(h.sockets[h.sockets.length - 1]?.closed).toBe(true);
  });
});

describe('takeToken', () => {
  const windowAt = (href: string, stored?: string) => {
    const storage = new Map<string, string>(stored ? [[TOKEN_STORAGE_KEY, stored]] : []);
    const replaced: string[] = [];
    return {
      replaced,
      storage,
      win: {
        location: { href },
        history: { state: null, replaceState: (_d: unknown, _u: string, url?: string) => void replaced.push(url ?? '') },
        sessionStorage: { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) },
      },
    };
  };

  it('takes the token from the address, keeps it for this tab and removes it from the address bar', () => {
    const w = windowAt('http://127.0.0.1:4800/?token=abc123&x=1#/history');
    expect(takeToken(w.win)).toBe('abc123');
    expect(w.storage.get(TOKEN_STORAGE_KEY)).toBe('abc123');
    expect(w.replaced).toEqual(['/?x=1#/history']);
  });

  it('uses the kept token after a reload', () => {
    const w = windowAt('http://127.0.0.1:4800/#/review', 'kept');
    expect(takeToken(w.win)).toBe('kept');
    expect(w.replaced).toEqual([]);
  });
});

describe('createBridgeClient', () => {
  it('checks the bridge answers and events against the contract too', async () => {
    let listener: ((p: unknown) => void) | undefined;
    const bridge = {
      getState: async (): Promise<ApiResult<unknown>> => ({ ok: true, value: { nonsense: true } }),
      subscribe: (_e: string, l: (p: unknown) => void) => {
        listener = l;
        return () => undefined;
      },
    } as unknown as HubBridge;
    const client = createBridgeClient(bridge);
    const result = await client.call('getState', {});
    expect(result.ok === false && result.error.code).toBe('PROTOCOL_UNEXPECTED');
    const got: unknown[] = [];
    client.on('state', (s) => got.push(s));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    listener?.({ bad: 1 });
    listener?.(STATE);
    warn.mockRestore();
    expect(got).toEqual([STATE]);
  });
});
