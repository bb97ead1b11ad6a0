import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutAt } from '../../../test/helpers/chunked-stream.ts';
import { ObservationSchema } from '../../../shared/observation.ts';
import { concatBytes } from '../../kit/index.ts';
import { decodeDataPacket } from './decode.ts';
import { decodeProbe } from './decode-probe.ts';
import { normalizeRecord } from './normalize.ts';
import { encodePacket, parsePacket, ReplyFramer } from './protocol.ts';

const RUNS = { numRuns: 1000 } as const;

const PADS = ['GLU', 'BIL', 'KET', 'SG', 'pH', 'PRO', 'UBG', 'NIT', 'OBL', 'BLD', 'LEU', 'XYZ'] as const;
const VALUES = ['NEGATIV', 'NEGATIVE', 'POSITIV', 'SPUR', 'TRACE', 'SMALL', '>=1.030', '1.015', '6.5', '0.2 mg/dL', '30 mg/dL', 'Ca 10 Ery/uL', '0 Leu/uL', 'Ca 125 Leu/uL', '3.2 umol/L'];

interface Model {
  stamp: string;
  sequence: number;
  colour: string;
  pads: [string, string, boolean][];
}

const stampArb = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2089-12-31T23:59:00Z'), noInvalidDate: true }).map((d) => d.toISOString().replace(/[-:T]/g, '').slice(2, 12));
const modelArb: fc.Arbitrary<Model> = fc.record({
  stamp: stampArb,
  sequence: fc.integer({ min: 0, max: 999 }),
  colour: fc.constantFrom('', 'GELB', 'HELL GELB', 'YELLOW', 'DUNKEL GELB'),
  pads: fc.array(fc.tuple(fc.constantFrom(...PADS), fc.constantFrom(...VALUES), fc.boolean()), { minLength: 1, maxLength: 12 }),
});

const lines = (m: Model): string[] => [
  `6510  01.02 ${m.stamp}`,
  `${String(m.sequence).padStart(3, '0')} ${m.colour}`.padEnd(18),
  ...m.pads.map(([code, value, abnormal]) => `${`${code}${abnormal ? '*' : ''}`.padEnd(5)}${value}`.padEnd(20)),
];

describe('properties', () => {
  it('a valid data packet decodes to what it encodes, and normalizes to valid observations', () => {
    fc.assert(
      fc.property(modelArb, (m) => {
        const parsed = parsePacket(encodePacket(lines(m)));
        expect(parsed.ok && parsed.packet.checksumOk).toBe(true);
        if (!parsed.ok) return;
        const decoded = decodeDataPacket(parsed.packet.lines);
        expect(decoded.ok).toBe(true);
        if (!decoded.ok) return;
        expect(decoded.value.sequence).toBe(String(m.sequence).padStart(3, '0'));
        expect(decoded.value.colour).toBe(m.colour);
        expect(decoded.value.results).toEqual(m.pads.map(([code, value, abnormal]) => ({ code, value, abnormal })));
        const { observations, flags } = normalizeRecord(decoded.value, undefined);
        expect(observations).toHaveLength(m.pads.length + (m.colour === '' ? 0 : 1));
        for (const o of observations) expect(ObservationSchema.safeParse(o).success).toBe(true);
        expect(flags).toEqual(m.pads.some((p) => p[2]) ? ['abnormal'] : []);
      }),
      RUNS,
    );
  });

  it('packets cut anywhere frame the same as whole', () => {
    fc.assert(
      fc.property(fc.array(modelArb, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 20 }), (models, at) => {
        const stream = concatBytes([...models.map((m) => encodePacket(lines(m))), Uint8Array.of(0x15)]);
        const framer = new ReplyFramer();
        const frames = cutAt(stream, at).flatMap((c) => framer.push(c).frames);
        expect(frames.map((f) => f.kind)).toEqual([...models.map(() => 'packet'), 'nak']);
        expect(decodeProbe(cutAt(stream, at))).toBe(models.length);
      }),
      RUNS,
    );
  });

  it('one flipped bit inside a packet body is caught by the checksum', () => {
    fc.assert(
      fc.property(modelArb, fc.nat(), fc.integer({ min: 0, max: 6 }), (m, where, bit) => {
        const packet = encodePacket(lines(m));
        const i = 3 + (where % (packet.length - 8));
        const damaged = packet.slice();
        damaged[i] = (damaged[i] ?? 0) ^ (1 << bit);
        const parsed = parsePacket(damaged);
        expect(parsed.ok && parsed.packet.checksumOk).toBe(false);
      }),
      RUNS,
    );
  });

  it('random bytes never throw', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 6 }), (chunks) => {
        expect(() => decodeProbe(chunks)).not.toThrow();
        const framer = new ReplyFramer();
        for (const c of chunks) for (const f of framer.push(c).frames) if (f.kind === 'packet') parsePacket(f.raw);
      }),
      RUNS,
    );
  });
});
