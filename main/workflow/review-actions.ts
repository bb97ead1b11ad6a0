import type { MethodInput } from '../../shared/api/contract.ts';
import type { Acknowledgement, Operator, Patient, ReviewChecks } from '../../shared/api/model.ts';
import type { QcLock } from '../../shared/api/qc-model.ts';
import { HubError } from '../../shared/errors.ts';
import type { ReviewDecision, ReviewRecord } from '../store/reviews-repo.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import type { AuditLog } from './audit-log.ts';
import { MANUAL_DEVICE, buildManualReading } from './manual-reading.ts';
import { checkPlausibility } from './plausibility.ts';
import { assertConfirmable, checksOf } from './review-checks.ts';
import { describePatient, valuesSummary } from './review-items.ts';
import type { Arrival } from './arrival-rules.ts';
import type { DeviceRole } from '../../shared/device-role.ts';

/**
 * The review decisions of docs/architecture.md §8, each one store transaction with its audit row. The
 * caller (HubWorkflow) owns the context — who is signed in, which patient is selected — and
 * passes it in; everything here checks the stored state inside the transaction, so a second
 * window or process deciding the same reading first is caught, not overwritten.
 */
export class ReviewActions {
  constructor(
    private readonly store: Pick<HubDatabase, 'readings' | 'reviews' | 'outbox' | 'targets' | 'reviewSettings' | 'transaction'>,
    private readonly audit: AuditLog,
    private readonly now: () => number,
    /** The QC hold on a pending patient result (docs/architecture.md §8 rule 11); none by default. */
    private readonly qcHoldOf: (rec: ReviewRecord) => QcLock | undefined = () => undefined,
  ) {}

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  /** The plausibility and age of a stored reading, by the workflow's clock and this workstation's limit. */
  checks(rec: ReviewRecord): ReviewChecks {
    return checksOf(rec.reading, rec.state === 'pending', this.now(), this.store.reviewSettings.get().resultAgeMinutes);
  }

  /** The review row of a reading, or NOT_FOUND. */
  get(readingId: string): ReviewRecord {
    const rec = this.store.reviews.get(readingId);
    if (rec === undefined) throw new HubError('NOT_FOUND', `There is no reading ${readingId} to review.`, { details: { readingId } });
    return rec;
  }

  /**
   * Offer a stored reading for review as the arrival rule decided (arrival-rules.ts): a patient
   * reading goes to the proposed patient, waits unassigned, or (memory) waits for an import;
   * control/calibration results go to the QC log. Idempotent.
   */
  arrive(readingId: string, device: { key: string; label: string; role: DeviceRole }, context: { operator?: Operator; arrival: Arrival }): ReviewRecord {
    return this.store.transaction(() => {
      const existing = this.store.reviews.get(readingId);
      if (existing !== undefined) return existing;
      const stored = this.store.readings.getReading(readingId);
      if (stored === undefined) throw new HubError('NOT_FOUND', `Reading ${readingId} is not in the store: store it before offering it for review.`);
      const kind = stored.reading.kind;
      const arrival = context.arrival;
      const patient = kind === 'patient' && arrival.kind === 'assign' ? arrival.patient : undefined;
      const held = kind === 'patient' && arrival.kind === 'memory';
      const at = this.iso();
      this.store.reviews.insert({
        readingId,
        deviceKey: device.key,
        deviceLabel: device.label,
        patientMrn: patient?.mrn ?? null,
        assignedBy: patient === undefined ? null : (context.operator?.id ?? null),
        assignedAt: patient === undefined ? null : at,
        assignedVia: patient === undefined ? null : 'arrival',
        decision: null,
        decidedBy: null,
        decidedAt: null,
        manual: false,
        replaces: null,
        deviceRole: device.role,
        ...(held ? { memoryState: 'not-imported' as const } : {}),
        // The encounter selected with the patient goes with the reading to the export.
        ...(patient?.encounter === undefined ? {} : { visitId: patient.encounter.visitId }),
      });
      // A device event, not a person's action: no operator. Who was signed in is kept in details.
      this.audit.append({
        operatorId: null,
        action: kind === 'patient' ? 'reading.arrived' : 'reading.qc',
        subject: readingId,
        details: {
          device: device.key,
          kind,
          role: device.role,
          ...(held ? { memory: 'not-imported' } : {}),
          ...(patient === undefined ? {} : { assignedTo: patient.mrn, assignedVia: 'arrival', signedIn: context.operator?.id ?? null }),
          ...(patient?.encounter === undefined ? {} : { visitId: patient.encounter.visitId }),
          values: valuesSummary(stored.reading.observations),
        },
      });
      return this.get(readingId);
    });
  }

