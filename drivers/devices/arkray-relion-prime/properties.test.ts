import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromLatin1 } from '../../kit/index.ts';
import { decodeProbe } from './decode-probe.ts';
import { decodeRecord, encodeRecord } from './decode.ts';
import { TokenFramer, formatFramedLine } from './protocol.ts';

const RUNS = { numRuns: 1000 };

const recordArb = fc.record({
  value: fc.integer({ min: 0, max: 0xffff }),
  year: fc.integer({ min: 2000, max: 2099 }),
  month: fc.integer({ min: 1, max: 12 }),
  day: fc.integer({ min: 1, max: 28 }),
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.integer({ min: 0, max: 59 }),
  flags: fc.integer({ min: 0, max: 7 }),
  index: fc.integer({ min: 0, max: 0xfff }),
});

const line = (r: { index: number } & Parameters<typeof encodeRecord>[0]): string => `${r.index.toString(16).toUpperCase().padStart(3, '0')}|${encodeRecord(r)}`;

describe('ReliOn Prime properties', () => {
  it('a random record decodes to what it encodes', () => {
    fc.assert(
      fc.property(recordArb, (r) => {
        const d = decodeRecord(line(r));
        expect(d.ok).toBe(true);
        if (!d.ok) return;
        expect(d.record.value).toBe(r.value);
        expect(d.record.flags).toBe(r.flags);
        const two = (n: number): string => String(n).padStart(2, '0');
        expect(d.record.time.local).toBe(`${r.year}-${two(r.month)}-${two(r.day)}T${two(r.hour)}:${two(r.minute)}:00`);
      }),
      RUNS,
    );
  });

  it('framed lines cut anywhere give the same lines, all with good sums', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { minLength: 1, maxLength: 6 }), fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 6 }), (records, sizes) => {
        const stream = fromLatin1(records.map((r) => `\x06${formatFramedLine(line(r))}`).join(''));
        const framer = new TokenFramer();
        const got: string[] = [];
        for (let at = 0, i = 0; at < stream.length; i++) {
          const n = sizes[i % sizes.length] ?? 1;
          const out = framer.push(stream.subarray(at, at + n));
          expect(out.problems).toEqual([]);
          for (const t of out.frames) if (t.kind === 'line') got.push(`${t.checksum}:${t.content}`);
          at += n;
        }
        expect(got).toEqual(records.map((r) => `good:${line(r)}`));
      }),
      RUNS,
    );
  });

  it('random bytes never throw', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 60 }), { maxLength: 6 }), (chunks) => {
        expect(() => decodeProbe(chunks)).not.toThrow();
      }),
      RUNS,
    );
  });
});
