import { decodeLibreRecord, decodeNeoRecord, meterClock, parseDbRecordCount, parseUnitSetting, singleLine } from './decode.ts';
import { normalizeLibre, normalizeNeo } from './normalize.ts';
import { MESSAGE_TYPE, ReportFramer, TextReplyAssembler, parseMultiRecord, parseTextReply } from './protocol.ts';

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

/**
 * `Driver.decodeProbe`: reports → report framer → text reply assembler (a fresh one after each
 * complete or overflowing reply, as each command starts one) → reply, multi-record and record
 * decoding in both families, and normalize.
 */
export function decodeProbe(reports: readonly Uint8Array[]): number {
  const framer = new ReportFramer();
  let assembler = new TextReplyAssembler();
  let records = 0;
  for (const chunk of reports) {
    for (const report of framer.push(chunk).frames) {
      if (report.type !== MESSAGE_TYPE.text) continue;
      const state = assembler.push(report);
      if (state === 'more') continue;
      if (state === 'complete') {
        records += decodeReply(assembler.text);
        assembler.reportsFor(0, assembler.text.length);
      }
      assembler = new TextReplyAssembler();
    }
  }
  return records;
}
