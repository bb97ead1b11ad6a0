import { describe, expect, it } from 'vitest';
import {
  AstmRecordSplitter,
  E1394_DEFAULT_DELIMITERS,
  component,
  componentRepeats,
  delimitersFromHeader,
  escapeAstm,
  fieldRaw,
  fieldRepeats,
  fieldText,
  splitAstmRecord,
  unescapeAstm,
} from './records.ts';
import { CONTOUR_HEADER_TEXT, LIS_FRAMES } from './vectors.ts';

const d = E1394_DEFAULT_DELIMITERS;

describe('delimiters', () => {
  it('come from the H record: field, repeat, component, escape (E1394)', () => {
    expect(delimitersFromHeader(CONTOUR_HEADER_TEXT)).toEqual({ field: '|', repeat: '\\', component: '^', escape: '&' });
    expect(delimitersFromHeader('H!@#$!x')).toEqual({ field: '!', repeat: '@', component: '#', escape: '$' });
    expect(delimitersFromHeader('H|\\^&')).toEqual(d);
  });

  it.each(['', 'H', 'H|\\^', 'R|\\^&|', 'H||^&|', 'H|A^&|', 'H|\\^&x', 'H|\r^&|'])('rejects %j', (text) => {
    expect(delimitersFromHeader(text)).toBeUndefined();
  });
});

describe('escapes', () => {
  it('&F& &S& &R& &E& stand for the four delimiters; other sequences stay', () => {
    expect(unescapeAstm('a&F&b&S&c&R&d&E&e', d)).toBe('a|b^c\\d&e');
    expect(unescapeAstm('&H&bold&N& & && &X0D&', d)).toBe('&H&bold&N& & && &X0D&');
    expect(escapeAstm('a|b^c\\d&e', d)).toBe('a&F&b&S&c&R&d&E&e');
  });
});

describe('splitAstmRecord', () => {
  it('splits the Contour header: field 2 is the declaration, kept literally', () => {
    const h = splitAstmRecord(CONTOUR_HEADER_TEXT);
    expect(h.type).toBe('H');
    expect(fieldText(h, 2)).toBe('\\^&');
    expect(fieldText(h, 4)).toBe('7w3LBL');
    expect(fieldText(h, 7)).toBe('1714');
    expect(fieldText(h, 13)).toBe('1');
    expect(fieldText(h, 14)).toBe('201909221304');
    expect(fieldText(h, 99)).toBe('');
  });

  it('componentRepeats reads a Bayer sender field (lists inside components)', () => {
    const h = splitAstmRecord(CONTOUR_HEADER_TEXT);
    expect(componentRepeats(h, 5)).toEqual([['Bayer7390'], ['01.24', '01.04', '09.02.20'], ['7390-2336773'], ['7403-']]);
  });

  it('fieldRepeats reads E1394 order (repeats of components)', () => {
    const r = splitAstmRecord('R|1|^^^GLU^1\\^^^KET|a&S&b|x');
    expect(fieldRepeats(r, 3)).toEqual([['', '', '', 'GLU', '1'], ['', '', '', 'KET']]);
    expect(component(r, 3, 4, 2)).toBe('KET');
    expect(component(r, 3, 9)).toBe('');
    expect(fieldRepeats(r, 4)).toEqual([['a^b']]);
  });

  it('reads the urine analyzer vector\'s result and patient records', () => {
    const [, p, , r] = LIS_FRAMES.map((v) => splitAstmRecord(v.text.slice(0, -1)));
    expect(component(p!, 6, 1)).toBe('Doe');
    expect(component(p!, 6, 2)).toBe('Jane');
    expect(fieldText(r!, 4)).toBe('Negative');
    expect(fieldText(r!, 13)).toBe('20240315093000');
  });

  it('type is the upper-cased first letter, or empty', () => {
    expect(splitAstmRecord('r|1').type).toBe('R');
    expect(splitAstmRecord('1|x').type).toBe('');
    expect(splitAstmRecord('').fields).toEqual(['']);
  });
});

describe('AstmRecordSplitter', () => {
  it('takes the delimiters of each header for the records after it', () => {
    const s = new AstmRecordSplitter();
    s.split('H!@#$!sender');
    const { record } = s.split('R!1!#GLU!5');
    expect(fieldRaw(record, 3)).toBe('#GLU');
    expect(component(record, 3, 2)).toBe('GLU');
    expect(s.split('H|\\^&').problem).toBeUndefined();
    expect(s.delimiters).toEqual(d);
  });

  it('a header without a usable declaration keeps the delimiters and says so', () => {
    const s = new AstmRecordSplitter();
    const out = s.split('H||||');
    expect(out.problem).toMatch(/delimiter/);
    expect(out.record.type).toBe('H');
    expect(s.delimiters).toEqual(d);
  });
});
