import { describe, expect, it } from 'vitest';
import { ObservationSchema, observe, printedDecimals, quantity, unmapped } from './observation.ts';
import { summarizeObservations } from './observation-summary.ts';
import { printedNumber } from './printed-number.ts';
import { ReadingSchema } from './reading.ts';
import { localDateTime, localToEpochMs, toOffsetDateTime } from './time.ts';

describe('printed decimals', () => {
  it('counts the digits a device printed after the point, none for integers', () => {
    expect(['1.020', '6.0', '>=1.030', ' 0.2 ', '500', '7', 'Negative', '1.'].map(printedDecimals)).toEqual([3, 1, 3, 1, undefined, undefined, undefined, undefined]);
  });

  it('keeps them on a quantity, and a quantity without them stays valid (readings stored before the field)', () => {
    const sg = observe('urineSpecificGravity', quantity(1.02, '1', undefined, 3));
    expect(sg.value).toEqual({ kind: 'quantity', value: 1.02, unit: '1', decimals: 3 });
    expect(ObservationSchema.safeParse(sg).success).toBe(true);
    expect(ObservationSchema.safeParse(observe('urineSpecificGravity', quantity(1.02, '1'))).success).toBe(true);
    expect(ObservationSchema.safeParse({ ...sg, value: { kind: 'quantity', value: 1.02, unit: '1', decimals: 7 } }).success).toBe(false);
  });

  it('summarizes values as printed for audit rows and the outbox', () => {
    expect(summarizeObservations([observe('urineSpecificGravity', quantity(1.02, '1', undefined, 3)), observe('urinePh', quantity(6, '[pH]'))])).toEqual(['5811-5 1.020 1', '5803-2 6 [pH]']);
  });

  it('writes a value as printed, never rounding it and never in exponent notation', () => {
    expect(printedNumber(1.02, 3)).toBe('1.020');
    expect(printedNumber(6, 1)).toBe('6.0');
    expect(printedNumber(6)).toBe('6');
    // A `decimals` too small for the value would change it: the value wins.
    expect(printedNumber(1.025, 2)).toBe('1.025');
    expect(printedNumber(1e-7)).toMatch(/^0\.0000001(0*)$/);
    expect(() => printedNumber(Number.NaN)).toThrow(RangeError);
  });
});

describe('observations', () => {
  it('builds coded quantities whose unit belongs to the code', () => {
    const o = observe('spo2', quantity(97, '%'));
    expect(o).toMatchObject({ code: '59408-5', mdc: 150456, value: { kind: 'quantity', value: 97, unit: '%' } });
    expect(ObservationSchema.safeParse(o).success).toBe(true);
  });

  it('refuses a unit that does not belong to the code, and a quantity on an ordinal code', () => {
    expect(() => observe('heartRate', quantity(72, '%'))).toThrow(/not allowed/);
    expect(() => observe('urineNitritePresence', quantity(1, 'mg/dL'))).toThrow(/not allowed/);
    expect(() => observe('urinePh', { kind: 'ordinal', code: 'neg', text: 'Negative' })).toThrow(/not an ordinal/);
  });

  it('keeps what cannot be mapped, with the device label, and accepts it only as unmapped', () => {
    const o = unmapped('PI', '03.60%');
    expect(o).toEqual({ value: { kind: 'unmapped', label: 'PI', text: '03.60%' } });
    expect(ObservationSchema.safeParse(o).success).toBe(true);
    expect(ObservationSchema.safeParse({ value: { kind: 'text', text: 'x' } }).success).toBe(false);
  });

  it('rejects units outside the catalog (never guessed)', () => {
    expect(ObservationSchema.safeParse({ code: '8867-4', value: { kind: 'quantity', value: 72, unit: 'bpm' } }).success).toBe(false);
  });
});

describe('times', () => {
  it('validates calendar date-times', () => {
    expect(localDateTime(2016, 2, 22, 22, 47, 45)).toBe('2016-02-22T22:47:45');
    expect(localDateTime(2021, 2, 30, 10, 0)).toBeUndefined();
    expect(localDateTime(2021, 13, 1, 10, 0)).toBeUndefined();
  });

  it('writes instants with the workstation offset (tests run in UTC)', () => {
    const ms = localToEpochMs('2016-02-22T22:47:45');
    expect(toOffsetDateTime(ms)).toBe('2016-02-22T22:47:45+00:00');
    expect(toOffsetDateTime(ms + 114, true)).toBe('2016-02-22T22:47:45.114+00:00');
  });

  it('accepts a pulse-oximeter reading in the documented shape (docs/trace-format.md §2)', () => {
    const example = {
      driver: 'masimo-rad8',
      device: { manufacturer: 'Masimo', model: 'Rad-8', serial: '0000056661' },
      kind: 'patient',
      deviceTime: '2016-02-22T22:47:45',
      receivedAt: '2026-11-27T10:15:02.114Z',
      effectiveTime: '2016-02-22T22:47:45+01:00',
      observations: [
        { code: '59408-5', display: 'Oxygen saturation by pulse oximetry', value: { kind: 'quantity', value: 98, unit: '%' } },
        { code: '8867-4', display: 'Heart rate', value: { kind: 'quantity', value: 97, unit: '/min' } },
      ],
      flags: [],
    };
    expect(ReadingSchema.safeParse(example).success).toBe(true);
  });
});
