import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutAt, framesAndProblems } from '../../../test/helpers/chunked-stream.ts';
import { decodeTemperatureRecord, RECORD_LONG, RECORD_SHORT } from './decode.ts';
import { createFramer, encodePacket, type Packet, TYPE_RESPONSE } from './protocol.ts';

function frameAll(chunks: readonly Uint8Array[]): { frames: Packet[]; problems: string[] } {
  const { frames, problems } = framesAndProblems(createFramer(), chunks);
  return { frames, problems: problems.map((p) => p.code) };
}

const record = fc.record({
  finalC: fc.double({ min: 20, max: 50, noNaN: true }),
  algorithm: fc.integer({ min: 0, max: 4 }),
  state: fc.integer({ min: 0, max: 20 }),
  counter: fc.integer({ min: 0, max: 0xffff }),
  long: fc.boolean(),
});

function packetOf(r: { finalC: number; algorithm: number; state: number; counter: number; long: boolean }): Uint8Array {
  const data = new Uint8Array(r.long ? RECORD_LONG : RECORD_SHORT);
  const v = new DataView(data.buffer);
  v.setFloat32(0, r.finalC + 273.15, true);
  if (r.long) v.setUint16(10, r.counter, true);
  else v.setUint32(8, r.counter, true);
  v.setInt8(13, r.algorithm);
  v.setInt8(14, r.state);
  return encodePacket(0x941c, TYPE_RESPONSE, data);
}

describe('welch-allyn-suretemp-plus properties', () => {
  it('random valid records decode to what they encode, however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 20 }), (records, cuts) => {
        const stream = new Uint8Array(records.flatMap((r) => [...packetOf(r)]));
        const { frames, problems } = frameAll(cutAt(stream, cuts));
        expect(problems).toEqual([]);
        expect(frames).toHaveLength(records.length);
        frames.forEach((f, i) => {
          const d = decodeTemperatureRecord(f);
          const r = records[i];
          expect(d.ok).toBe(true);
          if (!d.ok || !r) return;
          expect(d.record.finalKelvin).toBe(Math.fround(r.finalC + 273.15));
          expect([d.record.algorithm, d.record.state, d.record.sampleCounter]).toEqual([r.algorithm, r.state, r.counter]);
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('one changed byte in a packet never yields that packet unchanged', () => {
    fc.assert(
      fc.property(record, fc.nat(), fc.integer({ min: 1, max: 255 }), (r, at, delta) => {
        const bytes = packetOf(r);
        const i = 3 + (at % (bytes.length - 3));
        const changed = bytes.slice();
        changed[i] = ((changed[i] ?? 0) + delta) & 0xff;
        const { frames } = frameAll([changed]);
        for (const f of frames) expect(f.raw).not.toEqual(bytes);
        // A changed size byte may announce a longer packet; otherwise the sum catches it.
        if (i !== 6 && i !== 7) expect(frames).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('random bytes never throw, and every frame found sums to 0', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 60 }), { maxLength: 8 }), (chunks) => {
        const { frames } = frameAll(chunks);
        for (const f of frames) {
          expect(f.raw.reduce((s, b) => s + b, 0) & 0xff).toBe(0);
          decodeTemperatureRecord(f);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
