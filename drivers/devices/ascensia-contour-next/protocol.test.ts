import { describe, expect, it } from 'vitest';
import { ASTM, concatBytes, encodeAstmFrame, fromLatin1, latin1, toHex } from '../../kit/index.ts';
import { CONTOUR_FRAMES, type FrameVector } from '../../families/astm/vectors.ts';
import { MAX_PAYLOAD_BYTES, payloadsOf, tokenLabel, unwrapReport, wrapReport } from './protocol.ts';

const frame3 = CONTOUR_FRAMES[2] as FrameVector;

describe('HID reports (PROTOCOL.md §3)', () => {
  it('frame 3 of the PROTOCOL.md §4 examples as one IN report: ABC, length 0x38 (56), the frame', () => {
    const report = wrapReport(encodeAstmFrame(frame3.number, frame3.text, frame3.last));
    expect(report).toHaveLength(64);
    expect(toHex(report.subarray(0, 60))).toBe(
      '41 42 43 38 02 33 52 7C 31 7C 5E 5E 5E 47 6C 75 63 6F 73 65 7C 39 33 7C 6D 67 2F 64 4C 5E 50 7C 7C 41 2F 4D 30 2F 54 31 7C 7C 32 30 31 35 30 35 32 36 31 31 35 30 0D 17 37 30 0D 0A',
    );
    expect(report.subarray(60).every((b) => b === 0)).toBe(true);
  });

  it('the host ACK report is 41 42 43 01 06 and 59 zero bytes', () => {
    const ack = wrapReport(Uint8Array.of(ASTM.ACK));
    expect(Array.from(ack.subarray(0, 5))).toEqual([0x41, 0x42, 0x43, 0x01, 0x06]);
    expect(ack.subarray(5)).toEqual(new Uint8Array(59));
  });

  it('refuses to wrap more than 60 bytes', () => {
    expect(() => wrapReport(new Uint8Array(61))).toThrow(RangeError);
  });

  it('unwraps the payload; n = 60 means the transfer continues', () => {
    expect(unwrapReport(wrapReport(fromLatin1('abc')))).toEqual({ payload: fromLatin1('abc'), continues: false });
    const full = unwrapReport(wrapReport(new Uint8Array(60).fill(0x41)));
    expect(full.continues).toBe(true);
    expect(full.payload).toHaveLength(60);
    expect(unwrapReport(wrapReport(new Uint8Array()))).toEqual({ payload: new Uint8Array(), continues: false });
  });

  it('reads a report with another header (the meter ignores ABC on output; input may too), and says so', () => {
    const out = unwrapReport(Uint8Array.of(0, 0, 0, 1, ASTM.ENQ, 0, 0));
    expect(Array.from(out.payload)).toEqual([ASTM.ENQ]);
    expect(out.problem?.code).toBe('PROTOCOL_UNEXPECTED');
  });

  it.each([
    ['too short', Uint8Array.of(0x41, 0x42, 0x43), 'PROTOCOL_GARBAGE', 0],
    ['length over 60', Uint8Array.of(0x41, 0x42, 0x43, 61, 1, 2), 'PROTOCOL_GARBAGE', 0],
    ['length beyond the report', Uint8Array.of(0x41, 0x42, 0x43, 5, 0x05, 0x06), 'PROTOCOL_TRUNCATED', 2],
  ])('rejects or trims a malformed report (%s) without throwing', (_why, report, code, kept) => {
    const out = unwrapReport(report);
    expect(out.problem?.code).toBe(code);
    expect(out.payload).toHaveLength(kept);
  });

  it('payloadsOf cuts a stream into 60-byte pieces', () => {
    const stream = fromLatin1('x'.repeat(150));
    expect(payloadsOf(stream).map((p) => p.length)).toEqual([60, 60, 30]);
    expect(latin1(concatBytes(payloadsOf(stream)))).toBe('x'.repeat(150));
    expect(payloadsOf(new Uint8Array())).toEqual([]);
    expect(MAX_PAYLOAD_BYTES).toBe(60);
  });

  it('labels tokens for the live trace view', () => {
    expect(tokenLabel({ type: 'control', byte: ASTM.ENQ })).toBe('ENQ');
    const raw = encodeAstmFrame(3, frame3.text, false);
    expect(tokenLabel({ type: 'frame', number: 3, text: fromLatin1(frame3.text), last: false, valid: true, raw })).toBe('R frame 3');
    expect(tokenLabel({ type: 'frame', number: 3, text: fromLatin1(frame3.text), last: false, valid: false, raw })).toBe('bad frame 3');
  });
});
