import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { Bundle, Observation } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMessage } from '../drivers/devices/ge-dinamap/protocol.ts';
import { fhirDefinitions } from '../main/export/fhir/definitions.ts';
import { createHl7Exporter } from '../main/export/hl7/hl7-exporter.ts';
import { CATALOG } from '../shared/catalog.ts';
import { HL7_PROFILES, type Hl7Profile, type Hl7Target } from '../shared/export/targets.ts';
import type { Reading } from '../shared/reading.ts';
import { replayDinamap, replayWithTemperature, simulateDinamap, SPOT_CHECK } from './helpers/dinamap-readings.ts';
import { deliver, exportItem } from './helpers/export-items.ts';
import { checkStoredResource } from './peers/fhir-checks.ts';
import type { Hl7Peer } from './peers/hl7-peers.ts';
import { HL7_PEERS, hl7TargetFor } from './helpers/hl7-delivery.ts';
import { profileIssues, vitalProfile } from './peers/vital-profiles.ts';
import { deliverToFhirPeer, loinc } from './helpers/fhir-delivery.ts';

/**
 * A DINAMAP blood-pressure panel and its temperatures, made by the real driver from its fixtures
 * and simulator, through the FHIR and HL7 exporters to the same real peers as every export test
 * (docs/export.md §5–6, §10): the vital-signs profiles hold, the units are the device's
 * (mm[Hg], [degF], never converted) and the printed decimals reach the wire.
 */

const UCUM = 'http://unitsofmeasure.org';
const MMHG = 'mm[Hg]';

interface Temperature {
  readonly printed: string;
  readonly reading: Reading;
}

let bp: Reading;
let temperatures: Temperature[];

beforeAll(async () => {
  // spot-check: a BP 120/80 (93) with the cuff's pulse 72, then 98.6 °F (fixtures/README.md).
  const isTemperature = (r: Reading): boolean => r.observations[0]?.code === CATALOG.bodyTemperature.loinc;
  const [panel, t986] = await replayDinamap(SPOT_CHECK);
  const t990 = (await replayWithTemperature(990, encodeMessage)).find(isTemperature);
  // The simulator's monitor displays °C, yet reports tenths of °F: the reading stays in [degF].
  const t991 = (await simulateDinamap('temperature')).find(isTemperature);
  if (!panel || !t986 || !t990 || !t991) throw new Error('the DINAMAP driver did not make the expected readings');
  bp = panel;
  temperatures = [
    { printed: '98.6', reading: t986 },
    { printed: '99.0', reading: t990 },
    { printed: '99.1', reading: t991 },
  ];
}, 60_000);


describe('the DINAMAP readings the exports start from', () => {
  it('are a BP panel in mm[Hg] with the cuff pulse, and temperatures in [degF] with one decimal', () => {
    expect(bp.driver).toBe('ge-dinamap');
    const [panel, pulse] = bp.observations;
    expect(panel?.code).toBe(CATALOG.bpPanel.loinc);
    expect(panel?.value).toBeUndefined();
    expect(panel?.components?.map((c) => [c.code, c.value])).toEqual([
      [CATALOG.bpSystolic.loinc, { kind: 'quantity', value: 120, unit: MMHG }],
      [CATALOG.bpDiastolic.loinc, { kind: 'quantity', value: 80, unit: MMHG }],
      [CATALOG.bpMean.loinc, { kind: 'quantity', value: 93, unit: MMHG }],
    ]);
    expect(pulse).toMatchObject({ code: CATALOG.heartRate.loinc, value: { value: 72, unit: '/min' }, mdc: CATALOG.pulseRateNibp.mdc?.code });
    for (const t of temperatures) {
      expect(t.reading.observations).toHaveLength(1);
      expect(t.reading.observations[0]).toMatchObject({ code: CATALOG.bodyTemperature.loinc, value: { kind: 'quantity', value: Number(t.printed), unit: '[degF]', decimals: 1 } });
    }
  });
});

