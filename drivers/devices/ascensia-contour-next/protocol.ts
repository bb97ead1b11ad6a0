import { HubError } from '../../../shared/errors.ts';
import { ASTM, AstmFramer, type AstmToken, type Clock, describeBytes, type DriverContext, toHex } from '../../kit/index.ts';

/**
 * The Contour HID layer (PROTOCOL.md §3): every report is `A B C n payload…`, n = 0..60
 * payload bytes of the meter's ASTM byte stream. A report with n = 60 says the stream goes on in
 * the next report; a shorter one ends the meter's transfer. Control bytes travel alone as
 * 1-byte payloads (`41 42 43 01 06` = ACK).
 */

/** PROTOCOL.md §3: HID report size without the report-id byte. */
export const REPORT_BYTES = 64;
/** PROTOCOL.md §3: 'A' 'B' 'C'. */
const REPORT_HEADER = Uint8Array.of(0x41, 0x42, 0x43);
/** PROTOCOL.md §3: header (3) + length (1). */
export const REPORT_OVERHEAD_BYTES = 4;
/** PROTOCOL.md §3: at most 60 payload bytes; exactly 60 means "continued in the next report". */
export const MAX_PAYLOAD_BYTES = REPORT_BYTES - REPORT_OVERHEAD_BYTES;

/** A report for the meter: header, length, payload, zero padding to `size`. */
export function wrapReport(payload: Uint8Array, size = REPORT_BYTES): Uint8Array {
  if (payload.length > MAX_PAYLOAD_BYTES) throw new RangeError(`a Contour report carries at most ${MAX_PAYLOAD_BYTES} bytes, not ${payload.length}`);
  const out = new Uint8Array(Math.max(size, REPORT_OVERHEAD_BYTES + payload.length));
  out.set(REPORT_HEADER);
  out[3] = payload.length;
  out.set(payload, REPORT_OVERHEAD_BYTES);
  return out;
}

interface UnwrappedReport {
  payload: Uint8Array;
  /** n = 60: the meter's transfer goes on in the next report (PROTOCOL.md §3). */
  continues: boolean;
  /** Something odd about the report, reported and, where possible, read anyway. */
  problem?: { code: 'PROTOCOL_GARBAGE' | 'PROTOCOL_TRUNCATED' | 'PROTOCOL_UNEXPECTED'; message: string };
}

/**
 * The payload of one input report. Neither glucometerutils nor Tidepool checks the `ABC` header
 * on input (PROTOCOL.md §3, the meter even ignores it on output), so a different header is reported but
 * the payload is still read; the checksums of the frames inside decide what is trusted.
 */
export function unwrapReport(report: Uint8Array): UnwrappedReport {
  if (report.length < REPORT_OVERHEAD_BYTES) {
    return { payload: new Uint8Array(), continues: false, problem: { code: 'PROTOCOL_GARBAGE', message: `HID report of ${report.length} byte(s) is too short: ${toHex(report)}` } };
  }
  const n = report[3] ?? 0;
  if (n > MAX_PAYLOAD_BYTES) {
    return { payload: new Uint8Array(), continues: false, problem: { code: 'PROTOCOL_GARBAGE', message: `HID report claims ${n} payload bytes (at most ${MAX_PAYLOAD_BYTES}): ${toHex(report, 8)}` } };
  }
  const available = report.length - REPORT_OVERHEAD_BYTES;
  const payload = report.slice(REPORT_OVERHEAD_BYTES, REPORT_OVERHEAD_BYTES + Math.min(n, available));
  const continues = n === MAX_PAYLOAD_BYTES;
  if (n > available) return { payload, continues, problem: { code: 'PROTOCOL_TRUNCATED', message: `HID report claims ${n} payload bytes but carries ${available}` } };
  if (report[0] !== 0x41 || report[1] !== 0x42 || report[2] !== 0x43) {
    return { payload, continues, problem: { code: 'PROTOCOL_UNEXPECTED', message: `HID report header is ${toHex(report.subarray(0, 3))}, not ABC; payload read anyway` } };
  }
  return { payload, continues };
}

/** Cut a byte stream into report payloads of at most 60 bytes (the meter's side, PROTOCOL.md §3). */
export function payloadsOf(stream: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < stream.length; at += MAX_PAYLOAD_BYTES) out.push(stream.subarray(at, at + MAX_PAYLOAD_BYTES));
  return out;
}

