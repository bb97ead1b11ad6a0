import type { Acknowledgement, ReviewChecks } from '../../shared/api/model.ts';
import { HubError } from '../../shared/errors.ts';
import type { Reading } from '../../shared/reading.ts';
import { checkPlausibility } from './plausibility.ts';
import { resultAge } from './result-age.ts';

/**
 * What the workflow found about a reading (docs/architecture.md §8): the plausibility of its
 * values, and — while it waits for a decision — its age against the workstation's limit. A
 * decided reading keeps its value flags (a confirmed critical value stays marked critical) but
 * not its age, which only matters to the decision.
 */
export function checksOf(reading: Reading, pending: boolean, nowMs: number, ageLimitMinutes: number): ReviewChecks {
  const checks: ReviewChecks = checkPlausibility(reading.observations);
  const old = pending ? resultAge(reading.effectiveTime, nowMs, ageLimitMinutes) : undefined;
  if (old !== undefined) checks.old = old;
  return checks;
}

/** What a confirmation must acknowledge explicitly, in the order the page asks. */
export function neededAcknowledgements(checks: ReviewChecks): Acknowledgement[] {
  return [...(checks.critical.length > 0 ? (['critical'] as const) : []), ...(checks.old !== undefined ? (['old'] as const) : [])];
}

/**
 * Refuse a confirmation the checks do not allow, in words the assistant can act on; answer with
 * what was acknowledged, for the audit row.
 *
 * @throws HubError `CONFLICT` for an impossible value (never confirmed: reject it, or reject it
 *   and enter the right value by hand) or a critical / old result not acknowledged.
 */
export function assertConfirmable(readingId: string, checks: ReviewChecks, acknowledge: readonly Acknowledgement[]): Acknowledgement[] {
  if (checks.impossible.length > 0) {
    throw new HubError(
      'CONFLICT',
      `${checks.impossible.join('; ')}. A value that cannot be real is never confirmed: reject this reading, or reject it and enter the right value by hand.`,
      { details: { readingId, impossible: checks.impossible } },
    );
  }
  const needed = neededAcknowledgements(checks);
  const missing = needed.filter((a) => !acknowledge.includes(a));
  if (missing.length > 0) {
    const parts = [
      ...(missing.includes('critical') ? [`${checks.critical.join('; ')}: confirm that you have seen the critical value`] : []),
      ...(missing.includes('old') && checks.old !== undefined ? [`this result was measured ${checks.old.age} ago: confirm that it belongs to this visit`] : []),
    ];
    throw new HubError('CONFLICT', `${capitalize(parts.join('; and '))}.`, { details: { readingId, acknowledge: missing } });
  }
  return needed;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
