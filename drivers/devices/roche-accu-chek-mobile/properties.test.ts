import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runAgainstSimulator } from '../../kit/index.ts';
import { rocheAccuChekMobileDriver as driver } from './index.ts';
import { decodeProbe } from './decode-probe.ts';
import { decodeRow } from './decode.ts';
import { parseReport } from './protocol.ts';
import { MEMORY_ROWS, reportText, type RowSpec } from './simulated-device.ts';

const START = Date.UTC(2026, 0, 15, 9, 0, 0);
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

const row: fc.Arbitrary<RowSpec> = fc.record({
  result: fc.oneof(fc.constant(''), fc.integer({ min: 10, max: 333 }).map((n) => (n / 10).toFixed(1))),
  marks: fc.record({ before: fc.boolean(), after: fc.boolean(), control: fc.boolean(), temperature: fc.boolean() }),
});

describe('Accu-Chek Mobile report properties', () => {
  it('every non-empty Result row of any report becomes one result, in file order, value as printed', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), (rows) => {
        const report = parseReport(reportText(START, rows));
        const results = report.rows.map(decodeRow).flatMap((d) => (d.ok && d.result ? [d.result] : []));
        const wanted = rows.filter((r) => r.result !== '');
        expect(results.map((r) => (r.value.kind === 'number' ? r.value.value.toFixed(1) : '?'))).toEqual(wanted.map((r) => r.result));
        expect(results.map((r) => r.control)).toEqual(wanted.map((r) => r.marks?.control ?? false));
      }),
      { numRuns: 300 },
    );
  });

  it('a report cut inside a line is refused whole; one cut exactly at a line end keeps only whole rows', () => {
    const text = reportText(START, MEMORY_ROWS);
    const full = parseReport(text).rows.map((r) => r.text);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length - 1 }), (cut) => {
        const part = text.slice(0, cut);
        if (!part.endsWith('\r\n') || part.split('\r\n').length < 4) {
          expect(() => parseReport(part)).toThrow(/nothing was imported/);
          expect(decodeProbe([bytes(part)])).toBe(0);
        } else {
          // Indistinguishable from a shorter report (PROTOCOL.md §4): whole rows only, never half of one.
          const rows = parseReport(part).rows.map((r) => r.text);
          expect(rows).toEqual(full.slice(0, rows.length));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the partial scenario (a file cut in its last row) ends in a clear problem and imports nothing', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'partial', startMs: START });
    expect(run.result.readings).toEqual([]);
    expect(run.result.error?.code).toBe('PROTOCOL_UNEXPECTED');
    expect(run.result.error?.message).toMatch(/cut short.*nothing was imported/);
  });
});
