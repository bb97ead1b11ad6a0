import type { AdtPatientSource, Visit } from '../../../shared/patients/patient-sources.ts';
import { isHubError } from '../../../shared/errors.ts';
import type { HubDatabase } from '../../store/hub-database.ts';
import type { AuditLog } from '../../workflow/audit-log.ts';
import type { AdtAnswer } from './adt-ack.ts';
import { readAdtMessage, type AdtContent, type AdtHeader, type AdtPatient } from './adt-message.ts';

/** What applying one message did: the answer, and what a log line may say (never a name or a birth date). */
export interface AdtOutcome {
  header?: AdtHeader;
  answer: AdtAnswer;
  /** A resend of a message already answered: answered the same way, nothing applied. */
  duplicate: boolean;
  /** The patient (surviving, for A40) the message was about, when applied. */
  mrn?: string;
  /** A40: readings re-pointed to the surviving patient. */
  movedReadings: string[];
}

/** The parts of the hub an ADT message changes. */
export interface AdtApplyDeps {
  store: Pick<HubDatabase, 'patients' | 'visits' | 'reviews' | 'adtMessages' | 'transaction'>;
  /** The workflow's hash-chained audit log (rows are appended inside the message's transaction). */
  auditLog: Pick<AuditLog, 'append'>;
  now: () => number;
}

const STATE_OF = { A01: 'in-progress', A04: 'arrived', A03: 'finished', A11: 'cancelled' } as const;

/**
 * Apply one inbound ADT message from `source` (docs/adt-inbound.md): read
 * it, refuse what is malformed (AE) or not taken (AR), answer a resend of a known control id the
 * way it was answered before, and otherwise change the patient cache, its visits and (A40) the
 * pending readings in one transaction with the message's record and its audit rows.
 */
export function applyAdtMessage(deps: AdtApplyDeps, source: AdtPatientSource, raw: string): AdtOutcome {
  const content = readAdtMessage(raw);
  const header = content.header;
  const none = { duplicate: false, movedReadings: [] as string[] };
  if (header === undefined) return { answer: content.ok ? { code: 'AE', error: '100' } : refusalAnswer(content), ...none };
  // Not recorded: an unknown sender must not fill the table, and may be allowed tomorrow.
  if (source.senders !== undefined && !source.senders.includes(header.sender)) {
    return { header, answer: { code: 'AR', text: `sender ${header.sender} is not accepted by patient source ${source.id}`, error: '207', location: 'MSH^1^3' }, ...none };
  }
  const at = new Date(deps.now()).toISOString();
  try {
    return deps.store.transaction(() => {
      const before = deps.store.adtMessages.find(header.sender, header.controlId);
      if (before !== undefined) {
        const again = content.ok ? {} : { error: content.error, ...(content.location === undefined ? {} : { location: content.location }) };
        return { header, answer: { code: before.ackCode, ...(before.ackText === undefined ? {} : { text: before.ackText }), ...again }, duplicate: true, movedReadings: [] };
      }
      const outcome: AdtOutcome = content.ok ? apply(deps, source, content, at) : { header, answer: refusalAnswer(content), ...none };
      deps.store.adtMessages.record({
        sender: header.sender,
        controlId: header.controlId,
        sourceId: source.id,
        event: header.event.slice(0, 20),
        ackCode: outcome.answer.code,
        ...(outcome.answer.text === undefined ? {} : { ackText: outcome.answer.text }),
        receivedAt: at,
      });
      return outcome;
    });
  } catch (e) {
    // Nothing was written (the transaction rolled back) and nothing recorded: a resend is applied.
    if (!isHubError(e)) throw e;
    return { header, answer: { code: 'AE', text: `the hub could not store the message: ${e.message}`, error: '207' }, ...none };
  }
}

function refusalAnswer(r: Extract<ReturnType<typeof readAdtMessage>, { ok: false }>): AdtAnswer {
  return { code: r.code, text: r.reason, error: r.error, ...(r.location === undefined ? {} : { location: r.location }) };
}

function savePatient(deps: AdtApplyDeps, source: AdtPatientSource, p: AdtPatient, at: string): void {
  deps.store.patients.saveFromSource({ ...p, sourceId: source.id, verifiedAt: at });
}

