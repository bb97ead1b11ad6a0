import { describe, expect, it } from 'vitest';
import { fromLatin1, latin1 } from '../../kit/index.ts';
import { COMMANDS, MessageFramer, decodeCommand, encodeCommand, encodeInputReport, formatMessage, messageChecksum, parseInputReport, splitInputReports } from './protocol.ts';

/** A raw input report: count byte then text, unpadded. */
const report = (text: string, count = text.length): Uint8Array => Uint8Array.from([count, ...fromLatin1(text)]);

describe('TRUE Metrix framing (PROTOCOL.md §1–2)', () => {
  it('every one of the eight command constants carries its own sum (the notes\' published vectors)', () => {
    for (const command of Object.values(COMMANDS)) {
      const m = /^\((.*)\)([0-9A-F]{2})$/.exec(command);
      expect(m, command).not.toBeNull();
      expect(formatMessage(m?.[1] ?? '')).toBe(command);
    }
    expect(messageChecksum('I')).toBe(0x9a);
  });

  it('encodes a command as A0 LL ASCII, zero-padded to 64 bytes, and reads it back', () => {
    const bytes = encodeCommand(COMMANDS.identify);
    expect(Array.from(bytes.slice(0, 8))).toEqual([0xa0, 0x05, 0x28, 0x49, 0x29, 0x39, 0x41, 0x00]);
    expect(bytes).toHaveLength(64);
    expect(decodeCommand(bytes)).toBe('(I)9A');
    expect(decodeCommand(Uint8Array.of(0x01, 0x02))).toBeUndefined();
    expect(() => encodeCommand('(\u00ff)')).toThrow(RangeError);
  });

  it('reads the example stream of PROTOCOL.md §5 as its messages', () => {
    const framer = new MessageFramer();
    const out = framer.push(report('(iMR2)8B(z1ABC12345)C1'));
    expect(out.problems).toEqual([]);
    expect(out.frames.map((f) => f.payload)).toEqual(['iMR2', 'z1ABC12345']);
    expect(latin1(out.frames[1]?.raw ?? new Uint8Array())).toBe('(z1ABC12345)C1');
    const records = framer.push(report('(g5320C2E606800)70(g5320B1AE07800)7A(xN0510)DD'));
    expect(records.frames.map((f) => f.payload)).toEqual(['g5320C2E606800', 'g5320B1AE07800', 'xN0510']);
  });

  it('joins a message split across reports, and ignores the padding after the count', () => {
    const framer = new MessageFramer();
    const padded = new Uint8Array(64);
    padded.set(report('(t0030'));
    padded[20] = 0x41; // padding beyond the count is never read
    expect(framer.push(padded).frames).toEqual([]);
    expect(framer.push(report('14050324)1B')).frames.map((f) => f.payload)).toEqual(['t003014050324']);
  });

  it('reports a wrong sum, text outside a message, a reopened message and bad reports — and makes no frame of them', () => {
    const framer = new MessageFramer();
    expect(framer.push(report('(iMR2)8C')).problems.map((p) => p.code)).toEqual(['PROTOCOL_CHECKSUM']);
    expect(framer.push(report('xx(iMR2)8B')).problems.map((p) => p.code)).toEqual(['PROTOCOL_GARBAGE']);
    const reopened = framer.push(report('(g532(iMR2)8B'));
    expect(reopened.problems.map((p) => p.code)).toEqual(['PROTOCOL_TRUNCATED']);
    expect(reopened.frames.map((f) => f.payload)).toEqual(['iMR2']);
    expect(framer.push(report('(iMR2)ZZ')).problems.map((p) => p.code)).toEqual(['PROTOCOL_GARBAGE']);
    expect(parseInputReport(report('abc', 9)).ok).toBe(false);
    expect(parseInputReport(Uint8Array.of(64)).ok).toBe(false);
    expect(parseInputReport(new Uint8Array(0)).ok).toBe(false);
    expect(framer.push(report(`(${'1'.repeat(200)}`)).problems.map((p) => p.code)).toEqual(['PROTOCOL_GARBAGE']);
    expect(framer.flush().problems).toEqual([]);
    framer.push(report('(g5'));
    expect(framer.flush().problems.map((p) => p.code)).toEqual(['PROTOCOL_TRUNCATED']);
  });

  it('splits meter text into input reports of at most 63 bytes', () => {
    const text = 'x'.repeat(130);
    const reports = splitInputReports(text);
    expect(reports.map((r) => r[0])).toEqual([63, 63, 4]);
    expect(reports.every((r) => r.length === 64)).toBe(true);
    expect(() => encodeInputReport('x'.repeat(64))).toThrow(RangeError);
  });
});
