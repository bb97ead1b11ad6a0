import { describe, expect, it } from 'vitest';
import { fromLatin1 } from '../../kit/index.ts';
import { decodeClock, decodeCount, decodeRecord, decodeSerial, decodeUnit, decodeVersion, meterLocalTime, meterSecondsFromEpochMs } from './decode.ts';
import { PacketFramer } from './protocol.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(s.trim().split(/\s+/), (b) => parseInt(b, 16));
const bytes = (...parts: (number | string)[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...fromLatin1(p)] : [p])));
/** The message of a whole packet, through the framer (so the CRC is checked too). */
function messageOf(packet: string): Uint8Array {
  const out = new PacketFramer().push(hex(packet));
  expect(out.problems).toEqual([]);
  return out.frames[0]?.message ?? new Uint8Array(0);
}

describe('the responses of PROTOCOL.md §9', () => {
  it('count response 05 0F 96 00 is 150 records', () => {
    expect(decodeCount(messageOf('02 0A 02 05 0F 96 00 03 D5 CB'))).toEqual({ ok: true, value: 150 });
  });

  it('record 0 is 81 mg/dL at 2015-03-21 16:45:24 meter local time', () => {
    expect(decodeRecord(messageOf('02 10 01 05 06 24 A0 0D 55 51 00 00 00 03 BD 5B'))).toEqual({
      ok: true,
      value: { meterSeconds: 0x550da024, deviceTime: '2015-03-21T16:45:24', mgdl: 81 },
    });
  });
});

describe('record count: both status bytes are accepted [INFERRED] (PROTOCOL.md §5)', () => {
  it('reads 05 0F <u16> (glucometerutils rewrite)', () => {
    expect(decodeCount(hex('05 0F 2C 01'))).toEqual({ ok: true, value: 300 });
  });
  it('reads 05 06 <u16> (Tidepool skips the two bytes)', () => {
    expect(decodeCount(hex('05 06 2C 01'))).toEqual({ ok: true, value: 300 });
  });
  it('treats any other status as a device error', () => {
    expect(decodeCount(hex('05 09'))).toMatchObject({ ok: false, kind: 'status', status: 9 });
  });
  it('rejects a count without its two bytes', () => {
    expect(decodeCount(hex('05 0F 2C'))).toMatchObject({ ok: false, kind: 'malformed' });
  });
});

describe('software version: both readings of the layout [INFERRED] (PROTOCOL.md §5)', () => {
  it('splits a 17-character text into Tidepool’s version and date', () => {
    expect(decodeVersion(bytes(0x05, 0x06, 0x11, 'P02.00.0030/08/06'))).toEqual({ ok: true, value: 'P02.00.00 30/08/06' });
  });
  it('reads a length byte and that many characters (glucometerutils), ignoring what follows', () => {
    expect(decodeVersion(bytes(0x05, 0x06, 0x05, 'V1.23', 0x00, 0x00))).toEqual({ ok: true, value: 'V1.23' });
  });
  it('falls back to Tidepool’s reading (all after the third byte) when the length byte does not fit', () => {
    expect(decodeVersion(bytes(0x05, 0x06, 0x40, 'V1.23'))).toEqual({ ok: true, value: 'V1.23' });
    expect(decodeVersion(bytes(0x05, 0x06, 0x00, 'V1.23'))).toEqual({ ok: true, value: 'V1.23' });
  });
  it('rejects an empty version and a wrong prefix', () => {
    expect(decodeVersion(hex('05 06 00'))).toMatchObject({ ok: false, kind: 'malformed' });
    expect(decodeVersion(bytes(0x04, 0x06, 0x05, 'V1.23'))).toMatchObject({ ok: false, kind: 'malformed' });
  });
});

describe('serial number, unit, clock (PROTOCOL.md §5)', () => {
  it('reads the serial number to the end of the message, NUL padding dropped', () => {
    expect(decodeSerial(bytes(0x05, 0x06, 'C3ZZ12345', 0x00))).toEqual({ ok: true, value: 'C3ZZ12345' });
    expect(decodeSerial(hex('05 06 00 00'))).toMatchObject({ ok: false, kind: 'malformed' });
  });

  it('reads the unit setting, and keeps an unknown byte as undefined', () => {
    expect(decodeUnit(hex('05 06 00 00 00 00'))).toEqual({ ok: true, value: { unit: 'mg/dL', byte: 0 } });
    expect(decodeUnit(hex('05 06 01 00 00 00'))).toEqual({ ok: true, value: { unit: 'mmol/L', byte: 1 } });
    expect(decodeUnit(hex('05 06 07 00 00 00'))).toEqual({ ok: true, value: { unit: undefined, byte: 7 } });
  });

  it('reads the clock as a naive meter-local wall-clock time', () => {
    expect(decodeClock(hex('05 06 24 A0 0D 55'))).toEqual({ ok: true, value: { meterSeconds: 0x550da024, deviceTime: '2015-03-21T16:45:24' } });
    expect(decodeClock(hex('05 06 24 A0 0D'))).toMatchObject({ ok: false, kind: 'malformed' });
  });

  it('turns an instant into the wall-clock seconds the meter keeps, in the workstation zone', () => {
    const epoch = Date.UTC(2015, 2, 21, 16, 45, 24, 900);
    // Tests run with TZ=UTC, so the wall clock equals UTC here.
    expect(meterSecondsFromEpochMs(epoch)).toBe(0x550da024);
    expect(meterLocalTime(0)).toBe('1970-01-01T00:00:00');
    expect(meterLocalTime(0xffffffff)).toBe('2106-02-07T06:28:15');
  });
});

describe('records and errors (PROTOCOL.md §5)', () => {
  it('reads a record and ignores trailing bytes, as both projects do', () => {
    expect(decodeRecord(hex('05 06 00 00 00 00 FF FF 00 00 AA'))).toEqual({ ok: true, value: { meterSeconds: 0, deviceTime: '1970-01-01T00:00:00', mgdl: 0xffff } });
  });
  it('turns status 0x09 into a device error, not a record', () => {
    expect(decodeRecord(hex('05 09'))).toMatchObject({ ok: false, kind: 'status', status: 9 });
  });
  it.each([['empty', ''], ['one byte', '05'], ['short', '05 06 24 A0 0D 55 51 00 00'], ['prefix', '06 06 24 A0 0D 55 51 00 00 00']])('rejects a %s message', (_name, text) => {
    expect(decodeRecord(text ? hex(text) : new Uint8Array(0))).toMatchObject({ ok: false, kind: 'malformed' });
  });
});
