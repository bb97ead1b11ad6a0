import type { MethodOutput } from '../../shared/api/contract.ts';
import type { Notice } from '../state/page-state-store.ts';
import { formatInstant } from '../format/words.ts';

/**
 * What Capture did, in words for the assistant. When the device has not sent a new line since
 * its last reading was stored, Capture finds that reading again: say where it is (pending, or
 * already confirmed or rejected) rather than promise a new one in the pending list.
 */
export function captureNotice(label: string, outcome: MethodOutput<'capture'>): { text: string; tone: Notice['tone'] } {
  if (!outcome.captured) return { text: `Nothing captured: ${label} has no valid values right now.`, tone: 'warn' };
  const reading = outcome.reading;
  if (outcome.isNew !== false || !reading) return { text: `Captured from ${label}: the reading is in the pending list.`, tone: 'ok' };
  const at = formatInstant(reading.reading.effectiveTime, true);
  if (reading.state === 'pending') return { text: `${label} has sent no new values since the reading of ${at}; that reading is in the pending list.`, tone: 'ok' };
  const decided = reading.state === 'confirmed' ? 'confirmed' : 'rejected';
  return { text: `${label} has sent no new values since the reading of ${at}, which was ${decided}. Capture again when the next values arrive (about a second).`, tone: 'warn' };
}
