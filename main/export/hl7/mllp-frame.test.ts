import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame, MllpDeframer } from './mllp-frame.ts';

/** Split `bytes` at the given cut points (sorted, deduplicated, inside the buffer). */
function chunk(bytes: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const c of [...at, bytes.length]) {
    out.push(bytes.subarray(from, c));
    from = c;
  }
  return out;
}

/** Message text as an encoded message can hold it: escaping keeps VT, FS and CR out of values. */
const message = fc
  .array(fc.string({ unit: fc.constantFrom('M', 'S', 'H', '|', '^', 'é', '1', '😀', ' ') }), { minLength: 1, maxLength: 4 })
  .map((segs) => segs.map((s) => `OBX|${s}`).join('\r'));
/** Bytes between frames: anything but a start byte. */
const junk = fc.uint8Array({ maxLength: 8 }).map((a) => Buffer.from(a.filter((b) => b !== 0x0b)));

describe('MLLP deframer', () => {
  it('yields every message whole and in order, whatever the chunking and the junk between frames', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(junk, message), { minLength: 1, maxLength: 6 }), junk, fc.array(fc.nat(), { maxLength: 30 }), (frames, tail, cuts) => {
        const bytes = Buffer.concat([...frames.flatMap(([j, m]) => [j, encodeFrame(m)]), tail]);
        const deframer = new MllpDeframer();
        const got = chunk(bytes, cuts).flatMap((c) => deframer.push(c));
        expect(got).toEqual(frames.map(([, m]) => m));
      }),
      { numRuns: 300 },
    );
  });

  it('drops an unterminated frame when a new one starts', () => {
    const deframer = new MllpDeframer();
    const bytes = Buffer.concat([Buffer.from([0x0b]), Buffer.from('MSH|broken'), encodeFrame('MSH|whole')]);
    expect(deframer.push(bytes)).toEqual(['MSH|whole']);
  });

  it('waits when the frame ends between FS and CR', () => {
    const deframer = new MllpDeframer();
    const bytes = encodeFrame('MSH|x');
    expect(deframer.push(bytes.subarray(0, bytes.length - 1))).toEqual([]);
    expect(deframer.push(bytes.subarray(bytes.length - 1))).toEqual(['MSH|x']);
  });
});
