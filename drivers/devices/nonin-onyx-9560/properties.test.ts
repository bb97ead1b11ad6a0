import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { framesOf, splitBy } from '../../../test/helpers/chunked-stream.ts';
import { ObservationSchema } from '../../../shared/observation.ts';
import { concatBytes } from '../../kit/index.ts';
import { decodeDf8, decodeSpotCheck } from './decode.ts';
import { decodeProbe } from './decode-probe.ts';
import { encodeDf8, encodeSpotCheck } from './encode.ts';
import { normalizeDisplay, normalizeSpotCheck } from './normalize.ts';
import { type OnyxFormat, type OnyxFrame, OnyxFramer } from './protocol.ts';

const RUNS = { numRuns: 1000 };

const spotArb = fc.record({
  time: fc.date({ min: new Date(2000, 0, 1), max: new Date(2099, 11, 31), noInvalidDate: true }).map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000)),
  hr: fc.integer({ min: 0, max: 511 }),
  spo2: fc.integer({ min: 0, max: 127 }),
  highQuality: fc.boolean(),
  noMeasurement: fc.boolean(),
  fromMemory: fc.boolean(),
  lowBattery: fc.boolean(),
});

const frames = (chunks: Uint8Array[], format: OnyxFormat): OnyxFrame[] => framesOf(new OnyxFramer(format), chunks);

const pad = (n: number): string => String(n).padStart(2, '0');
const local = (d: Date): string => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;

describe('nonin-onyx-9560 properties', () => {
  it('DF13: random records decode to what they encode, however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(spotArb, { minLength: 1, maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 1, maxLength: 5 }), (spots, sizes) => {
        const stream = concatBytes(spots.map(encodeSpotCheck));
        const whole = frames([stream], 'df13');
        expect(frames(splitBy(stream, sizes), 'df13')).toEqual(whole);
        expect(whole).toHaveLength(spots.length);
        whole.forEach((f, i) => {
          const s = spots[i] as (typeof spots)[number];
          const d = decodeSpotCheck(f.bytes);
          expect(d.ok && d.value).toMatchObject({ deviceTime: local(s.time), hr: s.hr, spo2: s.spo2, highQuality: s.highQuality, noMeasurement: s.noMeasurement, fromMemory: s.fromMemory, lowBattery: s.lowBattery });
          if (!d.ok) return;
          const n = normalizeSpotCheck(d.value);
          for (const o of n.observations) expect(ObservationSchema.safeParse(o).success).toBe(true);
          expect(n.valid).toBe(!s.noMeasurement && s.hr !== 511 && s.hr !== 0 && s.spo2 >= 1 && s.spo2 <= 100);
        });
      }),
      RUNS,
    );
  });

  it('DF8: random frames decode to what they encode, however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ hr: fc.integer({ min: 0, max: 511 }), spo2: fc.integer({ min: 0, max: 127 }), alarm: fc.boolean() }), { minLength: 1, maxLength: 20 }), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }), (samples, sizes) => {
        const stream = concatBytes(samples.map((s) => encodeDf8(s.hr, s.spo2, { sensorAlarm: s.alarm })));
        const got = frames(splitBy(stream, sizes), 'df8');
        expect(got.map((f) => decodeDf8(f.bytes)).map((d) => [d.hr, d.spo2, d.sensorAlarm])).toEqual(samples.map((s) => [s.hr, s.spo2, s.alarm]));
        expect(got.map((f) => normalizeDisplay(decodeDf8(f.bytes)).valid)).toEqual(samples.map((s) => !s.alarm && s.hr >= 1 && s.hr !== 511 && s.spo2 >= 1 && s.spo2 <= 100));
      }),
      RUNS,
    );
  });

  it('random bytes never throw in any format, and the probe decodes them without throwing', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 0, maxLength: 64 }), { maxLength: 8 }), (chunks) => {
        for (const format of ['df13', 'df8', 'df7'] as const) {
          for (const f of frames(chunks, format)) if (f.kind === 'df13') decodeSpotCheck(f.bytes);
        }
        expect(decodeProbe(chunks)).toBeGreaterThanOrEqual(0);
      }),
      RUNS,
    );
  });

  it('garbage in front of a record never hides it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), spotArb, (noise, spot) => {
        const record = encodeSpotCheck(spot);
        const got = frames([noise, record], 'df13').filter((f) => f.kind === 'df13');
        expect(got.at(-1)?.bytes).toEqual(record);
      }),
      RUNS,
    );
  });
});
