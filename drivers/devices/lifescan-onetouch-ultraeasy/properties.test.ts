import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutAt, framesAndProblems } from '../../../test/helpers/chunked-stream.ts';
import { concatBytes, toHex } from '../../kit/index.ts';
import { decodeClock, decodeCount, decodeRecord, decodeSerial, decodeUnit, decodeVersion } from './decode.ts';
import { normalizeRecord } from './normalize.ts';
import { PacketFramer, encodePacket, type Packet } from './protocol.ts';

const RUNS = 1000;

function frameAll(chunks: Uint8Array[]): { packets: Packet[]; problems: number } {
  const { frames, problems } = framesAndProblems(new PacketFramer(), chunks);
  return { packets: frames, problems: problems.length };
}

/** A record response as the meter sends it: `05 06 <u32 ts> <u32 mg/dL>` in a packet. */
const recordPacket = fc
  .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 3 }))
  .map(([ts, mgdl, bits]) => {
    const message = new Uint8Array(10);
    const view = new DataView(message.buffer);
    message[0] = 0x05;
    message[1] = 0x06;
    view.setUint32(2, ts, true);
    view.setUint32(6, mgdl, true);
    return encodePacket(bits, message);
  });
const anyPacket = fc.tuple(fc.integer({ min: 0, max: 0x1f }), fc.uint8Array({ maxLength: 40 })).map(([lcb, message]) => encodePacket(lcb, message));

describe('properties', () => {
  it('random chunking of valid traffic gives the same packets and the same decoded records', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(recordPacket, anyPacket), { minLength: 1, maxLength: 12 }), fc.array(fc.nat(), { maxLength: 30 }), (packets, points) => {
        const stream = concatBytes(packets);
        const whole = frameAll([stream]);
        const chunked = frameAll(cutAt(stream, points));
        expect(whole.problems).toBe(0);
        expect(chunked.problems).toBe(0);
        expect(chunked.packets.map((p) => toHex(p.raw))).toEqual(packets.map((p) => toHex(p)));
        expect(chunked.packets.map((p) => decodeRecord(p.message))).toEqual(whole.packets.map((p) => decodeRecord(p.message)));
      }),
      { numRuns: RUNS },
    );
  });

  it('random garbage never throws and never yields a record', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 6 }), (chunks) => {
        const { packets } = frameAll(chunks);
        for (const p of packets) expect(decodeRecord(p.message).ok).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('valid packets survive random garbage between them, in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.uint8Array({ maxLength: 40 }), recordPacket), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (pairs, points) => {
          const stream = concatBytes(pairs.flatMap(([noise, packet]) => [noise, packet]));
          const got = frameAll(cutAt(stream, points)).packets.map((p) => toHex(p.raw));
          // Every valid packet comes out, in order (noise could, in theory, hold a valid packet of its own).
          let i = 0;
          for (const hex of got) if (hex === toHex(pairs[i]?.[1] ?? new Uint8Array(0))) i++;
          expect(i).toBe(pairs.length);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('decoders and normalize never throw on any message', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (message) => {
        for (const decode of [decodeVersion, decodeSerial, decodeUnit, decodeClock, decodeCount, decodeRecord]) {
          const out = decode(message);
          expect(typeof out.ok).toBe('boolean');
        }
        const record = decodeRecord(message);
        if (record.ok) expect(normalizeRecord(record.value, undefined).observations).toHaveLength(1);
      }),
      { numRuns: RUNS },
    );
  });

  it('a single flipped bit anywhere in a record packet is never decoded as a record', () => {
    fc.assert(
      fc.property(recordPacket, fc.nat(), fc.integer({ min: 0, max: 7 }), (packet, at, bit) => {
        const broken = Uint8Array.from(packet);
        const i = at % broken.length;
        broken[i] = (broken[i] ?? 0) ^ (1 << bit);
        const { packets, problems } = frameAll([broken]);
        expect(packets).toEqual([]);
        expect(problems).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
  });
});
