import { type Framer, type FramerOutput, type FramingProblem, fromLatin1, latin1 } from '../../kit/index.ts';

/**
 * The TRUE Metrix HID link layer (PROTOCOL.md §1–2), pure: output reports `A0 LL <ASCII>`,
 * input reports `n <n ASCII bytes>`, and the text messages `(payload)XX` carried in the ASCII
 * stream with their 8-bit sum. Nothing here waits or writes.
 */

/** Report size both ways, without the report-id byte (PROTOCOL.md §1: assumed 64, unconfirmed). */
export const REPORT_SIZE_BYTES = 64;
/** First byte of every host report (PROTOCOL.md §1). */
export const COMMAND_REPORT_TAG = 0xa0;
/** Most ASCII bytes one input report carries: byte 0 counts them and is below 64 (PROTOCOL.md §1). */
const MAX_INPUT_BYTES = REPORT_SIZE_BYTES - 1;
/**
 * Longest message accepted, `(` to checksum: the longest known message is a `g5` record of
 * about 20 characters; 128 leaves room for unknown tails and stops a runaway `(` holding the stream.
 */
export const MAX_MESSAGE_CHARS = 128;

/** The host commands (PROTOCOL.md §2), each with its checksum. */
export const COMMANDS = {
  wake: '(^)AF',
  identify: '(I)9A',
  serial: '(Z1)DC',
  firmware: '(V)A7',
  time: '(T)A5',
  results: '(G)98',
  ack: '(*)7B',
  powerOff: '(_)B0',
} as const;

/** A checked message from the meter: the payload between the parentheses, and its bytes as sent. */
export interface MeterMessage {
  payload: string;
  raw: Uint8Array;
}

/** `(sum of payload + '(' + ')') & 0xFF` (PROTOCOL.md §2). */
export function messageChecksum(payload: string): number {
  let sum = 0x28 + 0x29;
  for (let i = 0; i < payload.length; i++) sum += payload.charCodeAt(i) & 0xff;
  return sum & 0xff;
}

/** A number as `width` uppercase hex digits. */
export function hex(value: number, width: number): string {
  return value.toString(16).toUpperCase().padStart(width, '0');
}

/** The framed text of a message: `(payload)XX`. */
export function formatMessage(payload: string): string {
  return `(${payload})${hex(messageChecksum(payload), 2)}`;
}

/** A host report: `A0 LL <command>` zero-padded to the report size (PROTOCOL.md §1). */
export function encodeCommand(command: string): Uint8Array {
  // Only our own constants are sent: a bad one is a bug in our code, not a device condition.
  if (command.length > REPORT_SIZE_BYTES - 2 || !/^[\x20-\x7e]*$/.test(command)) throw new RangeError(`command "${command}" is not short printable ASCII`);
  const report = new Uint8Array(REPORT_SIZE_BYTES);
  report[0] = COMMAND_REPORT_TAG;
  report[1] = command.length;
  report.set(fromLatin1(command), 2);
  return report;
}

/** The command text of a host report, or undefined when it is not one. */
export function decodeCommand(report: Uint8Array): string | undefined {
  if (report[0] !== COMMAND_REPORT_TAG) return undefined;
  const length = report[1] ?? 0;
  if (2 + length > report.length) return undefined;
  return latin1(report.subarray(2, 2 + length));
}

/** A meter input report carrying `text` (at most 63 bytes), zero-padded to the report size. */
export function encodeInputReport(text: string): Uint8Array {
  if (text.length > MAX_INPUT_BYTES) throw new RangeError(`${text.length} bytes do not fit one input report`);
  const report = new Uint8Array(REPORT_SIZE_BYTES);
  report[0] = text.length;
  report.set(fromLatin1(text), 1);
  return report;
}

/** The valid ASCII of one input report, or why the report is refused. Never throws. */
export function parseInputReport(report: Uint8Array): { ok: true; text: string } | { ok: false; problem: FramingProblem } {
  const n = report[0] ?? 0;
  const raw = Uint8Array.from(report);
  if (report.length === 0) return { ok: false, problem: { code: 'PROTOCOL_TRUNCATED', message: 'an empty input report', raw } };
  if (n > MAX_INPUT_BYTES) return { ok: false, problem: { code: 'PROTOCOL_GARBAGE', message: `input report count byte ${n} is over ${MAX_INPUT_BYTES}`, raw } };
  if (1 + n > report.length) return { ok: false, problem: { code: 'PROTOCOL_TRUNCATED', message: `input report announces ${n} bytes but carries ${report.length - 1}`, raw } };
  return { ok: true, text: latin1(report.subarray(1, 1 + n)) };
}

