import { describe, expect, it } from 'vitest';
import { fromLatin1 } from '../../kit/index.ts';
import { decodeRecord, parseDateTime, parseTime, type ClinitekRecord, type DecodeOutcome } from './decode.ts';

/** The four real lines of PROTOCOL.md §8 Captures. */
const CAPTURE = {
  english12h:
    '1822,24-12-2021, 5:33PM,,2756,,,,,Multistix 10 SG,Not Entered,Not Entered,GLU,Negative,,BIL,Negative,,KET,Negative,,SG ,1.020,,BLD,Trace-intact,,pH ,7.0,,PRO,Negative,,UBG,3.2 umol/L,,NIT,Negative,,LEU,Negative,',
  spanishAbnormal:
    '1596,18-06-2018,15:25,06178,,,,,,Multistix 10 SG,Amarillo,Claro,GLU,500 mg/dL,*,BIL,Alto,*,CET,15 mg/dL,*,DEN,1.020,,SAN,Apr 200 Hem/uL,*,pH ,7.0,,PRO,>=300 mg/dL,*,URO,4.0 E.U./dL,*,NIT,Positivo,*,LEU,Apr 500 Leu/uL,*',
  spanishNormal:
    '5401,07-12-2017,09:47,,NX17120103,,,,,Multistix 10 SG,Amarillo,Claro,GLU,Negativo,,BIL,Negativo,,CET,Negativo,,DEN,>=1.030,,SAN,Negativo,,pH ,6.5,,PRO,30 mg/dL,*,URO,0.2 E.U./dL,,NIT,Negativo,,LEU,Negativo,',
  error: '5420,28-07-2020,22:31,,BM20070002,,,,,Multistix 10 SG,No introducido,No introducido,E58',
} as const;

const decode = (line: string, dateOrder?: 'dmy' | 'mdy'): DecodeOutcome => decodeRecord(fromLatin1(line), dateOrder ? { dateOrder } : {});

function record(line: string): ClinitekRecord {
  const outcome = decode(line);
  if (!outcome.ok) throw new Error(`expected a record, got: ${outcome.reason}`);
  return outcome.record;
}

function reason(line: string): string {
  const outcome = decode(line);
  if (outcome.ok) throw new Error('expected the line to be rejected');
  return outcome.reason;
}

/** A record with one given date and time, otherwise like the English capture. */
const withTime = (date: string, time: string): string => CAPTURE.english12h.replace('24-12-2021, 5:33PM', `${date},${time}`);

describe('decodeRecord: the real captures', () => {
  it('reads the English 12-hour capture field by field', () => {
    const r = record(CAPTURE.english12h);
    expect(r).toMatchObject({
      type: 'results',
      sequence: '1822',
      date: '24-12-2021',
      time: '5:33PM',
      deviceTime: '2021-12-24T17:33:00',
      operatorId: '',
      sampleId: '2756',
      otherIds: [],
      strip: 'Multistix 10 SG',
      colour: 'Not Entered',
      clarity: 'Not Entered',
    });
    if (r.type !== 'results') throw new Error('not a result record');
    expect(r.results.map((t) => t.code)).toEqual(['GLU', 'BIL', 'KET', 'SG', 'BLD', 'pH', 'PRO', 'UBG', 'NIT', 'LEU']);
    expect(r.results[3]).toEqual({ code: 'SG', result: '1.020', flag: '' });
    expect(r.results[4]).toEqual({ code: 'BLD', result: 'Trace-intact', flag: '' });
    expect(r.results.every((t) => t.flag === '')).toBe(true);
  });

  it('reads the Spanish abnormal capture, whose last flag `*` ends the line without a comma', () => {
    const r = record(CAPTURE.spanishAbnormal);
    if (r.type !== 'results') throw new Error('not a result record');
    expect(r).toMatchObject({ sequence: '1596', deviceTime: '2018-06-18T15:25:00', operatorId: '06178', sampleId: '', colour: 'Amarillo', clarity: 'Claro' });
    expect(r.results.map((t) => `${t.code}=${t.result}${t.flag}`)).toEqual([
      'GLU=500 mg/dL*', 'BIL=Alto*', 'CET=15 mg/dL*', 'DEN=1.020', 'SAN=Apr 200 Hem/uL*',
      'pH=7.0', 'PRO=>=300 mg/dL*', 'URO=4.0 E.U./dL*', 'NIT=Positivo*', 'LEU=Apr 500 Leu/uL*',
    ]);
  });

  it('reads the Spanish normal capture (day first: 07-12-2017 is 7 December)', () => {
    const r = record(CAPTURE.spanishNormal);
    expect(r).toMatchObject({ type: 'results', sequence: '5401', deviceTime: '2017-12-07T09:47:00', sampleId: 'NX17120103', operatorId: '' });
  });

  it('reads the E58 capture as an error record, not as results', () => {
    const r = record(CAPTURE.error);
    expect(r).toMatchObject({ type: 'error', errorCode: 'E58', sequence: '5420', sampleId: 'BM20070002', colour: 'No introducido' });
    expect('results' in r).toBe(false);
    expect(record(`${CAPTURE.error},`)).toMatchObject({ type: 'error', errorCode: 'E58' });
  });
});

