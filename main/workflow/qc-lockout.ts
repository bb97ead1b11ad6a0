import type { QcLock } from '../../shared/api/qc-model.ts';
import type { QcEvaluationRecord, QcRepo } from '../store/qc-repo.ts';
import { numberText, quantityText } from './qc-evaluation.ts';

const HOUR_MS = 60 * 60 * 1000;

/** `09:12`, or `2026-12-06 09:12` when not on the same day as `ref`: the device-local time of an effective time. */
function timeText(iso: string, ref: string): string {
  const time = iso.slice(11, 16);
  return iso.slice(0, 10) === ref.slice(0, 10) ? time : `${iso.slice(0, 10)} ${time}`;
}

/** `The Contour Next's QC`, or `The QC of the OneTouch Ultra 2 (SN 123)` where a possessive would follow a bracket. */
function qcOf(label: string): string {
  return label.endsWith(')') ? `The QC of the ${label}` : `The ${label}'s QC`;
}

/** `lot L123 level 2: 320 mg/dL, expected 250–300`, and why when it is not the range. */
function failureText(e: QcEvaluationRecord): string {
  const why = e.reason === undefined || e.reason === 'out of range' ? '' : `; ${e.reason}`;
  return `lot ${e.lotNumber} level ${e.level}: ${quantityText(e.value, e.unit)}, expected ${numberText(e.low)}–${numberText(e.high)}${why}`;
}

/**
 * The QC lock of docs/architecture.md §8 rule 11, worked out from the stored evaluations: a
 * device is locked at an instant when its newest evaluated control measured before then failed,
 * or when it has a QC interval and no passing control within it. A patient result is held when
 * its device was locked at the result's own effective time, so results measured between a failed
 * control and the next passing one stay held after the pass (reject or re-measure them), and a
 * memory download is judged result by result. Controls not yet evaluated count for nothing.
 */
export class QcLockout {
  constructor(
    private readonly qc: Pick<QcRepo, 'latestEvaluationAt' | 'policy'>,
    private readonly now: () => number,
  ) {}

  /**
   * The lock on device `deviceKey` at instant `at` (ISO), or undefined. `label` names the device
   * in the message.
   */
  lockAt(deviceKey: string, label: string, at: string): QcLock | undefined {
    const last = this.qc.latestEvaluationAt(deviceKey, at);
    if (last?.verdict === 'fail') {
      return { reason: 'failed', controlReadingId: last.readingId, message: `${qcOf(label)} failed at ${timeText(last.effectiveTime, at)} (${failureText(last)}).` };
    }
    const policy = this.qc.policy(deviceKey);
    if (policy === undefined) return undefined;
    const every = `every ${policy.intervalHours} h`;
    if (last === undefined) {
      return { reason: 'overdue', message: `The ${label} needs a passing control ${every} and has none on record.` };
    }
    if (Date.parse(at) - Date.parse(last.effectiveTime) > policy.intervalHours * HOUR_MS) {
      return { reason: 'overdue', message: `${qcOf(label)} is overdue: its last passing control was at ${timeText(last.effectiveTime, at)}, and one is needed ${every}.` };
    }
    return undefined;
  }

  /** The device's lock right now, with what to do (the Devices screen and the QC log show it). */
  lockNow(deviceKey: string, label: string): QcLock | undefined {
    const lock = this.lockAt(deviceKey, label, new Date(this.now()).toISOString());
    return lock === undefined ? undefined : { ...lock, message: `${lock.message} Run a passing control before its patient results can be confirmed.` };
  }

  /**
   * The hold on one patient result measured at `effectiveTime`, with what to do: while the device
   * is still locked, run a passing control; once it passed since, this result stays held (it was
   * measured under the failed or overdue QC) and must be rejected or measured again.
   */
  holdOf(deviceKey: string, label: string, effectiveTime: string): QcLock | undefined {
    const lock = this.lockAt(deviceKey, label, effectiveTime);
    if (lock === undefined) return undefined;
    const still = this.lockAt(deviceKey, label, new Date(this.now()).toISOString());
    const sameCause = still !== undefined && still.reason === lock.reason && still.controlReadingId === lock.controlReadingId;
    const todo = sameCause ? 'Run a passing control, then confirm.' : 'It was measured before the passing control: reject it and measure again.';
    return { ...lock, message: `${lock.message} ${todo}` };
  }
}
