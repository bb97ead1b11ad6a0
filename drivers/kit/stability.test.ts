import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StabilityWindow, type StabilitySample } from './stability.ts';

const sample = (second: number, spo2: number, pulse: number, valid = true): StabilitySample<number> => ({
  at: second * 1000,
  valid,
  values: { spo2, pulse },
  item: second,
});
const rule = () => new StabilityWindow<number>({ tolerances: { spo2: 1, pulse: 3 } });

describe('StabilityWindow (automatic capture)', () => {
  it('captures once values stay within tolerance for the whole window (10 s)', () => {
    const w = rule();
    const results = Array.from({ length: 12 }, (_, s) => w.push(sample(s, 97 + (s % 2), 72 + (s % 3))));
    expect(results.slice(0, 10).every((r) => r === undefined)).toBe(true);
    expect(results[10]?.map((x) => x.item)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('needs the sensor to come off before the next automatic capture (one spot check, one reading)', () => {
    const w = rule();
    let captures = 0;
    for (let s = 0; s < 40; s++) if (w.push(sample(s, 97, 72))) captures++;
    expect(captures).toBe(1);
    w.push(sample(40, 0, 0, false));
    for (let s = 41; s < 52; s++) if (w.push(sample(s, 95, 88))) captures++;
    expect(captures).toBe(2);
  });

  it('restarts the window when a value jumps, when data go missing, or when time goes backwards', () => {
    const w = rule();
    for (let s = 0; s < 8; s++) w.push(sample(s, 97, 72));
    expect(w.push(sample(8, 92, 72))).toBeUndefined();
    for (let s = 9; s < 18; s++) expect(w.push(sample(s, 92, 72))).toBeUndefined();
    expect(w.push(sample(18, 92, 72))).toBeDefined();
    const gap = rule();
    for (let s = 0; s < 6; s++) gap.push(sample(s, 97, 72));
    for (let s = 10; s < 19; s++) expect(gap.push(sample(s, 97, 72))).toBeUndefined();
  });

  it('never captures a window holding a value out of tolerance of the newest (1,000 random streams)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ spo2: fc.integer({ min: 85, max: 100 }), pulse: fc.integer({ min: 50, max: 130 }), valid: fc.boolean() }), { maxLength: 80 }), (stream) => {
        const w = rule();
        stream.forEach((x, s) => {
          const captured = w.push(sample(s, x.spo2, x.pulse, x.valid));
          if (!captured) return;
          const newest = captured[captured.length - 1] as StabilitySample<number>;
          expect(newest.at - (captured[0] as StabilitySample<number>).at).toBeGreaterThanOrEqual(10_000);
          for (const c of captured) {
            expect(c.valid).toBe(true);
            expect(Math.abs((c.values['spo2'] ?? 0) - (newest.values['spo2'] ?? 0))).toBeLessThanOrEqual(1);
            expect(Math.abs((c.values['pulse'] ?? 0) - (newest.values['pulse'] ?? 0))).toBeLessThanOrEqual(3);
          }
        });
      }),
      { numRuns: 1000 },
    );
  });
});
