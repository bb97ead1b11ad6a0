import { describe, expect, it } from 'vitest';
import { pulseSourceOf } from '../../../shared/blood-pressure.ts';
import { ReadingSchema } from '../../../shared/reading.ts';
import type { MeasurementRecord } from './decode.ts';
import { BODY_MOVEMENT_FLAG, errorMessage, normalizeMeasurement } from './normalize.ts';

const RECORD: MeasurementRecord = { format: 'format-5', deviceTime: '2026-07-11T09:05', patientId: 'P-17', errorCode: 0, systolic: 120, diastolic: 80, pulse: 72, bodyMovement: false };

describe('normalizeMeasurement (PROTOCOL.md §3)', () => {
  it('makes a BP panel (85354-9) with systolic and diastolic in mm[Hg], and a cuff pulse', () => {
    const n = normalizeMeasurement(RECORD);
    expect(n?.observations).toEqual([
      {
        code: '85354-9',
        display: 'Blood pressure panel with all children optional',
        mdc: 150020,
        components: [
          { code: '8480-6', display: 'Systolic blood pressure', value: { kind: 'quantity', value: 120, unit: 'mm[Hg]' }, mdc: 150021 },
          { code: '8462-4', display: 'Diastolic blood pressure', value: { kind: 'quantity', value: 80, unit: 'mm[Hg]' }, mdc: 150022 },
        ],
      },
      { code: '8867-4', display: 'Heart rate', value: { kind: 'quantity', value: 72, unit: '/min' }, mdc: 149546 },
    ]);
    expect(pulseSourceOf(n?.observations[1] ?? {})).toBe('nibp');
    expect(n?.context).toEqual({ sampleId: 'P-17' });
    expect(n?.flags).toEqual([]);
  });

  it('adds the mean component when the bp line gives one', () => {
    const n = normalizeMeasurement({ ...RECORD, format: 'hbp-9020', mean: 98 });
    expect(n?.observations[0]?.components?.map((c) => [c.code, c.value])).toContainEqual(['8478-0', { kind: 'quantity', value: 98, unit: 'mm[Hg]' }]);
  });

  it('turns body movement into a reading flag and leaves a blank ID out of the context', () => {
    const n = normalizeMeasurement({ ...RECORD, patientId: '', bodyMovement: true });
    expect(n?.flags).toEqual([BODY_MOVEMENT_FLAG]);
    expect(n?.context).toBeUndefined();
  });

  it('gives no measurement for an error line, and a plain-words message naming the code', () => {
    const error: MeasurementRecord = { format: 'format-5', deviceTime: '2026-07-11T09:07', patientId: '', errorCode: 2, bodyMovement: false };
    expect(normalizeMeasurement(error)).toBeUndefined();
    expect(errorMessage(error)).toMatch(/could not finish the measurement at 2026-07-11 09:07 \(Omron error code 2\); no result was recorded/);
  });

  it('makes readings valid against the reading schema', () => {
    const n = normalizeMeasurement(RECORD);
    const reading = { driver: 'omron-hbp-9030', device: { manufacturer: 'Omron', model: 'HBP-9030' }, kind: 'patient', receivedAt: '2026-07-11T09:05:10Z', effectiveTime: '2026-07-11T09:05:00Z', observations: n?.observations, flags: n?.flags, context: n?.context };
    expect(ReadingSchema.safeParse(reading).success).toBe(true);
  });
});
