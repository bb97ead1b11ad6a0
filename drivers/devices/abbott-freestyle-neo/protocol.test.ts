import { describe, expect, it } from 'vitest';
import { fromLatin1, latin1, toHex } from '../../kit/index.ts';
import {
  LOG_EMPTY,
  MAX_COMMAND_BYTES,
  MAX_REPLY_BYTES,
  ReportFramer,
  TextReplyAssembler,
  encodeReport,
  encodeTextCommand,
  formatTextReply,
  parseMultiRecord,
  parseReport,
  parseTextReply,
  splitFields,
  splitPayloads,
  textChecksum,
  type HidReport,
} from './protocol.ts';

const hexBytes = (text: string): Uint8Array => Uint8Array.from(text.trim().split(/\s+/), (h) => parseInt(h, 16));

/** The three IN reports of the `$result?` reply of the PROTOCOL.md §3 example, verbatim. */
const NOTES_RESULT_REPORTS = [
  '60 3E 37 2C 32 32 34 2C 33 2C 32 31 2C 31 35 2C 31 36 2C 34 35 2C 30 2C 38 31 2C 30 2C 31 2C 30 2C 30 2C 30 2C 30 2C 30 2C 30 2C 30 2C 30 0D 0A 39 2C 32 32 35 2C 33 2C 32 31 2C 31 35 2C 31 37',
  '60 3E 2C 32 2C 30 2C 39 2C 31 0D 0A 37 2C 32 32 36 2C 33 2C 32 32 2C 31 35 2C 37 2C 35 38 2C 30 2C 48 49 2C 30 2C 31 2C 30 2C 30 2C 30 2C 30 2C 30 2C 30 2C 30 2C 30 0D 0A 33 2C 30 30 30 30 31',
  '60 1C 35 32 43 0D 0A 43 4B 53 4D 3A 30 30 30 30 31 37 33 44 0D 0A 43 4D 44 20 4F 4B 0D 0A',
].map(hexBytes);

const NOTES_RECORDS = [
  '7,224,3,21,15,16,45,0,81,0,1,0,0,0,0,0,0,0,0',
  '9,225,3,21,15,17,2,0,9,1',
  '7,226,3,22,15,7,58,0,HI,0,1,0,0,0,0,0,0,0,0',
];

function report(bytes: Uint8Array): HidReport {
  const parsed = parseReport(bytes);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.report;
}

describe('checksums (PROTOCOL.md §3)', () => {
  it('reproduces the verified vectors', () => {
    expect(textChecksum('2.1.2\r\n')).toBe(0x108);
    expect(textChecksum('DB Record Number = 226988\r\n')).toBe(0x765);
    expect(formatTextReply('2.1.2\r\n')).toBe('2.1.2\r\nCKSM:00000108\r\nCMD OK\r\n');
  });

  it('gives the CKSM lines of the PROTOCOL.md §3 example exchanges, and 00000000 for an empty message', () => {
    expect(formatTextReply('JGGA123-K1234\r\n')).toBe('JGGA123-K1234\r\nCKSM:00000308\r\nCMD OK\r\n');
    expect(formatTextReply('3,21,15\r\n')).toBe('3,21,15\r\nCKSM:0000016B\r\nCMD OK\r\n');
    expect(formatTextReply('16,45\r\n')).toBe('16,45\r\nCKSM:00000113\r\nCMD OK\r\n');
    expect(formatTextReply('')).toBe('CKSM:00000000\r\nCMD OK\r\n');
    expect(formatTextReply('', false)).toBe('CKSM:00000000\r\nCMD Fail!\r\n');
  });
});

