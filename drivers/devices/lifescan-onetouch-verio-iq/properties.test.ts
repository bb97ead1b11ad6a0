import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutAt, framesAndProblems } from '../../../test/helpers/chunked-stream.ts';
import { concatBytes, runAgainstSimulator, toHex, type Chunker } from '../../kit/index.ts';
import { PacketFramer, encodePacket, type Packet } from '../../families/lifescan/packets.ts';
import { decodeClock, decodeCount, decodeDone, decodeRecord, decodeSerial, decodeUnit, decodeVersion } from './decode.ts';
import { lifescanOnetouchVerioIqDriver as driver } from './index.ts';
import { normalizeRecord } from './normalize.ts';

const RUNS = 1000;

function frameAll(chunks: Uint8Array[]): { packets: Packet[]; problems: number } {
  const { frames, problems } = framesAndProblems(new PacketFramer(), chunks);
  return { packets: frames, problems: problems.length };
}

/** A record reply as the Verio IQ sends it: `03 06 <u32 time> <u16 mg/dL> C M 00 00`, LCB 00. */
const recordPacket = fc
  .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 3 }))
  .map(([ts, mgdl, control, meal]) => {
    const message = new Uint8Array(12);
    const view = new DataView(message.buffer);
    message[0] = 0x03;
    message[1] = 0x06;
    view.setUint32(2, ts, true);
    view.setUint16(6, mgdl, true);
    message[8] = control;
    message[9] = meal;
    return encodePacket(0, message);
  });
const anyPacket = fc.uint8Array({ maxLength: 40 }).map((message) => encodePacket(0, message));

describe('properties', () => {
  it('random chunking of valid traffic gives the same packets and the same decoded records', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(recordPacket, anyPacket), { minLength: 1, maxLength: 12 }), fc.array(fc.nat(), { maxLength: 30 }), (packets, points) => {
        const stream = concatBytes(packets);
        const whole = frameAll([stream]);
        const chunked = frameAll(cutAt(stream, points));
        expect(chunked.problems).toBe(0);
        expect(chunked.packets.map((p) => toHex(p.raw))).toEqual(packets.map((p) => toHex(p)));
        expect(chunked.packets.map((p) => decodeRecord(p.message))).toEqual(whole.packets.map((p) => decodeRecord(p.message)));
      }),
      { numRuns: RUNS },
    );
  });

  it('every decoder and normalize take any bytes without throwing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 48 }), (message) => {
        for (const decode of [decodeVersion, decodeSerial, decodeUnit, decodeClock, decodeDone, decodeCount]) decode(message);
        const record = decodeRecord(message);
        if (record.ok) {
          const n = normalizeRecord(record.value, 'mg/dL');
          expect(n.observations.length).toBe(1);
          expect(n.kind === 'control').toBe(record.value.control);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('garbage between valid packets never hides or changes a record', () => {
    fc.assert(
      fc.property(fc.array(recordPacket, { minLength: 1, maxLength: 6 }), fc.array(fc.uint8Array({ maxLength: 12 }), { minLength: 7, maxLength: 7 }), (packets, noise) => {
        // Noise without STX (0x02) cannot start a packet; it must be skipped and reported.
        const clean = noise.map((n) => n.map((b) => (b === 0x02 ? 0x00 : b)));
        const stream = concatBytes(packets.flatMap((p, i) => [clean[i] ?? new Uint8Array(0), p]));
        const { packets: found } = frameAll([stream]);
        expect(found.map((p) => toHex(p.raw))).toEqual(packets.map((p) => toHex(p)));
      }),
      { numRuns: RUNS },
    );
  });

  it('the whole download gives the same readings however the meter’s bytes are cut', async () => {
    const reference = (await runAgainstSimulator(driver, { scenario: 'checksum-error' })).result.readings.map((r) => [r.deviceTime, r.kind, r.flags, r.observations]);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 0xffff }), async (seed) => {
        let state = seed;
        const random = (): number => ((state = (state * 48271) % 0x7fffffff) / 0x7fffffff);
        const chunker: Chunker = (data) => {
          const out: Uint8Array[] = [];
          for (let at = 0; at < data.length; ) {
            const n = 1 + Math.floor(random() * 9);
            out.push(data.subarray(at, at + n));
            at += n;
          }
          return out;
        };
        const run = await runAgainstSimulator(driver, { scenario: 'checksum-error', chunker });
        expect(run.result.readings.map((r) => [r.deviceTime, r.kind, r.flags, r.observations])).toEqual(reference);
      }),
      { numRuns: 15 },
    );
  });
});
