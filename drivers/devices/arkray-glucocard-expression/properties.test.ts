import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeProbe } from './decode-probe.ts';
import { decodeSlot, encodeSlot } from './decode.ts';
import { METER_START, OPCODE, PacketFramer, encodePacket } from './protocol.ts';

const RUNS = { numRuns: 1000 };

const recordArb = fc.record({
  year: fc.integer({ min: 2000, max: 2099 }),
  month: fc.integer({ min: 1, max: 12 }),
  day: fc.integer({ min: 1, max: 28 }),
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.integer({ min: 0, max: 59 }),
  value: fc.integer({ min: 0, max: 1023 }),
  control: fc.boolean(),
  mgdl: fc.boolean(),
});

describe('GLUCOCARD Expression properties', () => {
  it('a random record decodes to what it encodes', () => {
    fc.assert(
      fc.property(recordArb, (r) => {
        const d = decodeSlot(Uint8Array.from(encodeSlot(r)));
        expect(d.kind).toBe('record');
        if (d.kind !== 'record') return;
        expect(d.record).toMatchObject({ value: r.value, control: r.control, unit: r.mgdl ? 'mg/dL' : 'mmol/L' });
        const two = (n: number): string => String(n).padStart(2, '0');
        expect(d.record.time.local).toBe(`${r.year}-${two(r.month)}-${two(r.day)}T${two(r.hour)}:${two(r.minute)}:00`);
      }),
      RUNS,
    );
  });

  it('a packet stream cut anywhere gives the same packets', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { minLength: 1, maxLength: 10 }), fc.array(fc.integer({ min: 1, max: 23 }), { minLength: 1, maxLength: 8 }), (records, sizes) => {
        const stream = Uint8Array.from(records.flatMap((r) => [...encodePacket(METER_START, OPCODE.readMemory, encodeSlot(r))]));
        const framer = new PacketFramer();
        const got: number[][] = [];
        for (let at = 0, i = 0; at < stream.length; i++) {
          const n = sizes[i % sizes.length] ?? 1;
          const out = framer.push(stream.subarray(at, at + n));
          expect(out.problems).toEqual([]);
          got.push(...out.frames.map((f) => Array.from(f.payload)));
          at += n;
        }
        expect(got).toEqual(records.map((r) => encodeSlot(r)));
      }),
      RUNS,
    );
  });

  it('random bytes never throw; any packet found has a good sum', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 6 }), (chunks) => {
        expect(() => decodeProbe(chunks)).not.toThrow();
        const framer = new PacketFramer();
        for (const c of chunks) for (const f of framer.push(c).frames) expect(encodePacket(METER_START, f.op, Array.from(f.payload))).toEqual(f.raw);
      }),
      RUNS,
    );
  });
});
