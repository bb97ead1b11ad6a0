import { describe, expect, it } from 'vitest';
import { fromLatin1 } from '../../kit/index.ts';
import { decodeReport, parseDate, sampleIdOf, type DecodeOutcome } from './decode.ts';
import { normalizeReport } from './normalize.ts';

/** A report as the analyzer frames it: STX, the lines each with CR LF, ETX. */
const frame = (...lines: string[]): Uint8Array => fromLatin1(`\x02${lines.map((l) => `${l}\r\n`).join('')}\x03`);

/** The document's example report (PROTOCOL.md §3, §3.3), single-spaced as quoted. */
const DOCUMENT = [
  'Date :OCT-01-2000 15:15:06',
  'ID_NO:0037-',
  '      ',
  'Ward :',
  'NAME :',
  'BLD +++ 250 RBC/ul',
  'PRO ++++2000 mg/dl',
  'KET - neg',
  'NIT + pos',
  'p.H 9.0',
  'S.G >=1.030',
  'LEU +++ 500 WBC/ul',
];

function ok(outcome: DecodeOutcome) {
  if (!outcome.ok) throw new Error(`expected a report, got: ${outcome.reason}`);
  return outcome.report;
}
const reason = (outcome: DecodeOutcome): string => (outcome.ok ? 'decoded' : `${outcome.code}: ${outcome.reason}`);

describe('decodeReport: the document example', () => {
  it('reads date, sample ID and the seven analyte lines as printed', () => {
    const report = ok(decodeReport(frame(...DOCUMENT)));
    expect(report.deviceTime).toBe('2000-10-01T15:15:06');
    expect(report.idNo).toBe('0037-');
    expect(report.sampleId).toBe('0037');
    expect(report.subId).toBeUndefined();
    expect(report.name).toBeUndefined();
    expect(report.results).toEqual([
      { code: 'BLD', result: '+++ 250 RBC/ul' },
      { code: 'PRO', result: '++++2000 mg/dl' },
      { code: 'KET', result: '- neg' },
      { code: 'NIT', result: '+ pos' },
      { code: 'p.H', result: '9.0' },
      { code: 'S.G', result: '>=1.030' },
      { code: 'LEU', result: '+++ 500 WBC/ul' },
    ]);
    expect(report.wideLines).toBe(0);
  });

  it('maps every pad through the urine family', () => {
    const { observations, context } = normalizeReport(ok(decodeReport(frame(...DOCUMENT))));
    const summary = observations.map((o) => {
      const v = o.value;
      if (v?.kind === 'quantity') return `${o.code} ${v.comparator ?? ''}${v.value} ${v.unit}`;
      if (v?.kind === 'ordinal') return `${o.code} ${v.code}`;
      return `${o.code ?? '-'} ${v?.kind}`;
    });
    expect(summary).toEqual(['5794-3 3+', '5804-0 2000 mg/dL', '2514-8 neg', '5802-4 pos', '5803-2 9 [pH]', '5811-5 >=1.03 1', '5799-2 3+']);
    expect(observations.every((o) => o.interpretation === undefined)).toBe(true);
    expect(context).toEqual({ sampleId: '0037' });
  });
});

