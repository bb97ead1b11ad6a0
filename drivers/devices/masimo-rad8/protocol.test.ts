import { describe, expect, it } from 'vitest';
import { fromLatin1, latin1 } from '../../kit/index.ts';
import { createLineFramer, MAX_LINE_BYTES, parseLine } from './protocol.ts';

describe('createLineFramer', () => {
  it('splits on CR LF, LF or CR and drops empty lines', () => {
    const framer = createLineFramer();
    const out = framer.push(fromLatin1('a\r\n\r\nb\nc\rd'));
    expect(out.frames.map(latin1)).toEqual(['a', 'b', 'c']);
    expect(framer.flush().problems.map((p) => p.code)).toEqual(['PROTOCOL_TRUNCATED']);
  });

  it('reports a stream that ends inside an over-long line (a line end never came)', () => {
    const framer = createLineFramer();
    expect(framer.push(new Uint8Array(MAX_LINE_BYTES * 3).fill(0x41))).toEqual({ frames: [], problems: [] });
    const end = framer.flush();
    expect(end.frames).toEqual([]);
    expect(end.problems).toHaveLength(1);
    expect(end.problems[0]?.code).toBe('PROTOCOL_TRUNCATED');
  });

  it('reports an over-long line once, at its end, and then reads on', () => {
    const framer = createLineFramer();
    const out = framer.push(fromLatin1(`${'x'.repeat(MAX_LINE_BYTES + 5)}\r\nok\r\n`));
    expect(out.problems.map((p) => p.code)).toEqual(['PROTOCOL_GARBAGE']);
    expect(out.frames.map(latin1)).toEqual(['ok']);
    expect(framer.flush()).toEqual({ frames: [], problems: [] });
  });
});

describe('parseLine', () => {
  it('gives the prefix as numbers and the tokens in order', () => {
    const parsed = parseLine(fromLatin1('02/22/16 22:47:45 SN=0000056661  SPO2=098%   '));
    expect(parsed).toEqual({
      ok: true,
      line: { month: 2, day: 22, year2: 16, hour: 22, minute: 47, second: 45, tokens: [['SN', '0000056661'], ['SPO2', '098%']] },
    });
  });

  it('says why a line is not ASCII 1', () => {
    expect(parseLine(fromLatin1('hello'))).toMatchObject({ ok: false, reason: 'no-prefix' });
    expect(parseLine(fromLatin1('02/22/16 22:47:45 SPO2=098% junk'))).toMatchObject({ ok: false, reason: 'bad-token' });
    expect(parseLine(fromLatin1('02/22/16 22:47:45 A=B=C'))).toMatchObject({ ok: false, reason: 'bad-token' });
  });
});
