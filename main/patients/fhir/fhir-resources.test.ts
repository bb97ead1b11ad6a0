import { describe, expect, it } from 'vitest';
import { escapeToken } from './fhir-source-client.ts';
import { appointmentVisit, displayName, encounterVisit, mrnOf, patientIdOf, readSearchPage, toSourcePatient } from './fhir-resources.ts';
import { localDay, utcInstant } from '../local-day.ts';

const ctx = { sourceId: 'ehr', at: '2026-12-07T09:00:00.000Z' };
const MR = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] };

describe('names as the hub shows and exports them', () => {
  it('is "FAMILY, Given Middle" from the official name, else the usual one, else the first not old', () => {
    expect(displayName([{ use: 'official', family: 'Doe', given: ['Jane', 'Q'] }])).toBe('Doe, Jane Q');
    expect(displayName([{ use: 'old', family: 'Smith', given: ['Jane'] }, { family: 'Doe', given: ['Jane'] }])).toBe('Doe, Jane');
    expect(displayName([{ use: 'nickname', family: 'X' }, { use: 'official', family: 'Doe', given: ['Jane'] }])).toBe('Doe, Jane');
    expect(displayName([{ family: 'Doe' }])).toBe('Doe');
    expect(displayName([{ given: ['Cher'] }])).toBe('Cher');
    expect(displayName([{ text: 'Jane Doe' }])).toBe('Jane Doe');
    expect(displayName([])).toBeUndefined();
    expect(displayName([{ given: ['  '] }])).toBeUndefined();
  });
});

describe('the MRN among identifiers', () => {
  const ids = [
    { system: 'urn:ssn', value: '999-00-1' },
    { system: 'urn:mrn', value: 'MRN-1', type: MR },
  ];
  it("is the configured system's identifier when the source names one", () => {
    expect(mrnOf(ids, 'urn:ssn')).toBe('999-00-1');
    expect(mrnOf(ids, 'urn:other')).toBeUndefined();
  });
  it('else the one typed MR, else the only identifier; several untyped ones are not guessed between', () => {
    expect(mrnOf(ids, undefined)).toBe('MRN-1');
    expect(mrnOf([{ value: 'ONLY' }], undefined)).toBe('ONLY');
    expect(mrnOf([{ value: 'A' }, { value: 'B' }], undefined)).toBeUndefined();
    expect(mrnOf([{ value: 'M'.repeat(65) }], undefined)).toBeUndefined();
  });
});

describe('a Patient resource', () => {
  it('becomes what the source vouches for: MRN, name, birth date, sex, identifiers, logical id', () => {
    const p = toSourcePatient(
      { resourceType: 'Patient', id: 'p1', identifier: [{ system: 'urn:mrn', value: 'MRN-1', type: MR }, { value: '' }], name: [{ family: 'Doe', given: ['Jane'] }], birthDate: '1980-01-15', gender: 'female' },
      { ...ctx, identifierSystem: 'urn:mrn' },
    );
    expect(p).toEqual({ mrn: 'MRN-1', identifiers: [{ system: 'urn:mrn', value: 'MRN-1' }], name: 'Doe, Jane', birthDate: '1980-01-15', sex: 'female', fhirId: 'p1', sourceId: 'ehr', verifiedAt: ctx.at });
  });
  it('keeps out what it cannot vouch for: a partial birth date, an unknown gender, no MRN', () => {
    const p = toSourcePatient({ resourceType: 'Patient', identifier: [{ value: 'X' }], birthDate: '1980-01', gender: 'robot' }, { ...ctx, identifierSystem: undefined });
    expect(p).toEqual({ mrn: 'X', identifiers: [{ value: 'X' }], sourceId: 'ehr', verifiedAt: ctx.at });
    expect(toSourcePatient({ resourceType: 'Patient', identifier: [] }, { ...ctx, identifierSystem: undefined })).toBeUndefined();
    expect(toSourcePatient({ resourceType: 'Observation' }, { ...ctx, identifierSystem: undefined })).toBeUndefined();
    expect(toSourcePatient({ resourceType: 'Patient', name: 'not a list' }, { ...ctx, identifierSystem: undefined, mrn: 'M' })).toBeUndefined();
  });
});