describe('FHIR export of DINAMAP vital signs to the FHIR peer', () => {
  const delivery = deliverToFhirPeer(() => [bp, ...temperatures.map((t) => t.reading)]);
  const stored = delivery.stored;

  const storedFor = (reading: Reading): Observation[] => stored.get(reading) ?? [];

  it('stores the BP as a vital-signs panel 85354-9 with mm[Hg] components and no value of its own, and the pulse with its cuff source', () => {
    const observations = storedFor(bp);
    const panel = observations.find((o) => loinc(o) === CATALOG.bpPanel.loinc);
    expect(panel?.category?.[0]?.coding?.[0]).toMatchObject({ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' });
    expect(panel?.valueQuantity).toBeUndefined();
    expect(panel?.component?.map((c) => [loinc(c as Observation), c.valueQuantity])).toEqual([
      [CATALOG.bpSystolic.loinc, { value: 120, unit: 'mmHg', system: UCUM, code: MMHG }],
      [CATALOG.bpDiastolic.loinc, { value: 80, unit: 'mmHg', system: UCUM, code: MMHG }],
      [CATALOG.bpMean.loinc, { value: 93, unit: 'mmHg', system: UCUM, code: MMHG }],
    ]);
    const pulse = observations.find((o) => loinc(o) === CATALOG.heartRate.loinc);
    expect(pulse?.valueQuantity).toMatchObject({ value: 72, system: UCUM, code: '/min' });
    expect(pulse?.code.coding?.find((c) => c.system === 'urn:iso:std:iso:11073:10101')).toMatchObject({ code: '149546', display: 'MDC_PULS_RATE_NON_INV' });
  });

  it('every stored resource passes the three checks (Medplum with the vitalsigns profile, fhir.js, the catalog table)', () => {
    const all = [...stored.values()].flat();
    expect(all.length).toBe(2 + temperatures.length);
    for (const o of all) expect(checkStoredResource(o), `${loinc(o) ?? ''}/${o.id ?? ''}`).toEqual([]);
  });

  it('the BP panel conforms to the R4 bp profile, the pulse to heartrate and each temperature to bodytemp', () => {
    const panel = storedFor(bp).find((o) => loinc(o) === CATALOG.bpPanel.loinc);
    const pulse = storedFor(bp).find((o) => loinc(o) === CATALOG.heartRate.loinc);
    expect(profileIssues(panel as Observation, 'bp')).toEqual([]);
    // Medplum can apply the two profiles whose slices it resolves; `bp` it cannot (see below).
    const medplum = (o: Observation, name: string): string[] => {
      fhirDefinitions();
      try {
        validateResource(o, { profile: vitalProfile(name) });
        return [];
      } catch (e) {
        if (!(e instanceof OperationOutcomeError)) throw e;
        return (e.outcome.issue ?? []).filter((i) => i.severity === 'error').map((i) => i.details?.text ?? '');
      }
    };
    expect(medplum(pulse as Observation, 'heartrate')).toEqual([]);
    expect(profileIssues(pulse as Observation, 'heartrate')).toEqual([]);
    for (const t of temperatures) {
      const [obs] = storedFor(t.reading);
      expect(medplum(obs as Observation, 'bodytemp'), t.printed).toEqual([]);
      expect(profileIssues(obs as Observation, 'bodytemp'), t.printed).toEqual([]);
    }
  });

  it('stores each temperature 8310-5 in [degF] as the device printed it: the decimals go over the wire, the value reads back', async () => {
    for (const t of temperatures) {
      const [obs] = storedFor(t.reading);
      expect(loinc(obs as Observation)).toBe(CATALOG.bodyTemperature.loinc);
      expect(obs?.valueQuantity).toEqual({ value: Number(t.printed), unit: '°F', system: UCUM, code: '[degF]' });
      expect(delivery.peer.postBodies.join('\n')).toContain(`"valueQuantity":{"value":${t.printed},"unit":"°F","system":"${UCUM}","code":"[degF]"}`);
      // Read back over HTTP, as an EHR client would.
      const res = await fetch(`${delivery.peer.baseUrl}/Observation?identifier=${encodeURIComponent(`urn:ietf:rfc:3986|${obs?.identifier?.[0]?.value ?? ''}`)}`);
      const bundle = (await res.json()) as Bundle<Observation>;
      expect(bundle.entry?.map((e) => e.resource?.valueQuantity)).toEqual([{ value: Number(t.printed), unit: '°F', system: UCUM, code: '[degF]' }]);
    }
  });
});

describe('the bp profile check is needed and not vacuous', () => {
  const panel = (): Observation => {
    const comp = (code: string, value: number): NonNullable<Observation['component']>[number] => ({
      code: { coding: [{ system: 'http://loinc.org', code }] },
      valueQuantity: { value, unit: 'mmHg', system: UCUM, code: MMHG },
    });
    return {
      resourceType: 'Observation',
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
      subject: { reference: 'Patient/1' },
      effectiveDateTime: '2026-06-02T09:30:02+00:00',
      component: [comp('8480-6', 120), comp('8462-4', 80)],
    };
  };

  it('Medplum fails even a minimal valid BP panel against bp (when this changes, apply bp with Medplum: docs/export.md §10)', () => {
    fhirDefinitions();
    expect(() => validateResource(panel(), { profile: vitalProfile('bp') })).toThrow(/slice 'SystolicBP'/);
    expect(profileIssues(panel(), 'bp')).toEqual([]);
  });

  it('catches a missing diastolic, a wrong unit, a value on the panel, and a temperature in a unit bodytemp does not allow', () => {
    const good = panel();
    expect(profileIssues({ ...good, component: good.component?.slice(0, 1) }, 'bp').join(' ')).toMatch(/DiastolicBP: 0 component/);
    const kPa = { ...good, component: good.component?.map((c) => ({ ...c, valueQuantity: { value: 16, unit: 'kPa', system: UCUM, code: 'kPa' } })) };
    expect(profileIssues(kPa, 'bp').join(' ')).toMatch(/valueQuantity\.code is "kPa", the profile fixes "mm\[Hg\]"/);
    expect(profileIssues({ ...good, valueQuantity: { value: 1 } }, 'bp').join(' ')).toMatch(/Observation\.valueQuantity must be absent/);
    const temp: Observation = { ...good, component: undefined, code: { coding: [{ system: 'http://loinc.org', code: '8310-5' }] }, valueQuantity: { value: 310, unit: 'K', system: UCUM, code: 'K' } };
    expect(profileIssues(temp, 'bodytemp').join(' ')).toMatch(/K is not in http:\/\/hl7.org\/fhir\/ValueSet\/ucum-bodytemp/);
  });
});


describe.each(HL7_PEERS)('HL7 v2 export of DINAMAP vital signs to %s', (_name, start) => {
  let peer: Hl7Peer;
  beforeAll(async () => {
    peer = await start();
  });
  afterAll(async () => {
    await peer.stop();
  });

  const hl7Target = (profile: Hl7Profile): Hl7Target => hl7TargetFor(peer, profile);

  it.each(HL7_PROFILES)('%s: OBR-4, sub-ids, mm[Hg] and [degF] rows are acknowledged AA and read back by the peer', async (profile) => {
    const pcd = profile === 'pcd-01';
    const exporter = createHl7Exporter(hl7Target(profile), {});
    try {
      const bpItem = exportItem(bp);
      expect(await deliver(exporter, bpItem)).toMatchObject({ result: 'done', status: 'AA' });
      const msg = peer.accepted().find((m) => m.controlId === bpItem.controlId);
      expect(msg).toBeDefined();
      if (!msg) return;
      // PCD-01 names the order "monitoring of patient" and the NIBP by its MDC metrics (docs/export.md §6).
      expect([msg.field('OBR', 4, 1), msg.field('OBR', 4, 3)]).toEqual(pcd ? ['182777000', 'SCT'] : [CATALOG.bpPanel.loinc, 'LN']);
      const first = pcd ? 1 : 0; // PCD-01 starts with the device row
      expect(msg.count('OBX')).toBe(first + 4);
      const rows = [
        { loinc: CATALOG.bpSystolic.loinc, mdc: '150021', value: '120', unit: MMHG, mdcUnit: '266016', subId: pcd ? '1.1.1.1' : '1.1' },
        { loinc: CATALOG.bpDiastolic.loinc, mdc: '150022', value: '80', unit: MMHG, mdcUnit: '266016', subId: pcd ? '1.1.1.2' : '1.2' },
        { loinc: CATALOG.bpMean.loinc, mdc: '150023', value: '93', unit: MMHG, mdcUnit: '266016', subId: pcd ? '1.1.1.3' : '1.3' },
        { loinc: CATALOG.heartRate.loinc, mdc: '149546', value: '72', unit: '/min', mdcUnit: '264864', subId: pcd ? '1.2.1.1' : '2' },
      ];
      rows.forEach((r, i) => {
        const at = first + i;
        expect(msg.field('OBX', 2, 1, at)).toBe('NM');
        expect(pcd ? [msg.field('OBX', 3, 1, at), msg.field('OBX', 3, 4, at)] : [msg.field('OBX', 3, 1, at), msg.field('OBX', 3, 3, at)]).toEqual(pcd ? [r.mdc, r.loinc] : [r.loinc, 'LN']);
        expect(msg.field('OBX', 4, 1, at)).toBe(r.subId);
        expect(msg.field('OBX', 5, 1, at)).toBe(r.value);
        expect(pcd ? [msg.field('OBX', 6, 1, at), msg.field('OBX', 6, 4, at)] : [msg.field('OBX', 6, 1, at), msg.field('OBX', 6, 3, at)]).toEqual(pcd ? [r.mdcUnit, r.unit] : [r.unit, 'UCUM']);
      });

      for (const t of temperatures) {
        const item = exportItem(t.reading);
        expect(await deliver(exporter, item), t.printed).toMatchObject({ result: 'done', status: 'AA' });
        const m = peer.accepted().find((x) => x.controlId === item.controlId);
        expect(m?.field('OBR', 4, 1)).toBe(pcd ? '182777000' : CATALOG.bodyTemperature.loinc);
        expect(m?.count('OBX')).toBe(first + 1);
        expect(m?.field('OBX', 3, pcd ? 4 : 1, first)).toBe(CATALOG.bodyTemperature.loinc);
        // The printed text, decimals and all: 99.0 stays 99.0.
        expect(m?.field('OBX', 5, 1, first)).toBe(t.printed);
        expect(m?.raw).toContain(`|${t.printed}|`);
        // [degF] in UCUM, and in PCD-01 MDC_DIM_FAHR first with UCUM as the alternate.
        expect(pcd ? [m?.field('OBX', 6, 1, first), m?.field('OBX', 6, 2, first), m?.field('OBX', 6, 4, first)] : [m?.field('OBX', 6, 1, first), m?.field('OBX', 6, 3, first)]).toEqual(
          pcd ? ['266560', 'MDC_DIM_FAHR', '[degF]'] : ['[degF]', 'UCUM'],
        );
      }
    } finally {
      await exporter.close();
    }
  });
});
