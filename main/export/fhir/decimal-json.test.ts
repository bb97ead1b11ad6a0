import { describe, expect, it } from 'vitest';
import { copyDecimalMarks, markDecimal, parseJsonKeepingDecimals, writeJson } from './decimal-json.ts';

describe('writeJson', () => {
  it('writes what JSON.stringify writes when nothing is marked', () => {
    const samples: unknown[] = [
      { a: 1, b: 'x"\\\n\u2028', c: [1, null, undefined, () => 1, true], d: undefined, e: { f: -0.5e-7, g: 1e21 } },
      [],
      {},
      'text',
      42,
      null,
      { nan: Number.NaN, inf: Number.POSITIVE_INFINITY, date: new Date(0), nested: [[{ k: 'ü' }]] },
    ];
    for (const s of samples) expect(writeJson(s)).toBe(JSON.stringify(s));
  });

  it('writes a marked number as its printed text, still valid JSON with the same value', () => {
    const quantity = { value: 1.02, unit: '1' };
    markDecimal(quantity, 'value', '1.020');
    const body = writeJson({ resourceType: 'Observation', valueQuantity: quantity, component: [{ valueQuantity: quantity }] });
    expect(body).toBe('{"resourceType":"Observation","valueQuantity":{"value":1.020,"unit":"1"},"component":[{"valueQuantity":{"value":1.020,"unit":"1"}}]}');
    expect(JSON.parse(body)).toEqual({ resourceType: 'Observation', valueQuantity: { value: 1.02, unit: '1' }, component: [{ valueQuantity: { value: 1.02, unit: '1' } }] });
  });

  it('never lets a mark change a value or break the JSON', () => {
    const q = { value: 6 };
    markDecimal(q, 'value', '7.0');
    expect(writeJson(q)).toBe('{"value":6}');
    expect(() => markDecimal(q, 'value', '1.0,"x":1')).toThrow(RangeError);
    expect(() => markDecimal(q, 'value', '01.0')).toThrow(RangeError);
  });
});

describe('parseJsonKeepingDecimals', () => {
  it('reads numbers back and writes them again exactly as they were printed', () => {
    const text = '{"a":1.020,"b":[6.0,7,-0.50,1.5e3,1.50E+2],"s":"1.020 \\" 6.0","t":"\\\\","z":0.0}';
    const parsed = parseJsonKeepingDecimals(text);
    expect(parsed).toEqual(JSON.parse(text));
    expect(writeJson(parsed)).toBe(text);
  });

  it('keeps the marks on a copy made with copyDecimalMarks', () => {
    const parsed = parseJsonKeepingDecimals('{"q":{"value":1.020,"code":"1"}}') as { q: { value: number; code: string } };
    const copy = { ...parsed.q };
    copyDecimalMarks(parsed.q, copy);
    expect(writeJson({ copy })).toBe('{"copy":{"value":1.020,"code":"1"}}');
  });

  it('is undefined for text that is not JSON, as parseJson is', () => {
    expect(parseJsonKeepingDecimals('{"a":1.0')).toBeUndefined();
    expect(parseJsonKeepingDecimals('')).toBeUndefined();
  });
});
