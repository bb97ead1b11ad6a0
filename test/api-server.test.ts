/**
 * Browser mode end to end at the API level: `pochub serve --demo` as a user starts it, called with
 * fetch and a WebSocket as the UI does. The security rules of the binding, the assistant's flow
 * over HTTP, and a restart that loses no pending reading.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ReviewItem } from '../shared/api/model.ts';
import { startCli, type CliProcess } from './helpers/cli.ts';
import { until as untilFound } from './helpers/serve-api.ts';

interface Serve {
  cli: CliProcess;
  url: string;
  port: number;
  token: string;
  /** The session cookie, as a browser keeps it: who is signed in is per session. */
  jar: Jar;
}

interface Jar {
  cookie?: string;
}

/** Keep the session cookie a Set-Cookie header hands out. */
function keep(jar: Jar, setCookie: string | string[] | null | undefined): void {
  const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  if (first) jar.cookie = first.split(';')[0];
}

const dataDir = mkdtempSync(join(tmpdir(), 'pochub-serve-'));
const running = new Set<CliProcess>();

async function serve(args: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Serve> {
  const cli = startCli(['serve', '--data', dataDir, '--demo', ...args], env);
  running.add(cli);
  void cli.done.then(() => running.delete(cli));
  await cli.waitForStdout(/open http:\/\/\S+/);
  const url = /open (http:\/\/\S+)/.exec(cli.stdout())?.[1] ?? '';
  const parsed = new URL(url);
  return { cli, url, port: Number(parsed.port), token: parsed.searchParams.get('token') ?? '', jar: {} };
}

/** What confirming a demo reading must acknowledge: its critical values, its age (docs/architecture.md §8). */
function acknowledgements(item: ReviewItem): Array<'critical' | 'old'> {
  return [...(item.checks?.critical.length ? (['critical'] as const) : []), ...(item.checks?.old ? (['old'] as const) : [])];
}

async function stop(s: Serve): Promise<number | null> {
  s.cli.child.kill('SIGTERM');
  return (await s.cli.done).code;
}

afterAll(() => {
  for (const cli of running) cli.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

interface ServerAnswer {
  status: number;
  body: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
}

async function call(s: Serve, method: string, input: unknown = {}, headers: Record<string, string> = {}): Promise<ServerAnswer> {
  const res = await fetch(`http://127.0.0.1:${s.port}/api/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json', ...(s.jar.cookie ? { cookie: s.jar.cookie } : {}), ...headers },
    body: typeof input === 'string' ? input : JSON.stringify(input),
  });
  keep(s.jar, res.headers.get('set-cookie'));
  return { status: res.status, body: (await res.json()) as ServerAnswer['body'] };
}

async function value<T>(s: Serve, method: string, input: unknown = {}): Promise<T> {
  const r = await call(s, method, input);
  if (r.status !== 200) throw new Error(`${method}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.value as T;
}

/** Ask again every 200 ms until `check` gives a value (readings arrive on the demo's own time). */
const until = <T>(what: string, check: () => Promise<T | undefined>): Promise<T> => untilFound(what, check, 45_000);

/**
 * A WebSocket to /api/events that reconnects after every close, as the UI's client does, with
 * the session cookie of `jar` (a new one handed out on the upgrade is kept there).
 */
function eventSocket(url: string, jar: Jar = {}) {
  const events: { event: string; payload: unknown; connection: number }[] = [];
  const closes: number[] = [];
  let connections = 0;
  let stopped = false;
  let ws: WebSocket | undefined;
  const open = (): void => {
    if (stopped) return;
    ws = new WebSocket(url, { headers: jar.cookie ? { cookie: jar.cookie } : {} });
    ws.on('upgrade', (res) => keep(jar, res.headers['set-cookie']));
    ws.on('open', () => connections++);
    ws.on('message', (data) => events.push({ ...(JSON.parse(String(data)) as { event: string; payload: unknown }), connection: connections }));
    ws.on('error', () => undefined);
    ws.on('close', (code) => {
      closes.push(code);
      setTimeout(open, 200);
    });
  };
  open();
  return {
    events,
    closes,
    connections: () => connections,
    stop: () => {
      stopped = true;
      ws?.terminate();
    },
  };
}

const raw = (port: number, headers: Record<string, string>): Promise<number> =>
  new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/getState', method: 'POST', headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end('{}');
  });

const canConnect = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

const PATIENT = { mrn: 'MRN-40021', birthDate: '1961-07-14' };
let first: Serve;
let pendingBeforeRestart: string[] = [];

describe('pochub serve --demo', () => {
  it('prints the address with a per-run token, and the demo operators', async () => {
    first = await serve(['--port', '0']);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
    await first.cli.waitForStdout('9001 / 9999');
    expect(first.cli.stdout()).toContain('1001 / 1234  Alex Assistant (assistant)');
    expect(first.cli.stdout()).toContain('2001 / 2345');
    expect(first.cli.stdout()).toContain('9001 / 9999');
  });

  it('listens on 127.0.0.1 only', async () => {
    expect(await canConnect('127.0.0.1', first.port)).toBe(true);
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i !== undefined && !i.internal)
      .map((i) => i?.address ?? '');
    for (const address of [...others, '::1']) expect(await canConnect(address, first.port), address).toBe(false);
  });

  it('no token or a wrong token: 401 AUTH_REQUIRED', async () => {
    const none = await fetch(`http://127.0.0.1:${first.port}/api/getState`, { method: 'POST', body: '{}' });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ ok: false, error: { code: 'AUTH_REQUIRED' } });
    const wrong = await call({ ...first, token: 'x'.repeat(32) }, 'getState');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error?.code).toBe('AUTH_REQUIRED');
  });

  it('a foreign Origin or Host: 403 FORBIDDEN', async () => {
    const origin = await call(first, 'getState', {}, { origin: 'http://attacker.example' });
    expect(origin.status).toBe(403);
    expect(origin.body.error?.code).toBe('FORBIDDEN');
    expect(await raw(first.port, { host: 'attacker.example', authorization: `Bearer ${first.token}` })).toBe(403);
    expect(await raw(first.port, { host: `127.0.0.1:${first.port}`, authorization: `Bearer ${first.token}` })).toBe(200);
  });

  it('invalid payloads: 400 INPUT_INVALID (wrong type, unknown field, not JSON); unknown method: 404', async () => {
    for (const input of [{ badgeId: 1001, pin: '1234' }, { badgeId: '1001', pin: '1234', admin: true }, '{"badgeId": "1001", ', '[1, 2', 'null']) {
      const r = await call(first, 'signIn', input);
      expect(r.status, JSON.stringify(input)).toBe(400);
      expect(r.body.error?.code).toBe('INPUT_INVALID');
    }
    const unknown = await call(first, 'exportEverything');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe('NOT_FOUND');
  });

  it('signed out, only getState and signIn answer; roles: an assistant may not verify the audit log', async () => {
    expect((await call(first, 'listReview')).status).toBe(401);
    expect((await call(first, 'signIn', { badgeId: '1001', pin: '0000' })).body.error?.code).toBe('AUTH_FAILED');
    await value(first, 'signIn', { badgeId: '1001', pin: '1234' });
    const forbidden = await call(first, 'verifyAudit');
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error?.code).toBe('FORBIDDEN');
    await value(first, 'signIn', { badgeId: '2001', pin: '2345' });
    expect(await value(first, 'verifyAudit')).toMatchObject({ ok: true });
  });

  it('a reading that arrived with no patient cannot be confirmed until it is assigned', async () => {
    await value(first, 'signIn', { badgeId: '1001', pin: '1234' });
    // The demo meters are downloaded shortly after start, with nobody's patient selected.
    const waiting = await until('an unassigned reading', async () =>
      (await value<ReviewItem[]>(first, 'listReview')).find((i) => i.patient === undefined && i.reading.kind === 'patient' && i.checks?.impossible.length === 0),
    );
    const refused = await call(first, 'confirmReading', { readingId: waiting.id });
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe('PATIENT_REQUIRED');
    await value(first, 'selectPatient', PATIENT);
    const [assigned] = await value<ReviewItem[]>(first, 'assignReadings', { readingIds: [waiting.id] });
    expect(assigned).toMatchObject({ id: waiting.id, state: 'pending', patient: { mrn: PATIENT.mrn } });
    const confirmed = await value<ReviewItem>(first, 'confirmReading', { readingId: waiting.id, acknowledge: acknowledgements(waiting) });
    expect(confirmed).toMatchObject({ id: waiting.id, state: 'confirmed', decidedBy: { name: 'Alex Assistant' } });
  });

  it('with the patient selected, a new reading arrives over the WebSocket review event and is confirmed', async () => {
    const socket = eventSocket(`ws://127.0.0.1:${first.port}/api/events?token=${first.token}`);
    try {
      await until('the event socket', async () => (socket.connections() > 0 ? true : undefined));
      const arrived = await until('a reading for the patient', async () => {
        const e = socket.events.find((m) => {
          const item = m.payload as ReviewItem;
          return m.event === 'review' && item.state === 'pending' && item.patient?.mrn === PATIENT.mrn && item.checks?.impossible.length === 0;
        });
        return e?.payload as ReviewItem | undefined;
      });
      const confirmed = await value<ReviewItem>(first, 'confirmReading', { readingId: arrived.id, acknowledge: acknowledgements(arrived) });
      expect(confirmed.state).toBe('confirmed');
      const announced = await until('the confirmation event', async () =>
        socket.events.find((m) => m.event === 'review' && (m.payload as ReviewItem).id === arrived.id && (m.payload as ReviewItem).state === 'confirmed'),
      );
      expect(announced.payload).toEqual(confirmed);
      const history = await value<ReviewItem[]>(first, 'getHistory', { mrn: PATIENT.mrn });
      expect(history.map((i) => i.id)).toContain(arrived.id);
    } finally {
      socket.stop();
    }
  });

  it('Capture on a continuous device makes a reading now, announced over the WebSocket', async () => {
    const socket = eventSocket(`ws://127.0.0.1:${first.port}/api/events?token=${first.token}`);
    try {
      // Demo mode also plays discrete devices that show live values while they measure (a
      // thermometer): Capture is for continuous ones, so follow one of those.
      const continuous = new Set<string>();
      const liveNow = (): { deviceKey: string; live: { valid: boolean } } | undefined =>
        [...socket.events].reverse().find((m) => m.event === 'live' && continuous.has((m.payload as { deviceKey: string }).deviceKey))?.payload as
          | { deviceKey: string; live: { valid: boolean } }
          | undefined;
      const live = await until('valid live values of a continuous device', async () => {
        for (const d of await value<{ key: string; kind: string }[]>(first, 'listDevices')) if (d.kind === 'continuous') continuous.add(d.key);
        return liveNow()?.live.valid ? liveNow() : undefined;
      });
      const devices = await value<{ key: string; kind: string }[]>(first, 'listDevices');
      expect(devices.find((d) => d.key === live.deviceKey)?.kind).toBe('continuous');
      // The demo patient takes the sensor off for a few seconds now and then: Capture then says
      // false, as the real monitor would. Ask again while the values are valid.
      await until('a capture with valid values', async () => {
        if (!liveNow()?.live.valid) return undefined;
        const r = await value<{ captured: boolean }>(first, 'capture', { deviceKey: live.deviceKey });
        return r.captured ? r : undefined;
      });
      const captured = await until('the captured reading', async () =>
        socket.events.find((m) => m.event === 'review' && (m.payload as ReviewItem).deviceKey === live.deviceKey && (m.payload as ReviewItem).reading.flags.includes('manual-capture')),
      );
      expect((captured.payload as ReviewItem).state).toBe('pending');
      const unknown = await call(first, 'capture', { deviceKey: 'no-such-device' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error?.code).toBe('NOT_FOUND');
    } finally {
      socket.stop();
    }
  });

  it('stops cleanly on SIGTERM', async () => {
    const pending = await until('several pending readings', async () => {
      const items = await value<ReviewItem[]>(first, 'listReview');
      return items.length >= 5 ? items : undefined;
    });
    pendingBeforeRestart = pending.map((i) => i.id);
    expect(await stop(first)).toBe(0);
    expect(first.cli.stderr()).toContain('stopped');
    expect(await canConnect('127.0.0.1', first.port)).toBe(false);
  });

  it('a restart loses no pending reading; the old token is dead, and a reconnecting client gets events again', async () => {
    const token = 'restart-test-token-0123456789abcdefghij';
    const second = await serve(['--port', '0'], { POCHUB_TOKEN: token });
    expect(second.token).toBe(token);
    expect((await call({ ...second, token: first.token }, 'getState')).status).toBe(401);
    await value(second, 'signIn', { badgeId: '1001', pin: '1234' });
    const pending = (await value<ReviewItem[]>(second, 'listReview')).map((i) => i.id);
    expect(pending).toEqual(expect.arrayContaining(pendingBeforeRestart));

    // The UI keeps its address: the hub comes back on the same port with the same token.
    const socket = eventSocket(`ws://127.0.0.1:${second.port}/api/events?token=${token}`, second.jar);
    try {
      await until('the first connection', async () => (socket.connections() === 1 ? true : undefined));
      expect(await stop(second)).toBe(0);
      await until('the close', async () => (socket.closes.length > 0 ? true : undefined));
      expect(socket.closes[0]).toBe(1001);
      const third = await serve(['--port', String(second.port)], { POCHUB_TOKEN: token });
      try {
        await until('the reconnection', async () => (socket.connections() === 2 ? true : undefined));
        // The restarted hub knows no session: the socket was given a new cookie, and the sign-in
        // in that session is what its `state` event tells.
        third.jar = second.jar;
        await value(third, 'signIn', { badgeId: '1001', pin: '1234' });
        const after = await until('an event after reconnecting', async () =>
          socket.events.find((m) => m.connection === 2 && m.event === 'state' && (m.payload as { operator?: { badgeId: string } }).operator?.badgeId === '1001'),
        );
        expect(after.event).toBe('state');
        expect((await value<ReviewItem[]>(third, 'listReview')).map((i) => i.id)).toEqual(expect.arrayContaining(pendingBeforeRestart));
      } finally {
        expect(await stop(third)).toBe(0);
      }
    } finally {
      socket.stop();
    }
  });
});