/**
 * Messages from the ASCII stream of the input reports (PROTOCOL.md §2): each report's valid
 * bytes are appended; a message is `(`, its payload, `)` and two hex digits. Text outside a
 * message, a `(` reopened before `)`, an over-long message and a wrong checksum are problems;
 * only checked messages are frames.
 */
export class MessageFramer implements Framer<MeterMessage> {
  private buffer = '';

  push(chunk: Uint8Array): FramerOutput<MeterMessage> {
    const problems: FramingProblem[] = [];
    const parsed = parseInputReport(chunk);
    if (!parsed.ok) return { frames: [], problems: [parsed.problem] };
    this.buffer += parsed.text;
    return this.scan(problems);
  }

  flush(): FramerOutput<MeterMessage> {
    const rest = this.buffer;
    this.buffer = '';
    return { frames: [], problems: rest.length > 0 ? [{ code: 'PROTOCOL_TRUNCATED', message: 'the stream ended inside a message', raw: fromLatin1(rest) }] : [] };
  }

  private scan(problems: FramingProblem[]): FramerOutput<MeterMessage> {
    const frames: MeterMessage[] = [];
    for (;;) {
      const open = this.buffer.indexOf('(');
      if (open < 0) {
        if (this.buffer.length > 0) problems.push({ code: 'PROTOCOL_GARBAGE', message: 'text outside a message skipped', raw: fromLatin1(this.buffer) });
        this.buffer = '';
        break;
      }
      if (open > 0) {
        problems.push({ code: 'PROTOCOL_GARBAGE', message: 'text before a message skipped', raw: fromLatin1(this.buffer.slice(0, open)) });
        this.buffer = this.buffer.slice(open);
      }
      const close = this.buffer.indexOf(')');
      const reopen = this.buffer.indexOf('(', 1);
      if (reopen > 0 && (close < 0 || reopen < close)) {
        problems.push({ code: 'PROTOCOL_TRUNCATED', message: 'a message broke off before its ")"', raw: fromLatin1(this.buffer.slice(0, reopen)) });
        this.buffer = this.buffer.slice(reopen);
        continue;
      }
      if (close < 0 || close + 3 > this.buffer.length) {
        if (this.buffer.length > MAX_MESSAGE_CHARS) {
          problems.push({ code: 'PROTOCOL_GARBAGE', message: `a message longer than ${MAX_MESSAGE_CHARS} characters skipped`, raw: fromLatin1(this.buffer) });
          this.buffer = '';
        }
        break;
      }
      const text = this.buffer.slice(0, close + 3);
      this.buffer = this.buffer.slice(close + 3);
      const payload = text.slice(1, close);
      const stated = text.slice(close + 1);
      const raw = fromLatin1(text);
      if (!/^[0-9A-F]{2}$/.test(stated)) {
        problems.push({ code: 'PROTOCOL_GARBAGE', message: `message checksum "${stated}" is not two hex digits`, raw });
      } else if (parseInt(stated, 16) !== messageChecksum(payload)) {
        problems.push({ code: 'PROTOCOL_CHECKSUM', message: `message checksum ${stated} does not match its payload (sum ${hex(messageChecksum(payload), 2)})`, raw });
      } else frames.push({ payload, raw });
    }
    return { frames, problems };
  }
}

/** Cut meter text into input reports of the sizes given (cycled), 63 bytes each by default. */
export function splitInputReports(text: string, sizes: readonly number[] = [MAX_INPUT_BYTES]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0, i = 0; at < text.length; i++) {
    const n = Math.min(MAX_INPUT_BYTES, Math.max(1, sizes[i % sizes.length] ?? MAX_INPUT_BYTES));
    out.push(encodeInputReport(text.slice(at, at + n)));
    at += n;
  }
  return out;
}
