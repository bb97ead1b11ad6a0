// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReviewItem } from '../../shared/api/model.ts';
import type { QcLot } from '../../shared/api/qc-model.ts';
import { observe, quantity } from '../../shared/observation.ts';
import { App } from '../app.tsx';
import { signInAs } from '../export/outbox-fixtures.ts';
import { createFakeHub, pendingItem } from '../testing/fake-hub.ts';

afterEach(cleanup);

const LOT: QcLot = {
  id: 'lot-1',
  lotNumber: 'L123',
  analyte: 'glucoseMassMeter',
  unit: 'mg/dL',
  expiresOn: '2099-12-31',
  levels: [
    { level: '1', low: 30, high: 60 },
    { level: '2', low: 250, high: 300 },
  ],
  retired: false,
  updatedAt: '2026-01-14T08:00:00Z',
};
const control = (id: string, mgdl: number, over: Partial<ReviewItem> = {}): ReviewItem => {
  const item = pendingItem({ id, deviceKey: 'contour:SN9', deviceLabel: 'Contour Next', observations: [observe('glucoseMassMeter', quantity(mgdl, 'mg/dL'))], ...over });
  return { ...item, reading: { ...item.reading, kind: 'control' } };
};

describe('QC log', () => {
  it('shows lot, level, range, result and verdict, and evaluates an unjudged control with the chosen lot and level', async () => {
    window.location.hash = '#/qc';
    const judged = control('c1', 320, {
      qc: { lotId: 'lot-1', lotNumber: 'L123', level: '2', low: 250, high: 300, unit: 'mg/dL', value: '320', verdict: 'fail', reason: 'out of range', evaluatedAt: '2026-01-14T08:40:00Z' },
    });
    const open = control('c2', 280);
    const hub = createFakeHub({
      devices: [{ key: 'contour:SN9', driverId: 'ascensia-contour-next', label: 'Contour Next', kind: 'download', connection: 'connected', qcLock: { reason: 'failed', message: "The Contour Next's QC failed at 08:30.", controlReadingId: 'c1' } }],
    });
    hub.handle('listQc', () => ({ ok: true, value: [open, judged] }));
    hub.handle('listQcLots', () => ({ ok: true, value: [LOT] }));
    hub.handle('evaluateQc', () => ({ ok: true, value: open }));
    render(<App client={hub} />);

    const row = await screen.findByTestId('qc-c1');
    expect(row.textContent).toContain('L123');
    expect(row.textContent).toContain('250–300 mg/dL');
    expect(screen.getByTestId('qc-verdict-c1').textContent).toBe('Fail: out of range');
    expect(screen.getByTestId('qc-verdict-c2').textContent).toBe('Not evaluated');
    expect(screen.getByTestId('qc-lock-contour:SN9').textContent).toContain("The Contour Next's QC failed at 08:30.");

    const evaluate = screen.getByTestId('qc-evaluate-c2') as HTMLButtonElement;
    expect(evaluate.disabled).toBe(true); // nothing chosen: never guessed into a level
    fireEvent.change(screen.getByTestId('qc-lot-c2'), { target: { value: 'lot-1' } });
    fireEvent.change(screen.getByTestId('qc-level-c2'), { target: { value: '2' } });
    fireEvent.click(evaluate);
    await waitFor(() => expect(hub.callsOf('evaluateQc')).toEqual([{ readingId: 'c2', lotId: 'lot-1', level: '2' }]));
  });
});

describe('QC lots', () => {
  it('an admin adds a lot with its levels; the form states its limits and refuses an upside-down range in words', async () => {
    window.location.hash = '#/qc-lots';
    const hub = createFakeHub();
    signInAs(hub, 'admin');
    hub.handle('listQcLots', () => ({ ok: true, value: [] }));
    hub.handle('listQcPolicies', () => ({ ok: true, value: [] }));
    hub.handle('saveQcLot', () => ({ ok: true, value: LOT }));
    render(<App client={hub} />);

    fireEvent.click(await screen.findByTestId('qc-lot-add'));
    expect(screen.getByLabelText('Lot number (up to 40 characters)').getAttribute('maxlength')).toBe('40');
    fireEvent.change(screen.getByTestId('qc-lot-number'), { target: { value: 'L123' } });
    fireEvent.change(screen.getByTestId('qc-lot-expires'), { target: { value: '2099-12-31' } });
    fireEvent.change(screen.getByTestId('qc-level-low-0'), { target: { value: '60' } });
    fireEvent.change(screen.getByTestId('qc-level-high-0'), { target: { value: '30' } });
    fireEvent.click(screen.getByTestId('qc-lot-save'));
    await waitFor(() => expect(screen.getByTestId('qc-lot-error').textContent).toBe('Level 1: the low end (60) is above the high end (30).'));
    expect(hub.callsOf('saveQcLot')).toEqual([]);

    fireEvent.change(screen.getByTestId('qc-level-low-0'), { target: { value: '30' } });
    fireEvent.change(screen.getByTestId('qc-level-high-0'), { target: { value: '60' } });
    fireEvent.click(screen.getByTestId('qc-lot-save'));
    await waitFor(() =>
      expect(hub.callsOf('saveQcLot')).toEqual([{ lotNumber: 'L123', analyte: 'glucoseMassMeter', unit: 'mg/dL', expiresOn: '2099-12-31', levels: [{ level: '1', low: 30, high: 60 }] }]),
    );
  });

  it('is not offered to an assistant', async () => {
    window.location.hash = '#/review';
    const hub = createFakeHub();
    render(<App client={hub} />);
    await screen.findByTestId('nav-qc');
    expect(screen.queryByTestId('nav-qc-lots')).toBeNull();
  });
});