  /** Assign unassigned pending patient readings to `patient`, all or none. */
  assign(readingIds: readonly string[], operator: Operator, patient: Patient): ReviewRecord[] {
    return this.store.transaction(() =>
      [...new Set(readingIds)].map((id) => {
        const rec = this.get(id);
        this.assertPatientKind(rec, 'assigned to a patient');
        this.assertPending(rec);
        if (rec.memoryState === 'not-imported') {
          throw new HubError('CONFLICT', `Reading ${id} is in ${rec.deviceLabel}'s memory: import it for the patient (Device memory), where its age is shown.`, {
            details: { readingId: id },
          });
        }
        if (rec.patient !== undefined) {
          if (rec.patient.mrn === patient.mrn) return rec; // already there: nothing to do
          throw new HubError('CONFLICT', `Reading ${id} is already assigned to ${describePatient(rec.patient)}.`, { details: { readingId: id, mrn: rec.patient.mrn } });
        }
        this.store.reviews.assign(id, patient.mrn, operator.id, this.iso(), 'operator', patient.encounter?.visitId);
        this.audit.append({
          operatorId: operator.id,
          action: 'reading.assign',
          subject: id,
          details: { mrn: patient.mrn, device: rec.deviceKey, ...(patient.encounter === undefined ? {} : { visitId: patient.encounter.visitId }) },
        });
        return this.get(id);
      }),
    );
  }

  /**
   * Confirm one pending reading assigned to the current patient. An impossible value is refused;
   * a critical or old one needs its acknowledgement, recorded in the audit row.
   */
  confirm(readingId: string, operator: Operator, patient: Patient | undefined, acknowledge: readonly Acknowledgement[] = []): ReviewRecord {
    return this.store.transaction(() => {
      const rec = this.get(readingId);
      this.assertPatientKind(rec, 'confirmed for a patient');
      this.assertPending(rec);
      if (rec.patient === undefined) {
        throw new HubError('PATIENT_REQUIRED', 'This reading arrived with no patient selected: assign it to the patient first.', { details: { readingId } });
      }
      if (patient === undefined) {
        throw new HubError('PATIENT_REQUIRED', `Select the patient (${describePatient(rec.patient)}) to confirm this reading.`, { details: { readingId, mrn: rec.patient.mrn } });
      }
      if (rec.patient.mrn !== patient.mrn) {
        throw new HubError('CONFLICT', `This reading is assigned to ${describePatient(rec.patient)}, not to the current patient (MRN ${patient.mrn}): select that patient to confirm it.`, {
          details: { readingId, mrn: rec.patient.mrn, current: patient.mrn },
        });
      }
      const hold = this.qcHoldOf(rec);
      if (hold !== undefined) throw new HubError('CONFLICT', hold.message, { details: { readingId, qcLock: hold.reason } });
      const checks = this.checks(rec);
      const acknowledged = assertConfirmable(readingId, checks, acknowledge);
      return this.decideConfirm(rec, operator, acknowledged.length === 0 ? {} : { acknowledged, ...flagsOf(checks, acknowledged) });
    });
  }

