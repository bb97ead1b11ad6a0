// @vitest-environment jsdom
import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { HubState } from '../../shared/api/model.ts';
import { App } from '../app.tsx';
import { JANE, createFakeHub } from '../testing/fake-hub.ts';
import { jsdomScope } from '../testing/jsdom-scope.ts';

jsdomScope({ resetHash: true });

const STATE: HubState = {
  operator: { id: 'op-1', name: 'Alex Assistant', badgeId: 'B-1', role: 'assistant' },
  patient: JANE,
  devices: [],
  demo: false,
  workstation: 'ROOM-3',
};
const FULL = 'The data folder /var/lib/pochub is full: nothing more can be saved there. Free space on that disk, then try again (a running hub saves again by itself).';

describe('the storage banner', () => {
  it('shows in red while the hub cannot save readings, with the hub’s sentence and what waits in memory, and goes when storing works again', async () => {
    const hub = createFakeHub({ patient: JANE });
    render(<App client={hub} />);
    await screen.findByTestId('review-list');
    expect(screen.queryByTestId('storage-banner')).toBeNull();

    act(() => hub.emit('state', { ...STATE, version: 2, storage: { code: 'STORAGE_FULL', message: FULL, since: '2026-12-07T05:00:00.000Z', held: 3, lost: 0 } }));
    const banner = screen.getByTestId('storage-banner');
    expect(banner.getAttribute('role')).toBe('alert');
    expect(banner.textContent).toBe(`Cannot save readings: the disk is full. ${FULL} 3 reading(s) are kept in memory and will be saved when there is room.`);

    act(() => hub.emit('state', { ...STATE, version: 3, storage: { code: 'STORAGE_READONLY', message: 'The data folder /x is read-only.', since: '2026-12-07T05:00:00.000Z', held: 0, lost: 2 } }));
    expect(screen.getByTestId('storage-banner').textContent).toBe('Cannot save readings: the data folder cannot be written. The data folder /x is read-only. 2 reading(s) could not be kept and are lost.');

    act(() => hub.emit('state', { ...STATE, version: 4 }));
    expect(screen.queryByTestId('storage-banner')).toBeNull();
  });
});