/** One input report, as tokens: what the framer completed in it, and whether more follows. */
export interface ReportTokens {
  tokens: AstmToken[];
  continues: boolean;
}

type ReportRead = ReportTokens | 'timeout' | 'closed' | 'aborted';

const CONTROL_NAMES: Record<number, string> = { [ASTM.ENQ]: 'ENQ', [ASTM.ACK]: 'ACK', [ASTM.NAK]: 'NAK', [ASTM.EOT]: 'EOT' };

/** A name for a token in the live trace view: `ENQ`, `H frame 1`, `bad frame 3`. */
export function tokenLabel(token: AstmToken): string {
  if (token.type === 'control') return CONTROL_NAMES[token.byte] ?? 'control';
  const type = String.fromCharCode(token.text[0] ?? 0x3f);
  return token.valid ? `${type} frame ${token.number}` : `bad frame ${token.number}`;
}

/**
 * Reads the meter's reports from the link: unwraps them, frames the ASTM stream, reports
 * problems and frames as events, and hands the driver one report's tokens at a time.
 * Checksum failures are left to the receiver, which reports them with their NAK count.
 */
export class ReportReader {
  private readonly framer = new AstmFramer();
  private readonly queue: ReportTokens[] = [];
  private waiter: ((read: ReportRead) => void) | undefined;
  private ended = false;
  private headerReported = false;
  private readonly unsubscribe: (() => void)[] = [];
  /** Why the link ended, when it ended abnormally (unplugged). */
  endError: HubError | undefined;

  constructor(private readonly ctx: Pick<DriverContext, 'link' | 'emit'>) {
    this.unsubscribe.push(ctx.link.onData((report) => this.accept(report)));
    this.unsubscribe.push(
      ctx.link.onClose((error) => {
        this.endError = error;
        this.problems(this.framer.flush().problems);
        this.finish();
      }),
    );
  }

  /** The next report's tokens; or `timeout` after `ms` on `clock`, `closed`, `aborted`. */
  next(signal: AbortSignal, clock: Clock, ms: number): Promise<ReportRead> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.ended) return Promise.resolve('closed');
    if (signal.aborted) return Promise.resolve('aborted');
    return new Promise((resolve) => {
      const timer = clock.setTimer(ms, () => done('timeout'));
      const onAbort = (): void => done('aborted');
      const done = (read: ReportRead): void => {
        timer.cancel();
        signal.removeEventListener('abort', onAbort);
        this.waiter = undefined;
        resolve(read);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiter = done;
    });
  }

  /** Reports already received and not yet taken (read without waiting). */
  takeQueued(): ReportTokens[] {
    return this.queue.splice(0, this.queue.length);
  }

  /** The error to fail with now that the link has ended. */
  closedError(what: string): HubError {
    return this.endError ?? new HubError('TRANSPORT_CLOSED', `the meter was disconnected ${what}`);
  }

  dispose(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    this.finish();
  }

  private accept(report: Uint8Array): void {
    const unwrapped = unwrapReport(report);
    if (unwrapped.problem && (unwrapped.problem.code !== 'PROTOCOL_UNEXPECTED' || !this.headerReported)) {
      // A foreign header would repeat on every report: say it once.
      if (unwrapped.problem.code === 'PROTOCOL_UNEXPECTED') this.headerReported = true;
      this.ctx.emit({ type: 'problem', code: unwrapped.problem.code, message: unwrapped.problem.message, raw: report });
    }
    const out = this.framer.push(unwrapped.payload);
    this.problems(out.problems);
    const entry: ReportTokens = { tokens: out.frames, continues: unwrapped.continues };
    if (this.waiter) this.waiter(entry);
    else this.queue.push(entry);
  }

  private problems(list: ReturnType<AstmFramer['push']>['problems']): void {
    for (const p of list) {
      if (p.code === 'PROTOCOL_CHECKSUM') continue;
      const message = p.raw.length > 0 ? `${p.message}: ${describeBytes(p.raw)}` : p.message;
      this.ctx.emit({ type: 'problem', code: p.code, message, raw: p.raw });
    }
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.waiter?.('closed');
  }
}
