import { fromLatin1, latin1, toHex, type TraceAnnotator, type TraceToken } from '../../kit/index.ts';
import { MESSAGE_TYPE, TextReplyAssembler, parseMultiRecord, parseReport, parseTextReply } from './protocol.ts';
import { maskReplyText } from './trace-mask.ts';

const TYPE_NAMES: Readonly<Record<number, string>> = {
  [MESSAGE_TYPE.init]: 'INIT',
  [MESSAGE_TYPE.initReply]: 'INIT reply',
  [MESSAGE_TYPE.keepAlive]: 'keep-alive',
  [MESSAGE_TYPE.unknownMessage]: 'unknown message',
};

/**
 * Live-trace hooks (`Driver.traceAnnotator`). Every chunk is one report `type length
 * payload`. The meter's text replies (type 0x60) are reassembled across reports with the driver's
 * own assembler; the report that completes a reply carries its checksum verdict (the `CKSM:` sum,
 * and the record trailer's sum for multi-record replies). Host text commands are shown as text.
 * Masking: see trace-mask.ts.
 */
export const traceAnnotator: TraceAnnotator = {
  framer(direction) {
    let reply = new TextReplyAssembler();
    return {
      push(chunk) {
        const parsed = parseReport(chunk);
        if (!parsed.ok) return [{ bytes: chunk, frame: { kind: 'hid-report', checksum: 'none', note: parsed.message } }];
        const { report } = parsed;
        const name = TYPE_NAMES[report.type] ?? `type 0x${toHex(Uint8Array.of(report.type))}`;
        const isText = report.type === MESSAGE_TYPE.text || report.type === MESSAGE_TYPE.libreText;
        if (!isText) return [token(chunk, 'none', `${name}, ${report.payload.length} byte(s)`)];
        if (direction === 'out') return [token(chunk, 'none', `command ${JSON.stringify(latin1(report.payload))}`)];
        const state = reply.push(report);
        if (state === 'more') return [token(chunk, 'none', `reply text, ${report.payload.length} byte(s), continues`)];
        const text = reply.text;
        reply = new TextReplyAssembler();
        if (state === 'overflow') return [token(chunk, 'bad', 'reply too long, dropped')];
        const verdict = checkReply(text);
        return [token(chunk, verdict.ok ? 'good' : 'bad', `reply complete (${text.length} bytes): ${verdict.note}`)];
      },
    };
  },
  maskReports(direction, reports) {
    if (direction === 'out') return [...reports];
    // Replies span reports: mask the joined text of the text reports, then refill each payload.
    const parsed = reports.map((r) => parseReport(r));
    const isText = parsed.map((p) => p.ok && p.report.type === MESSAGE_TYPE.text);
    const payloads = parsed.map((p, i) => (p.ok && isText[i] ? p.report.payload : new Uint8Array()));
    const masked = fromLatin1(maskReplyText(payloads.map(latin1).join('')));
    let at = 0;
    return reports.map((report, i) => {
      const length = payloads[i]?.length ?? 0;
      if (length === 0) return Uint8Array.from(report);
      const copy = Uint8Array.from(report);
      copy.set(masked.subarray(at, at + length), 2);
      at += length;
      return copy;
    });
  },
  masked: 'Libre record custom comments (fields idx 29-34 of $arresult? type-2 records)',
};

function token(bytes: Uint8Array, checksum: 'good' | 'bad' | 'none', note: string): TraceToken {
  return { bytes, frame: { kind: 'hid-report', checksum, note } };
}

function checkReply(text: string): { ok: boolean; note: string } {
  const reply = parseTextReply(text);
  if (!reply.ok) return { ok: false, note: reply.message };
  if (/\r\n\d+,[0-9A-Fa-f]{8}\r\n$/.test(reply.message)) {
    const records = parseMultiRecord(reply.message);
    if (!records.ok) return { ok: false, note: records.message };
    return { ok: true, note: `CKSM and record sum good, ${records.lines.length} record(s)` };
  }
  return { ok: true, note: `CKSM good, CMD ${reply.status}` };
}
