import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { framesOf, splitBy } from '../../../test/helpers/chunked-stream.ts';
import { ObservationSchema } from '../../../shared/observation.ts';
import { ReadingSchema } from '../../../shared/reading.ts';
import { concatBytes, finishReading, fromLatin1 } from '../../kit/index.ts';
import { URINE_ANALYTES, type UrineAnalyte } from '../../families/urine/index.ts';
import { decodeRecord, type ClinitekRecord, type DecodeOutcome } from './decode.ts';
import { CLINITEK_DEVICE } from './driver.ts';
import { normalizeResults } from './normalize.ts';
import { ANALYTE_CODE, createRecordFramer } from './protocol.ts';

const RUNS = { numRuns: 1000 } as const;

// ---- A model of a valid record, generated from the analyte table --------------------------

interface Model {
  sequence: string;
  at: Date;
  twelveHour: boolean;
  operatorId: string;
  sampleId: string;
  strip: string;
  colour: string;
  clarity: string;
  body: { kind: 'results'; triplets: [string, string, '' | '*'][] } | { kind: 'error'; code: string };
}

const capital = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

/** Results this analyte's pad can print: its words, numbers in its units, approximate counts. */
function resultsFor(row: UrineAnalyte): string[] {
  const out: string[] = [];
  if (row.ordinal) out.push('Negative', 'Negativo', 'Trace', 'Trace-lysed', 'Small', 'Moderate', 'Large', 'Positive', 'Positivo');
  for (const word of Object.keys(row.words ?? {})) out.push(capital(word));
  const q = row.quantity;
  if (q?.unit === '1') out.push('1.005', '1.020', '>=1.030', '<=1.005');
  else if (q?.unit === '[pH]') out.push('5.0', '6.5', '>=9.0');
  else if (q) out.push(`15 ${q.unit}`, `>=300 ${q.unit}`, `0.2 ${q.unit}`);
  for (const unit of row.foreignUnits ?? []) out.push(`3.2 ${unit}`);
  for (const unit of row.countUnits ?? []) out.push(`Apr 200 ${unit}`, `Ca 25 ${unit}`);
  return out;
}

/** Short codes are printed space-padded to three characters (`SG `, `pH `). */
const printed = (code: string): string => code.padEnd(3, ' ');

const tripletArb: fc.Arbitrary<[string, string, '' | '*']> = fc.oneof(
  fc.constantFrom(...URINE_ANALYTES).chain((row) =>
    fc.tuple(fc.constantFrom(...row.codes).map(printed), fc.constantFrom(...resultsFor(row)), fc.constantFrom('' as const, '*' as const)),
  ),
  fc.tuple(fc.constantFrom('ALB', 'CRE', 'A:C', 'P:C', 'ASC'), fc.constantFrom('30 mg/L', '<30 mg/g', 'Negative', '100 mg/dL'), fc.constantFrom('' as const, '*' as const)),
);

const modelArb: fc.Arbitrary<Model> = fc.record({
  sequence: fc.integer({ min: 1, max: 99999 }).map(String),
  at: fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:00Z'), noInvalidDate: true }),
  twelveHour: fc.boolean(),
  operatorId: fc.oneof(fc.constant(''), fc.stringMatching(/^[A-Z0-9]{1,8}$/)),
  sampleId: fc.oneof(fc.constant(''), fc.stringMatching(/^[A-Za-z0-9-]{1,12}$/)),
  strip: fc.constantFrom('Multistix 10 SG', 'Multistix 8 SG', 'Multistix PRO 10LS', 'Clinitek Microalbumin 2'),
  colour: fc.constantFrom('Not Entered', 'No introducido', 'Yellow', 'Amarillo', 'Dark Yellow'),
  clarity: fc.constantFrom('Not Entered', 'No introducido', 'Clear', 'Claro', 'Cloudy'),
  body: fc.oneof(
    { weight: 7, arbitrary: fc.array(tripletArb, { minLength: 1, maxLength: 12 }).map((triplets) => ({ kind: 'results' as const, triplets })) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 99 }).map((n) => ({ kind: 'error' as const, code: `E${n}` })) },
  ),
});

const two = (n: number): string => String(n).padStart(2, '0');

function printedTime(m: Model): string {
  const h = m.at.getUTCHours();
  const mm = two(m.at.getUTCMinutes());
  return m.twelveHour ? `${String(h % 12 === 0 ? 12 : h % 12).padStart(2, ' ')}:${mm}${h < 12 ? 'AM' : 'PM'}` : `${two(h)}:${mm}`;
}

/** The model as the analyzer prints it, without the terminator. */
function line(m: Model): string {
  const d = m.at;
  const date = `${two(d.getUTCDate())}-${two(d.getUTCMonth() + 1)}-${d.getUTCFullYear()}`;
  const head = [m.sequence, date, printedTime(m), m.operatorId, m.sampleId, '', '', '', '', m.strip, m.colour, m.clarity];
  const tail = m.body.kind === 'error' ? [m.body.code] : m.body.triplets.flat();
  return [...head, ...tail].join(',');
}

