import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromLatin1 } from '../../kit/index.ts';
import { decodeLine } from './decode.ts';
import { normalizeWeighing } from './normalize.ts';
import { createLineFramer } from './protocol.ts';

const FOOT = ["'", '\u00e2\u0080\u0099', '\u0092'];
const INCH = ['"', '\u00e2\u0080\u009d', '\u0094'];

const print = fc.record({
  weightTenths: fc.integer({ min: 1, max: 9999 }),
  unit: fc.constantFrom('lb', 'kg'),
  bmiTenths: fc.option(fc.integer({ min: 100, max: 600 }), { nil: undefined }),
  feet: fc.integer({ min: 1, max: 7 }),
  inchTenths: fc.integer({ min: 0, max: 119 }),
  quote: fc.integer({ min: 0, max: 2 }),
  withHeight: fc.boolean(),
});
type Print = typeof print extends fc.Arbitrary<infer T> ? T : never;
const t = (n: number): string => (n / 10).toFixed(1);
const lineOf = (p: Print): string =>
  `10:05,06/02/26,${p.bmiTenths === undefined ? '' : t(p.bmiTenths)},${p.withHeight ? `${p.feet}${FOOT[p.quote]}${t(p.inchTenths).padStart(4, '0')}${INCH[p.quote]}` : ''},${t(p.weightTenths)}${p.unit}\r`;

describe('detecto-solo properties', () => {
  it('random prints decode to what they encode, however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(print, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 12 }), (prints, cuts) => {
        const bytes = fromLatin1(prints.map(lineOf).join(''));
        const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const framer = createLineFramer();
        const lines: Uint8Array[] = [];
        let from = 0;
        for (const c of [...at, bytes.length]) {
          lines.push(...framer.push(bytes.subarray(from, c)).frames);
          from = c;
        }
        expect(lines).toHaveLength(prints.length);
        lines.forEach((line, i) => {
          const p = prints[i];
          const d = decodeLine(line);
          expect(d.ok).toBe(true);
          if (!d.ok || !p) return;
          const w = normalizeWeighing(d.record, 'MDY');
          expect(w.ok).toBe(true);
          if (!w.ok) return;
          expect(w.observations[0]?.value).toMatchObject({ value: p.weightTenths / 10, unit: p.unit === 'lb' ? '[lb_av]' : 'kg' });
          expect(w.observations).toHaveLength(1 + (p.withHeight ? 1 : 0) + (p.bmiTenths === undefined ? 0 : 1));
          if (p.withHeight) expect(w.observations[1]?.value).toMatchObject({ value: Number((p.feet * 12 + p.inchTenths / 10).toFixed(1)), unit: '[in_i]' });
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('random bytes never throw, and a line that decodes always has a weight with its unit', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const d = decodeLine(bytes);
        if (d.ok) expect(['lb', 'kg']).toContain(d.record.weight.unit);
        if (d.ok) normalizeWeighing(d.record, 'DMY');
      }),
      { numRuns: 5000 },
    );
  });
});
