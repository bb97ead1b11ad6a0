import { meterClock, singleLine } from '../../families/freestyle-hid/clock.ts';
import { MESSAGE_TYPE, ReportFramer, TextReplyAssembler, parseMultiRecord, parseTextReply } from '../../families/freestyle-hid/protocol.ts';
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

/** `Driver.decodeProbe`: reports → framer → text replies → records → observations (the fuzzer's view). */
export function decodeProbe(reports: readonly Uint8Array[]): number {
  const framer = new ReportFramer();
  let assembler = new TextReplyAssembler();
  let records = 0;
  for (const chunk of reports) {
    for (const report of framer.push(chunk).frames) {
      if (report.type !== MESSAGE_TYPE.text) continue;
      const state = assembler.push(report);
      if (state === 'more') continue;
      if (state === 'complete') records += decodeReply(assembler.text);
      assembler = new TextReplyAssembler();
    }
  }
  return records;
}
