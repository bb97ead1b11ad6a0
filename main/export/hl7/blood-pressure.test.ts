import { Hl7Message } from '@medplum/core';
import { describe, expect, it } from 'vitest';
import { bloodPressurePanel, pulseRate } from '../../../shared/blood-pressure.ts';
import { Hl7TargetSchema, type Hl7Profile } from '../../../shared/export/targets.ts';
import type { Reading } from '../../../shared/reading.ts';
import { exportItem, READINGS } from '../../../test/helpers/export-items.ts';
import { contentIssues } from '../exporter.ts';
import { buildOru } from './build-oru.ts';
import { createHl7Exporter } from './hl7-exporter.ts';

const NOW = new Date('2026-11-27T09:16:31Z');
const target = (profile: Hl7Profile) => Hl7TargetSchema.parse({ id: 'ehr', name: 'EHR', kind: 'hl7', host: '127.0.0.1', port: 2575, profile });

/** An HBP-9020 reading as the driver makes it (panel with mean, cuff pulse). */
const omron: Reading = {
  ...READINGS.bloodPressure,
  driver: 'omron-hbp-9030',
  device: { manufacturer: 'Omron', model: 'HBP-9020' },
  observations: [bloodPressurePanel({ systolic: 140, diastolic: 77, mean: 98, unit: 'mmHg' }), pulseRate(68, 'nibp')],
};

const obxRows = (profile: Hl7Profile): string[][] => {
  const msg = Hl7Message.parse(buildOru(exportItem(omron), target(profile), NOW));
  return msg.getAllSegments('OBX').map((s) => [s.getComponent(3, 1), s.getComponent(3, 4), s.getField(5)?.toString() ?? '', s.getComponent(6, 1), s.getField(6)?.toString() ?? '']);
};

describe('HL7 export of a blood-pressure panel', () => {
  it('generic ORU^R01: one OBX per component and one for the pulse, LOINC-coded, in mm[Hg] and /min', () => {
    const rows = obxRows('oru-r01-2.5.1').map(([code, , value, unit]) => [code, value, unit]);
    expect(rows).toEqual([
      ['8480-6', '140', 'mm[Hg]'],
      ['8462-4', '77', 'mm[Hg]'],
      ['8478-0', '98', 'mm[Hg]'],
      ['8867-4', '68', '/min'],
    ]);
  });

  it('PCD-01: MDC metrics with LOINC as the alternate, the pulse as MDC_PULS_RATE_NON_INV (the cuff)', () => {
    const rows = obxRows('pcd-01').filter((r) => r[2] !== '');
    expect(rows.map(([mdc, loinc, value]) => [mdc, loinc, value])).toEqual([
      ['150021', '8480-6', '140'],
      ['150022', '8462-4', '77'],
      ['150023', '8478-0', '98'],
      ['149546', '8867-4', '68'],
    ]);
  });

  it('passes the content gate in both profiles', async () => {
    for (const profile of ['oru-r01-2.5.1', 'pcd-01'] as const) {
      // render runs the content gate; it throws EXPORT_CONTENT listing the issues when one fails.
      const rendered = createHl7Exporter(target(profile), {}).render(exportItem(omron));
      const issues = await rendered.then(() => [], (e: unknown) => contentIssues(e));
      expect(issues).toEqual([]);
    }
  });
});
