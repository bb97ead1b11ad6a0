import type { MemoryList, MethodInput } from '../../shared/api/contract.ts';
import type { Operator, Patient } from '../../shared/api/model.ts';
import { HubError } from '../../shared/errors.ts';
import { windowText } from '../../shared/device-role.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import type { ReviewRecord } from '../store/reviews-repo.ts';
import type { AuditLog } from './audit-log.ts';
import { measuredAt, proposedMrn } from './arrival-rules.ts';
import { toPatient } from './patient-identity.ts';
import { describePatient } from './review-items.ts';

/** The device memory list shows at most this many results at once, newest first. */
const MEMORY_LIST_LIMIT = 1000;
const MINUTE_MS = 60_000;

type Tables = Pick<HubDatabase, 'reviews' | 'patients' | 'memoryImport' | 'transaction'>;

/**
 * The actions device roles add to the review (docs/architecture.md §8, "Device roles"): the
 * memory import (patient first, then the results; old ones only with an acknowledgement) and a
 * shared device's proposals. Each change is one transaction with its audit row; the caller owns
 * the context (who is signed in, who is selected) and passes it in.
 */
export class DeviceRoleActions {
  constructor(
    private readonly tables: Tables,
    private readonly audit: AuditLog,
    private readonly now: () => number,
  ) {}

  /** The patient a pending, unassigned result of a shared device names by its sample id, when that MRN is on file. */
  proposedPatientOf(rec: ReviewRecord): Patient | undefined {
    if (rec.state !== 'pending' || rec.patient !== undefined) return undefined;
    const mrn = proposedMrn(rec.deviceRole, rec.reading);
    const onFile = mrn === undefined ? undefined : this.tables.patients.get(mrn);
    return onFile === undefined ? undefined : toPatient(onFile);
  }

  /** Memory results waiting for an import: counts per device, and the results with their ages (records; the caller makes items). */
  listMemory(deviceKey: string | undefined): Omit<MemoryList, 'results'> & { results: Array<Omit<MemoryList['results'][number], 'item'> & { rec: ReviewRecord }> } {
    const windowMinutes = this.tables.memoryImport.recentWindowMinutes();
    const now = this.now();
    const results = this.tables.reviews.listMemory(deviceKey, MEMORY_LIST_LIMIT).map((rec) => {
      const at = measuredAt(rec.reading);
      const ageMinutes = Math.max(0, Math.floor((now - at) / MINUTE_MS));
      return { rec, measuredAt: new Date(at).toISOString(), ageMinutes, recent: ageMinutes < windowMinutes };
    });
    return {
      recentWindowMinutes: windowMinutes,
      devices: this.tables.reviews.memoryCounts(),
      results,
    };
  }

  /**
   * Import memory results for the selected patient: each becomes that patient's pending reading
   * (to be confirmed as any other). All or none; a result measured before the recent window needs
   * `acknowledgeOld`, so a days-old value is never imported by a reflex.
   */
  importReadings(input: MethodInput<'importReadings'>, operator: Operator, patient: Patient): ReviewRecord[] {
    const windowMinutes = this.tables.memoryImport.recentWindowMinutes();
    return this.tables.transaction(() => {
      const ids = [...new Set(input.readingIds)];
      const recs = ids.map((id) => this.waitingInMemory(id));
      const now = this.now();
      const ages = new Map(recs.map((r) => [r.readingId, Math.max(0, Math.floor((now - measuredAt(r.reading)) / MINUTE_MS))]));
      const old = recs.filter((r) => (ages.get(r.readingId) ?? 0) >= windowMinutes);
      if (old.length > 0 && input.acknowledgeOld !== true) {
        const n = old.length;
        throw new HubError(
          'CONFLICT',
          `${n} of these results ${n === 1 ? 'was' : 'were'} measured more than ${windowText(windowMinutes)} ago: confirm that ${n === 1 ? 'it belongs' : 'they belong'} to ${describePatient(patient)} before importing.`,
          { details: { old: old.map((r) => r.readingId), recentWindowMinutes: windowMinutes } },
        );
      }
      const at = new Date(now).toISOString();
      return recs.map((rec) => {
        this.tables.reviews.assign(rec.readingId, patient.mrn, operator.id, at, 'operator', patient.encounter?.visitId);
        if (!this.tables.reviews.markImported(rec.readingId)) throw new Error(`memory result ${rec.readingId} changed inside its own transaction`);
        const ageMinutes = ages.get(rec.readingId) ?? 0;
        this.audit.append({
          operatorId: operator.id,
          action: 'reading.import',
          subject: rec.readingId,
          details: { mrn: patient.mrn, device: rec.deviceKey, ageMinutes, ...(ageMinutes >= windowMinutes ? { acknowledgedOld: true } : {}) },
        });
        return this.get(rec.readingId);
      });
    });
  }

  /** Accept a shared device's proposal: allowed only while the proposed patient is the selected one. */
  acceptProposal(readingId: string, operator: Operator, patient: Patient | undefined): ReviewRecord {
    return this.tables.transaction(() => {
      const rec = this.get(readingId);
      const proposed = this.proposedPatientOf(rec);
      if (proposed === undefined) {
        throw new HubError('CONFLICT', `Reading ${readingId} carries no proposal: assign it by hand to the selected patient after checking the sample.`, { details: { readingId } });
      }
      if (patient?.mrn !== proposed.mrn) {
        throw new HubError('PATIENT_REQUIRED', `${rec.deviceLabel} names ${describePatient(proposed)}: select that patient first, then accept.`, {
          details: { readingId, mrn: proposed.mrn },
        });
      }
      this.tables.reviews.assign(readingId, proposed.mrn, operator.id, new Date(this.now()).toISOString(), 'operator', patient.encounter?.visitId);
      this.audit.append({ operatorId: operator.id, action: 'reading.accept-proposal', subject: readingId, details: { mrn: proposed.mrn, device: rec.deviceKey, sampleId: rec.reading.context?.sampleId ?? null } });
      return this.get(readingId);
    });
  }

  /**
   * Assigning a shared device's result by hand to someone other than the patient its sample id
   * names is refused: the device and the assistant disagree, and the sample must be checked.
   */
  checkAssign(readingIds: readonly string[], patient: Patient): void {
    for (const id of readingIds) {
      const rec = this.tables.reviews.get(id);
      const proposed = rec === undefined ? undefined : this.proposedPatientOf(rec);
      if (rec !== undefined && proposed !== undefined && proposed.mrn !== patient.mrn) {
        throw new HubError('CONFLICT', `${rec.deviceLabel} names ${describePatient(proposed)} for reading ${id}, not MRN ${patient.mrn}: check the sample, or reject the result.`, {
          details: { readingId: id, proposed: proposed.mrn },
        });
      }
    }
  }

  private get(readingId: string): ReviewRecord {
    const rec = this.tables.reviews.get(readingId);
    if (rec === undefined) throw new HubError('NOT_FOUND', `There is no reading ${readingId} to review.`, { details: { readingId } });
    return rec;
  }

  private waitingInMemory(readingId: string): ReviewRecord {
    const rec = this.get(readingId);
    if (rec.memoryState !== 'not-imported' || rec.state !== 'pending') {
      throw new HubError('CONFLICT', `Reading ${readingId} is not waiting in a device memory: it was imported or decided already.`, { details: { readingId } });
    }
    return rec;
  }
}
