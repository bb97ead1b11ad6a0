import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ApiResult } from '../../shared/api/client.ts';
import { EventBus, type HubEvent } from './event-bus.ts';
import type { CallContext } from './handlers.ts';
import { startHttpServer, type HttpServer } from './http-server.ts';
import { NOT_BUILT_TEXT } from './static-files.ts';

interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so Host, Origin and odd paths can be set exactly. */
function raw(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (s: string) => (body += s));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const root = mkdtempSync(join(tmpdir(), 'pochub-http-'));
const dist = join(root, 'dist');
const calls: { method: string; input: unknown; ctx: CallContext }[] = [];
const bus = new EventBus(() => undefined);
let server: HttpServer;
let token: string;
const auth = (): Record<string, string> => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>POC Hub</title>');
  writeFileSync(join(dist, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.txt'), 'patient list');
  symlinkSync(join(root, 'secret.txt'), join(dist, 'link.txt'));
  server = await startHttpServer({
    port: 0,
    staticDir: dist,
    bus,
    log: () => undefined,
    greeting: () => [{ event: 'state', payload: { devices: [], demo: true, workstation: 'test' } }],
    call: async (method, input, ctx): Promise<ApiResult<unknown>> => {
      calls.push({ method, input, ctx });
      if (method === 'getState') return { ok: true, value: { echo: input } };
      if (method === 'confirmReading') return { ok: false, error: { code: 'PATIENT_REQUIRED', message: 'assign it first' } };
      return { ok: false, error: { code: 'NOT_FOUND', message: `no method ${method}` } };
    },
  });
  token = server.token;
});

afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('HTTP binding: where it listens and who may call', () => {
  it('listens on 127.0.0.1 only, with a 32-character base64url token in the printed URL', async () => {
    expect(server.address().address).toBe('127.0.0.1');
    expect(server.address().family).toBe('IPv4');
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${token}`);
  });

  it("the machine's other addresses do not answer", async () => {
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i !== undefined && !i.internal && i.family === 'IPv4')
      .map((i) => i?.address ?? '');
    for (const address of others) {
      const refused = await new Promise<boolean>((resolve) => {
        const socket = connect({ host: address, port: server.port });
        socket.once('connect', () => (socket.destroy(), resolve(false)));
        socket.once('error', () => resolve(true));
      });
      expect(refused, address).toBe(true);
    }
  });

  it('no token, a wrong token, or a token in the wrong place: 401 AUTH_REQUIRED, and nothing is called', async () => {
    const before = calls.length;
    for (const headers of [{}, { authorization: 'Bearer wrong' } as Record<string, string>, { authorization: `Basic ${token}` }, { authorization: `Bearer ${token}x` }]) {
      const r = await raw(server.port, '/api/getState', { method: 'POST', headers, body: '{}' });
      expect(r.status).toBe(401);
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'AUTH_REQUIRED' } });
      expect(r.headers['www-authenticate']).toBe('Bearer');
    }
    const inQuery = await raw(server.port, `/api/getState?token=${token}`, { method: 'POST', body: '{}' });
    expect(inQuery.status).toBe(401);
    expect(calls.length).toBe(before);
  });

  it('a foreign Origin or Host is 403 FORBIDDEN, even with the right token', async () => {
    for (const headers of [{ origin: 'http://evil.example' } as Record<string, string>, { origin: 'null' }, { origin: `http://127.0.0.1:${server.port + 1}` }, { host: 'evil.example' }, { host: `evil.example:${server.port}` }]) {
      const r = await raw(server.port, '/api/getState', { method: 'POST', headers: { ...auth(), ...headers }, body: '{}' });
      expect(r.status, JSON.stringify(headers)).toBe(403);
      expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'FORBIDDEN' } });
    }
    const page = await raw(server.port, '/', { headers: { host: 'rebound.example' } });
    expect(page.status).toBe(403);
    const own = await raw(server.port, '/api/getState', { method: 'POST', headers: { ...auth(), origin: `http://localhost:${server.port}`, host: `localhost:${server.port}` }, body: '{}' });
    expect(own.status).toBe(200);
  });
});

