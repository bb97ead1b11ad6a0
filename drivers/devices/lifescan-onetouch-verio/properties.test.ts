import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runAgainstSimulator, type Chunker } from '../../kit/index.ts';
import { encodePacket } from '../../families/lifescan/packets.ts';
import { BLOCK_SIZE, encodeCsw } from '../../families/usb-storage/bot.ts';
import { decodeClock, decodeCount, decodeDone, decodeRecord, decodeText, decodeUnit, packetFromBlock } from './decode.ts';
import { decodeProbe } from './decode-probe.ts';
import { lifescanOnetouchVerioDriver as driver } from './index.ts';
import { normalizeRecord } from './normalize.ts';

const RUNS = 1000;

/** A record reply as the Verio sends it (PROTOCOL.md §6), in a zero-padded sector. */
const recordFields = fc.record({
  inverse: fc.integer({ min: 0, max: 0xffff }),
  flags: fc.integer({ min: 0, max: 0xff }),
  lifetime: fc.integer({ min: 0, max: 0xffff }),
  seconds: fc.integer({ min: 0, max: 0xffffffff }),
  mgdl: fc.integer({ min: 0, max: 0xffff }),
  meal: fc.integer({ min: 0, max: 3 }),
});

function recordBlock(r: { inverse: number; flags: number; lifetime: number; seconds: number; mgdl: number; meal: number }): Uint8Array {
  const message = new Uint8Array(18);
  const view = new DataView(message.buffer);
  message[0] = 0x03;
  message[1] = 0x06;
  view.setUint16(2, r.inverse, true);
  message[4] = r.flags;
  view.setUint16(5, r.lifetime, true);
  view.setUint32(7, r.seconds, true);
  view.setUint16(11, r.mgdl, true);
  message[13] = r.meal;
  message[16] = 0x0b;
  const block = new Uint8Array(BLOCK_SIZE);
  block.set(encodePacket(0, message));
  return block;
}

describe('properties', () => {
  it('every record field survives the round trip through a sector; control is flags bit 0, never a patient result', () => {
    fc.assert(
      fc.property(recordFields, (r) => {
        const packet = packetFromBlock(recordBlock(r));
        expect(packet.ok).toBe(true);
        if (!packet.ok) return;
        const decoded = decodeRecord(packet.message);
        expect(decoded).toMatchObject({ ok: true, value: { inverse: r.inverse, lifetime: r.lifetime, meterSeconds: r.seconds, mgdl: r.mgdl, control: (r.flags & 1) === 1 } });
        if (!decoded.ok) return;
        const normalized = normalizeRecord(decoded.value, 'mg/dL');
        expect(normalized.kind).toBe((r.flags & 1) === 1 ? 'control' : 'patient');
        expect(normalized.observations[0]?.value).toMatchObject({ unit: 'mg/dL' });
      }),
      { numRuns: RUNS },
    );
  });

  it('one flipped bit in the packet is never taken for a good reply', () => {
    fc.assert(
      fc.property(recordFields, fc.nat({ max: 23 }), fc.nat({ max: 7 }), (r, at, bit) => {
        const block = recordBlock(r);
        block[at] = (block[at] ?? 0) ^ (1 << bit);
        expect(packetFromBlock(block).ok).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('the decoders and decodeProbe never throw on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 5 }), (bytes, chunks) => {
        packetFromBlock(bytes);
        for (const d of [decodeText, decodeUnit, decodeClock, decodeDone, decodeCount, decodeRecord]) d(bytes);
        expect(decodeProbe([...chunks, bytes, encodeCsw(1, 0, 0)])).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('decodeProbe finds every record of a recorded download', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'memory' });
    const fromMeter = run.traffic.filter((c) => c.direction === 'in').map((c) => c.bytes);
    expect(decodeProbe(fromMeter)).toBe(20);
  });

  it('the same readings however the meter’s transfers are cut (64-byte packets, single bytes)', async () => {
    const packets64: Chunker = (bytes) => Array.from({ length: Math.ceil(bytes.length / 64) }, (_, i) => bytes.subarray(i * 64, i * 64 + 64));
    const whole = await runAgainstSimulator(driver, { scenario: 'notes' });
    const cut = await runAgainstSimulator(driver, { scenario: 'notes', chunker: packets64 });
    const strip = (rs: typeof whole.result.readings): unknown[] => rs.map(({ receivedAt: _r, ...rest }) => rest);
    expect(strip(cut.result.readings)).toEqual(strip(whole.result.readings));
    expect(cut.result.readings).toHaveLength(2);
  });
});
