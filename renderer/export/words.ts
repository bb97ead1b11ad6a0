import type { OutboxSummary, ReadingExport } from '../../shared/api/model.ts';
import type { OutboxState } from '../../shared/export/targets.ts';
import { formatInstant } from '../format/words.ts';
import { storedValueText } from '../format/audit-words.ts';

/** Outbox states in words, for counts, filters and the row table. */
export const OUTBOX_STATE_TEXT: Readonly<Record<OutboxState, string>> = {
  pending: 'Waiting',
  sending: 'Sending now',
  done: 'Sent',
  failed: 'Failed, will retry',
  dead: 'Not sent — needs attention',
};

/**
 * A symbol beside each state's text, so the state reads without its colour (and the colour
 * without reading). Decorative: screen readers get the words.
 */
export const OUTBOX_STATE_SYMBOL: Readonly<Record<OutboxState, string>> = { pending: '…', sending: '…', done: '✓', failed: '↻', dead: '⚠' };

/** How one reading stands with one target, in the words the History table shows. */
export function exportBadgeText(e: ReadingExport): string {
  switch (e.state) {
    case 'done':
      return `Sent to ${e.target}${e.doneAt ? ` at ${formatInstant(e.doneAt)}` : ''}`;
    case 'pending':
    case 'sending':
      return `Waiting to send to ${e.target}`;
    case 'failed':
      return `Retrying: ${e.message ?? 'the last attempt failed'} (${e.target})`;
    case 'dead':
      return `Not sent — needs attention: ${e.message ?? 'the receiver refused it'} (${e.target})`;
    default:
      return e.state satisfies never;
  }
}

/** Rows a person should look at: failed (still retrying) and dead (given up), over all targets. */
export function attentionCount(summary: readonly OutboxSummary[]): number {
  return summary.reduce((n, s) => n + s.counts.failed + s.counts.dead, 0);
}

/** How long ago `since` was, roughly: `40 s`, `12 min`, `3 h 5 min`, `2 days`. */
export function agoText(since: string, now: Date = new Date()): string {
  const ms = now.getTime() - new Date(since).getTime();
  if (!Number.isFinite(ms)) return '';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h${min % 60 ? ` ${min % 60} min` : ''}`;
  return `${Math.floor(h / 24)} days`;
}

/** Target kinds as people name them. */
export const KIND_TEXT: Readonly<Record<OutboxSummary['kind'], string>> = { fhir: 'FHIR', hl7: 'HL7 v2', file: 'File' };

/** `1 export`, `3 exports`. */
export function exportsText(n: number): string {
  return `${n} export${n === 1 ? '' : 's'}`;
}

/** Values shown per row; the details dialog has them all (a urine strip has a dozen). */
const VALUES_SHOWN = 3;

/** An outbox row's values in short: the first few, and how many more. */
export function valuesText(summary: readonly string[]): string {
  if (summary.length === 0) return '—';
  const more = summary.length - VALUES_SHOWN;
  return `${summary.slice(0, VALUES_SHOWN).map(storedValueText).join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}
