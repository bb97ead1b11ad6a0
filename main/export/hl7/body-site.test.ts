import { Hl7Message } from '@medplum/core';
import { describe, expect, it } from 'vitest';
import { HL7_PROFILES, Hl7TargetSchema, type Hl7Profile } from '../../../shared/export/targets.ts';
import { BODY_SITES, type Observation } from '../../../shared/observation.ts';
import type { Reading } from '../../../shared/reading.ts';
import { exportItem, READINGS } from '../../../test/helpers/export-items.ts';
import { contentIssues } from '../exporter.ts';
import { buildOru } from './build-oru.ts';
import { assertSendable } from './content-gate.ts';
import { createHl7Exporter } from './hl7-exporter.ts';

const NOW = new Date('2026-11-27T09:16:31Z');
const target = (profile: Hl7Profile) => Hl7TargetSchema.parse({ id: 'ehr', name: 'EHR', kind: 'hl7', host: '127.0.0.1', port: 2575, profile });

const withSite = (reading: Reading, site: Observation['bodySite']): Reading => ({
  ...reading,
  observations: reading.observations.map((o) => ({ ...o, bodySite: site })),
});

/** Field 20 of every OBX with status F (the PCD-01 device row names no site). */
const sites = (reading: Reading, profile: Hl7Profile): string[] =>
  Hl7Message.parse(buildOru(exportItem(reading), target(profile), NOW))
    .getAllSegments('OBX')
    .filter((s) => s.getField(11)?.toString() === 'F')
    .map((s) => s.getField(20)?.toString() ?? '');

describe('HL7 OBX-20 observation site (docs/export.md §6)', () => {
  it.each(HL7_PROFILES)('%s: a temperature taken axillary carries code^text^SCT in OBX-20', (profile) => {
    expect(sites(withSite(READINGS.temperature, BODY_SITES.axillary), profile)).toEqual(['422543003^Structure of axillary fossa^SCT']);
    expect(sites(withSite(READINGS.temperature, BODY_SITES.rectal), profile)).toEqual(['34402009^Rectum structure^SCT']);
  });

  it.each(HL7_PROFILES)('%s: no site named, OBX-20 stays empty and the segment ends where it did', (profile) => {
    expect(sites(READINGS.temperature, profile)).toEqual(['']);
    const text = buildOru(exportItem(READINGS.temperature), target(profile), NOW);
    expect(text.split('\r').filter((l) => l.startsWith('OBX|')).every((l) => l.split('|').length <= 19)).toBe(true);
  });

  it('a panel site holds for its components', () => {
    const bp: Reading = {
      ...READINGS.bloodPressure,
      observations: READINGS.bloodPressure.observations.map((o) => (o.components ? { ...o, bodySite: BODY_SITES.oral } : o)),
    };
    const panelRows = READINGS.bloodPressure.observations.find((o) => o.components)?.components?.length ?? 0;
    expect(sites(bp, 'oru-r01-2.5.1').filter((s) => s.startsWith('74262004^'))).toHaveLength(panelRows);
  });

  it('a site in a system other than SNOMED CT goes out as original text only, and passes the content gate', async () => {
    const local = withSite(READINGS.temperature, { system: 'urn:example:sites', code: 'F', display: 'Forehead' });
    expect(sites(local, 'oru-r01-2.5.1')).toEqual(['^^^^^^^^Forehead']);
    await expect(createHl7Exporter(target('oru-r01-2.5.1'), {}).render(exportItem(local))).resolves.toBeDefined();
  });

  it('the content gate accepts the SNOMED site and refuses a code without its system', async () => {
    const exporter = createHl7Exporter(target('pcd-01'), {});
    await expect(exporter.render(exportItem(withSite(READINGS.temperature, BODY_SITES.oral)))).resolves.toBeDefined();
    // The gate reads what was built; a hand-made text with a bare code in OBX-20 stands for a builder bug.
    const item = exportItem(withSite(READINGS.temperature, BODY_SITES.oral));
    const bare = buildOru(item, target('oru-r01-2.5.1'), NOW).replace('74262004^Oral cavity structure^SCT', '74262004');
    let err: unknown;
    try {
      assertSendable(bare, 'oru-r01-2.5.1', item.controlId);
    } catch (e) {
      err = e;
    }
    expect(contentIssues(err)).toEqual([expect.stringContaining('OBX-20')]);
  });
});