describe('HTTP binding: API calls', () => {
  it('passes the parsed JSON body to the method and answers 200 {ok, value}', async () => {
    const r = await raw(server.port, '/api/getState', { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: '{"a":[1,2]}' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(r.body)).toEqual({ ok: true, value: { echo: { a: [1, 2] } } });
    expect(calls.at(-1)).toEqual({ method: 'getState', input: { a: [1, 2] }, ctx: { binding: 'http', session: expect.any(String) } });
  });

  it('an empty body is {}', async () => {
    const r = await raw(server.port, '/api/getState', { method: 'POST', headers: auth() });
    expect(JSON.parse(r.body)).toEqual({ ok: true, value: { echo: {} } });
  });

  it('errors get their status: not JSON 400, unknown method 404, PATIENT_REQUIRED 409', async () => {
    const notJson = await raw(server.port, '/api/getState', { method: 'POST', headers: auth(), body: '{"a":' });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body)).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    const unknown = await raw(server.port, '/api/nothing', { method: 'POST', headers: auth(), body: '{}' });
    expect(unknown.status).toBe(404);
    const conflict = await raw(server.port, '/api/confirmReading', { method: 'POST', headers: auth(), body: '{}' });
    expect(conflict.status).toBe(409);
    expect(JSON.parse(conflict.body)).toEqual({ ok: false, error: { code: 'PATIENT_REQUIRED', message: 'assign it first' } });
  });

  it('a body over the limit is 413 and is not read to the end; GET on a method is 405', async () => {
    const before = calls.length;
    const big = await raw(server.port, '/api/getState', { method: 'POST', headers: auth(), body: JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) }) });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body)).toMatchObject({ error: { code: 'INPUT_INVALID' } });
    const get = await raw(server.port, '/api/getState', { headers: auth() });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    expect(calls.length).toBe(before);
  });
});

describe('HTTP binding: the built UI', () => {
  it('serves index.html for / with the CSP, nosniff and no-referrer', async () => {
    const r = await raw(server.port, '/?token=abc');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>POC Hub</title>');
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port} ws://localhost:${server.port}`);
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).toContain("style-src 'self'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves assets with their type; an app route gets index.html; a missing asset is 404', async () => {
    const js = await raw(server.port, '/assets/app-1234.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toBe('console.log(1)');
    expect((await raw(server.port, '/review')).body).toContain('<title>POC Hub</title>');
    expect((await raw(server.port, '/assets/gone.js')).status).toBe(404);
  });

  it('refuses every way out of the folder: .., encoded slashes, backslashes and symlinks', async () => {
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/link.txt']) {
      const r = await raw(server.port, path);
      expect(r.body, path).not.toContain('patient list');
      expect([400, 403, 404], path).toContain(r.status);
    }
  });

  it('without a build, / says how to build the UI', async () => {
    const bare = await startHttpServer({ port: 0, staticDir: join(root, 'not-built'), bus, log: () => undefined, call: async () => ({ ok: true, value: null }) });
    try {
      const r = await raw(bare.port, '/');
      expect(r.status).toBe(503);
      expect(r.body).toBe(NOT_BUILT_TEXT);
      expect(r.body).toContain('the UI is not built: run npm run build:ui');
    } finally {
      await bare.close();
    }
  });
});

describe('HTTP binding: the event socket', () => {
  const open = (query: string, headers: Record<string, string> = {}): Promise<{ ws?: WebSocket; status?: number; messages: HubEvent[] }> =>
    new Promise((resolve) => {
      const messages: HubEvent[] = [];
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events${query}`, { headers });
      ws.on('message', (data) => messages.push(JSON.parse(String(data)) as HubEvent));
      ws.once('open', () => resolve({ ws, messages }));
      ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode, messages }));
    });

  it('refuses a missing or wrong token (401) and a foreign Origin (403)', async () => {
    expect((await open('')).status).toBe(401);
    expect((await open('?token=wrong')).status).toBe(401);
    expect((await open(`?token=${token}`, { origin: 'http://evil.example' })).status).toBe(403);
  });

  it('greets with the state, then pushes every bus event as {event, payload}; close() says goodbye with 1001', async () => {
    const { ws, messages } = await open(`?token=${token}`, { origin: `http://127.0.0.1:${server.port}` });
    if (!ws) throw new Error('not connected');
    const live = { deviceKey: 'masimo-rad8:1', live: { at: '2026-01-15T09:00:00.000Z', observations: [], flags: [], valid: true } };
    await new Promise<void>((resolve) => {
      ws.on('message', () => messages.length === 2 && resolve());
      bus.emit('live', live);
    });
    expect(messages).toEqual([
      { event: 'state', payload: { devices: [], demo: true, workstation: 'test' } },
      { event: 'live', payload: live },
    ]);
    expect(server.clientCount()).toBe(1);
    const other = await startHttpServer({ port: 0, staticDir: dist, bus, log: () => undefined, call: async () => ({ ok: true, value: null }) });
    const client = new WebSocket(`ws://127.0.0.1:${other.port}/api/events?token=${other.token}`);
    await new Promise((resolve) => client.once('open', resolve));
    const code = new Promise<number>((resolve) => client.once('close', (c) => resolve(c)));
    await other.close();
    expect(await code).toBe(1001);
    ws.close();
  });
});
