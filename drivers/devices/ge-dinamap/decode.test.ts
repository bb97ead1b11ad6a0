import { describe, expect, it } from 'vitest';
import { fromLatin1 } from '../../kit/index.ts';
import { decodeReply } from './decode.ts';
import { asciiChecksum, encodeMessage } from './protocol.ts';

const reply = (text: string): Uint8Array => fromLatin1(text);

describe('ge-dinamap checksum (PROTOCOL.md §3)', () => {
  it('gives the literal commands every source hard-codes', () => {
    expect(['NC0', 'ND', 'NA', 'OA', 'RA', 'TC', 'RC'].map(encodeMessage)).toEqual([' NC0!E\r', ' ND!5\r', ' NA!2\r', ' OA!3\r', ' RA!6\r', ' TC!:\r', ' RC!8\r']);
  });

  it('folds back by 0xFFF past 0xFFF', () => {
    // Each '~' adds 0x5F = 95. After 44 the sum is 4180 > 0xFFF: 4180 − 4095 = 85; 20 more give
    // 85 + 1900 = 1985 = 0x7C1 → 0x20 + 0x1F = '?', 0x20 + 0x01 = '!'.
    expect(asciiChecksum('~'.repeat(64))).toBe('?!');
  });
});

describe('ge-dinamap replies (PROTOCOL.md §3.5 examples)', () => {
  it('NA: complete, 120 s ago, 120/80 MAP 93', () => {
    expect(decodeReply('NA', reply(' NA1100120120080093%^'))).toMatchObject({ ok: true, checksumOk: true, reply: { status: 1, secondsSince: 120, systolic: 120, diastolic: 80, mean: 93 } });
  });
  it('OA, RA, TC', () => {
    expect(decodeReply('OA', reply(' OA1097908#L'))).toMatchObject({ ok: true, checksumOk: true, reply: { status: 1, spo2: 97 } });
    expect(decodeReply('RA', reply(' RA2072"E'))).toMatchObject({ ok: true, checksumOk: true, reply: { source: 2, rate: 72 } });
    expect(decodeReply('TC', reply(' TC00!0003009860%"'))).toMatchObject({ ok: true, checksumOk: true, reply: { status: 0, counter: '!', secondsSince: 30, tenthsF: 986 } });
  });
  it('a wrong checksum still decodes, flagged', () => {
    expect(decodeReply('OA', reply(' OA1097908#M'))).toMatchObject({ ok: true, checksumOk: false, expected: '#L', got: '#M', reply: { spo2: 97 } });
  });
  it('wrong echo, wrong length and blank values', () => {
    expect(decodeReply('RA', reply(' OA1097908#L'))).toMatchObject({ ok: false, code: 'PROTOCOL_UNEXPECTED' });
    expect(decodeReply('NA', reply(' NA110012012008009%^'))).toMatchObject({ ok: false, code: 'PROTOCOL_GARBAGE' });
    expect(decodeReply('NA', reply(' NA3109999         xx'))).toMatchObject({ ok: true, reply: { status: 3, secondsSince: undefined, systolic: undefined } });
  });
});
