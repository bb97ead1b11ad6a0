import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createHub, type Hub } from '../app.ts';
import { putPatientsOnFile } from '../../test/helpers/store-fixtures.ts';
import { MEMORY } from '../store/index.ts';
import type { HubEvent } from './event-bus.ts';
import { SESSION_COOKIE, startHttpServer, type HttpServer } from './http-server.ts';

const LOCK_AFTER_MS = 60_000;
let now = Date.parse('2025-03-03T09:00:00Z');
let hub: Hub;
let server: HttpServer;

beforeAll(async () => {
  hub = createHub({ dataDir: MEMORY, demo: false, workstation: 'room-3', discovery: false, exportWorkers: false, log: () => undefined, now: () => now, lockAfterMs: LOCK_AFTER_MS });
  putPatientsOnFile(hub.store, { mrn: '777', name: 'Jane Doe' }, { mrn: '888', name: 'John Roe' });
  hub.workflow.operators.add({ name: 'Ana', badgeId: 'B-1', role: 'assistant', pin: '1234' });
  hub.workflow.operators.add({ name: 'Ben', badgeId: 'B-2', role: 'assistant', pin: '5678' });
  server = await startHttpServer({
    port: 0,
    staticDir: '/nonexistent',
    bus: hub.bus,
    log: () => undefined,
    call: (method, input, ctx) => hub.call(method, input, ctx),
    greeting: (session) => [{ event: 'state', payload: hub.stateOf(session) }],
    stateOf: (session) => ({ event: 'state', payload: hub.stateOf(session) }),
    sessions: hub.workflow.sessions.sessions,
  });
});
afterAll(async () => {
  await server.close();
  await hub.close();
});

/** A browser's cookie jar for the session cookie alone. */
interface Jar {
  cookie?: string;
  setCookie?: string;
}

async function call(jar: Jar, method: string, input: unknown = {}): Promise<{ status: number; body: { ok: boolean; value?: Record<string, unknown>; error?: { code: string } } }> {
  const headers: Record<string, string> = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
  if (jar.cookie !== undefined) headers.cookie = jar.cookie;
  const res = await fetch(`http://127.0.0.1:${server.port}/api/${method}`, { method: 'POST', headers, body: JSON.stringify(input) });
  const set = res.headers.get('set-cookie');
  if (set !== null) {
    jar.setCookie = set;
    jar.cookie = set.split(';')[0];
  }
  return { status: res.status, body: (await res.json()) as { ok: boolean; value?: Record<string, unknown> } };
}

function openSocket(jar: Jar): Promise<{ ws: WebSocket; states: HubEvent[] }> {
  const states: HubEvent[] = [];
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events?token=${server.token}`, { headers: jar.cookie === undefined ? {} : { cookie: jar.cookie } });
  ws.on('message', (data: Buffer) => {
    const event = JSON.parse(data.toString()) as HubEvent;
    if (event.event === 'state') states.push(event);
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, states }));
    ws.once('error', reject);
  });
}

describe('browser sessions over HTTP', () => {
  it('two browsers: one signs in, the other is not signed in and sees no patient', async () => {
    const a: Jar = {};
    const b: Jar = {};
    expect((await call(a, 'signIn', { badgeId: 'B-1', pin: '1234' })).body).toMatchObject({ ok: true, value: { name: 'Ana' } });
    expect(a.setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=/$`));
    const stateB = await call(b, 'getState');
    expect(stateB.body.value?.operator).toBeUndefined();
    const listB = await call(b, 'listReview');
    expect([listB.status, listB.body.error?.code]).toEqual([401, 'AUTH_REQUIRED']);
    expect((await call(a, 'listReview')).body.ok).toBe(true);

    expect((await call(a, 'selectPatient', { mrn: '777', name: 'Jane Doe' })).body.ok).toBe(true);
    expect((await call(a, 'getState')).body.value).toMatchObject({ operator: { name: 'Ana' }, patient: { mrn: '777' }, locked: false });
    expect((await call(b, 'getState')).body.value?.patient).toBeUndefined();
    expect(a.cookie).not.toEqual(b.cookie);
  });

  it('a forged cookie gets a fresh, empty session, never someone else\'s', async () => {
    const a: Jar = {};
    await call(a, 'signIn', { badgeId: 'B-1', pin: '1234' });
    const forged: Jar = { cookie: `${SESSION_COOKIE}=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA` };
    const state = await call(forged, 'getState');
    expect(state.body.value?.operator).toBeUndefined();
    expect(forged.cookie).not.toContain('AAAAAAAA'); // a new cookie was handed out
    expect(forged.setCookie).toContain('HttpOnly; SameSite=Strict');
  });

  it("each event socket is told its own session's state", async () => {
    const a: Jar = {};
    const b: Jar = {};
    await call(a, 'getState');
    await call(b, 'getState');
    const sa = await openSocket(a);
    const sb = await openSocket(b);
    try {
      await call(a, 'signIn', { badgeId: 'B-1', pin: '1234' });
      await expect.poll(() => sa.states.some((e) => e.event === 'state' && e.payload.operator?.name === 'Ana')).toBe(true);
      await expect.poll(() => sb.states.length).toBeGreaterThan(1); // the greeting, then the change
      expect(sb.states.every((e) => e.event === 'state' && e.payload.operator === undefined)).toBe(true);
    } finally {
      sa.ws.close();
      sb.ws.close();
    }
  });
});

describe('inactivity lock over HTTP', () => {
  it('locks after the lock time: LOCKED (401) until the PIN; another badge switches the operator and clears the patient', async () => {
    const a: Jar = {};
    await call(a, 'signIn', { badgeId: 'B-1', pin: '1234' });
    await call(a, 'selectPatient', { mrn: '888', name: 'John Roe' });
    now += LOCK_AFTER_MS / 2;
    expect((await call(a, 'keepAlive')).body.ok).toBe(true);
    now += LOCK_AFTER_MS / 2;
    expect((await call(a, 'listReview')).body.ok).toBe(true); // the keepAlive moved the lock on
    now += LOCK_AFTER_MS / 2;
    const locked = await call(a, 'listReview');
    expect([locked.status, locked.body.error?.code]).toEqual([401, 'LOCKED']);
    expect((await call(a, 'getState')).body.value).toMatchObject({ operator: { name: 'Ana' }, locked: true, lockAfterMs: LOCK_AFTER_MS });
    expect((await call(a, 'getState')).body.value?.patient).toBeUndefined();
    expect((await call(a, 'unlock', { pin: '9999' })).body.error?.code).toBe('AUTH_FAILED');
    expect((await call(a, 'unlock', { pin: '1234' })).body).toMatchObject({ ok: true, value: { name: 'Ana' } });
    expect((await call(a, 'getState')).body.value).toMatchObject({ locked: false, patient: { mrn: '888' } });

    now += LOCK_AFTER_MS;
    expect((await call(a, 'getState')).body.value?.locked).toBe(true);
    expect((await call(a, 'signIn', { badgeId: 'B-2', pin: '5678' })).body).toMatchObject({ ok: true, value: { name: 'Ben' } });
    const state = await call(a, 'getState');
    expect(state.body.value).toMatchObject({ operator: { name: 'Ben' }, locked: false });
    expect(state.body.value?.patient).toBeUndefined();
    const audit = await call(a, 'listAudit', { limit: 10 });
    const rows = (audit.body.value as unknown as { action: string }[]).map((r) => r.action);
    expect(rows).toEqual(expect.arrayContaining(['operator.switch', 'session.unlock', 'session.lock']));
  });
});
