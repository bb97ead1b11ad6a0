import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ObservationSchema } from '../../../shared/observation.ts';
import { concatBytes, fromLatin1 } from '../../kit/index.ts';
import { decodeProbe } from './decode-probe.ts';
import { decodeReport } from './decode.ts';
import { normalizeReport } from './normalize.ts';
import { ReportFramer } from './protocol.ts';

const RUNS = { numRuns: 1000 } as const;

/** Lines an analyzer prints for each pad (grade column, value, unit), in the captures' spellings. */
const LINES: Readonly<Record<string, readonly string[]>> = {
  LEU: ['-              neg', '+-        15 Leu/uL', '1+        70 Leu/uL', '3+       500 Leu/uL'],
  NIT: ['-              neg', ' +              pos'],
  URO: ['-       0.2  mg/dL', '2+        4   mg/dL', '3+        8   mg/dL'],
  PRO: ['-              neg', '+-        15  mg/dL', '3+       300  mg/dL'],
  pH: ['        6.0', '        7.5', '        5.0'],
  BLO: ['-              neg', '+-        10 Ery/uL', '3+       200 Ery/uL'],
  SG: ['  1.010', '  1.025', '  1.000'],
  KET: ['-              neg', '+-        5   mg/dL', '2+       40   mg/dL'],
  BIL: ['-              neg', '2+       2    mg/dL'],
  GLU: ['-              neg', '3+       1000 mg/dL', '+/-      100  mg/dL'],
  ASC: ['-              neg', '1+        10  mg/dL'],
};

interface Model {
  id: string;
  at: Date;
  twelveHour: boolean;
  no: number;
  pads: [string, string, boolean][];
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

const modelArb: fc.Arbitrary<Model> = fc.record({
  id: fc.oneof(fc.constant(''), fc.stringMatching(/^[A-Za-z0-9-]{1,12}$/)),
  at: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:00Z'), noInvalidDate: true }),
  twelveHour: fc.boolean(),
  no: fc.integer({ min: 0, max: 999_999 }),
  pads: fc
    .shuffledSubarray(Object.keys(LINES), { minLength: 1 })
    .chain((labels) => fc.tuple(...labels.map((label) => fc.tuple(fc.constant(label), fc.constantFrom(...(LINES[label] ?? [])), fc.boolean())))),
});

/** The report as the analyzer prints it (PROTOCOL.md §2–§4), and the local time it states. */
function render(m: Model): { text: string; deviceTime: string } {
  const d = m.at;
  const [y, mo, day, h, mi] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()];
  const clock = m.twelveHour ? `${(h % 12 === 0 ? 12 : h % 12)}:${pad2(mi)} ${h < 12 ? 'am' : 'pm'}` : `${pad2(h)}:${pad2(mi)}`;
  const header = [` ID:${m.id}`, ` Date:${pad2(day)}-${pad2(mo)}-${y} ${clock}`, ' Operator: 100', ` No. ${String(m.no).padStart(6, '0')}`];
  const lines = m.pads.map(([label, rest, star]) => `${star ? '*' : ' '}${label.padEnd(9, ' ')}${rest}`);
  const deviceTime = `${String(y).padStart(4, '0')}-${pad2(mo)}-${pad2(day)}T${pad2(h)}:${pad2(mi)}:00`;
  return { text: `\x02${[...header, ...lines].map((l) => `${l}\r\n`).join('')}\x03`, deviceTime };
}

/** Cut `bytes` at the given fractions. */
function cut(bytes: Uint8Array, at: readonly number[]): Uint8Array[] {
  const points = [...new Set(at.map((f) => Math.floor(f * bytes.length)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of points) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  out.push(bytes.subarray(from));
  return out;
}

describe('properties', () => {
  it('every generated report decodes to its model: ID, time (12 h or 24 h), sequence, one valid observation per line', () => {
    fc.assert(
      fc.property(modelArb, (m) => {
        const { text, deviceTime } = render(m);
        const outcome = decodeReport(fromLatin1(text));
        expect(outcome.ok).toBe(true);
        if (!outcome.ok) return;
        expect(outcome.report.sampleId).toBe(m.id === '' ? undefined : m.id);
        expect(outcome.report.date?.deviceTime).toBe(deviceTime);
        expect(outcome.report.sequence).toBe(String(m.no).padStart(6, '0'));
        const n = normalizeReport(outcome.report);
        expect(n.observations).toHaveLength(m.pads.length);
        for (const o of n.observations) expect(ObservationSchema.safeParse(o).success).toBe(true);
        m.pads.forEach(([, , star], i) => expect(n.observations[i]?.interpretation).toBe(star ? 'A' : undefined));
        expect(n.flags).toEqual(m.pads.some(([, , star]) => star) ? ['abnormal'] : []);
      }),
      RUNS,
    );
  });

  it('reports with noise between them give the same frames however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(modelArb, { minLength: 1, maxLength: 4 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }), (models, at) => {
        const stream = concatBytes(models.flatMap((m) => [fromLatin1(render(m).text), Uint8Array.of(0xff, 0x0d, 0x0a)]));
        const whole = new ReportFramer().push(stream).frames;
        const framer = new ReportFramer();
        const pieces = cut(stream, at).flatMap((c) => framer.push(c).frames);
        expect(pieces).toEqual(whole);
        expect(whole).toHaveLength(models.length);
        expect(decodeProbe(cut(stream, at))).toBe(models.length);
      }),
      RUNS,
    );
  });

  it('a report cut anywhere before its ETX never makes a reading; the link ending reports it', () => {
    fc.assert(
      fc.property(modelArb, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (m, f) => {
        const bytes = fromLatin1(render(m).text);
        const framer = new ReportFramer();
        const kept = bytes.subarray(0, Math.floor(f * (bytes.length - 1)));
        expect(framer.push(kept).frames).toEqual([]);
        const end = framer.flush();
        expect(end.frames).toEqual([]);
        if (kept.length > 0) expect(end.problems.map((p) => p.code)).toEqual(['PROTOCOL_TRUNCATED']);
      }),
      RUNS,
    );
  });

  it('a report with one byte replaced by a control or high byte is rejected whole, never half-read', () => {
    fc.assert(
      fc.property(modelArb, fc.nat(), fc.constantFrom(0x00, 0x07, 0x1b, 0x7f, 0x80, 0xff), (m, i, bad) => {
        const bytes = fromLatin1(render(m).text);
        const at = 1 + (i % (bytes.length - 2));
        const damaged = bytes.slice();
        damaged[at] = bad;
        expect(decodeReport(damaged).ok).toBe(false);
      }),
      RUNS,
    );
  });

  it('random bytes, framed or not, never throw', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 6 }), (chunks) => {
        decodeProbe(chunks);
        decodeReport(concatBytes([Uint8Array.of(0x02), ...chunks, Uint8Array.of(0x03)]));
      }),
      RUNS,
    );
  });
});
