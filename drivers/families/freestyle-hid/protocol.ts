import { type Framer, type FramerOutput, fromLatin1, latin1 } from '../../kit/index.ts';

/**
 * The FreeStyle HID "shim" link layer (abbott-freestyle-neo/PROTOCOL.md §2–3): 64-byte reports of
 * `type, length, payload, padding`; text commands and their replies, with the `CKSM:` sum over
 * the reply message and the inner `count,checksum` trailer of multi-record replies. Pure
 * functions and one framer; nothing here waits or writes.
 */

/** Every report is 64 bytes both ways, without the report-id byte (abbott-freestyle-neo/PROTOCOL.md §1). */
export const REPORT_SIZE_BYTES = 64;
/** Payload length byte is 0..62 (abbott-freestyle-neo/PROTOCOL.md §2). */
const MAX_PAYLOAD_BYTES = 62;
/** Host text commands: bytes 56–63 are reserved (Libre 2 MAC), so at most 54 (abbott-freestyle-neo/PROTOCOL.md §2). */
export const MAX_COMMAND_BYTES = 54;
/** A text reply longer than this is not a meter talking: 512 KiB is ~10,000 records. */
export const MAX_REPLY_BYTES = 512 * 1024;

/** Message types (abbott-freestyle-neo/PROTOCOL.md §2). */
export const MESSAGE_TYPE = {
  init: 0x01,
  initReply: 0x71,
  preInit: 0x04,
  preInitReply: 0x34,
  serialQuery: 0x05,
  serialReply: 0x06,
  versionQuery: 0x15,
  versionReply: 0x35,
  /** Text command and text reply (Neo; the Libre accepts it too). */
  text: 0x60,
  /** Text command as the Libre's own software sends it; replies are still 0x60. */
  libreText: 0x21,
  /** `22 01 xx`, sent now and then between reports: skipped. */
  keepAlive: 0x22,
  /** `30 01 85`: unknown message. Skipped (the brief: not a problem). */
  unknownMessage: 0x30,
} as const;

/** The INIT reply payload (abbott-freestyle-neo/PROTOCOL.md §2: `71 01 01`). */
export const INIT_REPLY_PAYLOAD = 0x01;

/** One report as received: its type, the payload its length byte covers, and the bytes seen. */
export interface HidReport {
  type: number;
  payload: Uint8Array;
  raw: Uint8Array;
}

/** A report, or why it is not one. */
type ReportParse =
  | { ok: true; report: HidReport }
  | { ok: false; code: 'PROTOCOL_TRUNCATED' | 'PROTOCOL_GARBAGE'; message: string };

/** Read one report: byte 0 type, byte 1 length, then the payload; padding ignored. Never throws. */
export function parseReport(bytes: Uint8Array): ReportParse {
  if (bytes.length < 2) return { ok: false, code: 'PROTOCOL_TRUNCATED', message: `a ${bytes.length}-byte report has no type and length` };
  if (bytes.length > REPORT_SIZE_BYTES) return { ok: false, code: 'PROTOCOL_GARBAGE', message: `a ${bytes.length}-byte chunk is longer than a ${REPORT_SIZE_BYTES}-byte report` };
  const length = bytes[1] ?? 0;
  if (length > MAX_PAYLOAD_BYTES) return { ok: false, code: 'PROTOCOL_GARBAGE', message: `report length byte ${length} is over ${MAX_PAYLOAD_BYTES}` };
  if (2 + length > bytes.length) {
    return { ok: false, code: 'PROTOCOL_TRUNCATED', message: `report of type 0x${hex(bytes[0] ?? 0, 2)} announces ${length} payload bytes but carries ${bytes.length - 2}` };
  }
  return { ok: true, report: { type: bytes[0] ?? 0, payload: bytes.slice(2, 2 + length), raw: Uint8Array.from(bytes) } };
}

