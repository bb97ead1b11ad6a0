import { describe, expect, it } from 'vitest';
import { toHex } from '../../kit/index.ts';
import { decodeConnect, decodeCount, decodeDateTime, decodeModel, decodeRecordValue, decodeSerialPart } from './decode.ts';
import { normalizeRecord } from './normalize.ts';
import { CMD, FROM_METER, TaidocFramer, encodeDateTime, encodePacket, recordRequest, type Packet } from './protocol.ts';

const bytes = (s: string): Uint8Array => Uint8Array.from(s.split(' ').map((h) => parseInt(h, 16)));
const hex = (b: Uint8Array): string => toHex(b, 100);
const packetOf = (s: string): Packet => {
  const out = new TaidocFramer().push(bytes(s));
  const item = out.frames[0];
  if (item?.kind !== 'packet') throw new Error(`not a packet: ${s}`);
  return item.packet;
};

describe('TaiDoc packets (PROTOCOL.md §3, §9)', () => {
  it('builds the verified connect vector and the notes’ constructed requests', () => {
    expect(hex(encodePacket(CMD.connect))).toBe(hex(bytes('51 22 00 00 00 00 A3 16')));
    expect(hex(encodePacket(CMD.model))).toBe(hex(bytes('51 24 00 00 00 00 A3 18')));
    expect(hex(encodePacket(CMD.recordCount))).toBe(hex(bytes('51 2B 00 00 00 00 A3 1F')));
    expect(hex(recordRequest(CMD.recordTime, 1))).toBe(hex(bytes('51 25 01 00 00 00 A3 1A')));
    expect(hex(recordRequest(CMD.recordValue, 0))).toBe(hex(bytes('51 26 00 00 00 00 A3 1A')));
    expect(hex(encodePacket(CMD.setClock, encodeDateTime({ year: 2024, month: 3, day: 5, hour: 14, minute: 30 })))).toBe(hex(bytes('51 33 65 30 1E 0E A3 E8')));
    expect(hex(encodePacket(CMD.turnOff))).toBe(hex(bytes('51 50 00 00 00 00 A3 44')));
  });

  it('decodes the published datetimes (glucometerutils tests)', () => {
    expect(decodeDateTime(bytes('21 24 0E 15'))).toMatchObject({ ok: true, value: { deviceTime: '2018-01-01T21:14:00' } });
    expect(decodeDateTime(bytes('21 26 0E 15'))).toMatchObject({ ok: true, value: { deviceTime: '2019-01-01T21:14:00' } });
    expect(decodeDateTime(bytes('04 27 25 0D'))).toMatchObject({ ok: true, value: { deviceTime: '2019-08-04T13:37:00' } });
    expect(decodeDateTime(bytes('00 00 00 00')).ok).toBe(false);
    expect(decodeDateTime(bytes('5E 30 00 00')).ok).toBe(false); // 2024-02-30
  });

  it('decodes the notes’ replies: model TD-4277, count 37, 104 mg/dL before a meal', () => {
    expect(decodeModel(packetOf('51 24 77 42 01 00 A5 D4'))).toEqual({ ok: true, value: 'TD-4277' });
    expect(decodeCount(packetOf('51 2B 25 00 24 00 A5 6A'))).toEqual({ ok: true, value: 37 });
    const value = decodeRecordValue(packetOf('51 26 68 00 00 40 A5 C4'));
    expect(value).toMatchObject({ ok: true, value: { value: 104, type: 0, meal: 'before', control: false } });
    expect(decodeConnect(packetOf('51 54 00 00 00 00 A5 4A')).ok).toBe(true);
    expect(decodeModel(packetOf('51 2B 25 00 24 00 A5 6A')).ok).toBe(false);
  });

  it('reads the meal, control and type flags from the top six bits', () => {
    const v = (m3: number) => decodeRecordValue(packetOf(hex(encodePacket(CMD.recordValue, [0x78, 0, 0, m3], FROM_METER))));
    expect(v(0x80)).toMatchObject({ value: { meal: 'after', control: false, type: 0 } });
    expect(v(0xc0)).toMatchObject({ value: { meal: 'none', control: true, type: 0 } });
    expect(v(0x1c)).toMatchObject({ value: { type: 0x07 } });
  });

  it('reads a serial part reversed', () => {
    expect(decodeSerialPart(packetOf(hex(encodePacket(CMD.serialPart1, [0x78, 0x56, 0x34, 0x12], FROM_METER))), CMD.serialPart1)).toEqual({ ok: true, value: '12345678' });
  });

  it('frames across garbage, splits and a bad checksum', () => {
    const framer = new TaidocFramer();
    const good = bytes('51 24 77 42 01 00 A5 D4');
    const bad = bytes('51 24 77 42 01 00 A5 D5');
    const out1 = framer.push(Uint8Array.of(0x00, 0x51, 0x99, ...good.subarray(0, 3)));
    const out2 = framer.push(Uint8Array.of(...good.subarray(3), ...bad));
    expect(out1.frames).toEqual([]);
    expect(out2.frames.map((f) => f.kind)).toEqual(['packet', 'corrupt']);
    expect([...out1.problems, ...out2.problems].map((p) => p.code)).toEqual(['PROTOCOL_GARBAGE', 'PROTOCOL_GARBAGE', 'PROTOCOL_GARBAGE', 'PROTOCOL_CHECKSUM']);
    framer.push(good.subarray(0, 5));
    expect(framer.flush().problems.map((p) => p.code)).toEqual(['PROTOCOL_TRUNCATED']);
  });
});

describe('TaiDoc normalize (PROTOCOL.md §6)', () => {
  const base = { value: 104, type: 0, meal: 'none' as const, control: false };
  it('keeps mg/dL as stored, HI above 600 and LO below 20 at the bounds, control apart, meal flags', () => {
    expect(normalizeRecord(base)).toMatchObject({ kind: 'patient', flags: [], observations: [{ value: { value: 104, unit: 'mg/dL' } }] });
    expect(normalizeRecord({ ...base, value: 600 })?.observations[0]?.value).toMatchObject({ value: 600 });
    expect(normalizeRecord({ ...base, value: 601 })).toMatchObject({ flags: ['out-of-range:high'], observations: [{ value: { value: 600, comparator: '>' }, interpretation: 'HH' }] });
    expect(normalizeRecord({ ...base, value: 19 })).toMatchObject({ flags: ['out-of-range:low'], observations: [{ value: { value: 20, comparator: '<' }, interpretation: 'LL' }] });
    expect(normalizeRecord({ ...base, control: true })).toMatchObject({ kind: 'control', flags: ['control-solution'] });
    expect(normalizeRecord({ ...base, meal: 'after' })?.flags).toEqual(['meal:after']);
    expect(normalizeRecord({ ...base, type: 7 })).toBeUndefined();
  });
});
