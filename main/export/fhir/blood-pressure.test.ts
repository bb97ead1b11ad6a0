import type { Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { bloodPressurePanel, pulseRate } from '../../../shared/blood-pressure.ts';
import type { Reading } from '../../../shared/reading.ts';
import { exportItem, READINGS } from '../../../test/helpers/export-items.ts';
import { buildFhirBundle } from './bundle.ts';
import { validateFhirBundle } from './validate.ts';

const opts = { patientIdentifierSystem: 'urn:oid:1.2.36.1' };
const observations = (r: Reading): Observation[] =>
  (buildFhirBundle(exportItem(r), opts).entry ?? []).flatMap((e) => (e.resource?.resourceType === 'Observation' ? [e.resource] : []));

/** An HBP-9030 reading as the driver makes it: the panel from shared/blood-pressure.ts and a cuff pulse. */
const omron = (panel = bloodPressurePanel({ systolic: 120, diastolic: 80, unit: 'mmHg' })): Reading => ({
  ...READINGS.bloodPressure,
  driver: 'omron-hbp-9030',
  device: { manufacturer: 'Omron', model: 'HBP-9030' },
  observations: [panel, pulseRate(72, 'nibp')],
  flags: ['body-movement'],
});

describe('FHIR export of a blood-pressure panel', () => {
  it('is one vital-signs Observation 85354-9 with systolic and diastolic components in mm[Hg], valid against the vital-signs profile', () => {
    const item = exportItem(omron());
    const bundle = buildFhirBundle(item, opts);
    expect(() => validateFhirBundle(bundle)).not.toThrow();
    const [panel, pulse] = observations(omron());
    expect(panel?.category?.[0]?.coding?.[0]?.code).toBe('vital-signs');
    expect(panel?.code.coding?.[0]).toMatchObject({ system: 'http://loinc.org', code: '85354-9' });
    expect(panel?.valueQuantity).toBeUndefined();
    expect(panel?.component?.map((c) => [c.code.coding?.[0]?.code, c.valueQuantity])).toEqual([
      ['8480-6', { value: 120, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' }],
      ['8462-4', { value: 80, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' }],
    ]);
    expect(panel?.note?.map((n) => n.text)).toContain('The monitor detected body movement during the measurement.');
    // The pulse's source travels as its MDC coding beside LOINC 8867-4.
    expect(pulse?.code.coding?.map((c) => c.code)).toEqual(['8867-4', '149546']);
    expect(pulse?.code.coding?.[1]?.display).toBe('MDC_PULS_RATE_NON_INV');
  });

  it('carries the mean as a third component', () => {
    const [panel] = observations(omron(bloodPressurePanel({ systolic: 140, diastolic: 77, mean: 98, unit: 'mmHg' })));
    expect(panel?.component?.map((c) => c.code.coding?.[0]?.code)).toEqual(['8480-6', '8462-4', '8478-0']);
  });
});

describe('FHIR export of a panel in kPa (kept, not converted)', () => {
  it('exports the device text of each component as a string and still validates', () => {
    const item = exportItem(omron(bloodPressurePanel({ systolic: 17.1, diastolic: 11.2, unit: 'kPa' })));
    const bundle = buildFhirBundle(item, opts);
    expect(() => validateFhirBundle(bundle)).not.toThrow();
    const panel = (bundle.entry ?? []).map((e) => e.resource).find((r): r is Observation => r?.resourceType === 'Observation');
    expect(panel?.component?.map((c) => [c.code.coding?.[0]?.code, c.valueString])).toEqual([
      ['8480-6', '17.1 kPa'],
      ['8462-4', '11.2 kPa'],
    ]);
  });
});
