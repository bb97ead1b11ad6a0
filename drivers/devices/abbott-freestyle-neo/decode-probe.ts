import { decodeLibreRecord, decodeNeoRecord, meterClock, parseDbRecordCount, parseUnitSetting, singleLine } from './decode.ts';
import { normalizeLibre, normalizeNeo } from './normalize.ts';
import { parseMultiRecord, parseTextReply } from './protocol.ts';
import { probeTextReplies } from '../../families/freestyle-hid/probe.ts';

/** Every decoder over one complete text reply, as whichever command it answered would use it. */
function decodeReply(text: string): number {
  const reply = parseTextReply(text);
  if (!reply.ok) return 0;
  const { message } = reply;
  singleLine(message);
  parseUnitSetting(message);
  parseDbRecordCount(message);
  meterClock(message, message);
  const multi = parseMultiRecord(message);
  if (!multi.ok) return 0;
  let records = 0;
  for (const line of multi.lines) {
    const neo = decodeNeoRecord(line.text);
    if (neo.ok && neo.record.kind !== 'event') {
      records++;
      normalizeNeo(neo.record, 'mg/dL');
      normalizeNeo(neo.record, 'mmol/L');
    }
    const libre = decodeLibreRecord(line.text);
    if (libre.ok && libre.record.kind === 'reading' && libre.record.errors === 0) {
      records++;
      normalizeLibre(libre.record, 'mg/dL');
      normalizeLibre(libre.record, undefined);
    }
  }
  return records;
}

/** `Driver.decodeProbe`: the family's report and reply assembly (probeTextReplies), then every decoder of this driver. */
export function decodeProbe(reports: readonly Uint8Array[]): number {
  return probeTextReplies(reports, decodeReply);
}
