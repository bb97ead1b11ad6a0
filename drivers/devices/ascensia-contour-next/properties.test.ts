import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ObservationSchema } from '../../../shared/observation.ts';
import { ASTM, AstmFramer, concatBytes, encodeAstmFrame } from '../../kit/index.ts';
import { AstmReceiver } from '../../families/astm/receiver.ts';
import { AstmRecordSplitter, splitAstmRecord } from '../../families/astm/records.ts';
import { decodeHeader, decodeResult, type ContourResult } from './decode.ts';
import { normalizeResult } from './normalize.ts';
import { MAX_PAYLOAD_BYTES, unwrapReport, wrapReport } from './protocol.ts';

const RUNS = { numRuns: 1000 };
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const HEADER = 'H|\\^&||7w3LBL|Bayer7410^01.24\\01.04\\09.02.20^7410-1234567^7403-|A=1^U=0^V=10600|3||||||1|202601150900';

const resultArb = fc.record({
  mg: fc.integer({ min: 10, max: 600 }),
  markers: fc.subarray(['B', 'A', 'C', 'D', 'X', 'M0', 'T1', '>', '<']),
  year: fc.integer({ min: 2000, max: 2099 }),
  month: fc.integer({ min: 1, max: 12 }),
  day: fc.integer({ min: 1, max: 28 }),
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.integer({ min: 0, max: 59 }),
});
type ResultSpec = typeof resultArb extends fc.Arbitrary<infer T> ? T : never;

const recordOf = (s: ResultSpec, i: number): string =>
  `R|${i}|^^^Glucose|${s.mg}|mg/dL^P||${s.markers.join('/')}||${s.year}${pad(s.month)}${pad(s.day)}${pad(s.hour)}${pad(s.minute)}`;

/** The meter's byte stream for a message: ENQ, one CR ETB frame per record (L with ETX), EOT. */
function meterStream(records: readonly string[]): Uint8Array {
  const texts = [HEADER, 'P|1', ...records, 'L|1||N'];
  const frames = texts.map((t, i) => encodeAstmFrame((i + 1) % 8, `${t}\r`, t.startsWith('L')));
  return concatBytes([Uint8Array.of(ASTM.ENQ), ...frames, Uint8Array.of(ASTM.EOT)]);
}

/** Reports → unwrap → frame → receive → split → decode: the driver's pipeline without a link. */
function decodeReports(reports: readonly Uint8Array[]): { header?: string; results: ContourResult[]; records: number } {
  const framer = new AstmFramer();
  const receiver = new AstmReceiver();
  const splitter = new AstmRecordSplitter();
  const out: { header?: string; results: ContourResult[]; records: number } = { results: [], records: 0 };
  for (const report of reports) {
    for (const token of framer.push(unwrapReport(report).payload).frames) {
      for (const received of receiver.receive(token).records) {
        out.records++;
        const { record } = splitter.split(received.text);
        const header = decodeHeader(record);
        if (header.ok) out.header = header.value.serial;
        const result = decodeResult(record);
        if (result.ok) out.results.push(result.value);
      }
    }
  }
  return out;
}

function cut(stream: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0, i = 0; at < stream.length; i++) {
    const n = sizes[i % sizes.length] ?? MAX_PAYLOAD_BYTES;
    out.push(wrapReport(stream.subarray(at, at + n)));
    at += n;
  }
  return out;
}

describe('Contour properties', () => {
  it('any report splitting of a valid message decodes to the same results', () => {
    fc.assert(
      fc.property(fc.array(resultArb, { minLength: 0, maxLength: 12 }), fc.array(fc.integer({ min: 1, max: MAX_PAYLOAD_BYTES }), { minLength: 1, maxLength: 10 }), (specs, sizes) => {
        const stream = meterStream(specs.map(recordOf));
        const whole = decodeReports(cut(stream, [MAX_PAYLOAD_BYTES]));
        expect(whole.header).toBe('7410-1234567');
        expect(whole.results.map((r) => r.value)).toEqual(specs.map((s) => s.mg));
        expect(whole.results.map((r) => r.markers)).toEqual(specs.map((s) => s.markers));
        expect(decodeReports(cut(stream, sizes))).toEqual(whole);
      }),
      RUNS,
    );
  });

  it('random reports never throw and never yield a record', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 0, maxLength: 70 }), { minLength: 1, maxLength: 20 }), (reports) => {
        expect(decodeReports(reports).records).toBe(0);
      }),
      RUNS,
    );
  });

  it('any R record text decodes or is refused, and what decodes normalizes to valid observations', () => {
    const field = fc.string({ maxLength: 14 });
    fc.assert(
      fc.property(fc.array(field, { minLength: 0, maxLength: 10 }), fc.constantFrom('mg/dL', 'mmol/L', ''), (fields, unit) => {
        const text = ['R', fields[0] ?? '1', '^^^Glucose', fields[1] ?? '', `${unit}^${fields[2] ?? ''}`, '', fields[3] ?? '', '', fields[4] ?? '202601150900', ...fields.slice(5)].join('|');
        const decoded = decodeResult(splitAstmRecord(text));
        if (!decoded.ok) return;
        const out = normalizeResult(decoded.value, { displayUnit: undefined, range: undefined });
        expect(out.observations).toHaveLength(1);
        for (const o of out.observations) expect(ObservationSchema.safeParse(o).success).toBe(true);
        expect(['patient', 'control']).toContain(out.kind);
      }),
      RUNS,
    );
  });
});
