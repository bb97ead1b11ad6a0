import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutAt } from '../../../test/helpers/chunked-stream.ts';
import { concatBytes, fromLatin1, latin1 } from '../bytes.ts';
import { AstmFramer, encodeAstmFrame, type AstmToken } from './astm-e1381.ts';
import type { Framer } from './framer.ts';
import { LineFramer } from './lines.ts';
import { StxEtxFramer } from './stx-etx.ts';

/** Feed `chunks` through a fresh framer and collect frames and problem codes. */
function run<F>(framer: Framer<F>, chunks: Uint8Array[]): { frames: F[]; problems: string[] } {
  const frames: F[] = [];
  const problems: string[] = [];
  for (const c of [...chunks.map((x) => framer.push(x)), framer.flush()]) {
    frames.push(...c.frames);
    problems.push(...c.problems.map((p) => p.code));
  }
  return { frames, problems };
}

describe('LineFramer', () => {
  it('splits on CR, LF and CR LF and drops empty lines', () => {
    const { frames } = run(new LineFramer(), [fromLatin1('a\r\nb\rc\n\r\n\nd\r\n')]);
    expect(frames.map(latin1)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('reports an over-long line as noise and recovers at the next terminator', () => {
    const { frames, problems } = run(new LineFramer({ maxLength: 8 }), [fromLatin1('0123456789ABCDEF\r\nok\r\n')]);
    expect(frames.map(latin1)).toEqual(['ok']);
    expect(problems).toEqual(['PROTOCOL_GARBAGE']);
  });

  it('reports a line cut off by the end of the stream as truncated', () => {
    expect(run(new LineFramer(), [fromLatin1('whole\r\nhal')]).problems).toEqual(['PROTOCOL_TRUNCATED']);
  });

  it('gives the same lines however the stream is cut (1,000 random cases)', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[ -~]{1,40}$/), { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 30 }), (lines, points) => {
        const data = fromLatin1(lines.map((l) => `${l}\r\n`).join(''));
        expect(run(new LineFramer(), cutAt(data, points)).frames.map(latin1)).toEqual(lines);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('StxEtxFramer', () => {
  it('frames STX…ETX with a trailer, skipping and reporting noise between frames', () => {
    const data = fromLatin1('zz\x02one\x03AB\x02two\x03CD');
    const { frames, problems } = run(new StxEtxFramer({ trailerLength: 2 }), [data]);
    expect(frames.map(latin1)).toEqual(['\x02one\x03AB', '\x02two\x03CD']);
    expect(problems).toEqual(['PROTOCOL_GARBAGE']);
  });

  it('a new STX inside a frame reports the old one as truncated and keeps the new one', () => {
    const { frames, problems } = run(new StxEtxFramer(), [fromLatin1('\x02cut\x02whole\x03')]);
    expect(frames.map(latin1)).toEqual(['\x02whole\x03']);
    expect(problems).toEqual(['PROTOCOL_TRUNCATED']);
  });

  it('never throws on random bytes (1,000 cases)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const { frames } = run(new StxEtxFramer({ trailerLength: 1 }), [bytes]);
        for (const f of frames) expect(f[0]).toBe(0x02);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('AstmFramer (E1381)', () => {
  it('decodes the verified vector and the control bytes around it', () => {
    // The record ends with CR before ETX (E1381), as in the python-astm vector.
    const data = concatBytes([Uint8Array.of(0x05), encodeAstmFrame(1, 'A|B|C|D\r', true), Uint8Array.of(0x04)]);
    expect(latin1(encodeAstmFrame(1, 'A|B|C|D\r', true))).toBe('\x021A|B|C|D\r\x03BF\r\n');
    const { frames } = run(new AstmFramer(), [data]);
    expect(frames.map((t) => t.type)).toEqual(['control', 'frame', 'control']);
    const frame = frames[1] as Extract<AstmToken, { type: 'frame' }>;
    expect(frame).toMatchObject({ number: 1, last: true, valid: true });
    expect(latin1(frame.text)).toBe('A|B|C|D\r');
  });

  it('marks a frame with a bad checksum invalid (to be NAKed) and reports it', () => {
    const bad = encodeAstmFrame(2, 'R|1|^^^GLU|Negative', true);
    bad[bad.length - 4] = 0x30;
    const { frames, problems } = run(new AstmFramer(), [bad]);
    expect(frames[0]).toMatchObject({ type: 'frame', valid: false });
    expect(problems).toContain('PROTOCOL_CHECKSUM');
  });

  it('gives identical tokens for any chunking of a valid session (1,000 cases)', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[ -~]{1,60}$/), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 20 }), (records, points) => {
        const data = concatBytes([Uint8Array.of(0x05), ...records.map((r, i) => encodeAstmFrame(i + 1, r, i % 2 === 0)), Uint8Array.of(0x04)]);
        const whole = run(new AstmFramer(), [data]);
        const cutUp = run(new AstmFramer(), cutAt(data, points));
        expect(cutUp.frames).toEqual(whole.frames);
        expect(whole.frames.filter((t) => t.type === 'frame' && t.valid)).toHaveLength(records.length);
      }),
      { numRuns: 1000 },
    );
  });
});