  /**
   * Confirm every pending reading of one device assigned to the current patient. A batch never
   * confirms an impossible, critical or old result: when the batch holds one, nothing is
   * confirmed and the refusal names the readings to decide one by one. Nothing to confirm is an
   * error in words, never an empty success: the person asked for a batch and must learn that none
   * was confirmed, and why (docs/architecture.md §8).
   */
  confirmDevice(deviceKey: string, operator: Operator, patient: Patient): ReviewRecord[] {
    return this.store.transaction(() => {
      const batch = this.store.reviews.listPendingOfDevice(deviceKey, patient.mrn);
      if (batch.length === 0) throw this.nothingToConfirm(deviceKey, patient);
      // All or none: a batch never confirms around a result that QC holds back.
      const held = batch.map((rec) => this.qcHoldOf(rec)).filter((h) => h !== undefined);
      if (held[0] !== undefined) {
        const n = held.length;
        throw new HubError('CONFLICT', `${n} of these results ${n === 1 ? 'is' : 'are'} held by QC, so none was confirmed. ${held[0].message}`, { details: { deviceKey, held: n } });
      }
      const oneByOne = batch.flatMap((rec) => {
        const checks = this.checks(rec);
        const why = [...checks.impossible, ...checks.critical, ...(checks.old === undefined ? [] : [`measured ${checks.old.age} ago`])];
        return why.length > 0 ? [{ readingId: rec.readingId, why }] : [];
      });
      if (oneByOne.length > 0) {
        const n = oneByOne.length;
        throw new HubError(
          'CONFLICT',
          `${n} of these ${batch.length} readings need${n === 1 ? 's' : ''} to be decided one by one (${oneByOne.map((r) => r.why.join(', ')).join('; ')}): nothing was confirmed. Confirm or reject ${n === 1 ? 'it' : 'them'} first, then confirm the rest.`,
          { details: { readingIds: oneByOne.map((r) => r.readingId) } },
        );
      }
      return batch.map((rec) => this.decideConfirm(rec, operator, { batch: deviceKey }));
    });
  }

  /** Why a device batch confirmed nothing, naming the device and what waits elsewhere. */
  private nothingToConfirm(deviceKey: string, patient: Patient): HubError {
    const pending = this.store.reviews.listPending().filter((r) => r.deviceKey === deviceKey && r.kind === 'patient');
    const device = pending[0]?.deviceLabel ?? deviceKey;
    const unassigned = pending.filter((r) => r.patient === undefined).length;
    const others = pending.length - unassigned;
    const where = [
      unassigned > 0 ? `${unassigned} wait${unassigned === 1 ? 's' : ''} unassigned (assign ${unassigned === 1 ? 'it' : 'them'} first)` : undefined,
      others > 0 ? `${others} belong${others === 1 ? 's' : ''} to another patient` : undefined,
    ].filter((s) => s !== undefined);
    const tail = where.length > 0 ? `: ${where.join('; ')}.` : '.';
    return new HubError('NOT_FOUND', `Nothing to confirm: no pending reading from ${device} is assigned to ${describePatient(patient)}${tail}`, {
      details: { deviceKey, mrn: patient.mrn, unassigned, otherPatients: others },
    });
  }

  private decideConfirm(rec: ReviewRecord, operator: Operator, extra: Record<string, unknown>): ReviewRecord {
    const at = this.iso();
    this.decide(rec.readingId, { decision: 'confirmed', by: operator.id, at });
    // Same transaction as the decision: a confirmed reading can never miss its export.
    this.store.outbox.enqueue(rec.readingId, this.store.targets.enabledIds(), at);
    this.audit.append({
      operatorId: operator.id,
      action: 'reading.confirm',
      subject: rec.readingId,
      details: { mrn: rec.patient?.mrn ?? null, device: rec.deviceKey, values: valuesSummary(rec.reading.observations), ...extra },
    });
    return this.get(rec.readingId);
  }

  /** Reject a pending patient reading (assigned or not) with a reason from the list. */
  reject(input: MethodInput<'rejectReading'>, operator: Operator): ReviewRecord {
    const note = input.note?.trim() || undefined;
    if (input.reason === 'other' && note === undefined) {
      throw new HubError('INPUT_INVALID', 'Say why in the note when the reason is "other".', { details: { field: 'note' } });
    }
    return this.store.transaction(() => {
      const rec = this.get(input.readingId);
      this.assertPatientKind(rec, 'rejected');
      this.assertPending(rec);
      this.decide(rec.readingId, { decision: 'rejected', by: operator.id, at: this.iso(), reason: input.reason, ...(note === undefined ? {} : { note }) });
      this.audit.append({
        operatorId: operator.id,
        action: 'reading.reject',
        subject: rec.readingId,
        details: { reason: input.reason, note: note ?? null, mrn: rec.patient?.mrn ?? null, device: rec.deviceKey, values: valuesSummary(rec.reading.observations) },
      });
      return this.get(rec.readingId);
    });
  }

