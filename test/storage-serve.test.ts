import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { HubState, ReviewItem } from '../shared/api/model.ts';
import { launchChromium } from './helpers/browser.ts';
import { addOperatorByCli, startCli, type CliProcess } from './helpers/cli.ts';
import { hubApi, type HubApi } from './helpers/hub-api.ts';
import { createPtyPair, type PtyPair } from './helpers/pty-pair.ts';

/**
 * A full disk under a running hub (docs/architecture.md §7, storage trouble), across processes:
 * `pochub serve` with SQLite's page limit (`POCHUB_TEST_MAX_PAGES`, the documented test hook),
 * a Clinitek simulator streaming results over a socat pty pair. Storing fails; the API and the
 * WebSocket's `state` event report it; every reading the API ever showed is in the store (nothing
 * was shown that was not stored); the page in Chromium shows the red banner. Restarted without
 * the limit, the hub stores the analyzer's results again and the trouble is gone.
 */
const DRIVER = 'siemens-clinitek-status';
const BADGE = '5001';
const PIN = '5678';
const URL_LINE = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/;
/** Room the limited store has left: more than the 64 KiB `serve` needs to start, a few dozen results. */
const HEADROOM_PAGES = 24;

let root = '';
let data = '';
let pair: PtyPair;
const children: CliProcess[] = [];
const sockets: WebSocket[] = [];
let browser: Browser | undefined;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'pochub-storage-serve-'));
  data = join(root, 'data');
  await addOperatorByCli(data, { name: 'Fay Full', badge: BADGE, role: 'admin', pin: PIN });
  pair = await createPtyPair();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const ws of sockets) ws.terminate();
  for (const child of children) if (child.child.exitCode === null) child.child.kill('SIGKILL');
  await Promise.all(children.map((c) => c.done));
  await pair?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

function start(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = startCli(args, env);
  children.push(child);
  return child;
}

async function stop(child: CliProcess): Promise<void> {
  child.child.kill('SIGTERM');
  await child.done;
}

/** The store file's size in pages, read while no hub has it open. */
function pageCount(): number {
  const db = new Database(join(data, 'pochub.db'), { readonly: true });
  try {
    return Number(db.pragma('page_count', { simple: true }));
  } finally {
    db.close();
  }
}

/** A hub on `data`, signed in as the admin, with the analyzer's port connected; and its `state` events. */
async function serve(env: NodeJS.ProcessEnv): Promise<{ hub: CliProcess; api: HubApi; states: HubState[]; url: string }> {
  const hub = start(['serve', '--port', '0', '--data', data], env);
  await hub.waitForStdout(URL_LINE);
  const url = URL_LINE.exec(hub.stdout())?.[1] ?? '';
  const api = hubApi(url);
  await api.call('signIn', { badgeId: BADGE, pin: PIN });
  const address = new URL(url);
  const states: HubState[] = [];
  const ws = new WebSocket(`ws://${address.host}/api/events?token=${address.searchParams.get('token') ?? ''}`);
  sockets.push(ws);
  ws.on('message', (raw) => {
    const message = JSON.parse(String(raw)) as { event: string; payload: unknown };
    if (message.event === 'state') states.push(message.payload as HubState);
  });
  ws.on('error', () => undefined);
  await new Promise((resolve) => ws.once('open', resolve));
  const ports = await api.call<Array<{ id: string; path: string; state: string }>>('listPorts');
  let port = ports.find((p) => p.path === pair.b);
  if (!port) {
    port = await api.call<{ id: string; path: string; state: string }>('addPort', { transport: 'serial', path: pair.b });
    await api.call('assignPort', { portId: port.id, driverId: DRIVER, autoConnect: true });
  }
  const id = port.id;
  const state = async (): Promise<string | undefined> => (await api.call<Array<{ id: string; state: string }>>('listPorts')).find((p) => p.id === id)?.state;
  if ((await state()) !== 'connected') await api.call('connectPort', { portId: id }).catch(() => undefined);
  await expect.poll(state, { timeout: 20_000 }).toBe('connected');
  return { hub, api, states, url };
}