describe('visits', () => {
  it('an Appointment: booked → planned, arrived / checked-in → arrived, fulfilled → finished; others are not listed', () => {
    const a = (status: string) =>
      appointmentVisit({ resourceType: 'Appointment', id: 'a1', status, start: '2026-12-07T09:00:00+01:00', participant: [{ actor: { reference: 'Patient/p1' } }, { actor: { reference: 'Location/l1', display: 'Room 4' } }] }, ctx);
    expect(a('booked')).toEqual({ id: 'ehr:Appointment/a1', sourceId: 'ehr', state: 'planned', appointmentId: 'a1', start: '2026-12-07T09:00:00+01:00', location: 'Room 4', room: 'Room 4', patientId: 'p1', updatedAt: ctx.at });
    expect(a('arrived')?.state).toBe('arrived');
    expect(a('checked-in')?.state).toBe('arrived');
    expect(a('fulfilled')?.state).toBe('finished');
    expect(a('cancelled')).toBeUndefined();
    expect(a('noshow')).toBeUndefined();
  });
  it('an Encounter carries its id, subject, location and visit number', () => {
    const e = encounterVisit({ resourceType: 'Encounter', id: 'e1', status: 'in-progress', subject: { reference: 'https://ehr/fhir/Patient/p2' }, location: [{ location: { reference: 'Location/l1' } }], identifier: [{ value: 'V-9' }], period: { start: '2026-12-07T08:30:00Z' } }, ctx);
    expect(e).toMatchObject({ id: 'ehr:Encounter/e1', state: 'in-progress', encounterId: 'e1', patientId: 'p2', location: 'Location/l1', visitNumber: 'V-9', start: '2026-12-07T08:30:00Z' });
    expect(encounterVisit({ resourceType: 'Encounter', id: 'e2', status: 'entered-in-error' }, ctx)).toBeUndefined();
  });
  it('references to patients are read relative, absolute or versioned, and nothing else', () => {
    expect(patientIdOf('Patient/abc-1')).toBe('abc-1');
    expect(patientIdOf('https://x/fhir/Patient/abc/_history/2')).toBe('abc');
    expect(patientIdOf('Group/abc')).toBeUndefined();
    expect(patientIdOf(undefined)).toBeUndefined();
  });
});

describe('search pages', () => {
  it('gives the resources and the next link; something that is not a Bundle is undefined', () => {
    const page = readSearchPage({ resourceType: 'Bundle', type: 'searchset', link: [{ relation: 'self', url: 's' }, { relation: 'next', url: 'n' }], entry: [{ resource: { resourceType: 'Patient' } }, {}] });
    expect(page).toEqual({ resources: [{ resourceType: 'Patient' }], next: 'n' });
    expect(readSearchPage({ resourceType: 'Bundle' })).toEqual({ resources: [] });
    expect(readSearchPage({ resourceType: 'OperationOutcome' })).toBeUndefined();
    expect(readSearchPage(undefined)).toBeUndefined();
  });
  it('escapes the characters FHIR token search gives a meaning to', () => {
    expect(escapeToken('A|B,C$D\\E')).toBe('A\\|B\\,C\\$D\\\\E');
    expect(escapeToken('MRN-1')).toBe('MRN-1');
  });
});

describe("the workstation's day", () => {
  it('runs from local midnight to the next, as UTC instants', () => {
    const day = localDay(new Date(2026, 11, 7, 15, 30).getTime());
    expect(day.date).toBe('2026-12-07');
    expect(Date.parse(day.to) - Date.parse(day.from)).toBeGreaterThanOrEqual(23 * 3600_000);
    expect(new Date(day.from).getHours()).toBe(0);
    expect(utcInstant('2026-12-07T09:00:00+01:00')).toBe('2026-12-07T08:00:00.000Z');
    expect(utcInstant('soon')).toBeUndefined();
  });
});
