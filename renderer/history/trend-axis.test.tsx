import { describe, expect, it } from 'vitest';
import { JANE, pendingItem } from '../testing/fake-hub.ts';
import { observe, quantity } from '../../shared/observation.ts';
import type { ReviewItem } from '../../shared/api/model.ts';
import { axisOf, buildTrends } from './trend.ts';
import { clipToHard, trendAxis } from './trend-axis.ts';

const SPO2 = { hard: { low: 0, high: 100 }, reference: { low: 95, high: 100 } };

describe('trendAxis', () => {
  it('spans the values and the reference band with padding, on easy steps', () => {
    expect(trendAxis([97, 98], [SPO2.reference], SPO2.hard)).toEqual({ min: 94, max: 100, ticks: [94, 96, 98, 100] });
    // A low value: the band stays in view above it.
    const axis = trendAxis([82], [SPO2.reference], SPO2.hard);
    expect(axis.min).toBeLessThan(82);
    expect(axis.max).toBe(100);
  });

  it('gives a single point a real range around it, never a zero-width one', () => {
    const one = trendAxis([80], [], { low: 0.2, high: 350 });
    expect(one.min).toBeLessThan(80);
    expect(one.max).toBeGreaterThan(80);
    expect(one.ticks.length).toBeGreaterThanOrEqual(3);
    expect(trendAxis([0], [], undefined)).toMatchObject({ min: -1, max: 1 });
  });

  it('never runs past the hard limits, and ticks carry no floating-point noise', () => {
    const axis = trendAxis([0.1, 0.3], [{ high: 0.6 }], { low: 0, high: 8 });
    expect(axis.min).toBe(0);
    expect(axis.ticks.every((t) => String(t).length <= 4)).toBe(true);
  });
});

describe('clipToHard', () => {
  it('draws an impossible value at the limit and says it was clipped', () => {
    expect(clipToHard(1e40, SPO2.hard)).toEqual({ shown: 100, clipped: true });
    expect(clipToHard(-5, SPO2.hard)).toEqual({ shown: 0, clipped: true });
    expect(clipToHard(97, SPO2.hard)).toEqual({ shown: 97, clipped: false });
    expect(clipToHard(97, undefined)).toEqual({ shown: 97, clipped: false });
  });
});

describe('trends from a history', () => {
  const confirmed = (id: string, value: number, at: string): ReviewItem => {
    const base = pendingItem({ id, patient: JANE, observations: [observe('spo2', quantity(value, '%'))] });
    return { ...base, state: 'confirmed', reading: { ...base.reading, effectiveTime: at } };
  };

  it('a 40-digit value does not blow up the axis: it is clipped to 0–100 % and marked', () => {
    const [trend] = buildTrends([confirmed('a', 97, '2026-01-14T08:00:00Z'), confirmed('b', 1.2345678901234568e39, '2026-01-14T09:00:00Z')]);
    expect(trend?.series[0]?.reference).toEqual({ low: 95, high: 100 });
    expect(trend?.series[0]?.points.map((p) => [p.shown, p.clipped])).toEqual([
      [97, false],
      [100, true],
    ]);
    const axis = axisOf(trend!);
    expect(axis.max).toBe(100);
    expect(axis.min).toBeGreaterThanOrEqual(0);
    expect(axis.min).toBeLessThan(97);
  });

  it('blood pressure: both reference bands, within the widest hard limits', () => {
    const base = pendingItem({ id: 'bp', patient: JANE, observations: [observe('bpSystolic', quantity(128, 'mm[Hg]')), observe('bpDiastolic', quantity(84, 'mm[Hg]'))] });
    const [trend] = buildTrends([{ ...base, state: 'confirmed' }]);
    expect(trend?.series.map((s) => [s.name, s.reference])).toEqual([
      ['Systolic', { low: 90, high: 129 }],
      ['Diastolic', { low: 60, high: 84 }],
    ]);
    const axis = axisOf(trend!);
    expect(axis.min).toBeLessThanOrEqual(60);
    expect(axis.max).toBeGreaterThanOrEqual(129);
  });
});
