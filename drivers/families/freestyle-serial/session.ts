import { HubError } from '../../../shared/errors.ts';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import { type DriverContext, latin1, type ReadingDraft } from '../../kit/index.ts';
import type { Dump, FreestyleConversation } from './conversation.ts';
import { decodeRecord } from './dump.ts';
import { normalizeRecord } from './normalize.ts';

/** The meter keeps two-digit years (PROTOCOL.md §3), so only these can be set. */
const SETTABLE_YEARS = { first: 2000, last: 2099 } as const;
const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * `tim,MM,DD,YY,HH,mm` for a workstation-local instant, rounded to the nearest minute (the
 * meter keeps no seconds). Throws INPUT_INVALID outside 2000–2099.
 */
export function timCommand(requestedMs: number): string {
  const t = new Date(Math.round(requestedMs / 60_000) * 60_000);
  const year = t.getFullYear();
  if (year < SETTABLE_YEARS.first || year > SETTABLE_YEARS.last) throw new HubError('INPUT_INVALID', `the meter keeps two-digit years (20YY) and cannot be set to ${year}`);
  return `tim,${pad(t.getMonth() + 1)},${pad(t.getDate())},${pad(year % 100)},${pad(t.getHours())},${pad(t.getMinutes())}`;
}

/**
 * Readings from a complete, verified dump, oldest first (the meter sends newest first). A record
 * line that cannot be read is reported and skipped; its neighbours are kept.
 */
export function emitDumpReadings(ctx: Pick<DriverContext, 'emit'>, port: FreestyleConversation, dump: Dump, device: DeviceIdentity, skewMs: number, displayMmol: boolean): void {
  const drafts: ReadingDraft[] = [];
  dump.records.forEach((line, i) => {
    const decoded = decodeRecord(line.text);
    if (!decoded.ok) {
      port.problem('PROTOCOL_GARBAGE', `record ${i + 1} skipped (${decoded.reason})`, line.raw);
      return;
    }
    const { kind, observations, flags, oddity } = normalizeRecord(decoded.value, displayMmol);
    if (oddity) port.problem('PROTOCOL_UNEXPECTED', `record ${i + 1}: ${oddity}`, line.raw);
    drafts.push({ device: { ...device }, kind, deviceTime: decoded.value.deviceTime, timeBasis: 'stored', deviceClockSkewMs: skewMs, observations, flags, raw: [line.raw] });
  });
  const key = (d: ReadingDraft): string => `${d.deviceTime ?? ''}|${latin1(d.raw[0] ?? new Uint8Array())}`;
  drafts.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  for (const draft of drafts) ctx.emit({ type: 'reading', draft });
}