describe('decodeRecord: times and dates', () => {
  it.each([
    ['12:00AM', '00:00'],
    ['12:05AM', '00:05'],
    [' 1:15AM', '01:15'],
    ['11:59AM', '11:59'],
    ['12:30PM', '12:30'],
    [' 5:33PM', '17:33'],
    ['11:59PM', '23:59'],
    ['00:00', '00:00'],
    ['09:47', '09:47'],
    ['15:25', '15:25'],
    ['23:59', '23:59'],
  ])('time %j is %s', (time, hhmm) => {
    expect(record(withTime('03-02-2025', time)).deviceTime).toBe(`2025-02-03T${hhmm}:00`);
  });

  it.each(['13:00PM', ' 0:30AM', '24:00', '12:60', '1230', '', 'noon'])('rejects the time %j', (time) => {
    expect(reason(withTime('03-02-2025', time))).toMatch(/fields 2–3/);
  });

  it('parses a time as 12 h or 24 h, and nothing else', () => {
    expect(parseTime('12:05AM')).toEqual({ hour: 0, minute: 5 });
    expect(parseTime('12:05PM')).toEqual({ hour: 12, minute: 5 });
    expect(parseTime('9:05 pm')).toEqual({ hour: 21, minute: 5 });
    expect(parseTime('5:33')).toEqual({ hour: 5, minute: 33 });
    expect(parseTime('17:33PM')).toBeUndefined();
  });

  it.each(['31-02-2021', '29-02-2021', '00-01-2021', '12-13-2021', '2021-12-24', '24-12-21', '24-12/2021'])('rejects the date %j', (date) => {
    expect(reason(withTime(date, '10:00'))).toMatch(/not a real date and time/);
  });

  it('accepts 29 February in a leap year', () => {
    expect(record(withTime('29-02-2024', '10:00')).deviceTime).toBe('2024-02-29T10:00:00');
  });

  it("reads month first when dateOrder is 'mdy'", () => {
    expect(parseDateTime('12-24-2021', '17:33', 'mdy')).toBe('2021-12-24T17:33:00');
    expect(parseDateTime('12-24-2021', '17:33', 'dmy')).toBeUndefined();
    expect(decode(withTime('12-24-2021', '17:33'), 'mdy')).toMatchObject({ ok: true, record: { deviceTime: '2021-12-24T17:33:00' } });
    expect(decode(CAPTURE.english12h, 'mdy').ok).toBe(false);
  });
});

