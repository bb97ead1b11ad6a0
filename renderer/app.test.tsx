// @vitest-environment jsdom
import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { HubState } from '../shared/api/model.ts';
import { App } from './app.tsx';
import { JANE, createFakeHub, pendingItem } from './testing/fake-hub.ts';
import { jsdomScope } from './testing/jsdom-scope.ts';

jsdomScope({ resetHash: true });

const OPERATOR = { id: 'op-1', name: 'Alex Assistant', badgeId: 'B-1', role: 'assistant' } as const;

describe('App', () => {
  it('signs in by badge and PIN, then shows the review screen', async () => {
    const hub = createFakeHub();
    let state: HubState = { devices: [], demo: true, workstation: 'ROOM-3' };
    hub.handle('getState', () => ({ ok: true, value: state }));
    hub.handle('signIn', ({ badgeId, pin }) => {
      if (pin !== '1234') return { ok: false, error: { code: 'AUTH_FAILED', message: 'Badge or PIN not recognised.' } };
      state = { ...state, operator: { ...OPERATOR, badgeId } };
      return { ok: true, value: state.operator ?? OPERATOR };
    });
    render(<App client={hub} />);
    const badge = await screen.findByTestId('signin-badge');
    fireEvent.change(badge, { target: { value: 'B-1' } });
    fireEvent.keyDown(badge, { key: 'Enter' });
    expect(document.activeElement).toBe(screen.getByTestId('signin-pin'));
    fireEvent.change(screen.getByTestId('signin-pin'), { target: { value: '9999' } });
    fireEvent.click(screen.getByTestId('signin-submit'));
    await act(async () => {});
    expect(screen.getByTestId('signin-error').textContent).toBe('Badge or PIN not recognised.');
    fireEvent.change(screen.getByTestId('signin-pin'), { target: { value: '1234' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByTestId('review-list');
    expect(screen.getByTestId('operator-name').textContent).toBe('Alex Assistant');
    expect(screen.getByTestId('patient-banner').dataset.state).toBe('none');
    expect(screen.getByTestId('nav-review').getAttribute('aria-current')).toBe('page');
  });

  it('shows a calm offline banner while the hub is unreachable and reloads when it is back', async () => {
    const hub = createFakeHub({ patient: JANE, review: [pendingItem({ id: 'a1', patient: JANE })] });
    render(<App client={hub} />);
    await screen.findByTestId('reading-a1');
    expect(screen.queryByRole('alert')).toBeNull();
    act(() => hub.setConnected(false));
    expect(screen.getByRole('alert').textContent).toContain('Not connected to the hub');
    const before = hub.callsOf('listReview').length;
    await act(async () => hub.setConnected(true));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(hub.callsOf('listReview').length).toBe(before + 1);
  });

  it('says how to open the page when the token is refused', async () => {
    const hub = createFakeHub();
    hub.handle('getState', () => ({ ok: false, error: { code: 'AUTH_REQUIRED', message: 'token required' } }));
    render(<App client={hub} />);
    expect(await screen.findByText("This page needs the hub's address")).toBeTruthy();
  });

  it('captures a continuous device from its live values', async () => {
    const hub = createFakeHub({
      patient: JANE,
      devices: [{ key: 'masimo-rad8:SN1', driverId: 'masimo-rad8', label: 'Masimo Rad-8', kind: 'continuous', connection: 'simulated' }],
    });
    hub.handle('capture', () => ({ ok: true, value: { captured: true } }));
    render(<App client={hub} />);
    const capture = await screen.findByTestId('capture-masimo-rad8:SN1');
    act(() =>
      hub.emit('live', {
        deviceKey: 'masimo-rad8:SN1',
        live: { at: '2026-01-14T08:30:00Z', valid: true, flags: [], observations: pendingItem().reading.observations },
      }),
    );
    expect(screen.getByTestId('live-masimo-rad8:SN1').textContent).toContain('97');
    fireEvent.click(capture);
    await act(async () => {});
    expect(hub.callsOf('capture')).toEqual([{ deviceKey: 'masimo-rad8:SN1' }]);
    expect(screen.getByTestId('status-line').textContent).toContain('Captured from Masimo Rad-8');
  });

  it('shows history with the state of each reading and a trend of confirmed values', async () => {
    const confirmed = (id: string, spo2: number, at: string) => {
      const item = pendingItem({ id, patient: JANE });
      return { ...item, state: 'confirmed' as const, reading: { ...item.reading, effectiveTime: at, observations: [item.reading.observations[0]!] } };
    };
    const history = [confirmed('h2', 95, '2026-01-14T09:00:00Z'), confirmed('h1', 97, '2026-01-14T08:00:00Z'), { ...pendingItem({ id: 'h0', patient: JANE }), state: 'rejected' as const, rejectReason: 'duplicate' as const }];
    const hub = createFakeHub({ patient: JANE });
    hub.handle('getHistory', () => ({ ok: true, value: history }));
    window.location.hash = '#/history';
    render(<App client={hub} />);
    expect((await screen.findByTestId('history-h2')).dataset.state).toBe('confirmed');
    expect(screen.getByTestId('history-h0').textContent).toContain('Duplicate');
    expect(hub.callsOf('getHistory')[0]).toEqual({ mrn: 'MRN-1001' });
    const chart = screen.getByTestId('trend-59408-5|%');
    expect(chart.querySelectorAll('circle')).toHaveLength(2);
  });
});
