import { describe, expect, it } from 'vitest';
import { observe, quantity, unmapped } from '../../shared/observation.ts';
import { formatNumber, obsParts, observationName, summarize, tidyPrinted } from './observations.ts';

describe('values as shown', () => {
  it('never repeats a unit that is the name: pH 7.5, not pH 7.5 pH', () => {
    const ph = observe('urinePh', quantity(7.5, '[pH]'));
    expect(obsParts(ph)).toEqual({ value: '7.5', unit: '' });
    expect(summarize([ph])).toBe('pH 7.5');
  });

  it('keeps the precision the device prints: SG 1.020, pH 7.0, 37.0 °C', () => {
    expect(obsParts(observe('urineSpecificGravity', quantity(1.02, '1')))).toEqual({ value: '1.020', unit: '' });
    expect(obsParts(observe('urinePh', quantity(7, '[pH]'))).value).toBe('7.0');
    expect(obsParts(observe('bodyTemperature', quantity(37, 'Cel')))).toEqual({ value: '37.0', unit: '°C', converted: '98.6 °F' });
    expect(obsParts(observe('spo2', quantity(97, '%')))).toEqual({ value: '97', unit: '%' });
  });

  it('drops the leading zeros of printed fields and splits off the unit: PI 3.19 %', () => {
    expect(tidyPrinted('03.19%')).toEqual({ value: '3.19', unit: '%' });
    expect(tidyPrinted('00.5%')).toEqual({ value: '0.5', unit: '%' });
    expect(tidyPrinted('027')).toEqual({ value: '27', unit: '' });
    expect(tidyPrinted('3.60%')).toEqual({ value: '3.60', unit: '%' });
    expect(tidyPrinted('0.2 mg/dL')).toEqual({ value: '0.2', unit: 'mg/dL' });
    // Words stay as printed.
    expect(tidyPrinted('Trace-lysed')).toEqual({ value: 'Trace-lysed', unit: '' });
    expect(tidyPrinted('+--')).toEqual({ value: '+--', unit: '' });
    expect(summarize([unmapped('PI', '03.19%'), unmapped('SPCO', '01.0%')])).toBe('PI 3.19 %, SpCO 1.0 %');
    expect(observationName(unmapped('SPMET', '00.5%'))).toBe('SpMet');
  });

  it('writes numbers without exponents or float noise', () => {
    expect(formatNumber(1e21)).toBe('1000000000000000000000');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(5.6, 1)).toBe('5.6');
  });
});

describe('printed decimals on screen', () => {
  it('shows a value with the decimals the device printed, over the per-code minimum', () => {
    expect(obsParts(observe('urineSpecificGravity', quantity(1.02, '1', undefined, 3))).value).toBe('1.020');
    expect(obsParts(observe('glucoseMolarMeter', quantity(5, 'mmol/L', undefined, 1))).value).toBe('5.0');
    // Without the field (readings stored before it), the per-code minimum still applies.
    expect(obsParts(observe('urinePh', quantity(6, '[pH]'))).value).toBe('6.0');
  });
});
