import type { Operator } from '../../shared/api/model.ts';
import type { QcLot, QcPolicy } from '../../shared/api/qc-model.ts';
import { HubError } from '../../shared/errors.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import type { ReviewRecord } from '../store/reviews-repo.ts';
import type { AuditLog } from './audit-log.ts';
import { judgeControl } from './qc-evaluation.ts';
import type { QcLots } from './qc-lots.ts';

/**
 * Evaluating control results and setting QC intervals (docs/architecture.md §8 rule 11), each one
 * transaction with its audit row. An evaluation is final: a control judged against the wrong
 * level is not re-judged, the control is run again.
 */
export class QcActions {
  constructor(
    private readonly store: Pick<HubDatabase, 'qc' | 'reviews' | 'transaction'>,
    private readonly lots: QcLots,
    private readonly audit: AuditLog,
    private readonly now: () => number,
  ) {}

  /** Judge the control result `readingId` against `level` of lot `lotId`; `operator` undefined: the device named them. */
  evaluate(readingId: string, lotId: string, level: string, operator: Operator | undefined): void {
    this.store.transaction(() => {
      const rec = this.store.reviews.get(readingId);
      if (rec === undefined) throw new HubError('NOT_FOUND', `There is no control result ${readingId}.`, { details: { readingId } });
      if (rec.kind === 'patient') {
        throw new HubError('CONFLICT', 'This is a patient result, not a control: only control results are judged against a lot.', { details: { readingId } });
      }
      const done = this.store.qc.evaluation(readingId);
      if (done !== undefined) {
        const who = done.evaluatedBy === undefined ? 'from the device' : `by ${done.evaluatedBy.name}`;
        throw new HubError('CONFLICT', `This control was already judged ${done.verdict === 'pass' ? 'a pass' : 'a fail'} (lot ${done.lotNumber} level ${done.level}, ${who}); run the control again to judge it anew.`, {
          details: { readingId, verdict: done.verdict },
        });
      }
      const lot = this.lots.inUse(lotId);
      this.record(rec, lot, level, operator);
    });
  }

  private record(rec: ReviewRecord, lot: QcLot, level: string, operator: Operator | undefined): void {
    const judged = judgeControl(rec.reading, lot, level);
    const at = new Date(this.now()).toISOString();
    this.store.qc.insertEvaluation({
      readingId: rec.readingId,
      deviceKey: rec.deviceKey,
      effectiveTime: rec.reading.effectiveTime,
      lotId: lot.id,
      lotNumber: lot.lotNumber,
      level,
      unit: lot.unit,
      ...judged,
      evaluatedBy: operator?.id ?? null,
      evaluatedAt: at,
    });
    this.audit.append({
      operatorId: operator?.id ?? null,
      action: judged.verdict === 'pass' ? 'qc.pass' : 'qc.fail',
      subject: rec.readingId,
      details: { device: rec.deviceKey, lot: lot.lotNumber, level, value: judged.value, unit: lot.unit, low: judged.low, high: judged.high, reason: judged.reason ?? null, by: operator === undefined ? 'device' : 'operator' },
    });
  }

  /**
   * A control that arrived naming its lot and level (`context.controlLot` / `controlLevel`) is
   * judged at once when that lot is on file and in use; otherwise it waits for a person.
   */
  evaluateOnArrival(readingId: string): void {
    const rec = this.store.reviews.get(readingId);
    const ctx = rec?.reading.context;
    if (rec === undefined || rec.kind === 'patient' || ctx?.controlLot === undefined || ctx.controlLevel === undefined) return;
    const lot = this.store.qc.lots().find((l) => l.lotNumber === ctx.controlLot && !l.retired);
    if (lot === undefined || !lot.levels.some((l) => l.level === ctx.controlLevel)) return;
    if (this.store.qc.evaluation(readingId) !== undefined) return;
    try {
      this.store.transaction(() => this.record(rec, lot, ctx.controlLevel ?? '', undefined));
    } catch (e) {
      // A lot for another analyte or unit: the control waits for a person, as if none were named.
      if (!(e instanceof HubError)) throw e;
    }
  }

  policies(): QcPolicy[] {
    return this.store.qc.policies();
  }

  setPolicy(deviceKey: string, intervalHours: number | null, operator: Operator): QcPolicy[] {
    this.store.transaction(() => {
      const before = this.store.qc.policy(deviceKey);
      this.store.qc.setPolicy(deviceKey, intervalHours, new Date(this.now()).toISOString());
      this.audit.append({ operatorId: operator.id, action: 'qc.interval', subject: deviceKey, details: { intervalHours, before: before?.intervalHours ?? null } });
    });
    return this.store.qc.policies();
  }
}
