import { describe, expect, it } from 'vitest';
import { observe, quantity } from '../../../shared/observation.ts';
import type { DriverEvent } from '../../kit/index.ts';
import { resolveOptions } from '../../kit/index.ts';
import { oximetryCaptureOptions, oximetryCaptureSettings } from './capture-options.ts';
import { type CaptureHow, OximetryCapture, type OximetrySample, onBeat } from './capture.ts';

const sample = (spo2?: number, pulse?: number): OximetrySample => {
  const valid = spo2 !== undefined && pulse !== undefined;
  const observations = [...(spo2 === undefined ? [] : [observe('spo2', quantity(spo2, '%'))]), ...(pulse === undefined ? [] : [observe('pulseRateOximeter', quantity(pulse, '/min'))])];
  return { observations, flags: [], valid, values: valid ? { spo2, pulse } : {} };
};

interface Item {
  n: number;
  sample: OximetrySample;
}

function session(options: Record<string, number | boolean | string> = {}) {
  const events: DriverEvent[] = [];
  const readings: Array<{ item: number; window: number[]; how: CaptureHow }> = [];
  const capture = new OximetryCapture<Item>(
    { options, emit: (e) => events.push(e) },
    { sampleOf: (i) => i.sample, onReading: (item, window, how) => readings.push({ item: item.n, window: window.map((w) => w.n), how }) },
  );
  let n = 0;
  const feed = (seconds: number, s: OximetrySample, from = 0): void => {
    for (let i = 0; i < seconds; i++) capture.offer((from + i) * 1000, { n: n++, sample: s });
  };
  return { capture, events, readings, feed };
}

describe('oximetry capture options', () => {
  it('are the same four options with their defaults (the manifests that use them are checked by drivers/conformance.test.ts)', () => {
    const options = oximetryCaptureOptions();
    expect(options.map((o) => [o.key, o.default])).toEqual([['stabilityWindowSeconds', 10], ['autoCapture', true], ['spo2Tolerance', 1], ['pulseTolerance', 3]]);
  });

  it('name the modes they apply to when asked, and return fresh objects', () => {
    expect(oximetryCaptureOptions('DF8/DF7')[1]?.description).toBe('DF8/DF7: capture a reading automatically when the values are stable (otherwise only the Capture button does)');
    const a = oximetryCaptureOptions();
    expect(a[0]).not.toBe(oximetryCaptureOptions()[0]);
  });

  it('read the session options, the defaults where a context names none', () => {
    expect(oximetryCaptureSettings({ options: {} })).toEqual({ windowMs: 10_000, tolerances: { spo2: 1, pulse: 3 }, autoCapture: true });
    expect(oximetryCaptureSettings({ options: { stabilityWindowSeconds: 4, spo2Tolerance: 2, pulseTolerance: 5, autoCapture: false } })).toEqual({ windowMs: 4000, tolerances: { spo2: 2, pulse: 5 }, autoCapture: false });
    const manifestOptions = { options: oximetryCaptureOptions() } as Parameters<typeof resolveOptions>[0];
    expect(oximetryCaptureSettings({ options: resolveOptions(manifestOptions) })).toEqual(oximetryCaptureSettings({ options: {} }));
  });
});

describe('OximetryCapture (docs/adding-a-driver.md §2)', () => {
  it('shows every sample live and makes one reading from a stable window, none more until the sensor comes off', () => {
    const s = session({ stabilityWindowSeconds: 5 });
    s.feed(12, sample(97, 70));
    expect(s.events.filter((e) => e.type === 'live')).toHaveLength(12);
    expect(s.readings).toEqual([{ item: 5, window: [0, 1, 2, 3, 4, 5], how: 'auto-capture' }]);
    s.feed(1, sample(), 12);
    s.feed(7, sample(96, 72), 13);
    expect(s.readings.map((r) => r.item)).toEqual([5, 18]);
  });

  it('Capture takes the newest valid sample and disarms the automatic capture; an invalid newest is refused', () => {
    const s = session({ stabilityWindowSeconds: 5 });
    expect(s.capture.capture()).toBe(false);
    s.feed(2, sample(98, 66));
    expect(s.capture.capture()).toBe(true);
    expect(s.readings).toEqual([{ item: 1, window: [1], how: 'manual-capture' }]);
    s.feed(10, sample(98, 66), 2);
    expect(s.readings).toHaveLength(1);
    s.feed(1, sample(undefined, 66), 12);
    expect(s.capture.capture()).toBe(false);
  });

  it('with automatic capture off only Capture makes readings', () => {
    const s = session({ autoCapture: false, stabilityWindowSeconds: 2 });
    s.feed(10, sample(95, 80));
    expect(s.readings).toEqual([]);
    expect(s.capture.capture()).toBe(true);
  });

  it('remember, show and watch apart: a driver may show fewer samples than it watches', () => {
    const s = session({ stabilityWindowSeconds: 2 });
    for (let i = 0; i < 4; i++) {
      const item = { n: i, sample: sample(97, 70) };
      s.capture.remember(item);
      s.capture.watch(i * 1000, item);
    }
    expect(s.events).toEqual([]);
    expect(s.readings.map((r) => r.how)).toEqual(['auto-capture']);
  });
});

describe('onBeat', () => {
  it('places a sample near the beat on it, and one off the beat at its arrival', () => {
    expect(onBeat(undefined, 5_123, 1000)).toBe(5_123);
    expect(onBeat(1_000, 2_350, 1000)).toBe(2_000);
    expect(onBeat(1_000, 1_600, 1000)).toBe(2_000);
    expect(onBeat(1_000, 2_401, 1000)).toBe(2_401);
    expect(onBeat(1_000, 2_101, 1000, 100)).toBe(2_101);
  });
});
