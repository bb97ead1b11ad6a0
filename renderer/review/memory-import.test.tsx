// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { MemoryList } from '../../shared/api/contract.ts';
import type { Patient } from '../../shared/api/model.ts';
import { HubProvider, useHub } from '../state/use-hub.tsx';
import { JANE, createFakeHub, pendingItem, type FakeHub } from '../testing/fake-hub.ts';
import { MemoryImport } from './memory-import.tsx';

afterEach(cleanup);

const METER = { deviceKey: 'ultra2:SIM', deviceLabel: 'OneTouch Ultra 2' };
const result = (id: string, ageMinutes: number) => ({
  item: { ...pendingItem({ id, ...METER }), memory: 'not-imported' as const },
  measuredAt: '2026-01-14T08:00:00.000Z',
  ageMinutes,
  recent: ageMinutes < 120,
});
const MEMORY: MemoryList = {
  recentWindowMinutes: 120,
  devices: [{ ...METER, count: 3 }],
  results: [result('r1', 30), result('r2', 180), result('r3', 15 * 24 * 60)],
};

/** The panel, and the pending list beside it (imported results join it). */
function Screen(): React.JSX.Element {
  const pending = useHub((s) => s.pending);
  return (
    <>
      <MemoryImport />
      <p data-testid="pending">{pending.map((i) => i.id).join(',')}</p>
    </>
  );
}

async function show(patient: Patient | undefined): Promise<FakeHub> {
  const hub = createFakeHub(patient ? { patient } : {});
  hub.handle('listMemory', () => ({ ok: true, value: MEMORY }));
  hub.handle('importReadings', ({ readingIds }) => ({ ok: true, value: readingIds.map((id) => ({ ...pendingItem({ id, ...METER }), patient: JANE, memory: 'imported' as const })) }));
  render(
    <HubProvider client={hub}>
      <Screen />
    </HubProvider>,
  );
  fireEvent.click(await screen.findByTestId(`memory-open-${METER.deviceKey}`));
  await act(async () => {});
  return hub;
}

describe('MemoryImport', () => {
  it('counts each device’s results not imported, and asks for the patient first', async () => {
    await show(undefined);
    expect(screen.getByTestId(`memory-count-${METER.deviceKey}`).textContent).toBe('3');
    expect(screen.getByTestId('memory-needs-patient').textContent).toContain('Select the patient first');
    expect(screen.queryByTestId('memory-import-submit')).toBeNull();
  });

  it('pre-selects the recent results; an older one needs the acknowledgement before Import', async () => {
    const hub = await show(JANE);
    expect(screen.getByTestId('memory-patient').textContent).toContain(JANE.mrn);
    const box = (id: string): HTMLInputElement => screen.getByTestId(`memory-pick-${id}`);
    expect([box('r1').checked, box('r2').checked, box('r3').checked]).toEqual([true, false, false]);
    expect(screen.getByTestId('memory-older').textContent).toContain('2 older results');
    expect(screen.getByTestId('memory-age-r3').textContent).toBe('15 days ago');
    expect(screen.getByTestId('memory-age-r2').textContent).toBe('3 h ago');
    expect(screen.queryByTestId('memory-ack')).toBeNull();

    fireEvent.click(box('r3'));
    const submit = screen.getByTestId<HTMLButtonElement>('memory-import-submit');
    expect(submit.disabled).toBe(true);
    expect(submit.textContent).toBe('Import 2 results');
    fireEvent.click(screen.getByTestId('memory-ack'));
    expect(submit.disabled).toBe(false);
    await act(async () => fireEvent.click(submit));
    expect(hub.callsOf('importReadings')).toEqual([{ readingIds: ['r1', 'r3'], acknowledgeOld: true }]);
    expect(screen.getByTestId('pending').textContent).toBe('r1,r3');
  });

  it('a result arriving in a device memory never joins the pending list', async () => {
    const hub = await show(JANE);
    await act(async () => hub.emit('review', { ...pendingItem({ id: 'm9', ...METER }), memory: 'not-imported' }));
    await act(async () => hub.emit('review', pendingItem({ id: 'b1' })));
    expect(screen.getByTestId('pending').textContent).toBe('b1');
  });
});
