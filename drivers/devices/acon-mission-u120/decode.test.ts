import { describe, expect, it } from 'vitest';
import { fromLatin1 } from '../../kit/index.ts';
import { decodeReport, decodeResultLine, parseDateTime } from './decode.ts';
import { normalizeReport, normalizeResult } from './normalize.ts';

/** The normal capture of PROTOCOL.md §6, byte for byte. */
const CAPTURE =
  '\x02 ID:10\r\n Date:15-05-2026 16:51\r\n Operator: 100\r\n No. 100002\r\n' +
  ' LEU       -              neg\r\n NIT       -              neg\r\n URO       -       0.2  mg/dL\r\n' +
  ' PRO       -              neg\r\n pH               6.0\r\n BLO       -              neg\r\n' +
  ' SG         1.010\r\n KET       -              neg\r\n BIL       -              neg\r\n' +
  ' GLU       -              neg\r\n\x03';

const report = (body: string): Uint8Array => fromLatin1(`\x02${body}\x03`);

describe('decodeReport', () => {
  it('reads the real normal capture: header and ten analyte lines', () => {
    const outcome = decodeReport(fromLatin1(CAPTURE));
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const { results, ...header } = outcome.report;
    expect(header).toEqual({ sampleId: '10', date: { printed: '15-05-2026 16:51', deviceTime: '2026-05-15T16:51:00' }, operatorId: '100', sequence: '100002' });
    expect(results.map((r) => r.label)).toEqual(['LEU', 'NIT', 'URO', 'PRO', 'pH', 'BLO', 'SG', 'KET', 'BIL', 'GLU']);
    expect(results[2]).toEqual({ label: 'URO', grade: '-', value: '0.2', unit: 'mg/dL', abnormal: false });
    expect(results[4]).toEqual({ label: 'pH', value: '6.0', abnormal: false });
  });

  it('an empty ID: line gives no sample id; a report without Date: has no device time', () => {
    const outcome = decodeReport(report(' ID:\r\n No. 000001\r\n GLU       -              neg\r\n'));
    expect(outcome).toEqual({ ok: true, report: { sequence: '000001', results: [{ label: 'GLU', grade: '-', value: 'neg', abnormal: false }] } });
  });

  it.each([
    ['a control byte inside', ' ID:1\r\n GLU  -  n\x00eg\r\n', /byte 0x00/],
    ['a line that is neither header nor analyte', ' ID:1\r\n Color: Yellow\r\n GLU - neg\r\n', /neither a header nor an analyte line/],
    ['a header printed twice', ' ID:1\r\n ID:2\r\n GLU - neg\r\n', /the ID: line is printed twice/],
    ['an analyte printed twice', ' GLU - neg\r\n GLU - neg\r\n', /GLU is printed twice/],
    ['month 13', ' Date:15-13-2026 16:51\r\n GLU - neg\r\n', /not a real date/],
    ['13 pm', ' Date:15-05-2026 13:05 pm\r\n GLU - neg\r\n', /not a real date/],
    ['a sequence that is not digits', ' No. 10O002\r\n GLU - neg\r\n', /not a sequence number/],
    ['no analyte line', ' ID:1\r\n Date:15-05-2026 16:51\r\n', /no analyte lines/],
    ['a value that is neither number nor word', ' GLU - 1,000 mg/dL\r\n', /not a number and a unit/],
    ['too many columns', ' GLU 3+ 1000 mg/dL mg/dL\r\n', /more than a grade/],
  ])('rejects a report with %s', (_what, body, reason) => {
    const outcome = decodeReport(report(body));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.reason).toMatch(reason);
  });

  it('rejects what is not a whole STX … ETX frame', () => {
    expect(decodeReport(fromLatin1(' GLU - neg\r\n\x03')).ok).toBe(false);
    expect(decodeReport(fromLatin1('\x02 GLU - neg\r\n')).ok).toBe(false);
  });
});

