import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contecCms50Driver } from '../drivers/devices/contec-cms50/index.ts';
import { noninAsciiDriver } from '../drivers/devices/nonin-ascii/index.ts';
import { noninOnyx9560Driver } from '../drivers/devices/nonin-onyx-9560/index.ts';
import { runAgainstSimulator, type Driver } from '../drivers/kit/index.ts';
import { CATALOG } from '../shared/catalog.ts';
import { HL7_PROFILES } from '../shared/export/targets.ts';
import type { Reading } from '../shared/reading.ts';
import { HL7_PEERS, deliverEachToHl7, leadingObx } from './helpers/hl7-delivery.ts';
import { checkStoredResource } from './peers/fhir-checks.ts';
import type { Hl7Peer } from './peers/hl7-peers.ts';
import { profileIssues } from './peers/vital-profiles.ts';
import { deliverToFhirPeer, loinc } from './helpers/fhir-delivery.ts';

/**
 * SpO₂ and pulse from the oximeters added after the Masimo (Nonin wired, Nonin Onyx II, Contec),
 * made by the real drivers against their simulators' spot checks, through the FHIR and HL7
 * exporters to the real peers: the oxygensat and heartrate profiles hold, and both HL7 stacks
 * acknowledge every message.
 */
const DRIVERS: readonly Driver[] = [noninAsciiDriver, noninOnyx9560Driver, contecCms50Driver];
const PROFILE: Readonly<Record<string, string>> = { [CATALOG.spo2.loinc]: 'oxygensat', [CATALOG.pulseRateOximeter.loinc]: 'heartrate' };
let readings: Reading[];

beforeAll(async () => {
  readings = [];
  for (const driver of DRIVERS) {
    const made = (await runAgainstSimulator(driver, { scenario: 'spot-check' })).result.readings;
    const first = made.find((r) => r.observations.some((o) => o.code === CATALOG.spo2.loinc));
    if (!first) throw new Error(`${driver.manifest.id} made no SpO₂ reading in its spot check`);
    readings.push(first);
  }
}, 120_000);


describe('FHIR export of oximeter readings to the FHIR peer', () => {
  const { stored } = deliverToFhirPeer(() => readings);

  it('every stored Observation passes the peer checks and its profile (oxygensat, heartrate), with the values the device sent', () => {
    for (const reading of readings) {
      const observations = stored.get(reading) ?? [];
      // SpO₂ and pulse always; the Contec adds its perfusion index, which has no vital-sign profile.
      expect(observations.map(loinc), reading.driver).toEqual(expect.arrayContaining([CATALOG.spo2.loinc, CATALOG.pulseRateOximeter.loinc]));
      expect(observations, reading.driver).toHaveLength(reading.observations.length);
      for (const o of observations) {
        const code = loinc(o) ?? '';
        expect(checkStoredResource(o), `${reading.driver} ${code}`).toEqual([]);
        if (PROFILE[code] === undefined) continue;
        expect(profileIssues(o, PROFILE[code]), `${reading.driver} ${code}`).toEqual([]);
        const sent = reading.observations.find((x) => x.code === code);
        expect(o.valueQuantity?.value, `${reading.driver} ${code}`).toBe(sent?.value?.kind === 'quantity' ? sent.value.value : NaN);
      }
    }
  });
});

describe.each(HL7_PEERS)('HL7 v2 export of oximeter readings to %s', (_name, start) => {
  let peer: Hl7Peer;
  beforeAll(async () => {
    peer = await start();
  });
  afterAll(async () => {
    await peer.stop();
  });

  it.each(HL7_PROFILES)('%s: every reading acknowledged AA, with its SpO₂ and pulse rows', async (profile) => {
    await deliverEachToHl7(peer, profile, readings, (reading, msg) => {
      expect(msg.count('OBX'), reading.driver).toBe(leadingObx(profile) + reading.observations.length);
      expect(msg.raw, reading.driver).toContain(CATALOG.spo2.loinc);
    });
  });
});
