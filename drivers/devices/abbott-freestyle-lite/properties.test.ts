import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromLatin1 } from '../../kit/index.ts';
import { dumpText, type SimRecord } from '../../families/freestyle-serial/simulated-meter.ts';
import { DumpAssembler, decodeRecord, type DumpStep } from './decode.ts';
import { decodeProbe } from './decode-probe.ts';
import { normalizeRecord } from './normalize.ts';
import { FreestyleLineFramer } from './protocol.ts';

/** Any stored Lite result: a minute in 2001–2098, a value 20–500 or HI/LO, status 0–3. */
const recordArb: fc.Arbitrary<SimRecord> = fc.record({
  atMs: fc.integer({ min: new Date(2001, 0, 1).getTime() / 60_000, max: new Date(2098, 11, 31).getTime() / 60_000 }).map((m) => m * 60_000),
  value: fc.oneof(fc.integer({ min: 20, max: 500 }).map(String), fc.constantFrom('HI', 'LO')),
  type: fc.constant('00'),
  status: fc.integer({ min: 0, max: 3 }),
});

function assemble(chunks: readonly Uint8Array[]): DumpStep | undefined {
  const framer = new FreestyleLineFramer();
  const dump = new DumpAssembler();
  let last: DumpStep | undefined;
  for (const chunk of chunks) for (const line of framer.push(chunk).frames) last = dump.push(line);
  return last;
}

function chunked(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  return out;
}

const spec = { variant: 'lite', serial: 'SIMFL01-A0001', version: '1.43     -P' } as const;

describe('abbott-freestyle-lite properties', () => {
  it('any dump, cut anywhere, assembles to its records, each decoding to its own value, time and kind', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 10 }), (records, cuts) => {
        const bytes = fromLatin1(dumpText(spec, Date.now(), records));
        const end = assemble(chunked(bytes, cuts));
        expect(end?.kind).toBe('done');
        if (end?.kind !== 'done') return;
        expect(end.records).toHaveLength(records.length);
        end.records.forEach((line, i) => {
          const r = records[i] as SimRecord;
          const decoded = decodeRecord(line.text);
          expect(decoded.ok).toBe(true);
          if (!decoded.ok) return;
          const t = new Date(r.atMs);
          expect(decoded.value.deviceTime.slice(0, 16)).toBe(`${t.getFullYear()}-${String(t.getMonth() + 1).padStart(2, '0')}-${String(t.getDate()).padStart(2, '0')}T${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}`);
          const n = normalizeRecord(decoded.value);
          expect(n.kind).toBe(r.status & 1 ? 'control' : 'patient');
          const q = n.observations[0]?.value;
          if (r.value === 'HI') expect(q).toMatchObject({ value: 500, comparator: '>' });
          else if (r.value === 'LO') expect(q).toMatchObject({ value: 20, comparator: '<' });
          else expect(q).toMatchObject({ value: Number(r.value), unit: 'mg/dL' });
        });
        expect(decodeProbe(chunked(bytes, cuts))).toBe(records.length);
      }),
      { numRuns: 200 },
    );
  });

  it('one changed record byte is never accepted: the dump fails its checksum or its shape', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { minLength: 1, maxLength: 10 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (records, at, delta) => {
        const text = dumpText(spec, Date.now(), records);
        const start = text.indexOf('\n\n') + 2;
        const end = text.lastIndexOf('0x');
        const i = start + (at % (end - start));
        const bytes = fromLatin1(text);
        // A change that keeps the byte a line end, or makes one, alters the framing instead.
        const changed = (bytes[i]! + delta) & 0xff;
        fc.pre(bytes[i] !== 0x0a && changed !== 0x0a);
        bytes[i] = changed;
        expect(assemble([bytes])?.kind).not.toBe('done');
      }),
      { numRuns: 300 },
    );
  });

  it('garbage never throws', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 5 }), (chunks) => void decodeProbe(chunks)));
  });
});
