import { describe, expect, it } from 'vitest';
import { localToEpochMs } from '../../shared/time.ts';
import type { ReadingDraft } from './driver.ts';
import { finishReading } from './times.ts';

const draft = (over: Partial<ReadingDraft> = {}): ReadingDraft => ({
  device: { manufacturer: 'Acme', model: 'X' },
  kind: 'patient',
  deviceTime: '2026-01-15T09:00:00',
  timeBasis: 'live',
  observations: [],
  flags: [],
  raw: [],
  ...over,
});
const policy = { skewCheck: true, thresholdMs: 5 * 60_000 };
const at = (local: string): number => localToEpochMs(local);

describe('effective time and clock skew (docs/architecture.md §8 rule 9)', () => {
  it('uses the device time when the device clock agrees with ours', () => {
    const r = finishReading(draft(), 'acme-x', at('2026-01-15T09:01:00'), policy);
    expect(r.effectiveTime).toBe('2026-01-15T09:00:00+00:00');
    expect(r.clock).toEqual({ source: 'device', skewSeconds: 60 });
    expect(r.flags).not.toContain('clock-skew');
  });

  // safety: SR-CLOCK-1
  it('a live result from a device whose clock is off uses our time, flagged clock-skew with the size', () => {
    const r = finishReading(draft(), 'acme-x', at('2026-01-15T10:00:00'), policy);
    expect(r.effectiveTime).toBe('2026-01-15T10:00:00+00:00');
    expect(r.clock).toEqual({ source: 'workstation', skewSeconds: 3600 });
    expect(r.flags).toContain('clock-skew');
  });

  it('a stored result is corrected by the skew measured at session start', () => {
    const r = finishReading(draft({ timeBasis: 'stored', deviceClockSkewMs: -2 * 3600_000 }), 'acme-x', at('2026-03-01T00:00:00'), policy);
    expect(r.effectiveTime).toBe('2026-01-15T07:00:00+00:00');
    expect(r.clock).toEqual({ source: 'device-corrected', skewSeconds: -7200 });
    expect(r.flags).toContain('clock-skew');
  });

  it('without a device time, or in a replay without a recorded time, says which clock it used', () => {
    expect(finishReading(draft({ deviceTime: undefined }), 'acme-x', at('2026-01-15T09:00:07'), policy).clock).toEqual({ source: 'workstation' });
    const replayed = finishReading(draft(), 'acme-x', at('2030-01-01T00:00:00'), { ...policy, skewCheck: false });
    expect(replayed.clock).toEqual({ source: 'device' });
    expect(replayed.flags).toEqual([]);
  });
});