describe('decodeReport: layout', () => {
  it('reads fixed-width padded lines and collapses their column padding', () => {
    const report = ok(decodeReport(frame('Date :MAR-02-2026 10:15:02'.padEnd(26), 'ID_NO:0040-'.padEnd(27), '2     ', 'Ward :OPD', 'NAME :ROE RICHARD'.padEnd(25), 'LEU ++   125 WBC/ul'.padEnd(25))));
    expect(report.results).toEqual([{ code: 'LEU', result: '++ 125 WBC/ul' }]);
    expect(report).toMatchObject({ subId: '2', sampleId: '0040-2', ward: 'OPD', name: 'ROE RICHARD', wideLines: 1 });
  });

  it('reads lines wider than documented when they are unambiguous, and counts them', () => {
    const report = ok(decodeReport(frame('NAME :A VERY LONG PATIENT NAME INDEED', 'LEU    +++       500     WBC/ul', 'GLU -     neg'.padEnd(40))));
    expect(report.results).toEqual([{ code: 'LEU', result: '+++ 500 WBC/ul' }, { code: 'GLU', result: '- neg' }]);
    // Trailing padding is not content: only the name and the LEU line are wider than documented.
    expect(report.wideLines).toBe(2);
  });

  it('takes a lone LF or CR as a line end', () => {
    const report = ok(decodeReport(fromLatin1('\x02ID_NO:7-\nGLU - neg\rKET - neg\r\n\x03')));
    expect(report.results.map((r) => r.code)).toEqual(['GLU', 'KET']);
  });

  it('the sub-ID is the line right after ID_NO, at most 6 wide', () => {
    expect(ok(decodeReport(frame('ID_NO:12-', 'A1', 'GLU - neg'))).sampleId).toBe('12-A1');
    // Not right after ID_NO: an unknown short line, so the report is not read.
    expect(reason(decodeReport(frame('ID_NO:12-', 'Ward :', 'A1', 'GLU - neg')))).toMatch(/^PROTOCOL_GARBAGE: line 3/);
  });

  it('keeps unknown codes for the normalizer (unmapped, never dropped)', () => {
    const { observations } = normalizeReport(ok(decodeReport(frame('VC + 20 mg/dl', 'URO norm'))));
    expect(observations.map((o) => [o.code, o.value?.kind])).toEqual([
      [undefined, 'unmapped'],
      ['20405-7', 'unmapped'],
    ]);
  });
});

describe('decodeReport: what is never half-read', () => {
  it.each([
    ['a control byte inside', fromLatin1('\x02GLU - neg\r\nKET \x07 neg\r\n\x03'), /control bytes/],
    ['two lines run together', frame('GLU -    neg             BIL -    neg'), /neither a header nor an analyte/],
    ['a title line we do not know', frame('URiSCAN PRO II REPORT', 'GLU - neg'), /neither a header nor an analyte/],
    ['a header twice', frame('ID_NO:1-', 'GLU - neg', 'ID_NO:2-', 'KET - neg'), /second ID_NO/],
    ['an analyte twice', frame('GLU - neg', 'S.G 1.010', 'SG 1.020'), /printed twice/],
    ['no results', frame('Date :OCT-01-2000 15:15:06', 'ID_NO:0037-'), /without any analyte/],
    ['a code alone', frame('GLU'), /neither a header/],
    ['not a frame', fromLatin1('GLU - neg\r\n'), /not an STX/],
  ])('%s → no report', (_what, bytes, why) => {
    const outcome = decodeReport(bytes);
    expect(outcome.ok).toBe(false);
    expect(reason(outcome)).toMatch(why);
  });
});

describe('parseDate: strictly, never guessed', () => {
  it('reads the document form', () => {
    expect(parseDate('OCT-01-2000 15:15:06')).toEqual({ ok: true, deviceTime: '2000-10-01T15:15:06' });
    expect(parseDate('DEC-31-2025 23:59:59')).toEqual({ ok: true, deviceTime: '2025-12-31T23:59:59' });
    expect(parseDate('FEB-29-2024 00:00:00')).toEqual({ ok: true, deviceTime: '2024-02-29T00:00:00' });
  });

  it.each(['Oct-01-2000 15:15:06', 'OKT-01-2000 15:15:06', 'FEB-30-2026 10:00:00', 'FEB-29-2025 10:00:00', 'OCT-01-2000 24:00:00', 'OCT-1-2000 15:15:06', '01-10-2000 15:15:06', ''])('%j → no device time', (value) => {
    expect(parseDate(value).ok).toBe(false);
  });

  it('a report with an unreadable date is still a report, without device time and with the reason', () => {
    const report = ok(decodeReport(frame('Date :OCX-02-2026 12:01:40', 'GLU - neg')));
    expect(report.deviceTime).toBeUndefined();
    expect(report.dateProblem).toMatch(/"OCX" is not a month/);
  });
});

describe('sampleIdOf: the trailing dash is a separator (PROTOCOL.md §3.2)', () => {
  it.each([
    ['0037-', undefined, '0037'],
    ['0037-  ', '', '0037'],
    ['0040-', '2', '0040-2'],
    ['A-17-', undefined, 'A-17'],
    ['', 'X1', 'X1'],
    ['-', undefined, undefined],
    [undefined, undefined, undefined],
  ])('%j + sub-ID %j → %j', (id, sub, expected) => {
    expect(sampleIdOf(id, sub)).toBe(expected);
  });
});
