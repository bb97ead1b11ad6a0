import type { PatientEncounter } from '../../shared/api/model.ts';
import { HubError } from '../../shared/errors.ts';
import type { Visit } from '../../shared/patients/patient-sources.ts';
import type { VisitsRepo } from '../store/visits-repo.ts';

/**
 * The encounter picked with a patient (docs/architecture.md §8, "Patient context"): the visit must
 * be on file, belong to that MRN and not be cancelled — otherwise a result could be filed to
 * another patient's visit. Checked at the API, inside the selection's transaction.
 * @throws HubError NOT_FOUND (details.visitId) or CONFLICT (details.visitMrn), in words.
 */
export function encounterFor(visits: Pick<VisitsRepo, 'get'>, mrn: string, visitId: string): PatientEncounter {
  const visit = visits.get(visitId);
  if (visit === undefined) {
    throw new HubError('NOT_FOUND', `That visit is no longer on this workstation's list: refresh Today and pick the patient again.`, { details: { visitId } });
  }
  if (visit.mrn !== mrn) {
    throw new HubError('CONFLICT', `That visit belongs to MRN ${visit.mrn}, not to MRN ${mrn}: pick the patient's own visit.`, { details: { visitId, visitMrn: visit.mrn, mrn } });
  }
  if (visit.state === 'cancelled') {
    throw new HubError('CONFLICT', `That visit of MRN ${mrn} was cancelled: pick another visit, or select the patient without one.`, { details: { visitId, state: visit.state } });
  }
  return toEncounter(visit);
}

/** The visit as the patient banner and the review carry it. */
export function toEncounter(v: Visit): PatientEncounter {
  return {
    visitId: v.id,
    ...(v.visitNumber === undefined ? {} : { visitNumber: v.visitNumber }),
    ...(v.encounterId === undefined ? {} : { encounterId: v.encounterId }),
    ...(v.room === undefined ? {} : { room: v.room }),
    ...(v.location === undefined ? {} : { location: v.location }),
    ...(v.start === undefined ? {} : { start: v.start }),
  };
}
