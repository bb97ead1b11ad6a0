import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aconMissionU120Driver } from '../drivers/devices/acon-mission-u120/index.ts';
import { astmUrineDriver } from '../drivers/devices/astm-urine/index.ts';
import { siemensClinitekStatusDriver } from '../drivers/devices/siemens-clinitek-status/index.ts';
import { ydUriscanPro2Driver } from '../drivers/devices/yd-uriscan-pro2/index.ts';
import { siemensClinitek50Driver } from '../drivers/devices/siemens-clinitek-50/index.ts';
import { runAgainstSimulator, type Driver } from '../drivers/kit/index.ts';
import { CATALOG } from '../shared/catalog.ts';
import { HL7_PROFILES } from '../shared/export/targets.ts';
import type { Reading } from '../shared/reading.ts';
import { HL7_PEERS, deliverEachToHl7, leadingObx } from './helpers/hl7-delivery.ts';
import { checkStoredResource } from './peers/fhir-checks.ts';
import type { Hl7Peer } from './peers/hl7-peers.ts';
import { deliverToFhirPeer, loinc } from './helpers/fhir-delivery.ts';

/**
 * A whole strip (at least 10 analytes) from every urine driver, made by the real driver against
 * its simulator, through the FHIR and HL7 exporters to the real peers: the 50556-0 panel holds
 * every result as a member, each member passes the peer checks, and both HL7 stacks acknowledge
 * the message with one OBX per result. One row per driver: [driver, simulator scenario].
 */
const STRIPS: ReadonlyArray<readonly [Driver, string]> = [
  [siemensClinitekStatusDriver, 'results'],
  [ydUriscanPro2Driver, 'abnormal'],
  [siemensClinitek50Driver, 'german'],
  [aconMissionU120Driver, 'eleven-parameter'],
  [astmUrineDriver, 'strip'],
];
const MIN_ANALYTES = 10;
let readings: Reading[];

beforeAll(async () => {
  readings = [];
  for (const [driver, scenario] of STRIPS) {
    const made = (await runAgainstSimulator(driver, { scenario })).result.readings;
    const strip = made.find((r) => r.observations.length >= MIN_ANALYTES);
    if (!strip) throw new Error(`${driver.manifest.id} made no ${MIN_ANALYTES}-analyte strip in scenario ${scenario}`);
    readings.push(strip);
  }
}, 120_000);


describe('FHIR export of a whole urine strip from every urine driver', () => {
  const { stored } = deliverToFhirPeer(() => readings, 120_000);

  it('the panel holds every result as a member; every stored Observation passes the peer checks', () => {
    for (const reading of readings) {
      const observations = stored.get(reading) ?? [];
      const panel = observations.find((o) => loinc(o) === CATALOG.urinePanel.loinc);
      expect(panel, reading.driver).toBeDefined();
      expect(panel?.hasMember, reading.driver).toHaveLength(reading.observations.length);
      expect(observations, reading.driver).toHaveLength(reading.observations.length + 1);
      for (const o of observations) expect(checkStoredResource(o), `${reading.driver} ${loinc(o) ?? o.code.text ?? ''}`).toEqual([]);
      // Every mapped code the driver sent is stored under that code.
      const sent = reading.observations.flatMap((o) => (o.code === undefined ? [] : [o.code]));
      expect(observations.map(loinc), reading.driver).toEqual(expect.arrayContaining(sent));
    }
  });
});

describe.each(HL7_PEERS)('HL7 v2 export of a whole urine strip to %s', (_name, start) => {
  let peer: Hl7Peer;
  beforeAll(async () => {
    peer = await start();
  });
  afterAll(async () => {
    await peer.stop();
  });

  it.each(HL7_PROFILES)('%s: every strip acknowledged AA, one OBX per result', async (profile) => {
    await deliverEachToHl7(peer, profile, readings, (reading, msg) => {
      expect(msg.count('OBX'), reading.driver).toBe(leadingObx(profile) + reading.observations.length);
    });
  });
});