describe('parseDateTime', () => {
  it.each([
    ['15-05-2026 16:51', '2026-05-15T16:51:00'],
    ['03-09-2026 12:42 pm', '2026-09-03T12:42:00'],
    ['03-09-2026 12:05 am', '2026-09-03T00:05:00'],
    ['03-09-2026 1:07 PM', '2026-09-03T13:07:00'],
    ['03-09-2026 11:59 pm', '2026-09-03T23:59:00'],
    ['03-09-2026 00:00', '2026-09-03T00:00:00'],
  ])('%s → %s', (text, want) => {
    expect(parseDateTime(text)).toBe(want);
  });

  it.each(['31-02-2026 10:00', '15-05-2026 24:00', '15-05-2026 0:30 am', '15-05-2026 16:60', '2026-05-15 16:51', '15/05/2026 16:51'])('%s is not a date-time', (text) => {
    expect(parseDateTime(text)).toBeUndefined();
  });
});

describe('analyte lines → observations (through the urine family)', () => {
  const obs = (line: string): unknown => {
    const r = decodeResultLine(line);
    if (typeof r === 'string') throw new Error(r);
    return normalizeResult(r);
  };

  it('the positive control lines of PROTOCOL.md §6', () => {
    expect(obs('*LEU      3+       500 Leu/uL')).toMatchObject({ code: '5799-2', value: { kind: 'ordinal', code: '3+', text: '3+ 500 Leu/uL' }, interpretation: 'A' });
    expect(obs('*NIT       +              pos')).toMatchObject({ code: '5802-4', value: { kind: 'ordinal', code: 'pos' }, interpretation: 'A' });
    expect(obs('*URO      2+        4   mg/dL')).toMatchObject({ code: '20405-7', value: { kind: 'quantity', value: 4, unit: 'mg/dL' } });
    expect(obs('*PRO      3+       300  mg/dL')).toMatchObject({ code: '5804-0', value: { kind: 'quantity', value: 300, unit: 'mg/dL' } });
    expect(obs(' pH           7.5')).toEqual({ code: '5803-2', display: expect.any(String), value: { kind: 'quantity', value: 7.5, unit: '[pH]', decimals: 1 } });
    expect(obs('*BLO      3+       200 Ery/uL')).toMatchObject({ code: '5794-3', value: { kind: 'ordinal', code: '3+' } });
    expect(obs(' SG         1.010')).toMatchObject({ code: '5811-5', value: { kind: 'quantity', value: 1.01, unit: '1', decimals: 3 } });
    expect(obs(' KET      +-        5   mg/dL')).toMatchObject({ code: '5797-6', value: { kind: 'quantity', value: 5, unit: 'mg/dL' } });
    expect(obs('*BIL      2+       2    mg/dL')).toMatchObject({ code: '5770-3', value: { kind: 'ordinal', code: '2+' }, interpretation: 'A' });
    expect(obs('*GLU      3+       1000 mg/dL')).toMatchObject({ code: '5792-7', value: { kind: 'quantity', value: 1000, unit: 'mg/dL' } });
  });

  it('trace (`+-` and `+/-`), a grade alone, and ascorbate kept unmapped', () => {
    expect(obs(' PRO      +-        15  mg/dL')).toMatchObject({ code: '5804-0', value: { kind: 'quantity', value: 15 } });
    expect(obs(' LEU      +/-       15 Leu/uL')).toMatchObject({ code: '5799-2', value: { kind: 'ordinal', code: 'trace' } });
    expect(obs(' NIT       -')).toMatchObject({ code: '5802-4', value: { kind: 'ordinal', code: 'neg', text: '-' } });
    expect(obs(' ASC      1+        10  mg/dL')).toEqual({ value: { kind: 'unmapped', label: 'ASC', text: '1+ 10 mg/dL' } });
  });

  it('a grade that contradicts the word is not read as either', () => {
    expect(obs(' NIT       -              pos')).toMatchObject({ value: { kind: 'unmapped', label: 'NIT', text: '- pos' } });
  });

  it('a report: context and the abnormal flag', () => {
    const outcome = decodeReport(report(' ID:A-7\r\n Operator: 3\r\n No. 000009\r\n*GLU 3+ 1000 mg/dL\r\n'));
    if (!outcome.ok) throw new Error(outcome.reason);
    const n = normalizeReport(outcome.report);
    expect(n.context).toEqual({ sequence: '000009', sampleId: 'A-7', operatorId: '3' });
    expect(n.flags).toEqual(['abnormal']);
  });
});
