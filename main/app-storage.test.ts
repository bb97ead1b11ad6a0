import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isHubError } from '../shared/errors.ts';
import { TrackedClock, VirtualClock } from '../drivers/kit/index.ts';
import { bpFrames, bpReading } from '../test/helpers/store-fixtures.ts';
import { createHub, type Hub } from './app.ts';
import { STORE_RETRY_MS } from './devices/storage-guard.ts';

/**
 * The hub's storage state (docs/architecture.md §7, storage trouble) from an API write: a
 * sign-in refused for room shows in the state the page's banner reads, and the state clears by
 * itself once the store has room again, with no device sending anything.
 */
let dir = '';
let hub: Hub;
let virtual: VirtualClock;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pochub-app-storage-'));
  virtual = new VirtualClock();
  hub = createHub({ dataDir: dir, demo: false, workstation: 'room-3', clock: new TrackedClock(virtual), log: () => undefined, exportWorkers: false, discovery: false });
});
afterEach(async () => {
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
});

const ctx = { binding: 'internal', session: 'internal' } as const;

/** Fill the store to its page limit with readings, so the next write that needs a page fails. */
function fillStore(): void {
  hub.store.db.pragma('max_page_count = 1');
  for (let i = 0; i < 100_000; i++) {
    try {
      hub.store.readings.ingest(bpReading({ deviceTime: `2016-02-22T22:${String(i % 60).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}`, context: { sequence: String(i) } }), bpFrames());
    } catch (e) {
      if (isHubError(e, 'STORAGE_FULL')) return;
      throw e;
    }
  }
  throw new Error('the store never filled up');
}

describe('the storage state of the hub', () => {
  it('an API write refused for room sets it; room again clears it on the next retry', async () => {
    hub.workflow.operators.add({ badgeId: '6001', pin: '6789', role: 'assistant', name: 'Sam Sign-in' });
    fillStore();
    // Each wrong PIN is written down (counter, audit row); the first few still fit in free space
    // inside the file's pages, then one needs a new page and the store refuses it.
    const wrongPin = () => hub.call('signIn', { badgeId: '6001', pin: '0000' }, ctx);
    let answer = await wrongPin();
    for (let i = 0; !answer.ok && answer.error.code === 'AUTH_FAILED' && i < 200; i++) answer = await wrongPin();
    expect(answer).toMatchObject({ ok: false, error: { code: 'STORAGE_FULL', message: expect.stringContaining(`The data folder ${dir} is full`) } });
    expect(hub.state().storage).toMatchObject({ code: 'STORAGE_FULL', held: 0, lost: 0 });

    // Still full: the retry finds no room and keeps saying so.
    await virtual.runUntilIdle(STORE_RETRY_MS * 2);
    expect(hub.state().storage?.code).toBe('STORAGE_FULL');

    hub.store.db.pragma('max_page_count = 1000000');
    await virtual.runUntilIdle(STORE_RETRY_MS + 10);
    expect(hub.state().storage).toBeUndefined();
  });
});
