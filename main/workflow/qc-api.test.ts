import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TrackedClock, VirtualClock } from '../../drivers/kit/index.ts';
import type { MethodName } from '../../shared/api/contract.ts';
import { createHub, type Hub } from '../app.ts';
import { MEMORY } from '../store/index.ts';

/**
 * QC through the API's one entry point (callMethod, as every binding calls it): roles, and strict
 * input with stated limits (docs/architecture.md §8 rule 11).
 */
let hub: Hub;
const LOT = { lotNumber: 'L123', analyte: 'glucoseMassMeter', unit: 'mg/dL', expiresOn: '2099-12-31', levels: [{ level: '2', low: 250, high: 300 }] };
const call = (method: MethodName, input: unknown) => hub.call(method, input, { binding: 'internal', session: 'internal' });

beforeEach(() => {
  hub = createHub({ dataDir: MEMORY, demo: false, workstation: 'room-3', clock: new TrackedClock(new VirtualClock()), log: () => undefined, exportWorkers: false, discovery: false });
  hub.workflow.operators.add({ name: 'Avery Admin', badgeId: '9001', pin: '9999', role: 'admin' });
  hub.workflow.operators.add({ name: 'Alex Assistant', badgeId: '1001', pin: '1234', role: 'assistant' });
});
afterEach(async () => {
  await hub.close();
});

describe('QC methods at the API', () => {
  it('lets only admins save lots and set intervals; every operator lists lots', async () => {
    await call('signIn', { badgeId: '1001', pin: '1234' });
    expect(await call('saveQcLot', LOT)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('setQcPolicy', { deviceKey: 'meter:1', intervalHours: 8 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('listQcLots', {})).toEqual({ ok: true, value: [] });

    await call('signIn', { badgeId: '9001', pin: '9999' });
    const saved = await call('saveQcLot', LOT);
    expect(saved).toMatchObject({ ok: true, value: { lotNumber: 'L123', retired: false } });
    expect(await call('setQcPolicy', { deviceKey: 'meter:1', intervalHours: 8 })).toMatchObject({ ok: true, value: [{ deviceKey: 'meter:1', intervalHours: 8 }] });
  });

  it('refuses input beyond the stated limits and unknown fields', async () => {
    await call('signIn', { badgeId: '9001', pin: '9999' });
    expect(await call('saveQcLot', { ...LOT, lotNumber: 'L'.repeat(41) })).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(await call('saveQcLot', { ...LOT, levels: Array.from({ length: 7 }, (_, i) => ({ level: String(i), low: 1, high: 2 })) })).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(await call('saveQcLot', { ...LOT, colour: 'red' })).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(await call('setQcPolicy', { deviceKey: 'meter:1', intervalHours: 0 })).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(await call('evaluateQc', { readingId: 'r1', lotId: 'x', level: 'L'.repeat(21) })).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
  });
});