function apply(deps: AdtApplyDeps, source: AdtPatientSource, m: AdtContent, at: string): AdtOutcome {
  const { header } = m;
  const audit = { sender: header.sender, controlId: header.controlId, event: m.event, sourceId: source.id };
  if (m.event === 'A40') return merge(deps, source, m, at, audit);
  savePatient(deps, source, m.patient, at);
  const visitId = applyVisit(deps, source, m, at);
  deps.auditLog.append({ operatorId: null, action: 'patient.adt', subject: m.patient.mrn, details: { ...audit, ...(visitId === undefined ? {} : { visitId }) } });
  return { header, answer: { code: 'AA' }, duplicate: false, mrn: m.patient.mrn, movedReadings: [] };
}

/** The visit an event creates or changes; returns its id, or undefined when it names none on file. */
function applyVisit(deps: AdtApplyDeps, source: AdtPatientSource, m: Extract<AdtContent, { patient: AdtPatient }>, at: string): string | undefined {
  const { visit, patient } = m;
  const byNumber = visit.visitNumber === undefined ? undefined : `${source.id}:${visit.visitNumber}`;
  const fields = {
    ...(visit.visitNumber === undefined ? {} : { visitNumber: visit.visitNumber }),
    ...(visit.location === undefined ? {} : { location: visit.location }),
    ...(visit.room === undefined ? {} : { room: visit.room }),
  };
  if (m.event === 'A01' || m.event === 'A04') {
    const id = byNumber ?? `${source.id}:${m.header.controlId}`;
    const existing = deps.store.visits.get(id);
    const start = visit.start ?? existing?.start;
    deps.store.visits.save({ ...existing, id, sourceId: source.id, mrn: patient.mrn, state: STATE_OF[m.event], ...fields, ...(start === undefined ? {} : { start }), updatedAt: at });
    return id;
  }
  // A08, A11, A03 change a visit on file: the one PV1-19 names, else (A11/A03) the patient's
  // latest open visit from this source. None on file: the patient update stands alone.
  const existing: Visit | undefined =
    byNumber !== undefined
      ? deps.store.visits.get(byNumber)
      : m.event === 'A08'
        ? undefined
        : deps.store.visits.ofPatient(patient.mrn).find((v) => v.sourceId === source.id && (v.state === 'arrived' || v.state === 'in-progress' || v.state === 'planned'));
  if (existing === undefined) return undefined;
  const state = m.event === 'A08' ? existing.state : STATE_OF[m.event];
  deps.store.visits.save({ ...existing, ...fields, mrn: patient.mrn, state, updatedAt: at });
  return existing.id;
}

/**
 * A40: each prior MRN is marked merged into the surviving one (the row stays, so history and a
 * scan of the old wristband still resolve), its visits move, and its readings still waiting for a
 * decision are re-pointed, one audit row each; confirmed and rejected readings keep their patient.
 */
function merge(deps: AdtApplyDeps, source: AdtPatientSource, m: Extract<AdtContent, { event: 'A40' }>, at: string, audit: Record<string, string>): AdtOutcome {
  const moved: string[] = [];
  for (const { patient, prior } of m.merges) {
    savePatient(deps, source, patient, at);
    // A prior MRN the hub never saw is put on file as merged, so it resolves to the survivor: the
    // same person (that is what the merge says), so with the survivor's name and birth date.
    if (deps.store.patients.get(prior) === undefined) savePatient(deps, source, { ...patient, mrn: prior, identifiers: [{ value: prior }] }, at);
    deps.store.patients.markMerged(prior, patient.mrn, at);
    const visits = deps.store.visits.moveToPatient(prior, patient.mrn);
    const readings = deps.store.reviews.movePendingToPatient(prior, patient.mrn);
    for (const id of readings) {
      deps.auditLog.append({ operatorId: null, action: 'reading.merge-move', subject: id, details: { from: prior, to: patient.mrn, controlId: m.header.controlId } });
    }
    deps.auditLog.append({ operatorId: null, action: 'patient.adt', subject: patient.mrn, details: { ...audit, prior, visitsMoved: visits, readingsMoved: readings.length } });
    moved.push(...readings);
  }
  return { header: m.header, answer: { code: 'AA' }, duplicate: false, mrn: m.merges[0]?.patient.mrn ?? '', movedReadings: moved };
}
