import { describe, expect, it } from 'vitest';
import type { HubState } from '../../shared/api/model.ts';
import { createFakeHub } from '../testing/fake-hub.ts';
import { PageStateStore } from './page-state-store.ts';

const ADMIN = { id: 'op-9', name: 'Avery Admin', badgeId: '9001', role: 'admin' } as const;
const base: HubState = { devices: [], demo: true, workstation: 'ROOM-3' };

describe('the hub state in the page', () => {
  it('keeps the newest state when an older one arrives last (a late event after a newer answer)', async () => {
    const hub = createFakeHub();
    hub.handle('getState', () => ({ ok: true, value: { ...base, operator: ADMIN, version: 12 } }));
    hub.handle('listReview', () => ({ ok: true, value: [] }));
    const store = new PageStateStore(hub);
    const stop = store.start();
    await store.load();
    expect(store.getSnapshot().state?.operator?.id).toBe('op-9');
    // The sign-out of the previous operator, announced before this sign-in, arrives now.
    hub.emit('state', { ...base, version: 11 });
    expect(store.getSnapshot().state?.operator?.id).toBe('op-9');
    // A newer change does apply.
    hub.emit('state', { ...base, version: 13 });
    expect(store.getSnapshot().state?.operator).toBeUndefined();
    stop();
  });
});
