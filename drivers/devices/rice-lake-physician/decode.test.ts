import { describe, expect, it } from 'vitest';
import { fromLatin1 } from '../../kit/index.ts';
import { decodeLine } from './decode.ts';
import { normalizeWeighing } from './normalize.ts';

const d = (text: string): unknown => {
  const r = decodeLine(fromLatin1(text));
  return r.ok ? r.line : r.reason;
};

describe('rice-lake-physician decode and normalize', () => {
  it('the manual example print line: 21 characters, right-aligned weight, unit, mode', () => {
    expect('     10.0 lb Gross \r\n').toHaveLength(21);
    expect(d('     10.0 lb Gross ')).toEqual({ type: 'print', weight: { value: 10, text: '10.0' }, unit: 'lb', net: false });
    expect(d('     84.2 kg Net   ')).toEqual({ type: 'print', weight: { value: 84.2, text: '84.2' }, unit: 'kg', net: true });
    expect(d('     -0.4 lb Gross ')).toMatchObject({ type: 'print', weight: { value: -0.4 } });
  });

  it('BMI-mode lines: weight, feet-and-inches or cm height, BMI', () => {
    expect(d('GROSS WEIGHT 215.0 LB')).toEqual({ type: 'weight', weight: { value: 215, text: '215.0' }, unit: 'lb', net: false });
    expect(d('NET WEIGHT 97.5 KG')).toMatchObject({ type: 'weight', unit: 'kg', net: true });
    expect(d('PATIENT HEIGHT 6-01.0 FT')).toEqual({ type: 'height', height: { feet: 6, inches: { value: 1, text: '01.0' } } });
    expect(d('PATIENT HEIGHT 185.4 CM')).toEqual({ type: 'height', height: { cm: { value: 185.4, text: '185.4' } } });
    expect(d('PATIENT BMI 28.4')).toEqual({ type: 'bmi', bmi: { value: 28.4, text: '28.4' } });
  });

  it('refuses anything else, and inches of 12 or more', () => {
    expect(d('     10.0 oz Gross ')).toMatch(/neither/);
    expect(d('     10.0 lb Tare  ')).toMatch(/neither/);
    expect(d('PATIENT HEIGHT 5-12.0 FT')).toMatch(/not below 12/);
    expect(d('hello')).toMatch(/neither/);
  });

  it('normalizes: units as printed, inches from feet, BMI only when printed, Net flagged, zero refused', () => {
    const ok = normalizeWeighing({ weight: { value: 215, text: '215.0' }, unit: 'lb', net: false, height: { feet: 6, inches: { value: 1, text: '01.0' } }, bmi: { value: 28.4, text: '28.4' } });
    expect(ok.ok && ok.observations.map((o) => (o.value?.kind === 'quantity' ? [o.code, o.value.value, o.value.unit, o.value.decimals] : o.code))).toEqual([
      ['29463-7', 215, '[lb_av]', 1],
      ['8302-2', 73, '[in_i]', 1],
      ['39156-5', 28.4, 'kg/m2', 1],
    ]);
    expect(normalizeWeighing({ weight: { value: 84.2, text: '84.2' }, unit: 'kg', net: true })).toMatchObject({ ok: true, flags: ['net-weight'] });
    expect(normalizeWeighing({ weight: { value: 0, text: '0.0' }, unit: 'lb', net: false })).toEqual({ ok: false, reason: 'weight 0.0 lb (nothing on the scale)' });
  });
});
