import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectoSoloDriver } from '../drivers/devices/detecto-solo/index.ts';
import { welchAllynSuretempPlusDriver } from '../drivers/devices/welch-allyn-suretemp-plus/index.ts';
import { runAgainstSimulator } from '../drivers/kit/index.ts';
import { CATALOG } from '../shared/catalog.ts';
import { HL7_PROFILES } from '../shared/export/targets.ts';
import type { Reading } from '../shared/reading.ts';
import { HL7_PEERS, deliverEachToHl7, leadingObx } from './helpers/hl7-delivery.ts';
import { checkStoredResource } from './peers/fhir-checks.ts';
import type { Hl7Peer } from './peers/hl7-peers.ts';
import { profileIssues } from './peers/vital-profiles.ts';
import { deliverToFhirPeer, loinc } from './helpers/fhir-delivery.ts';

/**
 * SureTemp temperatures (with their body site) and Detecto weighings (weight, height, BMI in the
 * units printed), made by the real drivers against their simulators, through the FHIR and HL7
 * exporters to the real peers (docs/export.md §5–6): the vital-signs profiles hold and the body
 * site reaches FHIR `bodySite` and HL7 OBX-20.
 */

const SNOMED = 'http://snomed.info/sct';
let temperatures: Reading[];
let weighings: Reading[];

beforeAll(async () => {
  temperatures = (await runAgainstSimulator(welchAllynSuretempPlusDriver, { scenario: 'sites' })).result.readings;
  const scale = (await runAgainstSimulator(detectoSoloDriver, { scenario: 'weighings', startMs: Date.parse('2026-06-02T09:30:00Z') })).result.readings;
  // The imperial print with height and BMI, and the metric one.
  weighings = [scale[0], scale[3]].filter((r): r is Reading => r !== undefined);
  if (temperatures.length !== 3 || weighings.length !== 2) throw new Error('the drivers did not make the expected readings');
}, 60_000);

const PROFILE: Readonly<Record<string, string>> = {
  [CATALOG.bodyTemperature.loinc]: 'bodytemp',
  [CATALOG.bodyWeight.loinc]: 'bodyweight',
  [CATALOG.bodyHeight.loinc]: 'bodyheight',
  [CATALOG.bmi.loinc]: 'bmi',
};

describe('FHIR export of thermometer and scale readings to the FHIR peer', () => {
  const { stored } = deliverToFhirPeer(() => [...temperatures, ...weighings]);

  it('every stored resource passes the peer checks and its vital-signs profile (bodytemp, bodyweight, bodyheight, bmi)', () => {
    const all = [...stored.values()].flat();
    expect(all).toHaveLength(3 + 3 + 3);
    for (const o of all) {
      const code = loinc(o) ?? '';
      expect(checkStoredResource(o), code).toEqual([]);
      expect(profileIssues(o, PROFILE[code] ?? 'unknown'), code).toEqual([]);
    }
  });

  it('each temperature carries its body site (oral, axillary, rectal) as SNOMED bodySite, in Cel as converted once', () => {
    const sites = temperatures.map((r) => stored.get(r)?.[0]);
    expect(sites.map((o) => o?.bodySite?.coding?.[0])).toEqual([
      { system: SNOMED, code: '74262004', display: 'Oral cavity structure' },
      { system: SNOMED, code: '422543003', display: 'Structure of axillary fossa' },
      { system: SNOMED, code: '34402009', display: 'Rectum structure' },
    ]);
    expect(sites.map((o) => [o?.valueQuantity?.value, o?.valueQuantity?.code])).toEqual([[36.8, 'Cel'], [36.4, 'Cel'], [37.9, 'Cel']]);
  });

  it('the weighings keep the printed units: [lb_av] and [in_i], or kg and cm; BMI in kg/m2', () => {
    const units = weighings.map((r) => (stored.get(r) ?? []).map((o) => [loinc(o), o.valueQuantity?.value, o.valueQuantity?.code]));
    expect(units).toEqual([
      [[CATALOG.bodyWeight.loinc, 132.3, '[lb_av]'], [CATALOG.bodyHeight.loinc, 63, '[in_i]'], [CATALOG.bmi.loinc, 21.5, 'kg/m2']],
      [[CATALOG.bodyWeight.loinc, 71.3, 'kg'], [CATALOG.bodyHeight.loinc, 172, 'cm'], [CATALOG.bmi.loinc, 24.1, 'kg/m2']],
    ]);
  });
});

describe.each(HL7_PEERS)('HL7 v2 export of thermometer and scale readings to %s', (_name, start) => {
  let peer: Hl7Peer;
  beforeAll(async () => {
    peer = await start();
  });
  afterAll(async () => {
    await peer.stop();
  });

  it.each(HL7_PROFILES)('%s: every reading acknowledged AA, one OBX per result with the printed unit', async (profile) => {
    await deliverEachToHl7(peer, profile, [...temperatures, ...weighings], (reading, msg) => {
      expect(msg.count('OBX'), reading.driver).toBe(leadingObx(profile) + reading.observations.length);
      expect(msg.raw).toContain(reading.observations[0]?.value?.kind === 'quantity' ? reading.observations[0].value.unit : '?');
    });
  });

  it.each(HL7_PROFILES)('%s: each temperature\'s body site reaches the peer in OBX-20 (code^text^SCT)', async (profile) => {
    const row = leadingObx(profile); // the PCD-01 device row names no site
    const parsed: string[][] = [];
    await deliverEachToHl7(peer, profile, temperatures, (_reading, msg) => {
      parsed.push([1, 2, 3].map((c) => msg.field('OBX', 20, c, row) ?? ''));
      if (profile === 'pcd-01') expect(msg.field('OBX', 20, 1, 0)).toBe('');
    });
    expect(parsed).toEqual([
      ['74262004', 'Oral cavity structure', 'SCT'],
      ['422543003', 'Structure of axillary fossa', 'SCT'],
      ['34402009', 'Rectum structure', 'SCT'],
    ]);
  });
});
