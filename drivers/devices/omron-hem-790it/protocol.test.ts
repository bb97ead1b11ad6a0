import { describe, expect, it } from 'vitest';
import { fromLatin1, toHex } from '../../kit/index.ts';
import { END_COMMAND, InputReportFramer, VERSION_COMMAND, answerReports, countCommand, encodeCommand, parseAnswer, readingCommand, toReports } from './protocol.ts';

const hex = (b: Uint8Array): string => toHex(b);
const bytes = (text: string): Uint8Array => Uint8Array.from(text.split(' ').map((h) => parseInt(h, 16)));

describe('omron-hem-790it protocol (PROTOCOL.md §1–5)', () => {
  it('builds the notes\' commands: VER00, END, GME newest record, with the XOR checksum', () => {
    expect(hex(VERSION_COMMAND)).toBe('56 45 52 30 30');
    expect(hex(END_COMMAND)).toBe('45 4E 44 FF FF');
    expect(hex(readingCommand(0, 0))).toBe('47 4D 45 00 00 00 00 00');
    expect(hex(readingCommand(1, 0x0105))).toBe('47 4D 45 00 01 01 05 05');
    expect(hex(countCommand(0))).toBe('47 44 43 00 00 00 00 00');
    expect(hex(countCommand(1))).toBe('47 44 43 00 01 00 00 01');
    expect(() => encodeCommand('gme', [])).toThrow(RangeError);
  });

  it('cuts a command into 8-byte reports with a count byte, as the notes show GME', () => {
    expect(toReports(readingCommand(0, 0)).map(hex)).toEqual(['07 47 4D 45 00 00 00 00', '01 00 00 00 00 00 00 00']);
    expect(toReports(VERSION_COMMAND).map(hex)).toEqual(['05 56 45 52 30 30 00 00']);
  });

  it('checks the notes\' VER, GDC and GME answers; their checksums are the XOR of the data', () => {
    const ver = parseAnswer(bytes('4F 4B 00 4D 37 30 38 30 49 54 20 32 30 37 4A'), 12);
    expect(ver).toEqual({ kind: 'ok', data: Uint8Array.from([...fromLatin1('M7080IT 207'), 0x4a]) });
    expect(parseAnswer(bytes('4F 4B 00 00 0A 00 08 02'), 5).kind).toBe('ok');
    expect(parseAnswer(bytes('4F 4B 00 07 01 03 00 06 33 00 00 70 4B 47 00 00 4C'), 14).kind).toBe('ok');
    expect(answerReports(bytes('07 01 03 00 06 33 00 00 70 4B 47 00 00')).map(hex)).toEqual(['07 4F 4B 00 07 01 03 00', '07 06 33 00 00 70 4B 47', '03 00 00 4C 00 00 00 00']);
  });

  it('tells NO, a bad checksum, a wrong length and a wrong third byte apart', () => {
    expect(parseAnswer(fromLatin1('NO'), 14)).toEqual({ kind: 'no' });
    expect(parseAnswer(bytes('4F 4B 00 00 0A 00 08 03'), 5)).toMatchObject({ kind: 'bad', code: 'PROTOCOL_CHECKSUM' });
    expect(parseAnswer(bytes('4F 4B 00 00 0A 00 08'), 5)).toMatchObject({ kind: 'bad', code: 'PROTOCOL_UNEXPECTED' });
    expect(parseAnswer(bytes('4F 4B 01 00 0A 00 08 02'), 5)).toMatchObject({ kind: 'bad', code: 'PROTOCOL_UNEXPECTED' });
    expect(parseAnswer(bytes('4F 46 46 0D 0A'), 5)).toMatchObject({ kind: 'bad', code: 'PROTOCOL_UNEXPECTED' });
  });

  it('takes the valid bytes of an input report and refuses short or miscounted reports', () => {
    const framer = new InputReportFramer();
    expect(framer.push(bytes('02 4F 4B 00 00 00 00 00'))).toEqual({ frames: [{ data: fromLatin1('OK'), raw: bytes('02 4F 4B 00 00 00 00 00') }], problems: [] });
    expect(framer.push(bytes('02 4F 4B')).problems[0]?.code).toBe('PROTOCOL_TRUNCATED');
    expect(framer.push(bytes('08 4F 4B 00 00 00 00 00')).problems[0]?.code).toBe('PROTOCOL_GARBAGE');
    expect(framer.push(bytes('00 4F 4B 00 00 00 00 00')).problems[0]?.code).toBe('PROTOCOL_GARBAGE');
    expect(framer.push(new Uint8Array(9)).problems[0]?.code).toBe('PROTOCOL_GARBAGE');
  });
});
