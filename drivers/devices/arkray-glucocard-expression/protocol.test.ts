import { describe, expect, it } from 'vitest';
import { decodeClock, decodeSerial, decodeSlot, encodeSlot } from './decode.ts';
import { normalizeRecord } from './normalize.ts';
import { HOST_START, METER_START, OPCODE, PacketFramer, encodePacket } from './protocol.ts';

const hexBytes = (s: string): Uint8Array => Uint8Array.from(s.split(' ').map((h) => parseInt(h, 16)));

describe('GLUCOCARD Expression packets and records (PROTOCOL.md §2–5)', () => {
  it('builds the notes\' host packets byte for byte', () => {
    expect(encodePacket(HOST_START, OPCODE.ping)).toEqual(hexBytes('AA 00 00 00 00 00 00 00 00 00 00'));
    expect(encodePacket(HOST_START, OPCODE.readClock)).toEqual(hexBytes('AA 07 00 00 00 00 00 00 00 00 07'));
    expect(encodePacket(HOST_START, OPCODE.readSerial)).toEqual(hexBytes('AA 0F 00 00 00 00 00 00 00 00 0F'));
    expect(encodePacket(HOST_START, OPCODE.readMemory)).toEqual(hexBytes('AA 10 00 00 00 00 00 00 00 00 10'));
    expect(encodePacket(HOST_START, OPCODE.writeClock, [0x18, 3, 5, 0x0e, 0x1e])).toEqual(hexBytes('AA 16 18 03 05 0E 1E 00 00 00 62'));
  });

  it('decodes the notes\' record: 2024-03-05 07:42, 104 mg/dL, not control; and encodes it back', () => {
    const framer = new PacketFramer();
    const out = framer.push(hexBytes('DD 10 98 30 E5 A8 68 00 BA 00 87'));
    expect(out.problems).toEqual([]);
    const slot = decodeSlot(out.frames[0]?.payload ?? new Uint8Array());
    expect(slot).toEqual({ kind: 'record', record: { unit: 'mg/dL', control: false, value: 104, time: { text: '2024-3-5 7:42', local: '2024-03-05T07:42:00' } } });
    expect(encodeSlot({ year: 2024, month: 3, day: 5, hour: 7, minute: 42, value: 104 })).toEqual([0x98, 0x30, 0xe5, 0xa8, 0x68, 0x00, 0xba, 0x00]);
  });

  it('empty slots, a wrong field sum, control, HI/LO and mmol/L', () => {
    expect(decodeSlot(new Uint8Array(8).fill(0xff))).toEqual({ kind: 'empty' });
    const wrong = Uint8Array.from([0x98, 0x30, 0xe5, 0xa8, 0x68, 0x00, 0xbb, 0x00]);
    expect(decodeSlot(wrong).kind).toBe('bad');
    const rec = (value: number, extra: { control?: boolean; mgdl?: boolean } = {}) => {
      const d = decodeSlot(Uint8Array.from(encodeSlot({ year: 2026, month: 1, day: 2, hour: 3, minute: 4, value, ...extra })));
      if (d.kind !== 'record') throw new Error(d.kind);
      return normalizeRecord(d.record);
    };
    expect(rec(110, { control: true })).toMatchObject({ kind: 'control', flags: ['control-solution'] });
    expect(rec(600).observations[0]).toMatchObject({ value: { value: 600, comparator: '>' }, interpretation: 'HH' });
    expect(rec(20).observations[0]).toMatchObject({ value: { value: 20, comparator: '<' }, interpretation: 'LL' });
    expect(rec(21).observations[0]?.value).toEqual({ kind: 'quantity', value: 21, unit: 'mg/dL' });
    expect(rec(55, { mgdl: false }).observations[0]?.value).toEqual({ kind: 'unmapped', label: 'glucose (meter set to mmol/L)', text: 'raw value 55' });
  });

  it('serial reversed, clock packed', () => {
    expect(decodeSerial(Uint8Array.from([...'65432AXG'].map((c) => c.charCodeAt(0))))).toBe('GXA23456');
    expect(decodeClock(Uint8Array.from([0x18, 0x03, 0xe5, 0xa8]))).toEqual({ text: '2024-3-5 7:42', local: '2024-03-05T07:42:00' });
    expect(decodeClock(new Uint8Array(8)).local).toBeUndefined();
  });

  it('finds packets after noise and after a damaged packet; reports both', () => {
    const good = encodePacket(METER_START, OPCODE.ping, [1]);
    const bad = Uint8Array.from(good);
    bad[10] = 0x55;
    const out = new PacketFramer().push(Uint8Array.from([0x01, 0x02, ...bad, ...good]));
    expect(out.frames).toHaveLength(1);
    expect(out.problems.map((p) => p.code)).toContain('PROTOCOL_CHECKSUM');
    expect(out.problems.map((p) => p.code)).toContain('PROTOCOL_GARBAGE');
    const framer = new PacketFramer();
    framer.push(good.subarray(0, 5));
    expect(framer.flush().problems.map((p) => p.code)).toEqual(['PROTOCOL_TRUNCATED']);
  });
});
