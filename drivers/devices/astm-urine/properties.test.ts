import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutAt } from '../../../test/helpers/chunked-stream.ts';
import { ObservationSchema } from '../../../shared/observation.ts';
import { parseTestCodeMap, testCodeMapProblem } from '../../../shared/test-code-map.ts';
import { AstmReceiver } from '../../families/astm/receiver.ts';
import { astmMessageFrames } from '../../families/astm/sender.ts';
import { concatBytes } from '../../kit/index.ts';
import { CODE_MAP_PRESETS, portCodeMap } from './code-maps.ts';
import { decodeProbe } from './decode-probe.ts';
import { AstmMessageBuilder, type AstmMessage } from './decode.ts';
import { normalizeSample } from './normalize.ts';
import { createTokenFramer } from './protocol.ts';

const RUNS = { numRuns: 1000 } as const;
const MAP = portCodeMap('generic', '');
if (!MAP.ok) throw new Error('the generic preset must parse');

/** A result the generator may send: a code (mapped or not), a value and a unit. */
const resultArb = fc.record({
  code: fc.constantFrom('GLU', 'BIL', 'KET', 'SG', 'BLD', 'pH', 'PRO', 'UBG', 'NIT', 'LEU', 'ASC', 'MCR'),
  value: fc.oneof(fc.constantFrom('Negative', 'neg', 'Trace', '1+', '3+', 'Small', 'Positive', ''), fc.float({ min: 0, max: 2000, noNaN: true }).map((n) => n.toFixed(1)), fc.constantFrom('>=300', '<=1.005', '< 0.2')),
  unit: fc.constantFrom('', 'mg/dL', 'mg/dl', 'E.U./dL', 'umol/L'),
  flag: fc.constantFrom('', 'N', 'A', 'H', 'L', '>'),
});
const sampleArb = fc.record({ id: fc.stringMatching(/^[A-Z0-9]{1,10}$/), results: fc.array(resultArb, { minLength: 1, maxLength: 12 }) });
const messageArb = fc.array(sampleArb, { minLength: 1, maxLength: 3 });

interface Sample {
  id: string;
  results: { code: string; value: string; unit: string; flag: string }[];
}
type Samples = Sample[];

function records(samples: Samples): string[] {
  const out = ['H|\\^&|||PROP^1^S1|||||LIS||P|1|20260115090000'];
  for (const [i, s] of samples.entries()) {
    out.push(`O|${i + 1}|${s.id}||^^^UA|R|20260115085500`);
    for (const [k, r] of s.results.entries()) out.push(`R|${k + 1}|^^^${r.code}|${r.value}|${r.unit}||${r.flag}||F||OP||20260115085900`);
  }
  out.push('L|1|N');
  return out;
}

/** The session's path without a link: tokens → receiver → message builder; the replies are not needed here. */
function receive(chunks: readonly Uint8Array[]): AstmMessage[] {
  const framer = createTokenFramer();
  const receiver = new AstmReceiver({ firstFrame: 'one' });
  const builder = new AstmMessageBuilder();
  const messages: AstmMessage[] = [];
  for (const chunk of chunks) {
    for (const token of framer.push(chunk).frames) {
      const step = receiver.receive(token);
      if (step.event === 'established' || step.event === 'restarted' || step.event === 'ended') builder.reset();
      for (const r of step.records) {
        const { message } = builder.add(r.text);
        if (message) messages.push(message);
      }
    }
  }
  return messages;
}

const wire = (samples: Samples): Uint8Array => concatBytes([Uint8Array.of(0x05), ...astmMessageFrames(records(samples)), Uint8Array.of(0x04)]);

describe('astm-urine properties', () => {
  it('a random message decodes to its samples: one observation per result, valid, codes from the map or unmapped', () => {
    fc.assert(
      fc.property(messageArb, (samples) => {
        const [message] = receive([wire(samples)]);
        expect(message?.samples.map((s) => s.sampleId)).toEqual(samples.map((s) => s.id));
        for (const [i, sample] of (message?.samples ?? []).entries()) {
          const n = normalizeSample(message as AstmMessage, sample, MAP.map);
          expect(n.observations).toHaveLength(samples[i]?.results.length ?? -1);
          for (const [k, o] of n.observations.entries()) {
            expect(ObservationSchema.safeParse(o).success).toBe(true);
            const sent = samples[i]?.results[k];
            if (!MAP.map.has(sent?.code.toUpperCase() ?? '')) expect(o).toMatchObject({ value: { kind: 'unmapped', label: sent?.code } });
          }
        }
      }),
      RUNS,
    );
  });

  it('split anywhere, the same messages', () => {
    fc.assert(
      fc.property(messageArb, fc.array(fc.nat(), { maxLength: 12 }), (samples, points) => {
        const bytes = wire(samples);
        expect(receive(cutAt(bytes, points))).toEqual(receive([bytes]));
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes never throw', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 6 }), (chunks) => {
        expect(() => decodeProbe(chunks)).not.toThrow();
      }),
      RUNS,
    );
  });

  it('a damaged byte in a frame never makes a message out of that frame', () => {
    fc.assert(
      fc.property(messageArb, fc.nat(), fc.integer({ min: 1, max: 255 }), (samples, at, delta) => {
        const frames = astmMessageFrames(records(samples));
        const last = frames.length - 1;
        const target = frames[last] as Uint8Array;
        // Damage the L frame between FN and the checksum: the message has no terminator, so no message.
        const copy = Uint8Array.from(target);
        const i = 2 + (at % Math.max(1, copy.length - 7));
        copy[i] = ((copy[i] ?? 0) + delta) % 256;
        const bytes = concatBytes([Uint8Array.of(0x05), ...frames.slice(0, last), copy, Uint8Array.of(0x04)]);
        expect(receive([bytes])).toEqual([]);
      }),
      RUNS,
    );
  });

  it('every preset parses; a map entry naming an unknown LOINC is always refused', () => {
    for (const text of Object.values(CODE_MAP_PRESETS)) expect(parseTestCodeMap(text).ok).toBe(true);
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z]{2,5}$/), fc.stringMatching(/^9\d{3,4}-\d$/), (code, loinc) => {
        expect(testCodeMapProblem(`${code}=${loinc}`)).toMatch(/is not a code in the catalog/);
      }),
      RUNS,
    );
  });
});
