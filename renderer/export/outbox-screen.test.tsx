// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxRow, OutboxSummary } from '../../shared/api/model.ts';
import { App } from '../app.tsx';
import { createFakeHub, type FakeHub } from '../testing/fake-hub.ts';
import { outboxRow, signInAs, summaryOf } from './outbox-fixtures.ts';

beforeEach(() => {
  window.location.hash = '#/outbox';
});
afterEach(cleanup);

const FAILED = outboxRow(7, { state: 'failed', attempts: 3, lastStatus: 'timeout', lastMessage: 'No ACK within 10 s', nextAttemptAt: '2026-01-14T08:40:00Z' });
const DEAD = outboxRow(9, { state: 'dead', attempts: 1, lastStatus: 'AE', lastMessage: 'Unknown patient MRN-1001', targetId: 'fhir', targetName: 'FHIR server' });

/** A hub whose outbox answers with `summary` and, filtered by the asked states, `rows`. */
function hubWith(summary: OutboxSummary[], rows: OutboxRow[]): FakeHub & { setOutbox(s: OutboxSummary[], r: OutboxRow[]): void } {
  const hub = createFakeHub();
  let current = { summary, rows };
  hub.handle('getOutbox', ({ states }) => ({ ok: true, value: { summary: current.summary, rows: current.rows.filter((r) => !states || states.includes(r.state)) } }));
  return Object.assign(hub, {
    setOutbox(s: OutboxSummary[], r: OutboxRow[]) {
      current = { summary: s, rows: r };
    },
  });
}

const SUMMARY = [summaryOf('ehr', { done: 40, pending: 2, failed: 1 }, { targetName: 'EHR', oldestWaitingAt: '2026-01-14T08:30:00Z', lastProblem: 'Connection refused by 10.0.0.5:2575' }), summaryOf('fhir', { done: 12, dead: 1 }, { targetName: 'FHIR server', kind: 'fhir' })];

