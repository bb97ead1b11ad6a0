import type { Patient } from '../../shared/api/model.ts';
import { HubError } from '../../shared/errors.ts';
import type { LookupResult } from '../../shared/patients/patient-lookup.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import { checkAgainstFile, type GivenIdentifiers } from './patient-identity.ts';

/** How selection checked the patient against the EHR, as the banner shows it. */
export type Verification = NonNullable<Patient['verification']>;

/** What the EHR check decided, before the identification rules run on the local record. */
export interface Verified {
  /** The identifiers to identify with: the MRN may be the survivor of a merge. */
  readonly given: GivenIdentifiers;
  /** Absent when no source was asked (none configured): the banner shows `verified` as before. */
  readonly verification?: Verification;
  /** For the audit row: the outcome in a few fields. */
  readonly audit: Record<string, unknown>;
}

/**
 * Selection against the patient sources (docs/architecture.md §8 rule 2, docs/patient-sources.md),
 * inside the selection's transaction. The look-up itself was done before (it is a network call;
 * the workflow stays synchronous), and its answer is applied here:
 * - found: the given identifiers must match the EHR's record — a difference is refused
 *   (CONFLICT naming it) and at least one given identifier must be one the EHR has; then the
 *   patient is stored as the EHR has them and the selection is verified by that source;
 * - not in the EHR: a patient not on file is refused unless the explicit new-local-patient step;
 * - unreachable: the local cache decides, and the banner says plainly that nothing was verified;
 * - no sources: as before sources existed (no verification on the selected patient).
 * A merged-away MRN selects the surviving patient.
 * @throws HubError CONFLICT (details.differs / details.needs) or NOT_FOUND (details.unknown).
 */
export function applyLookup(given: GivenIdentifiers, ehr: LookupResult | undefined, tables: Pick<HubDatabase, 'patients'>): Verified {
  if (ehr === undefined || ehr.state === 'no-sources') return { given, audit: { state: 'no-sources' } };
  if (ehr.state === 'unreachable') {
    if (tables.patients.get(given.mrn) === undefined && given.createLocal !== true) {
      throw new HubError('NOT_FOUND', `No patient with MRN ${given.mrn} on file on this workstation, and the EHR cannot be reached to check it. Check the wristband, or add a new local patient.`, {
        details: { mrn: given.mrn, unknown: true, unreachable: true },
      });
    }
    return { given, verification: { state: 'unreachable', reason: ehr.reason.slice(0, 500) }, audit: { state: 'unreachable', reason: ehr.reason } };
  }
  if (ehr.state === 'not-found') {
    const asked = ehr.asked.join(', ');
    if (tables.patients.get(given.mrn) === undefined && given.createLocal !== true) {
      throw new HubError('NOT_FOUND', `MRN ${given.mrn} is not in the EHR (${asked}). Check the wristband, or add a new local patient.`, {
        details: { mrn: given.mrn, unknown: true, notInEhr: true },
      });
    }
    return { given, verification: { state: 'not-in-ehr', reason: `not in ${asked}`.slice(0, 500) }, audit: { state: 'not-in-ehr', asked: ehr.asked } };
  }
  const sp = ehr.patient;
  const where = `in the EHR (${ehr.sourceName})`;
  const checked: GivenIdentifiers = { ...given, mrn: sp.mrn };
  checkAgainstFile(checked, sp, where);
  const byName = checked.name !== undefined && sp.name !== undefined;
  const byBirthDate = checked.birthDate !== undefined && sp.birthDate !== undefined;
  if (!byName && !byBirthDate) {
    const needs = sp.birthDate !== undefined ? 'birthDate' : 'name';
    throw new HubError('CONFLICT', `MRN ${checked.mrn} is ${where} without that identifier: give ${needs === 'birthDate' ? 'the date of birth' : 'the name'} too, so the EHR's record identifies the patient.`, {
      details: { mrn: checked.mrn, differs: [], needs },
    });
  }
  // What the EHR says replaces what was typed before; the ADT cache is already stored.
  if (!ehr.cached) tables.patients.saveFromSource(sp);
  return {
    // Selecting a patient the EHR knows is never "adding a local patient".
    given: { ...checked, createLocal: false },
    verification: { state: 'verified', sourceName: ehr.sourceName, at: sp.verifiedAt },
    audit: { state: 'verified', source: ehr.sourceId, at: sp.verifiedAt, cached: ehr.cached, ...(ehr.mergedFrom === undefined ? {} : { mergedFrom: ehr.mergedFrom }) },
  };
}