/** Each Link chunk (reports mode) is one report: parsed, or reported and skipped. */
export class ReportFramer implements Framer<HidReport> {
  push(chunk: Uint8Array): FramerOutput<HidReport> {
    const parsed = parseReport(chunk);
    if (parsed.ok) return { frames: [parsed.report], problems: [] };
    return { frames: [], problems: [{ code: parsed.code, message: parsed.message, raw: Uint8Array.from(chunk) }] };
  }
  flush(): FramerOutput<HidReport> {
    return { frames: [], problems: [] };
  }
}

/** A 64-byte report: type, length, payload, zero padding (host side, abbott-freestyle-neo/PROTOCOL.md §2). */
export function encodeReport(type: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  // A longer payload is a bug in our code, not a device condition: fail loudly.
  if (payload.length > MAX_PAYLOAD_BYTES) throw new RangeError(`report payload of ${payload.length} bytes is over ${MAX_PAYLOAD_BYTES}`);
  const report = new Uint8Array(REPORT_SIZE_BYTES);
  report[0] = type;
  report[1] = payload.length;
  report.set(payload, 2);
  return report;
}

/** A text command report (type 0x60), the bare ASCII command without CR LF (abbott-freestyle-neo/PROTOCOL.md §2). */
export function encodeTextCommand(command: string, type: number = MESSAGE_TYPE.text): Uint8Array {
  if (command.length > MAX_COMMAND_BYTES || !/^[\x20-\x7e]*$/.test(command)) {
    throw new RangeError(`text command "${command}" must be printable ASCII of at most ${MAX_COMMAND_BYTES} bytes`);
  }
  return encodeReport(type, fromLatin1(command));
}

/** Sum of every byte of `text` (one char per byte), modulo 2^32: the `CKSM:` and inner sums. */
export function textChecksum(text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum = (sum + (text.charCodeAt(i) & 0xff)) >>> 0;
  return sum;
}

/** A number as `width` uppercase hex digits. */
export function hex(value: number, width: number): string {
  return value.toString(16).toUpperCase().padStart(width, '0');
}

/** The end of every text reply (abbott-freestyle-neo/PROTOCOL.md §3). */
const REPLY_OK_END = 'CMD OK\r\n';
/** The end of a reply to a command the meter refused. */
const REPLY_FAIL_END = 'CMD Fail!\r\n';

/** What the meter sends for a message: `<message>CKSM:XXXXXXXX\r\nCMD OK\r\n` (or `CMD Fail!`). */
export function formatTextReply(message: string, ok = true): string {
  return `${message}CKSM:${hex(textChecksum(message), 8)}\r\n${ok ? REPLY_OK_END : REPLY_FAIL_END}`;
}

/**
 * Reassembles a text reply from the payloads of 0x60 reports, remembering which report carried
 * which bytes, so a record can keep the reports it came in as its raw frames.
 */
export class TextReplyAssembler {
  private readonly parts: { raw: Uint8Array; text: string; start: number; end: number }[] = [];
  private length = 0;
  /** The last bytes seen, enough to find an end marker split across reports. */
  private tail = '';
  private joined: string | undefined = '';

  /** Add one report's payload: `complete` once the text holds a `CMD OK`/`CMD Fail!` line. */
  push(report: HidReport): 'more' | 'complete' | 'overflow' {
    const text = latin1(report.payload);
    this.parts.push({ raw: report.raw, text, start: this.length, end: this.length + text.length });
    this.length += text.length;
    this.joined = undefined;
    if (this.length > MAX_REPLY_BYTES) return 'overflow';
    // Only the new bytes and a marker's length before them need a look: linear in the reply.
    this.tail = (this.tail + text).slice(-(REPLY_FAIL_END.length + text.length));
    return this.tail.includes(REPLY_OK_END) || this.tail.includes(REPLY_FAIL_END) ? 'complete' : 'more';
  }

  /** The payload text of the newest report. */
  get latest(): string {
    return this.parts[this.parts.length - 1]?.text ?? '';
  }

  get text(): string {
    return (this.joined ??= this.parts.map((p) => p.text).join(''));
  }

  /** The reports that carried any byte of `[start, end)` of the text. */
  reportsFor(start: number, end: number): Uint8Array[] {
    return this.parts.filter((p) => p.start < end && p.end > start).map((p) => p.raw);
  }
}

