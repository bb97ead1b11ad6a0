import { describe, expect, it } from 'vitest';
import { bloodPressurePanel, pulseRate, pulseSourceOf } from './blood-pressure.ts';
import { CATALOG } from './catalog.ts';
import { limitsOf } from './clinical-limits.ts';
import { ObservationSchema } from './observation.ts';

describe('blood pressure in the model', () => {
  it('a panel is 85354-9 without a value, with systolic, diastolic and mean components in mm[Hg]', () => {
    const panel = bloodPressurePanel({ systolic: 128, diastolic: 84, mean: 99, unit: 'mmHg' });
    expect(ObservationSchema.safeParse(panel).success).toBe(true);
    expect(panel.code).toBe('85354-9');
    expect(panel.value).toBeUndefined();
    expect(panel.components?.map((c) => [c.code, c.value])).toEqual([
      ['8480-6', { kind: 'quantity', value: 128, unit: 'mm[Hg]' }],
      ['8462-4', { kind: 'quantity', value: 84, unit: 'mm[Hg]' }],
      ['8478-0', { kind: 'quantity', value: 99, unit: 'mm[Hg]' }],
    ]);
  });

  it('keeps kPa as kPa: the components stay coded but unmapped, with the device text, never converted', () => {
    const panel = bloodPressurePanel({ systolic: 17.1, diastolic: 11.2, unit: 'kPa' });
    expect(ObservationSchema.safeParse(panel).success).toBe(true);
    expect(panel.components).toEqual([
      { code: '8480-6', display: CATALOG.bpSystolic.display, value: { kind: 'unmapped', label: 'SYS', text: '17.1 kPa' } },
      { code: '8462-4', display: CATALOG.bpDiastolic.display, value: { kind: 'unmapped', label: 'DIA', text: '11.2 kPa' } },
    ]);
  });

  it('records the pulse source as the MDC code under 8867-4, and reads it back', () => {
    for (const source of ['nibp', 'oximeter', 'monitor'] as const) {
      const pulse = pulseRate(70, source);
      expect(pulse.code).toBe('8867-4');
      expect(pulseSourceOf(pulse)).toBe(source);
    }
    expect(pulseRate(70, 'nibp').mdc).toBe(CATALOG.pulseRateNibp.mdc?.code);
    expect(pulseSourceOf({ code: '8867-4' })).toBeUndefined();
  });

  it('has clinical limits for every BP code and the cuff pulse in the units the catalog allows', () => {
    for (const key of ['bpSystolic', 'bpDiastolic', 'bpMean', 'pulseRateNibp'] as const) {
      for (const unit of CATALOG[key].units) expect(limitsOf(key, unit)?.hard, `${key} ${unit}`).toBeDefined();
    }
  });
});
