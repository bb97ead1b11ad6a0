import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromLatin1 } from '../../kit/index.ts';
import { dumpText, type SimRecord } from '../../families/freestyle-serial/simulated-meter.ts';
import { DumpAssembler, decodeRecord, type FreestyleRecord } from './decode.ts';
import { decodeProbe } from './decode-probe.ts';
import { normalizeRecord } from './normalize.ts';
import { FreestyleLineFramer } from './protocol.ts';

/** Any stored Optium result: glucose 20–500 or HI/LO, β-ketone raw 0–144 or HI; status 0–3. */
const recordArb: fc.Arbitrary<SimRecord> = fc.oneof(
  fc.record({ value: fc.oneof(fc.integer({ min: 20, max: 500 }).map(String), fc.constantFrom('HI', 'LO')), type: fc.constant('G') }),
  fc.record({ value: fc.oneof(fc.integer({ min: 0, max: 144 }).map(String), fc.constant('HI')), type: fc.constant('K') }),
).chain((v) =>
  fc.record({
    atMs: fc.integer({ min: new Date(2001, 0, 1).getTime() / 60_000, max: new Date(2098, 11, 31).getTime() / 60_000 }).map((m) => m * 60_000),
    value: fc.constant(v.value),
    type: fc.constant(v.type),
    status: fc.integer({ min: 0, max: 3 }),
  }),
);

const spec = { variant: 'optium', serial: 'SIMFO01-B0001', version: '1.00' } as const;

function recordsOf(chunks: readonly Uint8Array[]): FreestyleRecord[] | undefined {
  const framer = new FreestyleLineFramer();
  const dump = new DumpAssembler();
  for (const chunk of chunks) {
    for (const line of framer.push(chunk).frames) {
      const step = dump.push(line);
      if (step.kind === 'done') return step.records.flatMap((l) => (d => (d.ok ? [d.value] : []))(decodeRecord(l.text)));
      if (step.kind === 'failed') return undefined;
    }
  }
  return undefined;
}

describe('abbott-freestyle-optium properties', () => {
  it('any dump, cut anywhere, gives back each record: glucose in mg/dL, ketone raw / 18 in mmol/L, HI/LO at the bounds', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 10 }), (records, cuts) => {
        const bytes = fromLatin1(dumpText(spec, Date.now(), records));
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks = [...points, bytes.length].map((p, i) => bytes.subarray(i === 0 ? 0 : (points[i - 1] ?? 0), p));
        const decoded = recordsOf(chunks);
        expect(decoded).toHaveLength(records.length);
        decoded?.forEach((d, i) => {
          const r = records[i] as SimRecord;
          const n = normalizeRecord(d);
          expect(n.kind).toBe(r.status & 1 ? 'control' : 'patient');
          const q = n.observations[0]?.value;
          if (r.type === 'K') {
            expect(n.observations[0]?.code).toBe('66441-7');
            if (r.value === 'HI') expect(q).toMatchObject({ value: 8, unit: 'mmol/L', comparator: '>' });
            else expect(q).toMatchObject({ value: Math.round((Number(r.value) / 18) * 10) / 10, unit: 'mmol/L' });
          } else {
            expect(n.observations[0]?.code).toBe('41653-7');
            if (r.value === 'HI') expect(q).toMatchObject({ value: 500, comparator: '>' });
            else if (r.value === 'LO') expect(q).toMatchObject({ value: 20, comparator: '<' });
            else expect(q).toMatchObject({ value: Number(r.value), unit: 'mg/dL' });
          }
        });
        expect(decodeProbe(chunks)).toBe(records.length);
      }),
      { numRuns: 200 },
    );
  });

  it('garbage never throws', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 5 }), (chunks) => void decodeProbe(chunks)));
  });
});