/** A checked text reply, or why it was refused. */
type TextReply =
  | { ok: true; status: 'OK' | 'Fail'; message: string }
  | { ok: false; code: 'PROTOCOL_CHECKSUM' | 'PROTOCOL_GARBAGE'; message: string };

const TEXT_REPLY = /^([\s\S]*)CKSM:([0-9A-F]{8})\r\nCMD (OK|Fail!)\r\n$/;

/** Check a reassembled reply: its shape and the `CKSM:` sum over the message (abbott-freestyle-neo/PROTOCOL.md §3). */
export function parseTextReply(text: string): TextReply {
  const m = TEXT_REPLY.exec(text);
  if (!m) return { ok: false, code: 'PROTOCOL_GARBAGE', message: 'the reply is not "<message>CKSM:<8 hex>\\r\\nCMD OK|Fail!\\r\\n"' };
  const message = m[1] ?? '';
  const stated = parseInt(m[2] ?? '', 16);
  const computed = textChecksum(message);
  if (stated !== computed) return { ok: false, code: 'PROTOCOL_CHECKSUM', message: `reply checksum CKSM:${m[2]} does not match the message (sum ${hex(computed, 8)})` };
  return { ok: true, status: m[3] === 'OK' ? 'OK' : 'Fail', message };
}

/** One record line of a multi-record reply, with where it sits in the message. */
export interface RecordLine {
  text: string;
  start: number;
  end: number;
}

/** The record lines of a checked multi-record message, or why it was refused. */
type MultiRecordParse =
  | { ok: true; lines: RecordLine[] }
  | { ok: false; code: 'PROTOCOL_CHECKSUM' | 'PROTOCOL_GARBAGE'; message: string };

/** The whole message of a multi-record reply when there are no records (abbott-freestyle-neo/PROTOCOL.md §3). */
export const LOG_EMPTY = 'Log Empty\r\n';
const MULTI_RECORD = /^([\s\S]+\r\n)(\d+),([0-9A-F]{8})\r\n$/;

/**
 * Split a multi-record message into its record lines after checking the trailer (abbott-freestyle-neo/PROTOCOL.md §3):
 * the inner checksum covers the record lines with their CR LF, and the count must match.
 */
export function parseMultiRecord(message: string): MultiRecordParse {
  if (message === LOG_EMPTY) return { ok: true, lines: [] };
  const m = MULTI_RECORD.exec(message);
  if (!m) return { ok: false, code: 'PROTOCOL_GARBAGE', message: 'the records do not end with a "<count>,<8 hex>" line' };
  const body = m[1] ?? '';
  const stated = parseInt(m[3] ?? '', 16);
  const computed = textChecksum(body);
  if (stated !== computed) return { ok: false, code: 'PROTOCOL_CHECKSUM', message: `record checksum ${m[3]} does not match the records (sum ${hex(computed, 8)})` };
  const lines: RecordLine[] = [];
  for (let start = 0; start < body.length; ) {
    const end = body.indexOf('\r\n', start);
    lines.push({ text: body.slice(start, end), start, end: end + 2 });
    start = end + 2;
  }
  const count = Number(m[2]);
  if (count !== lines.length) return { ok: false, code: 'PROTOCOL_CHECKSUM', message: `the trailer counts ${count} records but ${lines.length} arrived` };
  return { ok: true, lines };
}

/**
 * Comma-separated fields; a field in double quotes may hold commas (the Libre's custom
 * comments, abbott-freestyle-neo/PROTOCOL.md §6), and `""` inside quotes is one quote.
 */
export function splitFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

/** Cut a reply into report payloads of the sizes given (cycled); 62 bytes each by default. */
export function splitPayloads(text: string, sizes: readonly number[] = [MAX_PAYLOAD_BYTES]): Uint8Array[] {
  const bytes = fromLatin1(text);
  const out: Uint8Array[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = Math.min(MAX_PAYLOAD_BYTES, Math.max(1, sizes[i % sizes.length] ?? MAX_PAYLOAD_BYTES));
    out.push(bytes.slice(at, at + n));
    at += n;
  }
  return out;
}
