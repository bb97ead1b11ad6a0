import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ObservationSchema } from '../../../shared/observation.ts';
import { concatBytes, fromLatin1, latin1 } from '../../kit/index.ts';
import { decodeProbe } from './decode-probe.ts';
import { decodeReport } from './decode.ts';
import { normalizeReport } from './normalize.ts';
import { MONTHS, createReportFramer } from './protocol.ts';
import { maskText } from './trace.ts';

const RUNS = { numRuns: 1000 } as const;

/** A report as a model: what the analyzer prints, and what the decoder must give back. */
interface Model {
  at: Date;
  id: string;
  subId: string;
  ward: string;
  name: string;
  pads: { code: string; grade: string; value: string; unit: string }[];
  pad: number;
  eol: string;
}

const CODES = ['URO', 'GLU', 'BIL', 'KET', 'PRO', 'NIT', 'p.H', 'BLD', 'S.G', 'LEU', 'VC', 'MAL'];
const padArb = (code: string): fc.Arbitrary<Model['pads'][number]> =>
  fc.oneof(
    fc.record({ code: fc.constant(code), grade: fc.constantFrom('-', '+-', '+', '++', '+++', '++++', ''), value: fc.constantFrom('neg', 'pos', 'norm'), unit: fc.constant('') }),
    fc.record({
      code: fc.constant(code),
      grade: fc.constantFrom('-', '+-', '+', '++', '+++', '++++', ''),
      value: fc.constantFrom('0.2', '1', '15', '100', '250', '2000', '>=1.030', '<=1.005', '9.0'),
      unit: fc.constantFrom('', 'mg/dl', 'RBC/ul', 'WBC/ul', 'umol/l'),
    }),
  );

