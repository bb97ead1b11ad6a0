import { describe, expect, it } from 'vitest';
import { bloodPressurePanel, pulseRate } from '../../shared/blood-pressure.ts';
import { observe, quantity } from '../../shared/observation.ts';
import { bloodPressureText, shownValues, splitBloodPressure } from './blood-pressure.ts';
import { flattenObservations, summarize } from './observations.ts';

describe('a blood pressure panel on screen: systolic/diastolic (mean)', () => {
  it('is one line, 128/84 (99) mmHg, in the place of the panel, with the pulse after it', () => {
    const values = shownValues([bloodPressurePanel({ systolic: 128, diastolic: 84, mean: 99, unit: 'mmHg' }), pulseRate(72, 'nibp')]);
    expect(values.map((v) => [v.name, v.value, v.unit, v.kind])).toEqual([
      ['Blood pressure', '128/84 (99)', 'mmHg', 'bp'],
      ['Pulse', '72', '/min', 'quantity'],
    ]);
    expect(summarize([bloodPressurePanel({ systolic: 128, diastolic: 84, mean: 99, unit: 'mmHg' }), pulseRate(72, 'nibp')])).toBe('Blood pressure 128/84 (99) mmHg, Pulse 72 /min');
  });

  it('leaves the mean out when the device did not give one', () => {
    expect(shownValues([bloodPressurePanel({ systolic: 118, diastolic: 76, unit: 'mmHg' })]).map((v) => `${v.name} ${v.value} ${v.unit}`)).toEqual(['Blood pressure 118/76 mmHg']);
  });

  it('joins kPa members (kept as the device printed them) the same way, in kPa', () => {
    const panel = bloodPressurePanel({ systolic: 16.5, diastolic: 10.1, mean: 12.4, unit: 'kPa' });
    expect(bloodPressureText(splitBloodPressure(flattenObservations([panel])).bp ?? {})).toEqual({ value: '16.5/10.1 (12.4)', unit: 'kPa' });
  });

  it('marks a missing member with a dash, and keeps a mean on its own as an ordinary value', () => {
    expect(bloodPressureText({ systolic: observe('bpSystolic', quantity(130, 'mm[Hg]')) })).toEqual({ value: '130/—', unit: 'mmHg' });
    expect(shownValues([observe('bpMean', quantity(95, 'mm[Hg]'))]).map((v) => [v.name, v.value, v.kind])).toEqual([['Mean BP', '95', 'quantity']]);
  });

  it('carries the most severe flag of its members', () => {
    const panel = bloodPressurePanel({ systolic: 190, diastolic: 95, mean: 127, unit: 'mmHg' });
    const [sys, dia] = panel.components ?? [];
    if (sys) sys.interpretation = 'HH';
    if (dia) dia.interpretation = 'H';
    expect(shownValues([panel])[0]?.interpretation).toBe('HH');
  });
});
