import { describe, expect, it } from 'vitest';
import { exportItem, PRINTED_STRIP, READINGS } from '../../../test/helpers/export-items.ts';
import { guardFormula, parseCsv, quoteCell, renderCsv } from './csv.ts';
import { exportFileName } from './file-name.ts';

describe('CSV cells', () => {
  it('quotes per RFC 4180', () => {
    expect(quoteCell('plain')).toBe('plain');
    expect(quoteCell('a,b')).toBe('"a,b"');
    expect(quoteCell('say "hi"')).toBe('"say ""hi"""');
    expect(quoteCell('two\nlines')).toBe('"two\nlines"');
  });

  it('defuses formulas but keeps plain numbers', () => {
    for (const bad of ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tx']) expect(guardFormula(bad)).toBe(`'${bad}`);
    expect(guardFormula('-1.5')).toBe('-1.5');
    expect(guardFormula('MRN-1')).toBe('MRN-1');
  });

  it('round-trips through the parser, one row per observation', () => {
    const item = exportItem(READINGS.urineStrip);
    const rows = parseCsv(renderCsv(item));
    expect(rows).toHaveLength(13);
    expect(rows.every((r) => r.length === rows[0]?.length)).toBe(true);
    expect(rows[5]?.[rows[0]?.indexOf('value_code') ?? -1]).toBe('260405006 (trace)');
  });
});

describe('export file names', () => {
  it('use the reading date as stated and the reading id, never patient data', () => {
    expect(exportFileName('2026-11-27T23:30:00-05:00', 'A0B9A8F3-1111-4222-8333-444455556666', 'csv')).toBe('pochub-20261127-a0b9a8f3-1111-4222-8333-444455556666.csv');
    expect(exportFileName('2026-11-27T09:15:00+00:00', '0b9a8f3e-1111-4222-8333-444455556666', 'fhir-bundle')).toMatch(/\.json$/);
    expect(() => exportFileName('2026-11-27T09:15:00Z', '../../etc/passwd', 'csv')).toThrow(/not a UUID/);
  });
});

describe('CSV precision', () => {
  it('writes values with the decimals the device printed (SG 1.020, pH 6.0)', () => {
    const text = renderCsv(exportItem(PRINTED_STRIP));
    expect(text).toContain(',1.020,');
    expect(text).toContain(',6.0,');
    const rows = parseCsv(text);
    const value = rows[0]?.indexOf('value') ?? -1;
    expect(rows.slice(1).map((r) => r[value])).toEqual(['Negative', '1.020', '6.0', '0.2', 'Yellow']);
  });
});
