import { describe, expect, it } from 'vitest';
import { splitAstmRecord } from '../../families/astm/records.ts';
import { CONTOUR_FRAMES, CONTOUR_HEADER_TEXT, TIDEPOOL_R_FRAME } from '../../families/astm/vectors.ts';
import { decodeHeader, decodeResult, parseMeterTime, terminationCode, type ContourHeader, type ContourResult } from './decode.ts';

/** A Contour Next header as quoted in Tidepool's driver (its comment wraps it; joined here). */
const TIDEPOOL_HEADER =
  'H|\\^&||qvqOi8|Bayer7350^01.14\\01.03\\04.18^7358-1611135^0000-|A=1^C=00^G=es,en\\es\\it\\de\\fr\\hr\\da\\nl\\fi\\el\\no\\pt\\sl\\sv^I=0200^R=0^S=01^U=0^V=20600^X=070070070180130180070130^Y=120054252099^Z=1|4|||||P|1|201505291248';

const header = (text: string): ContourHeader => {
  const out = decodeHeader(splitAstmRecord(text));
  if (!out.ok) throw new Error(out.reason);
  return out.value;
};
const result = (text: string): ContourResult => {
  const out = decodeResult(splitAstmRecord(text));
  if (!out.ok) throw new Error(out.reason);
  return out.value;
};

describe('header record (PROTOCOL.md §5)', () => {
  it('decodes the real glucometerutils header', () => {
    const h = header(CONTOUR_HEADER_TEXT);
    expect(h).toMatchObject({
      productCode: 'Bayer7390',
      productNumber: '7390',
      model: 'Contour USB',
      versions: ['01.24', '01.04', '09.02.20'],
      serial: '7390-2336773',
      displayUnit: 'mg/dL',
      range: { low: 10, high: 600, text: '10600' },
      recordCount: 1714,
      meterTime: '2019-09-22T13:04:00',
      warnings: [],
    });
    expect(h.config).toMatchObject({ A: '1', C: '63', G: '1', I: '0200', U: '0', V: '10600', Z: '1' });
  });

  it("decodes Tidepool's Contour Next header: a language list inside G, V = 20600, processing id P", () => {
    const h = header(TIDEPOOL_HEADER);
    expect(h).toMatchObject({ model: 'Contour Next', serial: '7358-1611135', range: { low: 20, high: 600 }, recordCount: 4, meterTime: '2015-05-29T12:48:00', warnings: [] });
    expect(h.config['G']).toBe('es,en\\es\\it\\de\\fr\\hr\\da\\nl\\fi\\el\\no\\pt\\sl\\sv');
  });

  it('reads U = 1 as mmol/L and a 14-digit time with seconds (Next Link 2.4)', () => {
    const h = header('H|\\^&||x|Bayer6210^01.02^6213-1C2CF8C|U=1^V=10600|12||||||1|20260115090042');
    expect(h).toMatchObject({ model: 'Contour Next Link 2.4', displayUnit: 'mmol/L', recordCount: 12, meterTime: '2026-01-15T09:00:42' });
  });

  it('an unknown product code still names the family; Contour7800 is the Next One / Plus One', () => {
    expect(header('H|\\^&||x|Contour9999^1^S1|U=0|0||||||1|202601150900').model).toBe('Contour (Contour9999)');
    expect(header('H|\\^&||x|Contour7800^01.04^7830H5001733|U=0|0||||||1|202601150900')).toMatchObject({ model: 'Contour Next One / Contour Plus One', serial: '7830H5001733' });
  });

  it('a header missing serial, count, time, or with odd U/V settings, decodes with warnings', () => {
    const h = header('H|\\^&||x|Bayer7410|U=7^V=1x600|many||||||1|2019');
    expect(h.serial).toBeUndefined();
    expect(h.recordCount).toBeUndefined();
    expect(h.meterTime).toBeUndefined();
    expect(h.displayUnit).toBeUndefined();
    expect(h.range).toBeUndefined();
    expect(h.warnings).toHaveLength(5);
  });

  it('refuses a record that is not a header', () => {
    expect(decodeHeader(splitAstmRecord('P|1')).ok).toBe(false);
  });
});

describe('result record (PROTOCOL.md §5, Bayer positions)', () => {
  it.each([
    [CONTOUR_FRAMES[2]?.text, { index: '1', test: 'Glucose', valueText: '93', value: 93, unit: 'mg/dL', method: 'P', markers: ['A', 'M0', 'T1'], deviceTime: '2015-05-26T11:50:00' }],
    [CONTOUR_FRAMES[3]?.text, { index: '2', test: 'Glucose', valueText: '133', value: 133, unit: 'mg/dL', method: 'P', markers: ['B', 'X'], deviceTime: '2012-02-05T20:34:00' }],
    [TIDEPOOL_R_FRAME.text, { index: '3', value: 93, markers: ['A', 'M0', 'T1'] }],
    ['R|7|^^^Glucose|5.2|mmol/L^B||<||20260115090042', { value: 5.2, unit: 'mmol/L', method: 'B', markers: ['<'], deviceTime: '2026-01-15T09:00:42' }],
    ['R|8|^^^Glucose|HI|mg/dL^P||>/C||202601150900', { valueText: 'HI', markers: ['>', 'C'] }],
  ])('decodes %s', (text, want) => {
    const got = result((text ?? '').replace(/\r$/, ''));
    expect(got).toMatchObject(want);
    if (got.valueText === 'HI') expect(got.value).toBeUndefined();
  });

  it.each([
    ['no time', 'R|1|^^^Glucose|93|mg/dL^P||||'],
    ['impossible date', 'R|1|^^^Glucose|93|mg/dL^P||||201302301200'],
    ['13 digits', 'R|1|^^^Glucose|93|mg/dL^P||||2013020112001'],
    ['not a result', 'L|1||N'],
  ])('rejects a result with %s', (_why, text) => {
    expect(decodeResult(splitAstmRecord(text)).ok).toBe(false);
  });

  it('the value must look like a meter number, else it is kept as text only', () => {
    expect(result('R|1|^^^Glucose|1e3|mg/dL^P||||201302011200').value).toBeUndefined();
    expect(result('R|1|^^^Glucose|-5|mg/dL^P||||201302011200').value).toBeUndefined();
  });
});

describe('other fields', () => {
  it('parseMeterTime takes 12 or 14 digits of a real date-time', () => {
    expect(parseMeterTime('201909221304')).toBe('2019-09-22T13:04:00');
    expect(parseMeterTime('20190922130459')).toBe('2019-09-22T13:04:59');
    expect(parseMeterTime('201913221304')).toBeUndefined();
    expect(parseMeterTime('2019092213')).toBeUndefined();
  });

  it('terminationCode reads the E1394 place (field 3) and the Bayer place (field 4)', () => {
    expect(terminationCode(splitAstmRecord('L|1||N'))).toBe('N');
    expect(terminationCode(splitAstmRecord('L|1|N'))).toBe('N');
    expect(terminationCode(splitAstmRecord('L|1||T'))).toBe('T');
    expect(terminationCode(splitAstmRecord('L|1'))).toBe('');
  });
});
