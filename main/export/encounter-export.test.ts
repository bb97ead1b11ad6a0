import { Hl7Message } from '@medplum/core';
import type { Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { Hl7TargetSchema, type Hl7Profile } from '../../shared/export/targets.ts';
import { exportItem, READINGS } from '../../test/helpers/export-items.ts';
import { buildFhirBundle } from './fhir/bundle.ts';
import { renderFhir } from './fhir/fhir-exporter.ts';
import { buildOru } from './hl7/build-oru.ts';

/**
 * The patient and encounter a patient source vouched for, in the export (docs/export.md §5, §6):
 * FHIR Observation.subject `Patient/<id>` and .encounter `Encounter/<id>`, HL7 PID-8 and PV1-19.
 */
const opts = { patientIdentifierSystem: 'urn:oid:1.2.36.1' };
const NOW = new Date('2026-12-07T09:16:31Z');
const hl7 = (profile: Hl7Profile) => Hl7TargetSchema.parse({ id: 'ehr', name: 'EHR', kind: 'hl7', host: '127.0.0.1', port: 2575, profile });
const fromEhr = { mrn: '333', name: 'DOE, Jane', birthDate: '1961-04-23', sex: 'female' as const, fhirId: 'p333', identifiers: [{ system: 'urn:oid:1.2.3', value: '333' }] };
const observations = (item: ReturnType<typeof exportItem>): Observation[] =>
  (buildFhirBundle(item, opts).entry ?? []).flatMap((e) => (e.resource?.resourceType === 'Observation' ? [e.resource] : []));

describe('FHIR subject and encounter', () => {
  it('references Patient/<id> literally and the Encounter when the EHR gave them, on every Observation', () => {
    const item = exportItem(READINGS.bloodPressure, { patient: fromEhr, visit: { encounterId: 'e333', visitNumber: 'V-9' } });
    const obs = observations(item);
    expect(obs.length).toBeGreaterThan(0);
    for (const o of obs) {
      expect(o.subject).toEqual({ reference: 'Patient/p333' });
      expect(o.encounter).toEqual({ reference: 'Encounter/e333' });
    }
    // renderFhir validates the bundle (FHIR R4 schema) and throws EXPORT_CONTENT when it fails.
    expect(() => renderFhir(item, opts.patientIdentifierSystem)).not.toThrow();
  });

  it('keeps the MRN identifier reference and no encounter for a local patient', () => {
    const obs = observations(exportItem(READINGS.urineStrip));
    for (const o of obs) {
      expect(o.subject).toEqual({ identifier: { system: 'urn:oid:1.2.36.1', value: 'MRN-20418' } });
      expect(o.encounter).toBeUndefined();
    }
  });

  it('leaves the encounter out when the visit has no FHIR id (an ADT visit)', () => {
    for (const o of observations(exportItem(READINGS.bloodPressure, { visit: { visitNumber: 'V-9' } }))) expect(o.encounter).toBeUndefined();
  });
});

describe('HL7 PID and PV1', () => {
  for (const profile of ['oru-r01-2.5.1', 'pcd-01'] as const) {
    it(`${profile}: PID from the cache (name, DOB, sex) and PV1-19 the visit number, PV1-2 O`, () => {
      const msg = Hl7Message.parse(buildOru(exportItem(READINGS.bloodPressure, { patient: fromEhr, visit: { visitNumber: 'V-9', encounterId: 'e333' } }), hl7(profile), NOW));
      const pid = msg.getSegment('PID');
      const pv1 = msg.getSegment('PV1');
      expect([pid?.getComponent(3, 1), pid?.getField(5)?.toString(), pid?.getField(7)?.toString(), pid?.getField(8)?.toString()]).toEqual(['333', 'DOE^Jane', '19610423', 'F']);
      expect([pv1?.getField(2)?.toString(), pv1?.getField(19)?.toString()]).toEqual(['O', 'V-9']);
    });
  }

  it('writes the identifiers as typed, no sex and no visit number for a local patient', () => {
    const msg = Hl7Message.parse(buildOru(exportItem(READINGS.bloodPressure), hl7('oru-r01-2.5.1'), NOW));
    expect(msg.getSegment('PID')?.getField(8)?.toString() ?? '').toBe('');
    expect(msg.getSegment('PV1')?.toString()).toBe('PV1|1|O');
  });
});