describe('decodeRecord: malformed lines are rejected with a reason, never thrown', () => {
  const cut = (n: number): string => CAPTURE.english12h.slice(0, n);

  it.each([
    ['cut inside a result', cut(CAPTURE.english12h.indexOf('Negative,,BIL') + 4), /complete code, result, flag triplet/],
    ['cut after a code', cut(CAPTURE.english12h.indexOf(',BIL') + 4), /complete code, result, flag triplet/],
    ['cut inside the header', cut(40), /fields, a record has at least 13/],
    ['a flag that is not `*`', CAPTURE.english12h.replace('GLU,Negative,,', 'GLU,Negative,x,'), /not an abnormal flag/],
    ['a sequence that is not a number', CAPTURE.english12h.replace('1822,', '18a2,'), /sequence number/],
    ['a missing sequence', CAPTURE.english12h.replace('1822,', ','), /sequence number/],
    ['an empty result', CAPTURE.english12h.replace('GLU,Negative,', 'GLU,,'), /result\) is empty/],
    ['a number in a code position', CAPTURE.english12h.replace('GLU,', '1823,'), /not an analyte code/],
    ['results and an error code', `${CAPTURE.english12h},E58`, /complete code, result, flag triplet/],
    ['an error code that is not E+digits', CAPTURE.error.replace('E58', 'E5X'), /triplet/],
  ])('%s', (_what, line, why) => {
    expect(reason(line)).toMatch(why);
  });

  it('rejects a record cut short and glued to the next one', () => {
    const glued = cut(150) + CAPTURE.spanishNormal;
    expect(decode(glued).ok).toBe(false);
    expect(decode(CAPTURE.english12h + CAPTURE.spanishNormal).ok).toBe(false);
    expect(decode(CAPTURE.spanishAbnormal + CAPTURE.english12h).ok).toBe(false);
    expect(decode(CAPTURE.error + CAPTURE.english12h).ok).toBe(false);
  });

  it('rejects control bytes inside a line and lines of noise only', () => {
    expect(reason(CAPTURE.english12h.replace('Negative', 'Neg\u0002ative'))).toMatch(/control bytes/);
    expect(decodeRecord(Uint8Array.of(0x00, 0xff, 0x8a))).toEqual({ ok: false, reason: 'no printable characters' });
  });

  it('never throws, whatever the bytes', () => {
    for (const bytes of [new Uint8Array(), Uint8Array.of(0x2c), fromLatin1(',,,,,,,,,,,,,,,,'), fromLatin1('1,1-1-2000,1:00,,,,,,,,,,A,b,*')]) {
      expect(() => decodeRecord(bytes)).not.toThrow();
    }
  });
});

describe('decodeRecord: line noise and flow control', () => {
  it('skips non-printable noise before a record and says how much', () => {
    const outcome = decodeRecord(Uint8Array.from([0x00, 0xff, 0x00, ...fromLatin1(CAPTURE.english12h)]));
    expect(outcome.ok).toBe(true);
    if (outcome.ok) {
      expect(Array.from(outcome.noise)).toEqual([0x00, 0xff, 0x00]);
      expect(outcome.record.sequence).toBe('1822');
    }
    const clean = decode(CAPTURE.english12h);
    expect(clean.ok && clean.noise.length).toBe(0);
  });

  it('does not skip printable bytes: digits join the sequence number (a known limit, PROTOCOL.md), others reject the line', () => {
    expect(decode(`7${CAPTURE.english12h}`)).toMatchObject({ ok: true, record: { sequence: '71822' } });
    expect(decode(`~~${CAPTURE.english12h}`).ok).toBe(false);
  });

  it('drops XON/XOFF wherever they are, and ignores a line of flow control only', () => {
    const bytes = fromLatin1(CAPTURE.english12h.replace('Multistix', '\u0013Multi\u0011stix'));
    expect(decodeRecord(bytes)).toMatchObject({ ok: true, record: { strip: 'Multistix 10 SG' } });
    expect(decodeRecord(Uint8Array.of(0x13, 0x11))).toEqual({ ok: false, reason: 'flow control only', silent: true });
  });
});

describe('decodeRecord: other fields', () => {
  it('keeps fields 6–9 only when one of them is filled', () => {
    const filled = CAPTURE.english12h.replace('2756,,,,,', '2756,DOE,JANE,,F,');
    expect(record(filled).otherIds).toEqual(['DOE', 'JANE', '', 'F']);
    expect(record(CAPTURE.english12h).otherIds).toEqual([]);
  });

  it('accepts codes of other strips (ALB, CRE, A:C) as codes', () => {
    const line = '2046,14-03-2026,13:40,JS01,MRN445567,,,,,Clinitek Microalbumin,Not Entered,Not Entered,ALB,30 mg/L,*,CRE,100 mg/dL,,A:C,30-300 mg/g,*';
    const r = record(line);
    expect(r.type === 'results' ? r.results.map((t) => t.code) : []).toEqual(['ALB', 'CRE', 'A:C']);
  });
});
