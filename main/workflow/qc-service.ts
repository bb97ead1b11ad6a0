import { z } from 'zod';
import { METHODS, type MethodInput, type MethodName } from '../../shared/api/contract.ts';
import type { Operator, ReviewItem } from '../../shared/api/model.ts';
import type { QcLock, QcLot, QcPolicy } from '../../shared/api/qc-model.ts';
import { HubError } from '../../shared/errors.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import type { ReviewRecord } from '../store/reviews-repo.ts';
import type { AuditLog } from './audit-log.ts';
import { QcActions } from './qc-actions.ts';
import { toQcEvaluation } from './qc-items.ts';
import { QcLockout } from './qc-lockout.ts';
import { QcLots } from './qc-lots.ts';

/** What QC needs of the workflow that owns it: who is signed in, and how to announce changes. */
export interface QcHost {
  requireOperator(): Operator;
  /** The review item of one reading, as the workflow shows it. */
  reviewItem(readingId: string): ReviewItem;
  /** A review item changed: tell listeners. */
  emitReview(item: ReviewItem): ReviewItem;
  /** A device's QC changed: its pending results' holds and its lock in the device list may have too. */
  qcChanged(deviceKey: string): void;
}

/**
 * The QC methods of the contract (docs/architecture.md §8 rule 11) over lots, evaluations and
 * intervals, and the two facts the rest of the workflow asks of QC: a control's evaluation and a
 * pending patient result's hold. HubWorkflow owns one and hands its methods to the API.
 */
export class QcService {
  private readonly lots: QcLots;
  private readonly actions: QcActions;
  private readonly lockout: QcLockout;

  constructor(
    private readonly tables: Pick<HubDatabase, 'qc' | 'reviews' | 'transaction'>,
    audit: AuditLog,
    now: () => number,
    private readonly host: QcHost,
  ) {
    this.lockout = new QcLockout(tables.qc, now);
    this.lots = new QcLots(tables, audit, now);
    this.actions = new QcActions(tables, this.lots, audit, now);
  }

  listQcLots(): QcLot[] {
    this.host.requireOperator();
    return this.lots.list();
  }

  saveQcLot(input: MethodInput<'saveQcLot'>): QcLot {
    const operator = this.requireRole('saveQcLot', 'define control lots');
    return this.lots.save(parse('saveQcLot', input), operator);
  }

  retireQcLot(input: MethodInput<'retireQcLot'>): QcLot {
    const operator = this.requireRole('retireQcLot', 'retire control lots');
    return this.lots.retire(parse('retireQcLot', input).id, operator);
  }

  evaluateQc(input: MethodInput<'evaluateQc'>): ReviewItem {
    const operator = this.host.requireOperator();
    const { readingId, lotId, level } = parse('evaluateQc', input);
    this.actions.evaluate(readingId, lotId, level, operator);
    const item = this.host.emitReview(this.host.reviewItem(readingId));
    this.host.qcChanged(item.deviceKey);
    return item;
  }

  listQcPolicies(): QcPolicy[] {
    this.host.requireOperator();
    return this.actions.policies();
  }

  setQcPolicy(input: MethodInput<'setQcPolicy'>): QcPolicy[] {
    const operator = this.requireRole('setQcPolicy', 'set QC intervals');
    const { deviceKey, intervalHours } = parse('setQcPolicy', input);
    const policies = this.actions.setPolicy(deviceKey, intervalHours, operator);
    this.host.qcChanged(deviceKey);
    return policies;
  }

  /** A control just arrived: judge it at once when the device named a lot and level on file. True when it was. */
  arrived(rec: ReviewRecord): boolean {
    if (rec.kind === 'patient') return false;
    this.actions.evaluateOnArrival(rec.readingId);
    return this.tables.qc.evaluation(rec.readingId) !== undefined;
  }

  /** The device's lock right now, for the device list. */
  lockOf(deviceKey: string, label: string): QcLock | undefined {
    return this.lockout.lockNow(deviceKey, label);
  }

  /** The QC hold on a pending patient result from a device (manual entries have no device QC). */
  readonly holdOf = (rec: ReviewRecord): QcLock | undefined =>
    rec.kind !== 'patient' || rec.manual || rec.state !== 'pending' ? undefined : this.lockout.holdOf(rec.deviceKey, rec.deviceLabel, rec.reading.effectiveTime);

  /** What QC adds to a review item: a control's evaluation, a held result's lock. */
  decorate(rec: ReviewRecord, item: ReviewItem): void {
    if (rec.kind !== 'patient') {
      const evaluation = this.tables.qc.evaluation(rec.readingId);
      if (evaluation !== undefined) item.qc = toQcEvaluation(evaluation);
    }
    const hold = this.holdOf(rec);
    if (hold !== undefined) item.qcLock = hold;
  }

  /** The signed-in operator, when the contract lets their role call `method`; FORBIDDEN otherwise. */
  private requireRole(method: MethodName, what: string): Operator {
    const operator = this.host.requireOperator();
    const roles: readonly string[] = METHODS[method].roles ?? [];
    if (roles.length > 0 && !roles.includes(operator.role)) throw new HubError('FORBIDDEN', `Only ${roles.join(' and ')} staff may ${what}.`);
    return operator;
  }
}

/** Check input at the workflow's boundary with the contract's own schema (as HubWorkflow does). */
function parse<M extends MethodName>(method: M, input: unknown): z.output<(typeof METHODS)[M]['input']> {
  const parsed = METHODS[method].input.safeParse(input);
  if (!parsed.success) throw new HubError('INPUT_INVALID', `Invalid ${method} input: ${z.prettifyError(parsed.error)}`, { details: { method } });
  return parsed.data as z.output<(typeof METHODS)[M]['input']>;
}
