import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { framesOf, splitBy } from '../../../test/helpers/chunked-stream.ts';
import { ObservationSchema } from '../../../shared/observation.ts';
import { concatBytes } from '../../kit/index.ts';
import { decodeFrame } from './decode.ts';
import { Cms50Framer } from './format-detect.ts';
import { normalize } from './normalize.ts';
import { type Cms50Format, type Cms50Frame, encodePacket } from './protocol.ts';

const RUNS = { numRuns: 1000 };

const v7Arb = fc.record({ d0: fc.integer({ min: 0, max: 255 }), pleth: fc.integer({ min: 0, max: 127 }), d2: fc.integer({ min: 0, max: 31 }), pulse: fc.integer({ min: 0, max: 255 }), spo2: fc.integer({ min: 0, max: 127 }), pi: fc.integer({ min: 0, max: 0xffff }) });
const legacyArb = fc.record({ b0: fc.integer({ min: 0, max: 0x7f }), pleth: fc.integer({ min: 0, max: 127 }), b2: fc.integer({ min: 0, max: 0x7f }), b3: fc.integer({ min: 0, max: 127 }), spo2: fc.integer({ min: 0, max: 127 }) });

const frames = (chunks: Uint8Array[], mode: Cms50Format | 'auto'): Cms50Frame[] => framesOf(new Cms50Framer(mode), chunks);

describe('contec-cms50 properties', () => {
  it('V7.0: random real-time packets decode to what they encode, however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(v7Arb, { minLength: 3, maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 6 }), fc.constantFrom<'auto' | 'v7'>('auto', 'v7'), (samples, sizes, mode) => {
        const stream = concatBytes(samples.map((s) => encodePacket(1, [s.d0, s.pleth, s.d2, s.pulse, s.spo2, s.pi & 0xff, s.pi >> 8])));
        const whole = frames([stream], mode);
        expect(whole).toHaveLength(samples.length);
        whole.forEach((f, i) => {
          const s = samples[i] as (typeof samples)[number];
          const r = decodeFrame(f);
          expect(r.ok && [r.sample.pulse, r.sample.spo2, r.sample.pi, r.sample.pleth, r.sample.strength]).toEqual([s.pulse, s.spo2, s.pi, s.pleth, s.d0 & 0x0f]);
        });
        expect(frames(splitBy(stream, [1]), mode)).toEqual(whole);
        expect(frames(splitBy(stream, sizes), mode)).toEqual(whole);
      }),
      RUNS,
    );
  });

  it('older firmware: random frames decode to what they encode, however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(legacyArb, { minLength: 3, maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 6 }), (samples, sizes) => {
        const stream = concatBytes(samples.map((s) => Uint8Array.of(0x80 | s.b0, s.pleth, s.b2, s.b3, s.spo2)));
        const whole = frames([stream], 'auto');
        expect(whole).toHaveLength(samples.length);
        whole.forEach((f, i) => {
          const s = samples[i] as (typeof samples)[number];
          const r = decodeFrame(f);
          expect(r.ok && [r.sample.pulse, r.sample.spo2]).toEqual([s.b3 | ((s.b2 & 0x40) << 1), s.spo2]);
        });
        expect(frames(splitBy(stream, sizes), 'auto')).toEqual(whole);
      }),
      RUNS,
    );
  });

  it('random bytes never throw, and a valid sample always has SpO2 1–100 and a pulse', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { minLength: 1, maxLength: 6 }), fc.constantFrom<'auto' | 'v7' | 'legacy'>('auto', 'v7', 'legacy'), (chunks, mode) => {
        for (const f of frames(chunks, mode)) {
          const r = decodeFrame(f);
          if (!r.ok) continue;
          const n = normalize(r.sample);
          for (const o of n.observations) expect(ObservationSchema.safeParse(o).success).toBe(true);
          if (n.valid) {
            expect(n.values.spo2).toBeGreaterThanOrEqual(1);
            expect(n.values.spo2).toBeLessThanOrEqual(100);
            expect(n.values.pulse).toBeGreaterThanOrEqual(1);
          }
        }
      }),
      RUNS,
    );
  });
});
