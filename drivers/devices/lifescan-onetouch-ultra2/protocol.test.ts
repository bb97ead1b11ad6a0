import { describe, expect, it } from 'vitest';
import { fromLatin1, latin1, toHex } from '../../kit/index.ts';
import { UltraFramer, checkLine, encodeCommand, formatLine, lineChecksum, type UltraFrame } from './protocol.ts';

/** PROTOCOL.md §4: every published vector, with the text it covers. */
const VECTORS: [string, string][] = [
  // glucometerutils test vectors
  ['T', '0054'],
  ['T "SAT","08/03/13","22:12:00   "', '0608'],
  ['@ "12345678O"', '0297'],
  // Tidepool's real dump (source comment of oneTouchUltra2.js)
  ['P 003,"GMF600DCY","MG/DL "', '05A6'],
  ['P "SAT","03/21/15","16:45:24   ","  081 ","N","03", 00', '09B6'],
  ['P "SAT","03/21/15","16:42:11   ","  105 ","B","02", 00', '099F'],
  ['P "SAT","03/21/15","16:39:46   ","  176 ","N","02", 00', '09C1'],
];

/** Lines of PROTOCOL.md §9 whose checksums we computed (not published vectors, but exact). */
const COMPUTED: [string, string][] = [
  ['@ "GMF600DCY"', '02F4'],
  ['?P02.00.00 30/08/06', '03BC'],
  ['F "SAT","03/21/15","16:47:02   "', '0604'],
  ['SU?,"MG/DL "', '02CA'],
  ['T "SAT","03/21/15","16:50:00   "', '060A'],
  ['P "SAT","03/21/15","16:30:05   ","C 142 ","N","00", 00', '09CD'],
];

const frames = (framer: UltraFramer, ...chunks: string[]): UltraFrame[] => chunks.flatMap((c) => framer.push(fromLatin1(c)).frames);

describe('checksum (PROTOCOL.md §4)', () => {
  it.each(VECTORS)('verified vector %j → %s', (text, sum) => {
    expect(lineChecksum(text)).toBe(sum);
    expect(checkLine(fromLatin1(`${text} ${sum}`))).toMatchObject({ kind: 'line', text });
  });

  it.each(COMPUTED)('PROTOCOL.md §9 line %j → %s', (text, sum) => {
    expect(lineChecksum(text)).toBe(sum);
  });

  it('is a plain 16-bit sum that wraps at 65536 and is printed with 4 uppercase digits', () => {
    expect(lineChecksum('')).toBe('0000');
    expect(lineChecksum('\u00ff'.repeat(257))).toBe(((255 * 257) & 0xffff).toString(16).toUpperCase().padStart(4, '0'));
    expect(lineChecksum('\u00ff'.repeat(300))).toBe('2AD4'); // 76500 - 65536 = 10964 = 0x2AD4
  });

  it('rejects a wrong checksum, a lowercase checksum, and a line with no checksum', () => {
    expect(checkLine(fromLatin1('T 0055'))).toMatchObject({ kind: 'bad', code: 'PROTOCOL_CHECKSUM' });
    expect(checkLine(fromLatin1('P 003,"GMF600DCY","MG/DL " 05a6'))).toMatchObject({ kind: 'bad', code: 'PROTOCOL_TRUNCATED' });
    expect(checkLine(fromLatin1('P "SAT","03/21/15","16:45:24   ","  0'))).toMatchObject({ kind: 'bad', code: 'PROTOCOL_TRUNCATED' });
    expect(checkLine(fromLatin1('T  0054'))).toMatchObject({ kind: 'bad', code: 'PROTOCOL_CHECKSUM' }); // text "T " sums to 0074
  });

  it('formats a line as the meter does: text, space, checksum, CR LF (or the ending given)', () => {
    expect(formatLine('T')).toBe('T 0054\r\n');
    expect(formatLine('T', '\r')).toBe('T 0054\r');
  });
});

