// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { TodayEntry, TodayList } from '../../shared/api/today-model.ts';
import { HubProvider } from '../state/use-hub.tsx';
import { createFakeHub, type FakeHub } from '../testing/fake-hub.ts';
import { TodayPanel, filterToday } from './today-panel.tsx';

afterEach(cleanup);

const entry = (mrn: string, name: string, room: string, time: string, birthDate?: string): TodayEntry => ({
  visitId: `ehr:${mrn}`,
  time,
  patient: { mrn, name, ...(birthDate === undefined ? {} : { birthDate }) },
  room,
  state: 'arrived',
  source: 'Clinic EHR',
});
const ENTRIES = [
  entry('MRN-1', 'Doe, Jane', '2', '2026-12-07T08:00:00Z', '1961-04-23'),
  entry('MRN-2', 'Park, Jo', '4', '2026-12-07T08:30:00Z', '1970-02-02'),
  entry('MRN-3', 'Lee, Sam', '12', '2026-12-07T09:00:00Z'),
];
const LIST: TodayList = { entries: ENTRIES, day: '2026-12-07', refreshedAt: '2026-12-07T08:42:00Z', canRefresh: true, refreshEveryMinutes: 5 };

async function show(hub: FakeHub): Promise<void> {
  render(
    <HubProvider client={hub}>
      <TodayPanel />
    </HubProvider>,
  );
  await act(async () => {});
  await act(async () => {});
}

describe('filterToday', () => {
  it('matches every typed word in the name, MRN or room', () => {
    expect(filterToday(ENTRIES, 'jane').map((e) => e.patient.mrn)).toEqual(['MRN-1']);
    expect(filterToday(ENTRIES, 'mrn-2').map((e) => e.patient.mrn)).toEqual(['MRN-2']);
    expect(filterToday(ENTRIES, '12').map((e) => e.patient.mrn)).toEqual(['MRN-3']);
    expect(filterToday(ENTRIES, 'park jo').map((e) => e.patient.mrn)).toEqual(['MRN-2']);
    expect(filterToday(ENTRIES, '')).toHaveLength(3);
  });
});

describe('TodayPanel', () => {
  it('picks with the keyboard: type to filter, ↓ moves, Enter selects the patient and the visit', async () => {
    const hub = createFakeHub();
    hub.handle('listToday', () => ({ ok: true, value: LIST }));
    hub.handle('selectPatient', (input) => ({ ok: true, value: { mrn: input.mrn, name: 'x', birthDate: input.birthDate } }));
    await show(hub);
    expect(screen.getByTestId('today-updated').textContent).toMatch(/^updated \d\d:\d\d$/);
    const search = screen.getByTestId('today-search');
    fireEvent.change(search, { target: { value: 'a' } }); // Jane, Jo Park, Sam: all three have an "a"
    fireEvent.keyDown(search, { key: 'ArrowDown' });
    expect(screen.getByTestId('today-row-MRN-2').getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(search, { key: 'Enter' });
    await act(async () => {});
    expect(hub.callsOf('selectPatient')).toEqual([{ mrn: 'MRN-2', birthDate: '1970-02-02', visitId: 'ehr:MRN-2' }]);
  });

  it('uses the name when the source gave no date of birth, and asks the pending question', async () => {
    const hub = createFakeHub();
    hub.handle('listToday', () => ({ ok: true, value: LIST }));
    hub.handle('selectPatient', (input) =>
      input.pending === undefined
        ? { ok: false, error: { code: 'PENDING_DECISION_REQUIRED', message: 'pending', details: { count: 2 } } }
        : { ok: true, value: { mrn: input.mrn, name: 'Lee, Sam' } },
    );
    await show(hub);
    fireEvent.change(screen.getByTestId('today-search'), { target: { value: 'sam' } });
    fireEvent.keyDown(screen.getByTestId('today-search'), { key: 'Enter' });
    await act(async () => {});
    fireEvent.click(screen.getByTestId('pending-keep'));
    await act(async () => {});
    expect(hub.callsOf('selectPatient')).toEqual([
      { mrn: 'MRN-3', name: 'Lee, Sam', visitId: 'ehr:MRN-3' },
      { mrn: 'MRN-3', name: 'Lee, Sam', visitId: 'ehr:MRN-3', pending: 'keep-with-previous' },
    ]);
  });

  it('asks the hub to refresh on Refresh, and shows nothing on a hub with no list', async () => {
    const hub = createFakeHub();
    hub.handle('listToday', () => ({ ok: true, value: LIST }));
    await show(hub);
    fireEvent.click(screen.getByTestId('today-refresh'));
    await act(async () => {});
    expect(hub.callsOf('listToday')).toContainEqual({ refresh: true });
    cleanup();
    const empty = createFakeHub();
    empty.handle('listToday', () => ({ ok: true, value: { ...LIST, entries: [], canRefresh: false } }));
    await show(empty);
    expect(screen.queryByTestId('today-panel')).toBeNull();
  });
});