describe('host reports (PROTOCOL.md §2–3)', () => {
  it('encodes the verified outgoing vector: type 0x17 "command", zero-padded to 64', () => {
    const out = encodeReport(0x17, fromLatin1('command'));
    expect(out.length).toBe(64);
    expect(toHex(out.subarray(0, 9))).toBe('17 07 63 6F 6D 6D 61 6E 64');
    expect(out.subarray(9).every((b) => b === 0)).toBe(true);
  });

  it('encodes the example text commands bare, without CR LF', () => {
    expect(toHex(encodeTextCommand('$serlnum?').subarray(0, 11))).toBe('60 09 24 73 65 72 6C 6E 75 6D 3F');
    expect(toHex(encodeTextCommand('$date?').subarray(0, 8))).toBe('60 06 24 64 61 74 65 3F');
    expect(toHex(encodeTextCommand('$time?').subarray(0, 8))).toBe('60 06 24 74 69 6D 65 3F');
    expect(toHex(encodeTextCommand('$result?').subarray(0, 10))).toBe('60 08 24 72 65 73 75 6C 74 3F');
    expect(encodeTextCommand('$result?')[10]).toBe(0);
  });

  it('refuses a command over 54 bytes or with non-ASCII bytes (a bug, not a device condition)', () => {
    expect(encodeTextCommand('$'.padEnd(MAX_COMMAND_BYTES, 'x'))[1]).toBe(54);
    expect(() => encodeTextCommand('$'.padEnd(MAX_COMMAND_BYTES + 1, 'x'))).toThrow(RangeError);
    expect(() => encodeTextCommand('$ptname,Zoë')).toThrow(RangeError);
    expect(() => encodeReport(0x60, new Uint8Array(63))).toThrow(RangeError);
  });
});

describe('device reports', () => {
  it('reads type, length and payload, and ignores garbage padding', () => {
    const padded = new Uint8Array(64).fill(0xee);
    padded.set([0x71, 0x01, 0x01]);
    const r = report(padded);
    expect(r.type).toBe(0x71);
    expect(Array.from(r.payload)).toEqual([0x01]);
    expect(report(Uint8Array.of(0x22, 0x01, 0x05)).type).toBe(0x22);
  });

  it('rejects malformed reports with a reason instead of throwing', () => {
    expect(parseReport(new Uint8Array(0))).toMatchObject({ ok: false, code: 'PROTOCOL_TRUNCATED' });
    expect(parseReport(Uint8Array.of(0x60))).toMatchObject({ ok: false, code: 'PROTOCOL_TRUNCATED' });
    expect(parseReport(Uint8Array.of(0x60, 0x3f, 0x41))).toMatchObject({ ok: false, code: 'PROTOCOL_GARBAGE' });
    expect(parseReport(Uint8Array.of(0x60, 0x05, 0x41, 0x42))).toMatchObject({ ok: false, code: 'PROTOCOL_TRUNCATED' });
    expect(parseReport(new Uint8Array(65))).toMatchObject({ ok: false, code: 'PROTOCOL_GARBAGE' });
    const framer = new ReportFramer();
    expect(framer.push(Uint8Array.of(0x60)).problems).toHaveLength(1);
    expect(framer.push(NOTES_RESULT_REPORTS[2] as Uint8Array).frames).toHaveLength(1);
    expect(framer.flush()).toEqual({ frames: [], problems: [] });
  });
});

describe('the example $result? reply (PROTOCOL.md §3)', () => {
  it('reassembles from its three reports (62 + 62 + 28) and passes both checksums', () => {
    const assembler = new TextReplyAssembler();
    const states = NOTES_RESULT_REPORTS.map((r) => assembler.push(report(r)));
    expect(states).toEqual(['more', 'more', 'complete']);
    expect(NOTES_RESULT_REPORTS.map((r) => r[1])).toEqual([62, 62, 28]);
    const reply = parseTextReply(assembler.text);
    expect(reply).toEqual({ ok: true, status: 'OK', message: `${NOTES_RECORDS.join('\r\n')}\r\n3,0000152C\r\n` });
    if (!reply.ok) return;
    const multi = parseMultiRecord(reply.message);
    expect(multi.ok && multi.lines.map((l) => l.text)).toEqual(NOTES_RECORDS);
    // The middle record straddles the first two reports; the last one the last two.
    if (!multi.ok) return;
    const [first, second, third] = multi.lines;
    expect(assembler.reportsFor(first?.start ?? 0, first?.end ?? 0)).toHaveLength(1);
    expect(assembler.reportsFor(second?.start ?? 0, second?.end ?? 0)).toHaveLength(2);
    expect(assembler.reportsFor(third?.start ?? 0, third?.end ?? 0).map((r) => r[1])).toEqual([62]);
  });

  it('is the same text that formatTextReply and splitPayloads produce', () => {
    const body = NOTES_RECORDS.map((r) => `${r}\r\n`).join('');
    const text = formatTextReply(`${body}3,0000152C\r\n`);
    expect(text).toContain('CKSM:0000173D\r\nCMD OK\r\n');
    const payloads = splitPayloads(text);
    expect(payloads.map((p) => p.length)).toEqual([62, 62, 28]);
    expect(payloads.map((p) => toHex(encodeReport(0x60, p).subarray(0, 2 + p.length)))).toEqual(NOTES_RESULT_REPORTS.map((r) => toHex(r)));
  });

  it('completes when the end marker is split across reports, and stops at the size limit', () => {
    const text = formatTextReply('1\r\n');
    const assembler = new TextReplyAssembler();
    const states = splitPayloads(text, [text.length - 3, 3]).map((p) => assembler.push(report(encodeReport(0x60, p))));
    expect(states).toEqual(['more', 'complete']);
    const endless = new TextReplyAssembler();
    const chunk = report(encodeReport(0x60, new Uint8Array(62).fill(0x41)));
    let state = endless.push(chunk);
    while (state === 'more') state = endless.push(chunk);
    expect(state).toBe('overflow');
    expect(endless.text.length).toBeGreaterThan(MAX_REPLY_BYTES);
  });
});