/** What the decoder must make of the model (checked field by field, not by re-running it). */
function expectedRecord(m: Model): ClinitekRecord {
  const d = m.at;
  const deviceTime = `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:00`;
  const date = `${two(d.getUTCDate())}-${two(d.getUTCMonth() + 1)}-${d.getUTCFullYear()}`;
  const head = { sequence: m.sequence, date, time: printedTime(m).trim(), deviceTime, operatorId: m.operatorId, sampleId: m.sampleId, otherIds: [], strip: m.strip, colour: m.colour, clarity: m.clarity };
  if (m.body.kind === 'error') return { type: 'error', ...head, errorCode: m.body.code };
  return { type: 'results', ...head, results: m.body.triplets.map(([code, result, flag]) => ({ code: code.trim(), result, flag })) };
}

// ---- The pipeline under test: LineFramer + decode ------------------------------------------

const decodeChunks = (chunks: readonly Uint8Array[]): DecodeOutcome[] => framesOf(createRecordFramer(), chunks).map((frame) => decodeRecord(frame));

const records = (outcomes: readonly DecodeOutcome[]): ClinitekRecord[] => outcomes.flatMap((o) => (o.ok ? [o.record] : []));

/** Everything a record must satisfy to become a reading; throws (fails the property) otherwise. */
function checkRecord(r: ClinitekRecord): void {
  expect(r.sequence).toMatch(/^\d+$/);
  expect(r.deviceTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00$/);
  if (r.type === 'error') {
    expect(r.errorCode).toMatch(/^E\d+$/);
    return;
  }
  expect(r.results.length).toBeGreaterThan(0);
  for (const t of r.results) {
    expect(t.code).toMatch(ANALYTE_CODE);
    expect(t.result).not.toBe('');
    expect(['', '*']).toContain(t.flag);
  }
  const n = normalizeResults(r);
  for (const o of n.observations) expect(ObservationSchema.safeParse(o).success).toBe(true);
  const draft = { device: CLINITEK_DEVICE, kind: 'patient' as const, deviceTime: r.deviceTime, timeBasis: 'live' as const, ...n, raw: [] };
  const reading = finishReading(draft, 'siemens-clinitek-status', Date.UTC(2026, 0, 15), { skewCheck: false, thresholdMs: 300_000 });
  expect(ReadingSchema.safeParse(reading).success).toBe(true);
}

describe('Clinitek record stream properties', () => {
  const streamArb = fc.array(fc.tuple(modelArb, fc.constantFrom('\r', '\r\n', '\n')), { minLength: 1, maxLength: 5 });

  it('valid records decode to the same records whole, byte by byte and in random chunks', () => {
    fc.assert(
      fc.property(streamArb, fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 50 }), (stream, sizes) => {
        const bytes = fromLatin1(stream.map(([m, end]) => line(m) + end).join(''));
        const whole = decodeChunks([bytes]);
        expect(records(whole)).toEqual(stream.map(([m]) => expectedRecord(m)));
        expect(decodeChunks(splitBy(bytes, [1]))).toEqual(whole);
        expect(decodeChunks(splitBy(bytes, sizes))).toEqual(whole);
        records(whole).forEach(checkRecord);
      }),
      RUNS,
    );
  });

  it('random garbage never throws, and whatever decodes from it is a valid record', () => {
    const piece = fc.oneof(
      fc.uint8Array({ maxLength: 80 }),
      fc.constantFrom(',', '\r', '\n', '\r\n', '*', ',,', 'E58', 'GLU,Negative,', 'SG ,1.020,', ' 5:33PM', '24-12-2021', '12:05AM', 'Multistix 10 SG').map(fromLatin1),
      modelArb.map((m) => fromLatin1(line(m))),
      modelArb.chain((m) => fc.nat(400).map((n) => fromLatin1(line(m).slice(0, n)))),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }), (pieces, sizes) => {
        const bytes = concatBytes(pieces);
        let outcomes: DecodeOutcome[] = [];
        expect(() => (outcomes = decodeChunks(splitBy(bytes, sizes)))).not.toThrow();
        records(outcomes).forEach(checkRecord);
      }),
      RUNS,
    );
  });

  it('a record cut short and glued to the next one never yields the cut record', () => {
    // The cut: 1 … the whole line (a record that lost only its terminator is "cut" too).
    const cutArb = fc.tuple(modelArb, modelArb).chain(([a, b]) => fc.tuple(fc.constant(a), fc.constant(b), fc.integer({ min: 1, max: line(a).length })));
    fc.assert(
      fc.property(cutArb, fc.constantFrom('\r', '\r\n', '\n'), ([a, b, cut], end) => {
        const lineA = line(a);
        const found = records(decodeChunks([fromLatin1(lineA.slice(0, cut) + line(b) + end)]));
        if (cut > a.sequence.length) {
          // Anywhere after the first field, the glued line breaks the grammar: nothing is read.
          expect(found).toEqual([]);
        } else {
          // Cut inside the sequence digits: the line is b's record whole, with a's leading digits
          // in front of b's sequence number (indistinguishable from a longer number). Nothing of
          // a's date, time, ids or results is read.
          expect(found).toEqual([{ ...expectedRecord(b), sequence: a.sequence.slice(0, cut) + b.sequence }]);
        }
      }),
      RUNS,
    );
  });
});
