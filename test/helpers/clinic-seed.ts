import type { Appointment, Encounter, Location, Patient } from '@medplum/fhirtypes';
import type { FhirPeer } from '../peers/fhir-peer.ts';

/** The MRN system the seeded EHR uses (a source's `identifierSystem`). */
export const MRN_SYSTEM = 'urn:oid:2.16.840.1.113883.3.9999.1';

/** Seeded patients: MRN, FHIR name parts, birth date, sex. */
export const CLINIC_PATIENTS = [
  { mrn: 'MRN-1001', family: 'Doe', given: ['Jane', 'Q'], birthDate: '1980-01-15', gender: 'female' },
  { mrn: 'MRN-1002', family: 'Okafor', given: ['Daniel'], birthDate: '1961-07-14', gender: 'male' },
  { mrn: 'MRN-1003', family: 'Lindqvist', given: ['Maja'], birthDate: '2025-02-03', gender: 'female' },
  { mrn: 'MRN-1004', family: 'Ruiz', given: ['Ana', 'María'], birthDate: '1961-04-23', gender: 'female' },
  { mrn: 'MRN-1005', family: 'Park', given: ['Jo'], birthDate: '1990-09-09', gender: 'other' },
  { mrn: 'MRN-1006', family: 'Ng', given: ['Lee'], birthDate: '1975-03-30', gender: 'male' },
] as const;

export interface SeededClinic {
  readonly location: string;
  readonly otherLocation: string;
  /** Logical id of each seeded patient by MRN. */
  readonly patientIds: ReadonlyMap<string, string>;
  /** Appointments and Encounters the Today list must show (ids as `Appointment/<id>`, `Encounter/<id>`). */
  readonly expected: readonly string[];
}

/** Today (the test process's local day) at `h:m`, as an instant. */
export function todayAt(h: number, m = 0, dayOffset = 0): string {
  const now = new Date();
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + dayOffset, h, m).toISOString();
}

/**
 * A small clinic in the FHIR peer: a Location ("Room 4"), six patients, today's Appointments in
 * every status the hub lists (booked, arrived, checked-in, fulfilled) plus ones it must not list
 * (cancelled, another location, tomorrow), and two Encounters (arrived, in progress).
 */
export async function seedClinic(peer: FhirPeer): Promise<SeededClinic> {
  const repo = peer.repo;
  const loc = await repo.createResource<Location>({ resourceType: 'Location', name: 'Room 4', status: 'active' });
  const other = await repo.createResource<Location>({ resourceType: 'Location', name: 'Lab', status: 'active' });
  const patientIds = new Map<string, string>();
  for (const p of CLINIC_PATIENTS) {
    const saved = await repo.createResource<Patient>({
      resourceType: 'Patient',
      identifier: [
        { system: MRN_SYSTEM, value: p.mrn, type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] } },
        { system: 'urn:oid:2.16.840.1.113883.4.1', value: `999-00-${p.mrn.slice(-4)}` },
      ],
      name: [{ use: 'official', family: p.family, given: [...p.given] }],
      birthDate: p.birthDate,
      gender: p.gender,
    });
    patientIds.set(p.mrn, saved.id);
  }
  const expected: string[] = [];
  const appointment = async (mrn: string, status: Appointment['status'], start: string, location = loc.id): Promise<string> => {
    const a = await repo.createResource<Appointment>({
      resourceType: 'Appointment',
      status,
      start,
      end: new Date(Date.parse(start) + 20 * 60_000).toISOString(),
      participant: [
        { actor: { reference: `Patient/${patientIds.get(mrn) ?? ''}` }, status: 'accepted' },
        { actor: { reference: `Location/${location}`, display: location === loc.id ? 'Room 4' : 'Lab' }, status: 'accepted' },
      ],
    });
    return `Appointment/${a.id}`;
  };
  expected.push(await appointment('MRN-1001', 'booked', todayAt(9, 0)));
  expected.push(await appointment('MRN-1002', 'arrived', todayAt(9, 20)));
  expected.push(await appointment('MRN-1003', 'checked-in', todayAt(9, 40)));
  expected.push(await appointment('MRN-1004', 'fulfilled', todayAt(8, 0)));
  await appointment('MRN-1005', 'cancelled', todayAt(10, 0));
  await appointment('MRN-1005', 'booked', todayAt(10, 0), other.id);
  await appointment('MRN-1006', 'booked', todayAt(10, 0, 1));
  const encounter = async (mrn: string, status: Encounter['status'], start: string): Promise<string> => {
    const e = await repo.createResource<Encounter>({
      resourceType: 'Encounter',
      status,
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      subject: { reference: `Patient/${patientIds.get(mrn) ?? ''}` },
      location: [{ location: { reference: `Location/${loc.id}`, display: 'Room 4' } }],
      period: { start },
      identifier: [{ system: 'urn:visit', value: `V-${mrn.slice(-4)}` }],
    });
    return `Encounter/${e.id}`;
  };
  expected.push(await encounter('MRN-1002', 'arrived', todayAt(9, 25)));
  expected.push(await encounter('MRN-1006', 'in-progress', todayAt(8, 30)));
  return { location: `Location/${loc.id}`, otherLocation: `Location/${other.id}`, patientIds, expected };
}
