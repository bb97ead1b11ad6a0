import { describe, expect, it } from 'vitest';
import { crc16CcittFalse, toHex } from '../../kit/index.ts';
import { encodeDataReports } from '../../families/cp2110/index.ts';
import { decodeClock, decodeCount, decodeEcho, decodeGlue, decodeSerial } from '../../families/isens/index.ts';
import { normalizeRecord } from '../../families/isens/index.ts';
import { CMD, IspcFramer, encodeFrame, encodeTime, frameCrc, glueRequest, type Frame } from '../../families/isens/index.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(s.split(' ').map((b) => parseInt(b, 16)));
const only = (bytes: Uint8Array): Frame => {
  const out = new IspcFramer().push(bytes).frames;
  const item = out[0];
  if (out.length !== 1 || item?.kind !== 'frame') throw new Error(`expected one frame, got ${JSON.stringify(out)}`);
  return item.frame;
};

describe('isens-caresens protocol (the notes’ vectors, PROTOCOL.md §6)', () => {
  it('CRC-16/CCITT-FALSE self-check', () => {
    expect(crc16CcittFalse(new TextEncoder().encode('123456789'))).toBe(0x29b1);
  });

  it('builds every request vector byte for byte', () => {
    expect(toHex(encodeFrame(CMD.serial))).toBe('02 69 53 50 63 07 52 53 4E 42 B1 4C 03');
    expect(toHex(encodeFrame(CMD.readClock))).toBe('02 69 53 50 63 07 52 54 49 4D 75 CF 03');
    expect(toHex(encodeFrame(CMD.count))).toBe('02 69 53 50 63 07 4E 43 4F 54 BB 7F 03');
    expect(toHex(glueRequest(1, 27))).toBe('02 69 53 50 63 0A 47 4C 55 45 00 01 1B EA 31 03');
    expect(toHex(encodeFrame(CMD.setClock, encodeTime({ year: 2024, month: 3, day: 5, hour: 14, minute: 30, second: 0 })))).toBe('02 69 53 50 63 0D 57 54 49 4D 18 03 05 0E 1E 00 9F 28 03');
    // Over the CP2110: report id = byte count.
    expect(toHex(encodeDataReports(encodeFrame(CMD.serial))[0] ?? new Uint8Array())).toBe('0D 02 69 53 50 63 07 52 53 4E 42 B1 4C 03');
  });

  it('reads the NCOT = 37 reply and the GLUE reply vector', () => {
    expect(decodeCount(only(hex('02 69 53 50 63 09 4E 43 4F 54 00 25 43 BE 03')))).toEqual({ ok: true, value: 37 });
    const glue = decodeGlue(only(hex('02 69 53 50 63 19 47 4C 55 45 18 03 05 07 2A 00 10 00 68 18 03 04 15 05 00 02 00 A5 F8 87 03')), 2);
    if (!glue.ok) throw new Error(glue.reason);
    expect(glue.value.map((r) => [r.time.ok && r.time.value.deviceTime, r.flags, r.value])).toEqual([
      ['2024-03-05T07:42:00', 0x10, 104],
      ['2024-03-04T21:05:00', 0x02, 165],
    ]);
  });

  it('does not check a GLUE reply’s CRC, checks every other', () => {
    const glue = encodeFrame(CMD.glucose, [0x18, 3, 5, 7, 42, 0, 0x20, 0, 100]);
    glue.fill(0, glue.length - 3, glue.length - 1);
    expect(new IspcFramer().push(glue).frames[0]?.kind).toBe('frame');
    const count = encodeFrame(CMD.count, [0, 1]);
    count[count.length - 2] = (count[count.length - 2] ?? 0) ^ 1;
    const out = new IspcFramer().push(count);
    expect(out.frames[0]?.kind).toBe('corrupt');
    expect(out.problems[0]?.code).toBe('PROTOCOL_CHECKSUM');
    expect(frameCrc(encodeFrame(CMD.count, [0, 1]))).toBe(((encodeFrame(CMD.count, [0, 1]).at(-3) ?? 0) << 8) | (encodeFrame(CMD.count, [0, 1]).at(-2) ?? 0));
  });

  it('hands the ECHO answer out as loose bytes and reads its generation', () => {
    const out = new IspcFramer().push(Uint8Array.of(0x2e, ...encodeFrame(CMD.count, [0, 2])));
    expect(out.frames.map((f) => f.kind)).toEqual(['loose', 'frame']);
    expect(decodeEcho(Uint8Array.of(0x2e))).toBe(3);
    expect(decodeEcho(Uint8Array.of(0x20))).toBe(1);
    expect(decodeEcho(Uint8Array.of(0x2f))).toBe(2);
    expect(decodeEcho(Uint8Array.of(0x55))).toBe('unknown');
  });

  it('refuses error replies, wrong commands and GLUE replies of the wrong length', () => {
    expect(decodeCount(only(encodeFrame('ECRC')))).toEqual({ ok: false, reason: 'the meter answered ECRC (CRC error)' });
    expect(decodeClock(only(encodeFrame(CMD.count, [0, 1]))).ok).toBe(false);
    expect(decodeGlue(only(encodeFrame(CMD.glucose, [1, 2, 3])), 1).ok).toBe(false);
    expect(decodeSerial(only(encodeFrame(CMD.serial, [...new TextEncoder().encode(' CSN0042 '), 0x7f])))).toEqual({ ok: true, value: 'CSN0042' });
  });

  it('normalizes flags: control, HI/LO only when 0x80 says so or beyond the range, ketone in mmol/L', () => {
    const n = (flags: number, value: number) => {
      const r = normalizeRecord(flags, value);
      return r.ok ? [r.kind, r.observations[0]?.value, r.flags] : r.reason;
    };
    expect(n(0x21, 110)).toEqual(['control', { kind: 'quantity', value: 110, unit: 'mg/dL' }, ['control-solution']]);
    expect(n(0x88, 600)).toEqual(['patient', { kind: 'quantity', value: 600, unit: 'mg/dL', comparator: '>' }, ['out-of-range:high']]);
    expect(n(0x08, 300)).toEqual(['patient', { kind: 'quantity', value: 300, unit: 'mg/dL' }, []]);
    expect(n(0x84, 20)).toEqual(['patient', { kind: 'quantity', value: 20, unit: 'mg/dL', comparator: '<' }, ['out-of-range:low']]);
    expect(n(0x10, 104)).toEqual(['patient', { kind: 'quantity', value: 104, unit: 'mg/dL' }, ['meal:fasting']]);
    expect(n(0x02, 165)).toEqual(['patient', { kind: 'quantity', value: 165, unit: 'mg/dL' }, ['meal:after']]);
    expect(n(0x40, 12)).toEqual(['patient', { kind: 'quantity', value: 1.2, unit: 'mmol/L', decimals: 1 }, []]);
    expect(n(0xc8, 80)).toEqual(['patient', { kind: 'quantity', value: 8, unit: 'mmol/L', comparator: '>', decimals: 1 }, ['out-of-range:high']]);
    expect(typeof n(0xc4, 1)).toBe('string');
  });
});
