import { describe, expect, it } from 'vitest';
import { PacketFramer } from '../../families/lifescan/packets.ts';
import { decodeClock, decodeCount, decodeDone, decodeRecord, decodeSerial, decodeUnit, decodeVersion } from './decode.ts';
import { normalizeRecord } from './normalize.ts';
import { COMMAND, readRecordCommand, requestPacket, writeClockCommand } from './protocol.ts';
import { toHex } from '../../kit/index.ts';

const fromHex = (hex: string): Uint8Array => Uint8Array.from(hex.split(' '), (h) => parseInt(h, 16));

/** The message of one packet given in hex (PROTOCOL.md §9), checked by the framer first. */
function messageOf(hex: string): Uint8Array {
  const out = new PacketFramer().push(fromHex(hex));
  expect(out.problems).toEqual([]);
  const packet = out.frames[0];
  if (!packet) throw new Error(`no packet in ${hex}`);
  return packet.message;
}

describe('the notes’ constructed vectors (PROTOCOL.md §9), CRCs included', () => {
  it.each([
    ['READ RECORD #0', readRecordCommand(0), '02 0A 00 03 21 00 00 03 9D D2'],
    ['READ SERIAL', COMMAND.serial, '02 0A 00 03 0B 01 02 03 2A DC'],
    ['READ UNIT', COMMAND.unit, '02 0A 00 03 09 02 02 03 12 68'],
    ['READ RTC', COMMAND.readClock, '02 09 00 03 20 02 03 D4 92'],
    ['READ RECORD COUNT', COMMAND.count, '02 09 00 03 27 00 03 26 71'],
    ['WRITE RTC 2024-03-05 14:30:00', writeClockCommand(0x2d79e8e8), '02 0D 00 03 20 01 E8 E8 79 2D 03 EC 21'],
  ])('%s', (_name, message, packet) => {
    expect(toHex(requestPacket(message))).toBe(packet);
  });

  it('the record reply: 2024-03-05 07:42, 104 mg/dL, not control, before a meal', () => {
    const decoded = decodeRecord(messageOf('02 12 00 03 06 48 89 79 2D 68 00 00 01 00 00 03 A1 E8'));
    expect(decoded).toEqual({
      ok: true,
      value: { meterSeconds: 0x2d798948, deviceTime: '2024-03-05T07:42:00', mgdl: 104, control: false, controlByte: 0, meal: 'before', mealByte: 1 },
    });
    if (decoded.ok) expect(normalizeRecord(decoded.value, 'mg/dL')).toMatchObject({ kind: 'patient', flags: ['meal:before'] });
  });

  it('the clock reply and the record count', () => {
    expect(decodeClock(messageOf('02 0C 00 03 06 E8 E8 79 2D 03 88 E1'))).toEqual({ ok: true, value: { meterSeconds: 0x2d79e8e8, deviceTime: '2024-03-05T14:30:00' } });
    expect(decodeCount(messageOf('02 0A 00 03 06 25 00 03 C8 D9'))).toEqual({ ok: true, value: 37 });
    expect(decodeDone(messageOf('02 08 00 03 06 03 E8 44'))).toEqual({ ok: true, value: true });
  });
});

describe('decoders', () => {
  it('serial and version: ASCII up to the NUL; the version after its length byte', () => {
    expect(decodeSerial(Uint8Array.of(0x03, 0x06, 0x41, 0x42, 0x31, 0x00, 0x7a))).toEqual({ ok: true, value: 'AB1' });
    expect(decodeVersion(Uint8Array.of(0x03, 0x06, 3, 0x56, 0x31, 0x2e, 0x00))).toEqual({ ok: true, value: 'V1.' });
    expect(decodeSerial(Uint8Array.of(0x03, 0x06, 0x00))).toMatchObject({ ok: false, kind: 'malformed' });
  });

  it('units, and an unknown unit byte kept as undefined', () => {
    expect(decodeUnit(Uint8Array.of(0x03, 0x06, 0x01, 0, 0, 0))).toEqual({ ok: true, value: { unit: 'mmol/L', byte: 1 } });
    expect(decodeUnit(Uint8Array.of(0x03, 0x06, 0x07, 0, 0, 0))).toEqual({ ok: true, value: { unit: undefined, byte: 7 } });
  });

  it('a status other than 06 is a device error; the prefix is not checked', () => {
    expect(decodeCount(Uint8Array.of(0x03, 0x09))).toMatchObject({ ok: false, kind: 'status', status: 9 });
    expect(decodeCount(Uint8Array.of(0x04, 0x06, 0x02, 0x00))).toEqual({ ok: true, value: 2 });
    expect(decodeRecord(Uint8Array.of(0x03, 0x06, 1, 2, 3))).toMatchObject({ ok: false, kind: 'malformed' });
  });

  it('control solution (C = 01) is a control reading; HI/LO codes go to the bounds', () => {
    const control = decodeRecord(Uint8Array.of(0x03, 0x06, 0, 0, 0, 0, 0x80, 0x00, 0x01, 0x00, 0, 0));
    expect(control.ok && control.value.control).toBe(true);
    if (control.ok) expect(normalizeRecord(control.value, undefined)).toMatchObject({ kind: 'control', flags: ['control-solution'] });
    const hi = normalizeRecord({ mgdl: 0xffff, control: false, meal: 'none' }, 'mmol/L');
    expect(hi.observations[0]).toMatchObject({ value: { value: 600, unit: 'mg/dL', comparator: '>' }, interpretation: 'HH' });
    expect(hi.flags).toEqual(['out-of-range:high', 'display-unit:mmol/L']);
    expect(normalizeRecord({ mgdl: 19, control: false, meal: 'after' }, 'mg/dL').flags).toEqual(['out-of-range:low', 'meal:after']);
  });
});