describe('commands (PROTOCOL.md §3, §9)', () => {
  it('are 11 0D, the letters and a trailing 0D, byte for byte as in PROTOCOL.md §9', () => {
    expect(toHex(encodeCommand('DM@'))).toBe('11 0D 44 4D 40 0D');
    expect(toHex(encodeCommand('DM?'))).toBe('11 0D 44 4D 3F 0D');
    expect(toHex(encodeCommand('DMF'))).toBe('11 0D 44 4D 46 0D');
    expect(toHex(encodeCommand('DMP'))).toBe('11 0D 44 4D 50 0D');
    expect(toHex(encodeCommand('DMT03/21/15 16:50:00'))).toBe('11 0D 44 4D 54 30 33 2F 32 31 2F 31 35 20 31 36 3A 35 30 3A 30 30 0D');
  });

  it('can leave out the trailing CR, as Tidepool does [inferred optional]', () => {
    expect(toHex(encodeCommand('DMP', false))).toBe('11 0D 44 4D 50');
  });
});

describe('UltraFramer', () => {
  const dumpLine = 'P "SAT","03/21/15","16:45:24   ","  081 ","N","03", 00 09B6';

  it('reads lines ended by CR LF, CR alone or LF alone, and drops empty lines', () => {
    const framer = new UltraFramer();
    const out = frames(framer, `T 0054\r\n${dumpLine}\r`, `@ "12345678O" 0297\n\r\n`);
    expect(out.map((f) => (f.kind === 'line' ? f.text : f.kind))).toEqual(['T', dumpLine.slice(0, -5), '@ "12345678O"']);
  });

  it('gives the line bytes without the terminator as raw (the PROTOCOL.md §9 dump line)', () => {
    const [frame] = frames(new UltraFramer(), `${dumpLine}\r\n`);
    expect(toHex(frame?.raw ?? new Uint8Array())).toBe(
      '50 20 22 53 41 54 22 2C 22 30 33 2F 32 31 2F 31 35 22 2C 22 31 36 3A 34 35 3A 32 34 20 20 20 22 2C 22 20 20 30 38 31 20 22 2C 22 4E 22 2C 22 30 33 22 2C 20 30 30 20 30 39 42 36',
    );
  });

  it('gives the same lines however the bytes are cut', () => {
    const stream = `P 003,"GMF600DCY","MG/DL " 05A6\r\n${dumpLine}\r\n`;
    const whole = frames(new UltraFramer(), stream);
    for (let cut = 1; cut < stream.length; cut++) {
      expect(frames(new UltraFramer(), stream.slice(0, cut), stream.slice(cut))).toEqual(whole);
    }
    expect(frames(new UltraFramer(), ...stream.split(''))).toEqual(whole);
  });

  it('makes a lone 0x00 its own frame (not in PC-link mode), but keeps a 0x00 inside a line', () => {
    const framer = new UltraFramer();
    expect(frames(framer, '\u0000').map((f) => f.kind)).toEqual(['nul']);
    expect(frames(framer, '\u0000\u0000T 0054\r\n').map((f) => f.kind)).toEqual(['nul', 'nul', 'line']);
    // A 0x00 adds nothing to the sum, so the line passes; the decoders then refuse its text.
    expect(frames(framer, '@\u0000"12345678O" 0277\r\n')).toMatchObject([{ kind: 'line', text: '@\u0000"12345678O"' }]);
  });

  it('skips an over-long line and reports it, then reads on', () => {
    const framer = new UltraFramer();
    const out = framer.push(fromLatin1(`${'x'.repeat(600)}\r\nT 0054\r\n`));
    expect(out.problems).toMatchObject([{ code: 'PROTOCOL_GARBAGE' }]);
    expect(out.frames).toMatchObject([{ kind: 'line', text: 'T' }]);
  });

  it('hands back a half-received line once (a reply cut short) and reports one left at the end', () => {
    const framer = new UltraFramer();
    expect(frames(framer, '@ "1234')).toEqual([]);
    expect(latin1(framer.takePartial())).toBe('@ "1234');
    expect(framer.takePartial().length).toBe(0);
    framer.push(fromLatin1('P 0'));
    expect(framer.flush().problems).toMatchObject([{ code: 'PROTOCOL_TRUNCATED' }]);
    expect(framer.flush().problems).toEqual([]);
  });
});
