import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CM_PER_IN, KG_PER_LB, convertForDisplay, formatConverted } from './unit-conversion.ts';

const shown = (value: number, unit: string): string | undefined => {
  const c = convertForDisplay(value, unit);
  return c && `${formatConverted(c)} ${c.unit}`;
};

describe('the converted value shown beside a device value', () => {
  it('uses the exact factors: 1 lb = 0.45359237 kg, 1 in = 2.54 cm, °C = (°F − 32) × 5/9', () => {
    expect(KG_PER_LB).toBe(0.45359237);
    expect(CM_PER_IN).toBe(2.54);
    expect(convertForDisplay(1, '[lb_av]')?.value).toBe(0.45359237);
    expect(convertForDisplay(1, '[in_i]')?.value).toBe(2.54);
    expect(convertForDisplay(212, '[degF]')?.value).toBe(100);
    expect(convertForDisplay(-40, 'Cel')?.value).toBe(-40);
  });

  it('weight both ways, one decimal', () => {
    expect(shown(172.4, '[lb_av]')).toBe('78.2 kg');
    expect(shown(78.2, 'kg')).toBe('172.4 [lb_av]');
    expect(shown(150, '[lb_av]')).toBe('68.0 kg');
    expect(shown(100, 'kg')).toBe('220.5 [lb_av]');
  });

  it('height both ways, one decimal', () => {
    expect(shown(68, '[in_i]')).toBe('172.7 cm');
    expect(shown(172.7, 'cm')).toBe('68.0 [in_i]');
    expect(shown(65.5, '[in_i]')).toBe('166.4 cm');
  });

  it('temperature both ways, one decimal, float noise never showing (98.6 °F is 37.0 °C)', () => {
    expect(shown(98.6, '[degF]')).toBe('37.0 Cel');
    expect(shown(37, 'Cel')).toBe('98.6 [degF]');
    expect(shown(38.2, 'Cel')).toBe('100.8 [degF]');
    expect(shown(32, '[degF]')).toBe('0.0 Cel');
    expect(shown(31.95, '[degF]')).toBe('0.0 Cel');
  });

  it('converts nothing else: other units, and values that are not finite numbers', () => {
    for (const unit of ['g', '%', '/min', 'mm[Hg]', 'kg/m2', 'lb', 'degF', '']) expect(convertForDisplay(10, unit), unit).toBeUndefined();
    expect(convertForDisplay(Number.NaN, 'kg')).toBeUndefined();
    expect(convertForDisplay(Number.POSITIVE_INFINITY, '[lb_av]')).toBeUndefined();
    // No body weighs this: shown alone, never as "(2.7e+39 lb)".
    expect(convertForDisplay(1.2e39, 'kg')).toBeUndefined();
    // Inherited names are not units.
    expect(convertForDisplay(1, 'toString')).toBeUndefined();
  });

  it('a value converted there and back is within half a shown step of where it began', () => {
    const units = ['[lb_av]', 'kg', '[in_i]', 'cm', '[degF]', 'Cel'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...units), fc.double({ min: -100, max: 1000, noNaN: true }), (unit, value) => {
        const there = convertForDisplay(value, unit);
        expect(there).toBeDefined();
        if (!there) return;
        const back = convertForDisplay(there.value, there.unit);
        expect(back?.unit).toBe(unit);
        expect(Math.abs((back?.value ?? Number.NaN) - value)).toBeLessThan(1e-9 * Math.max(1, Math.abs(value)));
        const text = formatConverted(there);
        expect(text).toMatch(/^-?\d+\.\d$/);
        expect(Math.abs(Number(text) - there.value)).toBeLessThanOrEqual(0.05 + 1e-9);
      }),
    );
  });
});