const modelArb: fc.Arbitrary<Model> = fc.record({
  at: fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
  id: fc.stringMatching(/^[0-9A-Z]{1,8}-?$/),
  subId: fc.oneof(fc.constant(''), fc.stringMatching(/^[0-9A-Z]{1,6}$/)),
  ward: fc.oneof(fc.constant(''), fc.stringMatching(/^[A-Z0-9 ]{0,12}[A-Z0-9]$/)),
  name: fc.oneof(fc.constant(''), fc.stringMatching(/^[A-Z][A-Z ']{0,24}[A-Z]$/)),
  pads: fc.shuffledSubarray(CODES, { minLength: 1 }).chain((codes) => fc.tuple(...codes.map(padArb))),
  pad: fc.integer({ min: 0, max: 10 }),
  eol: fc.constantFrom('\r\n', '\r\n', '\n', '\r'),
});

const two = (n: number): string => String(n).padStart(2, '0');
const dateOf = (d: Date): string =>
  `${MONTHS[d.getUTCMonth()]}-${two(d.getUTCDate())}-${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
/** The result as printed in its columns, padding collapsed (a 4-digit value stands against its grade). */
const resultOf = (p: Model['pads'][number]): string =>
  `${p.grade.padEnd(4)}${p.value.padStart(4)} ${p.unit}`.trim().replace(/\s+/g, ' ');

/** The model printed: every line padded, grades and values in columns (PROTOCOL.md §6). */
function printed(m: Model): string {
  const lines = [
    `Date :${dateOf(m.at)}`,
    `ID_NO:${m.id}`.padEnd(27),
    m.subId.padEnd(6),
    `Ward :${m.ward}`,
    `NAME :${m.name}`.padEnd(25),
    ...m.pads.map((p) => `${p.code.padEnd(4)}${p.grade.padEnd(4)}${p.value.padStart(4)}${p.unit === '' ? '' : ` ${p.unit}`}`.padEnd(25 + m.pad)),
  ];
  return `\x02${lines.map((l) => l + m.eol).join('')}\x03`;
}

const expectedSampleId = (m: Model): string | undefined => {
  const id = m.id.replace(/-+$/, '');
  if (m.subId === '') return id === '' ? undefined : id;
  return id === '' ? m.subId : `${id}-${m.subId}`;
};

describe('properties', () => {
  it('a printed report decodes to its model', () => {
    fc.assert(
      fc.property(modelArb, (m) => {
        const outcome = decodeReport(fromLatin1(printed(m)));
        if (!outcome.ok) throw new Error(`${outcome.reason}: ${JSON.stringify(printed(m))}`);
        const r = outcome.report;
        expect(r.deviceTime).toBe(m.at.toISOString().slice(0, 19));
        expect(r.sampleId).toBe(expectedSampleId(m));
        expect(r.name).toBe(m.name === '' ? undefined : m.name);
        expect(r.results).toEqual(m.pads.map((p) => ({ code: p.code, result: resultOf(p) })));
        const { observations } = normalizeReport(r);
        expect(observations).toHaveLength(m.pads.length);
        for (const o of observations) expect(ObservationSchema.safeParse(o).success).toBe(true);
      }),
      RUNS,
    );
  });

  it('random chunking of reports with noise between gives the same frames as the whole stream', () => {
    const streamArb = fc.array(fc.tuple(modelArb, fc.uint8Array({ maxLength: 6 }).map((b) => b.filter((x) => x !== 0x02))), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(streamArb, fc.array(fc.nat(), { maxLength: 20 }), (reports, cuts) => {
        const stream = concatBytes(reports.flatMap(([m, noise]) => [noise, fromLatin1(printed(m))]));
        const whole = createReportFramer().push(stream).frames.map(latin1);
        const framer = createReportFramer();
        const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
        const chunked: string[] = [];
        let from = 0;
        for (const at of [...points, stream.length]) {
          chunked.push(...framer.push(stream.subarray(from, at)).frames.map(latin1));
          from = at;
        }
        expect(chunked).toEqual(whole);
        expect(whole).toEqual(reports.map(([m]) => printed(m)));
      }),
      RUNS,
    );
  });

  it('a control byte anywhere inside a report makes no report', () => {
    fc.assert(
      fc.property(modelArb, fc.nat(), fc.constantFrom(0x00, 0x07, 0x09, 0x1b, 0x7f, 0x85), (m, at, byte) => {
        const text = printed(m);
        const i = 1 + (at % (text.length - 2));
        const damaged = `${text.slice(0, i)}${String.fromCharCode(byte)}${text.slice(i)}`;
        expect(decodeReport(fromLatin1(damaged)).ok).toBe(false);
      }),
      RUNS,
    );
  });

  it('a report without its ETX is never a frame', () => {
    fc.assert(
      fc.property(modelArb, fc.nat(), (m, at) => {
        const text = printed(m);
        const cut = fromLatin1(text.slice(0, 1 + (at % (text.length - 1))));
        const framer = createReportFramer();
        expect(framer.push(cut).frames).toEqual([]);
        expect(framer.flush().problems.map((p) => p.code)).toContain('PROTOCOL_TRUNCATED');
      }),
      RUNS,
    );
  });

  it('masking keeps the length, the date and the results, and hides ID, sub-ID, ward and name', () => {
    fc.assert(
      fc.property(modelArb, (m) => {
        const text = printed(m);
        const masked = maskText(text);
        expect(masked).toHaveLength(text.length);
        const before = decodeReport(fromLatin1(text));
        const after = decodeReport(fromLatin1(masked));
        if (!before.ok || !after.ok) throw new Error('a masked report must still decode');
        expect(after.report.results).toEqual(before.report.results);
        expect(after.report.deviceTime).toBe(before.report.deviceTime);
        for (const field of [after.report.name, after.report.ward, after.report.subId, after.report.sampleId]) expect(field ?? '').toMatch(/^[0X' -]*$/);
        expect(after.report.name?.length).toBe(before.report.name?.length);
      }),
      RUNS,
    );
  });

  it('random bytes never throw, through the framer, the decoder and the probe', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 5 }), (chunks) => {
        expect(() => decodeProbe(chunks)).not.toThrow();
        for (const chunk of chunks) expect(() => decodeReport(concatBytes([Uint8Array.of(0x02), chunk, Uint8Array.of(0x03)]))).not.toThrow();
      }),
      RUNS,
    );
  });
});