describe('Outbox screen', () => {
  it('shows counts per target and the failed and dead rows with the receiver’s messages', async () => {
    const hub = hubWith(SUMMARY, [FAILED, DEAD, outboxRow(3, { state: 'done' })]);
    render(<App client={hub} />);
    const card = await screen.findByTestId('outbox-target-ehr');
    expect(screen.getByTestId('outbox-count-ehr-done').textContent).toBe('40');
    expect(screen.getByTestId('outbox-count-ehr-failed').textContent).toBe('1');
    expect(screen.getByTestId('outbox-count-fhir-dead').textContent).toBe('1');
    expect(card.textContent).toContain('Connection refused by 10.0.0.5:2575');
    expect(card.textContent).toContain('Oldest waiting since 14 Jan 2026 08:30');
    expect(hub.callsOf('getOutbox')).toContainEqual({ states: ['failed', 'dead'], limit: 500 });

    const failed = await screen.findByTestId('outbox-row-7');
    expect(failed.dataset.state).toBe('failed');
    expect(failed.textContent).toContain('MRN-1001');
    expect(failed.textContent).toContain('Systolic 128 mmHg');
    expect(failed.textContent).toContain('timeout: No ACK within 10 s');
    expect(failed.textContent).toContain('Failed, will retry');
    expect(failed.textContent).toContain('14 Jan 2026 08:40:00');
    const dead = screen.getByTestId('outbox-row-9');
    expect(dead.dataset.state).toBe('dead');
    expect(dead.textContent).toContain('Not sent — needs attention');
    expect(dead.textContent).toContain('AE: Unknown patient MRN-1001');
    expect(screen.queryByTestId('outbox-row-3')).toBeNull();
    // Failed + dead over all targets, on the nav entry every role sees.
    expect(screen.getByTestId('nav-outbox-count').textContent).toContain('2');
  });

  it('shows other states on request', async () => {
    const hub = hubWith(SUMMARY, [FAILED, DEAD, outboxRow(3, { state: 'done', doneAt: '2026-01-14T08:31:00Z' })]);
    render(<App client={hub} />);
    await screen.findByTestId('outbox-row-7');
    fireEvent.click(screen.getByTestId('outbox-filter-done'));
    expect((await screen.findByTestId('outbox-row-3')).dataset.state).toBe('done');
    expect(hub.callsOf('getOutbox')).toContainEqual({ states: ['done', 'failed', 'dead'], limit: 500 });
    fireEvent.click(screen.getByTestId('outbox-filter-failed'));
    fireEvent.click(screen.getByTestId('outbox-filter-dead'));
    await act(async () => {});
    expect(screen.queryByTestId('outbox-row-7')).toBeNull();
    expect(screen.getByTestId('outbox-row-3')).toBeTruthy();
  });

  it('retries a failed row and a whole target now, and says so', async () => {
    const hub = hubWith(SUMMARY, [FAILED, DEAD]);
    hub.handle('retryExport', (input) => ({ ok: true, value: { count: input.ids?.length ?? 4 } }));
    render(<App client={hub} />);
    const retry = await screen.findByTestId('outbox-retry-7');
    expect(screen.queryByTestId('outbox-retry-9')).toBeNull();
    const loads = hub.callsOf('getOutbox').length;
    fireEvent.click(retry);
    await act(async () => {});
    expect(hub.callsOf('retryExport')).toEqual([{ ids: [7] }]);
    expect(screen.getByTestId('status-line').textContent).toContain('Sending again now: Systolic 128 mmHg for MRN-1001 to EHR.');
    expect(hub.callsOf('getOutbox').length).toBeGreaterThan(loads);

    fireEvent.click(screen.getByTestId('outbox-retry-target-ehr'));
    await act(async () => {});
    expect(hub.callsOf('retryExport')[1]).toEqual({ targetId: 'ehr' });
    expect(screen.getByTestId('status-line').textContent).toContain('Sending 4 exports to EHR again now.');
  });

  it('offers Requeue for dead rows to admins only, after confirming', async () => {
    const assistant = hubWith(SUMMARY, [FAILED, DEAD]);
    render(<App client={assistant} />);
    await screen.findByTestId('outbox-row-9');
    expect(screen.queryByTestId('outbox-requeue-9')).toBeNull();
    cleanup();

    const hub = hubWith(SUMMARY, [FAILED, DEAD]);
    signInAs(hub, 'admin');
    hub.handle('requeueExport', ({ ids }) => ({ ok: true, value: { count: ids.length } }));
    render(<App client={hub} />);
    fireEvent.click(await screen.findByTestId('outbox-requeue-9'));
    expect(screen.queryByTestId('outbox-requeue-7')).toBeNull();
    const dialog = screen.getByTestId('outbox-requeue-dialog');
    expect(dialog.textContent).toContain('built again');
    expect(dialog.textContent).toContain('Unknown patient MRN-1001');
    fireEvent.click(within(dialog).getByTestId('outbox-requeue-cancel'));
    expect(screen.queryByTestId('outbox-requeue-dialog')).toBeNull();
    expect(hub.callsOf('requeueExport')).toEqual([]);

    fireEvent.click(screen.getByTestId('outbox-requeue-9'));
    fireEvent.click(screen.getByTestId('outbox-requeue-confirm'));
    await act(async () => {});
    expect(hub.callsOf('requeueExport')).toEqual([{ ids: [9] }]);
    expect(screen.queryByTestId('outbox-requeue-dialog')).toBeNull();
    expect(screen.getByTestId('status-line').textContent).toContain('will be built again and sent to FHIR server');
  });

  it('keeps the requeue dialog open with the hub’s reason when it refuses', async () => {
    const hub = hubWith(SUMMARY, [DEAD]);
    signInAs(hub, 'admin');
    hub.handle('requeueExport', () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'Outbox row 9 is not dead.' } }));
    render(<App client={hub} />);
    fireEvent.click(await screen.findByTestId('outbox-requeue-9'));
    fireEvent.click(screen.getByTestId('outbox-requeue-confirm'));
    await act(async () => {});
    expect(screen.getByTestId('outbox-requeue-error').textContent).toBe('Outbox row 9 is not dead.');
  });

  it('lists every attempt with its answer in the details dialog', async () => {
    const hub = hubWith(SUMMARY, [FAILED]);
    hub.handle('getOutboxRow', ({ id }) => ({
      ok: true,
      value: {
        row: { ...FAILED, id },
        attempts: [
          { startedAt: '2026-01-14T08:31:00Z', endedAt: '2026-01-14T08:31:10Z', outcome: 'retry', status: 'timeout', response: 'No ACK within 10 s' },
          { startedAt: '2026-01-14T08:33:00Z', endedAt: '2026-01-14T08:33:00.250Z', outcome: 'retry', status: 'AE', response: 'MSA|AE|POCHUB-7|Busy' },
        ],
      },
    }));
    render(<App client={hub} />);
    fireEvent.click(await screen.findByTestId('outbox-details-7'));
    await act(async () => {});
    expect(hub.callsOf('getOutboxRow')).toEqual([{ id: 7 }]);
    const dialog = screen.getByTestId('outbox-details-dialog');
    expect(screen.getByRole('dialog', { name: 'Export to EHR' })).toBe(dialog);
    expect(dialog.textContent).toContain('POCHUB-7');
    expect(screen.getByTestId('outbox-attempt-0').textContent).toContain('14 Jan 2026 08:31:00');
    expect(screen.getByTestId('outbox-attempt-0').textContent).toContain('10.0 s');
    expect(screen.getByTestId('outbox-attempt-0').textContent).toContain('No ACK within 10 s');
    expect(screen.getByTestId('outbox-attempt-1').textContent).toContain('MSA|AE|POCHUB-7|Busy');
    expect(screen.getByTestId('outbox-attempt-1').textContent).toContain('Failed, retried later');
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByTestId('outbox-details-dialog')).toBeNull();
  });

  it('updates counts, rows and the nav badge on an outbox event', async () => {
    const hub = hubWith(SUMMARY, [FAILED, DEAD]);
    render(<App client={hub} />);
    await screen.findByTestId('outbox-row-7');
    const after = [summaryOf('ehr', { done: 41, pending: 2, failed: 0 }, { targetName: 'EHR' }), SUMMARY[1]!];
    hub.setOutbox(after, [DEAD]);
    await act(async () => hub.emit('outbox', after));
    // The counts follow the event at once; the rows are asked for again.
    expect(screen.getByTestId('outbox-count-ehr-done').textContent).toBe('41');
    expect(screen.getByTestId('outbox-count-ehr-failed').textContent).toBe('0');
    expect(screen.getByTestId('nav-outbox-count').textContent).toContain('1');
    expect(screen.queryByTestId('outbox-problem-ehr')).toBeNull();
    await waitFor(() => expect(screen.queryByTestId('outbox-row-7')).toBeNull());
    expect(screen.getByTestId('outbox-row-9')).toBeTruthy();
  });
});
