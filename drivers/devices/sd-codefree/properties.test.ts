import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeProbe } from './decode-probe.ts';
import { CodeFreeFramer } from './protocol.ts';

const bytes = (s: string): Uint8Array => Uint8Array.from(s.split(' ').map((h) => parseInt(h, 16)));
const COUNT_37 = `53 20 18 30 00 25 ${Array(19).fill('AA').join(' ')} BF AA`;

describe('sd-codefree properties', () => {
  it('a bad checksum is corrupt, a bad trailer or length is garbage, and any cut finds the same packets', () => {
    expect(new CodeFreeFramer().push(bytes('53 20 04 10 30 21 AA')).frames.map((f) => f.kind)).toEqual(['corrupt']);
    expect(new CodeFreeFramer().push(bytes('53 20 04 10 30 20 AB')).frames).toEqual([]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 20 }), (cuts) => {
        const stream = bytes(`53 20 04 10 30 20 AA ${COUNT_37} 53 20 04 10 30 20 AA`);
        const framer = new CodeFreeFramer();
        let at = 0;
        let n = 0;
        for (let i = 0; at < stream.length; i++) {
          const step = cuts[i % cuts.length] ?? 1;
          n += framer.push(stream.subarray(at, at + step)).frames.length;
          at += step;
        }
        expect(n).toBe(3);
      }),
    );
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 10 }), (chunks) => void decodeProbe(chunks)));
  });
});
