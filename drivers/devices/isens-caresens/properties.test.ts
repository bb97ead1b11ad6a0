import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeDataReports } from '../../families/cp2110/index.ts';
import { decodeProbe } from './decode-probe.ts';
import { CMD, IspcFramer, encodeFrame, glueRequest } from '../../families/isens/index.ts';

const frameArb = fc.oneof(
  fc.constantFrom(CMD.serial, CMD.readClock, CMD.count).map((c) => encodeFrame(c)),
  fc.tuple(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 27 })).map(([s, n]) => glueRequest(s, n)),
  fc.array(fc.nat({ max: 255 }), { maxLength: 30 }).map((p) => encodeFrame(CMD.glucose, p)),
  fc.array(fc.nat({ max: 255 }), { minLength: 6, maxLength: 6 }).map((p) => encodeFrame(CMD.readClock, p)),
);
const raws = (items: ReturnType<IspcFramer['push']>['frames']): number[][] => items.flatMap((f) => (f.kind === 'frame' ? [Array.from(f.frame.raw)] : []));

describe('isens-caresens properties', () => {
  it('the framer finds the same frames however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 1, maxLength: 10 }), fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 30 }), (frames, cuts) => {
        const stream = Uint8Array.from(frames.flatMap((p) => Array.from(p)));
        const framer = new IspcFramer();
        const found: number[][] = [];
        let at = 0;
        for (let i = 0; at < stream.length; i++) {
          const n = cuts[i % cuts.length] ?? 1;
          found.push(...raws(framer.push(stream.subarray(at, at + n)).frames));
          at += n;
        }
        expect(found).toEqual(frames.map((p) => Array.from(p)));
      }),
    );
  });

  it('garbage without STX between frames comes out as loose bytes; every frame still found', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.uint8Array({ maxLength: 8 }).map((g) => g.map((b) => (b === 0x02 ? 0x04 : b))), frameArb), { minLength: 1, maxLength: 8 }), (parts) => {
        const stream = Uint8Array.from(parts.flatMap(([g, p]) => [...g, ...p]));
        const out = new IspcFramer().push(stream);
        expect(raws(out.frames)).toEqual(parts.map(([, p]) => Array.from(p)));
        const loose = out.frames.flatMap((f) => (f.kind === 'loose' ? Array.from(f.raw) : []));
        expect(loose).toEqual(parts.flatMap(([g]) => Array.from(g)));
      }),
    );
  });

  it('decodeProbe never throws on any reports, and counts the records of a clean GLUE reply', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 70 }), { maxLength: 20 }), (reports) => void decodeProbe(reports)));
    const glue = encodeFrame(CMD.glucose, [24, 3, 5, 7, 42, 0, 0x10, 0, 104, 24, 3, 4, 21, 5, 0, 0x02, 0, 165]);
    expect(decodeProbe(encodeDataReports(glue))).toBe(2);
  });
});
