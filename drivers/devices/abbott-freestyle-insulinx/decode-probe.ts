import { meterClock, singleLine } from '../../families/freestyle-hid/clock.ts';
import { parseMultiRecord, parseTextReply } from '../../families/freestyle-hid/protocol.ts';
import { probeTextReplies } from '../../families/freestyle-hid/probe.ts';
import { decodeInsulinxRecord } from './decode.ts';
import { normalizeInsulinx } from './normalize.ts';

/** Every decoder over one complete text reply. */
function decodeReply(text: string): number {
  const reply = parseTextReply(text);
  if (!reply.ok) return 0;
  singleLine(reply.message);
  meterClock(reply.message, reply.message);
  const multi = parseMultiRecord(reply.message);
  if (!multi.ok) return 0;
  let records = 0;
  for (const line of multi.lines) {
    const decoded = decodeInsulinxRecord(line.text);
    if (decoded.ok && decoded.record.kind === 'glucose') {
      records++;
      normalizeInsulinx(decoded.record);
    }
  }
  return records;
}

/** `Driver.decodeProbe`: the family's report and reply assembly (probeTextReplies), then every decoder of this driver. */
export function decodeProbe(reports: readonly Uint8Array[]): number {
  return probeTextReplies(reports, decodeReply);
}
