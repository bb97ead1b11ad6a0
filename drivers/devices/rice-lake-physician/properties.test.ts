import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromLatin1 } from '../../kit/index.ts';
import { decodeLine } from './decode.ts';
import { normalizeWeighing } from './normalize.ts';
import { createLineFramer } from './protocol.ts';
import { printLine } from './simulator.ts';

const print = fc.record({ tenths: fc.integer({ min: 1, max: 99_999 }), unit: fc.constantFrom('lb' as const, 'kg' as const), net: fc.boolean() });

describe('rice-lake-physician properties', () => {
  it('random print lines decode to what they encode, however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(print, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 12 }), (prints, cuts) => {
        const bytes = fromLatin1(prints.map((p) => printLine((p.tenths / 10).toFixed(1), p.unit, p.net ? 'Net' : 'Gross')).join(''));
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
          const r = decodeLine(line);
          expect(r.ok && r.line.type).toBe('print');
          if (!r.ok || r.line.type !== 'print' || !p) return;
          const n = normalizeWeighing({ weight: r.line.weight, unit: r.line.unit, net: r.line.net });
          expect(n).toMatchObject({ ok: true, flags: p.net ? ['net-weight'] : [] });
          if (n.ok) expect(n.observations[0]?.value).toMatchObject({ value: p.tenths / 10, unit: p.unit === 'lb' ? '[lb_av]' : 'kg' });
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('random bytes never throw, and a weight line that decodes always has lb or kg', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const r = decodeLine(bytes);
        if (r.ok && (r.line.type === 'print' || r.line.type === 'weight')) {
          expect(['lb', 'kg']).toContain(r.line.unit);
          normalizeWeighing({ weight: r.line.weight, unit: r.line.unit, net: r.line.net });
        }
      }),
      { numRuns: 5000 },
    );
  });
});