describe('text reply checks', () => {
  it('reports a wrong CKSM, a malformed reply, and passes CMD Fail! on', () => {
    expect(parseTextReply('2.1.2\r\nCKSM:00000109\r\nCMD OK\r\n')).toMatchObject({ ok: false, code: 'PROTOCOL_CHECKSUM' });
    expect(parseTextReply('2.1.2\r\nCMD OK\r\n')).toMatchObject({ ok: false, code: 'PROTOCOL_GARBAGE' });
    expect(parseTextReply('2.1.2\r\nCKSM:00000108\r\nCMD OK\r\nxx')).toMatchObject({ ok: false, code: 'PROTOCOL_GARBAGE' });
    expect(parseTextReply('CKSM:00000000\r\nCMD Fail!\r\n')).toEqual({ ok: true, status: 'Fail', message: '' });
  });

  it('checks the multi-record trailer: empty log, inner checksum, count', () => {
    expect(parseMultiRecord(LOG_EMPTY)).toEqual({ ok: true, lines: [] });
    expect(parseMultiRecord('7,1,1,1,15,1,1,0,90\r\n1,00000000\r\n')).toMatchObject({ ok: false, code: 'PROTOCOL_CHECKSUM' });
    const body = '7,1,1,1,15,1,1,0,90\r\n';
    const sum = textChecksum(body).toString(16).toUpperCase().padStart(8, '0');
    expect(parseMultiRecord(`${body}1,${sum}\r\n`)).toMatchObject({ ok: true, lines: [{ text: '7,1,1,1,15,1,1,0,90', start: 0, end: body.length }] });
    expect(parseMultiRecord(`${body}2,${sum}\r\n`)).toMatchObject({ ok: false, code: 'PROTOCOL_CHECKSUM' });
    expect(parseMultiRecord(body)).toMatchObject({ ok: false, code: 'PROTOCOL_GARBAGE' });
    expect(parseMultiRecord('')).toMatchObject({ ok: false, code: 'PROTOCOL_GARBAGE' });
  });
});

describe('fields', () => {
  it('splits on commas, keeping quoted commas and doubled quotes', () => {
    expect(splitFields('1,2,,3')).toEqual(['1', '2', '', '3']);
    expect(splitFields('"Walk, 30 min","say ""hi""",""')).toEqual(['Walk, 30 min', 'say "hi"', '']);
    expect(splitFields('')).toEqual(['']);
  });

  it('cuts payloads at the sizes given, never over 62 or under 1 byte', () => {
    expect(splitPayloads('abcdefg', [2, 3]).map(latin1)).toEqual(['ab', 'cde', 'fg']);
    expect(splitPayloads('x'.repeat(70), [100]).map((p) => p.length)).toEqual([62, 8]);
    expect(splitPayloads('abc', [0]).map(latin1)).toEqual(['a', 'b', 'c']);
  });
});
