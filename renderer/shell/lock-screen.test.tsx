// @vitest-environment jsdom
import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { HubState } from '../../shared/api/model.ts';
import { App } from '../app.tsx';
import { JANE, createFakeHub } from '../testing/fake-hub.ts';
import { jsdomScope } from '../testing/jsdom-scope.ts';

jsdomScope({ resetHash: true });

const ALEX = { id: 'op-1', name: 'Alex Assistant', badgeId: 'B-1', role: 'assistant' } as const;
const BLAKE = { id: 'op-2', name: 'Blake Assistant', badgeId: 'B-2', role: 'assistant' } as const;

/** A hub whose session is locked for Alex; unlock takes PIN 1234, signIn takes B-2 with 5678. */
function lockedHub() {
  const hub = createFakeHub({ patient: JANE });
  let state: HubState = { operator: ALEX, devices: [], demo: false, workstation: 'ROOM-3', locked: true, lockAfterMs: 300_000 };
  hub.handle('getState', () => ({ ok: true, value: state }));
  hub.handle('unlock', ({ pin }) => {
    if (pin !== '1234') return { ok: false, error: { code: 'AUTH_FAILED', message: 'Unknown badge or wrong PIN.' } };
    state = { ...state, locked: false, patient: JANE };
    return { ok: true, value: ALEX };
  });
  hub.handle('signIn', ({ badgeId, pin }) => {
    if (badgeId !== 'B-2' || pin !== '5678') return { ok: false, error: { code: 'AUTH_FAILED', message: 'Unknown badge or wrong PIN.' } };
    state = { operator: BLAKE, devices: [], demo: false, workstation: 'ROOM-3', locked: false, lockAfterMs: 300_000 };
    return { ok: true, value: BLAKE };
  });
  return hub;
}

describe('the lock screen', () => {
  it('names who is signed in and shows nothing of the patient; the PIN unlocks, a wrong one is refused', async () => {
    const hub = lockedHub();
    render(<App client={hub} />);
    expect((await screen.findByTestId('lock-title')).textContent).toBe('Locked — Alex Assistant');
    expect(screen.queryByTestId('patient-banner')).toBeNull();
    expect(screen.queryByTestId('operator-name')).toBeNull();
    fireEvent.change(screen.getByTestId('lock-pin'), { target: { value: '9999' } });
    fireEvent.click(screen.getByTestId('lock-submit'));
    await act(async () => {});
    expect(screen.getByTestId('lock-error').textContent).toBe('Unknown badge or wrong PIN.');
    fireEvent.change(screen.getByTestId('lock-pin'), { target: { value: '1234' } });
    fireEvent.click(screen.getByTestId('lock-submit'));
    await screen.findByTestId('review-list');
    expect(screen.getByTestId('operator-name').textContent).toBe('Alex Assistant');
    expect(hub.callsOf('unlock')).toEqual([{ pin: '9999' }, { pin: '1234' }]);
  });

  it('another badge and its PIN sign that person in instead', async () => {
    const hub = lockedHub();
    render(<App client={hub} />);
    await screen.findByTestId('lock-screen');
    fireEvent.change(screen.getByTestId('lock-badge'), { target: { value: 'B-2' } });
    fireEvent.change(screen.getByTestId('lock-pin'), { target: { value: '5678' } });
    expect(screen.getByTestId('lock-submit').textContent).toBe('Sign in with this badge');
    fireEvent.click(screen.getByTestId('lock-submit'));
    await screen.findByTestId('review-list');
    expect(screen.getByTestId('operator-name').textContent).toBe('Blake Assistant');
    expect(hub.callsOf('signIn')).toEqual([{ badgeId: 'B-2', pin: '5678' }]);
    expect(hub.callsOf('unlock')).toEqual([]);
  });
});
