import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { framesOf } from '../../../test/helpers/chunked-stream.ts';
import { fromLatin1 } from '../../kit/index.ts';
import { decodeLine, type DecodeResult } from './decode.ts';
import { createLineFramer } from './protocol.ts';

const RUNS = { numRuns: 1000 };
const p = (n: number, w = 2): string => String(n).padStart(w, '0');

/** A random valid format-5 line and what it must decode to. */
const lineArb = fc.record({
  year: fc.integer({ min: 2000, max: 2099 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }),
  hour: fc.integer({ min: 0, max: 23 }), minute: fc.integer({ min: 0, max: 59 }),
  id: fc.stringMatching(/^[A-Z0-9-]{0,20}$/),
  error: fc.integer({ min: 0, max: 9 }),
  sys: fc.integer({ min: 0, max: 999 }), dia: fc.integer({ min: 0, max: 999 }), pr: fc.integer({ min: 0, max: 999 }),
  movement: fc.boolean(),
});
type LineSpec = typeof lineArb extends fc.Arbitrary<infer T> ? T : never;

function lineOf(s: LineSpec): string {
  const vals = s.error === 0 ? [s.sys, s.dia, s.pr].map((v) => p(v, 3)) : ['   ', '   ', '   '];
  return `${s.year},${p(s.month)},${p(s.day)},${p(s.hour)},${p(s.minute)},${s.id.padEnd(20)},${s.error},${vals.join(',')},${s.movement ? 1 : 0}\r\n`;
}

const decodeChunks = (chunks: Uint8Array[]): DecodeResult[] => framesOf(createLineFramer(), chunks).map(decodeLine);

describe('omron-hbp-9030 properties', () => {
  it('a valid line decodes to what it encodes', () => {
    fc.assert(
      fc.property(lineArb, (s) => {
        const r = decodeLine(fromLatin1(lineOf(s).slice(0, -2)));
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.record).toMatchObject({ deviceTime: `${s.year}-${p(s.month)}-${p(s.day)}T${p(s.hour)}:${p(s.minute)}`, patientId: s.id, errorCode: s.error, bodyMovement: s.movement });
        if (s.error === 0) expect([r.record.systolic, r.record.diastolic, r.record.pulse]).toEqual([s.sys, s.dia, s.pr]);
        else expect(r.record.systolic).toBeUndefined();
      }),
      RUNS,
    );
  });

  it('any chunking of a stream of lines gives the same records', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 5 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 10 }), (specs, sizes) => {
        const bytes = fromLatin1(specs.map(lineOf).join(''));
        const chunks: Uint8Array[] = [];
        for (let at = 0, i = 0; at < bytes.length; i++) {
          const n = sizes[i % sizes.length] ?? 1;
          chunks.push(bytes.subarray(at, at + n));
          at += n;
        }
        expect(decodeChunks(chunks)).toEqual(decodeChunks([bytes]));
      }),
      RUNS,
    );
  });

  it('random bytes never throw, and a line cut anywhere never decodes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(() => decodeChunks([bytes])).not.toThrow();
      }),
      RUNS,
    );
    fc.assert(
      fc.property(lineArb, fc.nat(), (s, cut) => {
        const line = lineOf(s).slice(0, -2);
        const short = line.slice(0, cut % line.length);
        const r = decodeLine(fromLatin1(short));
        // The last field is one character: any proper prefix lacks a field or leaves it empty.
        expect(r.ok).toBe(false);
      }),
      RUNS,
    );
  });
});