const reviewIds = async (api: HubApi): Promise<string[]> => (await api.call<ReviewItem[]>('listReview')).map((i) => i.id);

describe('pochub serve on a disk that fills up', () => {
  it('reports the trouble on the API and the WebSocket, shows nothing it did not store, and stores again after a restart with room', { timeout: 240_000 }, async () => {
    const limited = await serve({ POCHUB_TEST_MAX_PAGES: String(pageCount() + HEADROOM_PAGES) });
    // The page, signed in before the disk fills (signing in writes too).
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(limited.url);
    await page.getByTestId('signin-badge').fill(BADGE);
    await page.getByTestId('signin-pin').fill(PIN);
    await page.getByTestId('signin-pin').press('Enter');
    await expect.poll(() => page.getByTestId('signout').isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await page.getByTestId('storage-banner').count()).toBe(0);
    const shown = new Set<string>();
    const simulator = start(['simulate', '--driver', DRIVER, '--port', pair.a, '--scenario', 'stream', '--speed', '50']);

    // Results arrive and are stored until the page limit is reached; the state then says so.
    await expect
      .poll(
        async () => {
          for (const id of await reviewIds(limited.api)) shown.add(id);
          return (await limited.api.call<HubState>('getState')).storage?.code;
        },
        { timeout: 150_000, interval: 500 },
      )
      .toBe('STORAGE_FULL');
    expect(shown.size).toBeGreaterThan(0);
    const trouble = (await limited.api.call<HubState>('getState')).storage;
    expect(trouble?.message).toBe(`The data folder ${data} is full: nothing more can be saved there. Free space on that disk, then try again (a running hub saves again by itself).`);
    // Further results wait in memory (a streaming analyzer cannot send them again).
    await expect.poll(async () => (await limited.api.call<HubState>('getState')).storage?.held ?? 0, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(() => limited.states.some((s) => s.storage?.code === 'STORAGE_FULL'), { timeout: 10_000 }).toBe(true);
    await limited.hub.waitForStderr(`pochub: cannot save readings: The data folder ${data} is full`);
    // The page says it in red, in the words a person acts on.
    await expect.poll(() => page.getByTestId('storage-banner').textContent(), { timeout: 20_000 }).toMatch(/^Cannot save readings: the disk is full\. The data folder .* is full: .* \d+ reading\(s\) are kept in memory and will be saved when there is room\.$/);
    expect(await page.getByTestId('storage-banner').getAttribute('role')).toBe('alert');
    await page.close();

    await stop(simulator);
    for (const id of await reviewIds(limited.api)) shown.add(id);
    await stop(limited.hub);
    // Closing with results still in memory says so, one line each: they were never shown as stored.
    expect(limited.hub.stderr()).toMatch(/LOST a reading \(.*\): the hub closed while the store refused it/);

    // Everything the API showed is in the store, which is intact.
    const db = new Database(join(data, 'pochub.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const stored = new Set(db.prepare<[], string>('SELECT id FROM readings').pluck().all());
      for (const id of shown) expect(stored.has(id), id).toBe(true);
    } finally {
      db.close();
    }

    // Room again: a restart without the limit stores the analyzer's results; nothing shown is lost.
    const roomy = await serve({});
    const again = start(['simulate', '--driver', DRIVER, '--port', pair.a, '--scenario', 'stream', '--speed', '50']);
    await expect
      .poll(async () => (await reviewIds(roomy.api)).filter((id) => !shown.has(id)).length, { timeout: 60_000, interval: 500 })
      .toBeGreaterThanOrEqual(2);
    const now = new Set(await reviewIds(roomy.api));
    for (const id of shown) expect(now.has(id), id).toBe(true);
    expect((await roomy.api.call<HubState>('getState')).storage).toBeUndefined();
    await stop(again);
    await stop(roomy.hub);
  });
});