  /**
   * A value entered by hand for the current patient, stored as a reading of the "manual" device,
   * pending and assigned to that patient: it is confirmed like any other (docs/architecture.md §8),
   * never straight to the EHR. Optionally replaces a rejected reading of that patient.
   *
   * @throws HubError `INPUT_INVALID` for a value outside what can be measured, with the limits.
   */
  enterManual(input: MethodInput<'enterManual'>, operator: Operator, patient: Patient): ReviewRecord {
    const reading = buildManualReading(input, operator.id, this.now());
    const { impossible } = checkPlausibility(reading.observations);
    if (impossible.length > 0) {
      throw new HubError('INPUT_INVALID', `${impossible.join('; ')}. Check the value and type it again.`, { details: { field: 'value', impossible } });
    }
    return this.store.transaction(() => {
      const replaces = input.replacesReadingId;
      if (replaces !== undefined) this.assertReplaceable(this.get(replaces), patient);
      const { id, isNew } = this.store.readings.ingest(reading, []);
      if (!isNew) throw new Error(`manual reading ${id} was already stored`); // a fresh entry number makes this impossible
      const at = this.iso();
      this.store.reviews.insert({
        readingId: id,
        deviceKey: MANUAL_DEVICE.key,
        deviceLabel: MANUAL_DEVICE.label,
        patientMrn: patient.mrn,
        assignedBy: operator.id,
        assignedAt: at,
        assignedVia: 'manual',
        decision: null,
        decidedBy: null,
        decidedAt: null,
        manual: true,
        replaces: replaces ?? null,
        ...(patient.encounter === undefined ? {} : { visitId: patient.encounter.visitId }),
      });
      this.audit.append({
        operatorId: operator.id,
        action: 'reading.manual',
        subject: id,
        details: { mrn: patient.mrn, code: input.code, value: input.value, unit: input.unit, replaces: replaces ?? null, ...(patient.encounter === undefined ? {} : { visitId: patient.encounter.visitId }) },
      });
      return this.get(id);
    });
  }

  /** Record a decision on a row checked pending in this transaction; anything else is a bug. */
  private decide(readingId: string, decision: ReviewDecision): void {
    if (!this.store.reviews.decide(readingId, decision)) throw new Error(`review ${readingId} was not pending inside its own transaction`);
  }

  private assertReplaceable(rec: ReviewRecord, patient: Patient): void {
    if (rec.state !== 'rejected') {
      throw new HubError('CONFLICT', `Reading ${rec.readingId} is ${rec.state}: only a rejected reading can be replaced by a manual entry. Reject it first.`);
    }
    if (rec.patient?.mrn !== patient.mrn) {
      const owner = rec.patient === undefined ? 'no patient' : describePatient(rec.patient);
      throw new HubError('CONFLICT', `Reading ${rec.readingId} belongs to ${owner}, not to the current patient (MRN ${patient.mrn}).`);
    }
    const by = this.store.reviews.replacedBy(rec.readingId);
    if (by !== undefined) throw new HubError('CONFLICT', `Reading ${rec.readingId} was already replaced by manual entry ${by}.`, { details: { replacedBy: by } });
  }

  private assertPatientKind(rec: ReviewRecord, what: string): void {
    if (rec.kind !== 'patient') {
      throw new HubError('CONFLICT', `Reading ${rec.readingId} is a ${rec.kind} result: it belongs in the QC log and is never ${what}.`, {
        details: { readingId: rec.readingId, kind: rec.kind },
      });
    }
  }

  private assertPending(rec: ReviewRecord): void {
    if (rec.state === 'pending') return;
    const who = rec.decidedBy === undefined ? '' : ` by ${rec.decidedBy.name}`;
    const when = rec.decidedAt === undefined ? '' : ` at ${rec.decidedAt}`;
    throw new HubError('CONFLICT', `Reading ${rec.readingId} was already ${rec.state}${who}${when}; confirmed and rejected readings never change.`, {
      details: { readingId: rec.readingId, state: rec.state },
    });
  }
}

/** The audit row of an acknowledged confirmation says what was seen, in the same words. */
function flagsOf(checks: ReviewChecks, acknowledged: readonly Acknowledgement[]): Record<string, unknown> {
  return {
    ...(acknowledged.includes('critical') ? { critical: checks.critical } : {}),
    ...(acknowledged.includes('old') && checks.old !== undefined ? { ageMinutes: checks.old.minutes } : {}),
  };
}
