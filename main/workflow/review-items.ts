import type { Patient, ReviewItem } from '../../shared/api/model.ts';
import { summarizeObservations } from '../../shared/observation-summary.ts';
import type { Observation } from '../../shared/observation.ts';
import type { ReviewRecord } from '../store/reviews-repo.ts';

/** A stored review as the API shows it. */
export function toReviewItem(r: ReviewRecord): ReviewItem {
  const item: ReviewItem = {
    id: r.readingId,
    reading: r.reading,
    state: r.state === 'confirmed' || r.state === 'rejected' ? r.state : 'pending',
    deviceKey: r.deviceKey,
    deviceLabel: r.deviceLabel,
    manual: r.manual,
  };
  if (r.patient !== undefined) item.patient = r.patient as Patient;
  if (r.replaces !== undefined) item.replaces = r.replaces;
  if (r.decidedBy !== undefined) item.decidedBy = r.decidedBy;
  if (r.decidedAt !== undefined) item.decidedAt = r.decidedAt;
  if (r.rejectReason !== undefined) item.rejectReason = r.rejectReason;
  if (r.rejectNote !== undefined) item.rejectNote = r.rejectNote;
  if (r.deviceRole !== undefined) item.deviceRole = r.deviceRole;
  if (r.memoryState !== undefined) item.memory = r.memoryState;
  return item;
}

/** `MRN 12345 (Jane Doe, born 1980-01-15)`: how messages name a patient. */
export function describePatient(p: { mrn: string; name?: string; birthDate?: string }): string {
  const more = [p.name, p.birthDate === undefined ? undefined : `born ${p.birthDate}`].filter((s) => s !== undefined);
  // An MRN that already carries its prefix ("MRN-20418") is not labelled twice.
  const mrn = /^mrn/i.test(p.mrn) ? p.mrn : `MRN ${p.mrn}`;
  return more.length > 0 ? `${mrn} (${more.join(', ')})` : mrn;
}

/** The values of a reading by code, for audit rows (see summarizeObservations). */
export function valuesSummary(observations: readonly Observation[]): string[] {
  return summarizeObservations(observations, 'code');
}
