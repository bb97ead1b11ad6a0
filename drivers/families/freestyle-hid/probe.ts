import { MESSAGE_TYPE, ReportFramer, TextReplyAssembler } from './protocol.ts';

/**
 * The family half of a FreeStyle HID driver's `Driver.decodeProbe` (the fuzzer's view): reports →
 * report framer → text reply assembler (a fresh one after each complete or overflowing reply, as
 * each command starts one) → `decodeReply` over each complete reply, which runs the model's
 * decoders and normalize and says how many records it made. Returns the records over all replies.
 */
export function probeTextReplies(reports: readonly Uint8Array[], decodeReply: (text: string) => number): number {
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
