import { CancelledError, HubError, type ErrorCode } from '../../../shared/errors.ts';
import { type DriverContext, type DriverEvent, FrameReader, concatBytes, describeBytes } from '../../kit/index.ts';
import { InputReportFramer, MODES, NO, OK, parseAnswer, toReports, type InputReport, type ModeName } from './protocol.ts';

/** Longest wait for the next report of an answer, in ms (reset by every report). */
export const REPLY_GAP_MS = 1_000;
/** Clearing blocks sent after a mode select before the monitor is declared silent. */
const CLEAR_ATTEMPTS = 3;
/** Sends of one command whose answer is damaged or missing. */
const COMMAND_ATTEMPTS = 3;
/** `NO` answers taken (each asks again) before a command is given up: the notes say only "retry". */
const NO_ATTEMPTS = 5;

/** A checked answer's data bytes (checksum last) and the input reports that carried it. */
export interface Answer {
  data: Uint8Array;
  raw: Uint8Array[];
}

/**
 * The host side of the HEM-790IT HID protocol (PROTOCOL.md §2–3) over a reports-mode Link:
 * mode select and clearing block, commands cut into 8-byte reports, answers reassembled,
 * checked and asked for again when damaged or refused (bounded).
 */
export class Conversation {
  private readonly reader: FrameReader<InputReport>;
  private lastProblem: ErrorCode | undefined;
  private mode: ModeName | undefined;

  constructor(private readonly ctx: DriverContext) {
    const emit = (event: DriverEvent): void => {
      if (event.type === 'problem') this.lastProblem = event.code;
      ctx.emit(event);
    };
    this.reader = new FrameReader<InputReport>({ link: ctx.link, emit }, new InputReportFramer());
  }

  /**
   * Select a data mode (feature report) and send the clearing block until the monitor says OK
   * (PROTOCOL.md §2). False when it never did. A link without feature reports (memory pair,
   * replay) skips the feature report: the simulator and traces do not depend on it.
   */
  async selectMode(mode: ModeName, signal: AbortSignal, attempts = CLEAR_ATTEMPTS): Promise<boolean> {
    if (this.mode === mode) return true;
    await this.ctx.link.sendFeatureReport?.(MODES[mode]);
    const zeros = (n: number): Uint8Array => new Uint8Array(n);
    for (let attempt = 0; attempt < attempts; attempt++) {
      this.reader.discard();
      for (const r of toReports(zeros(7))) await this.ctx.link.write(r);
      // The monitor echoes seven zero bytes; what it sends is not checked, only waited for.
      await this.nextReport(signal, REPLY_GAP_MS);
      for (const r of toReports(zeros(23))) await this.ctx.link.write(r);
      const answer = await this.nextReport(signal, REPLY_GAP_MS);
      if (answer && answer.data.length === 2 && answer.data[0] === OK[0] && answer.data[1] === OK[1]) {
        this.mode = mode;
        return true;
      }
    }
    return false;
  }

  /**
   * Send `command` (bytes, checksum included) and return its checked answer of `dataBytes`
   * bytes after `OK 00`. `NO` asks again; a damaged, short or missing answer is reported and
   * asked for again; then a HubError says why.
   */
  async command(label: string, command: Uint8Array, dataBytes: number, signal: AbortSignal): Promise<Answer> {
    let failure: HubError | undefined;
    let noes = 0;
    for (let attempt = 1; attempt <= COMMAND_ATTEMPTS; ) {
      this.lastProblem = undefined;
      const collected = await this.exchange(command, 3 + dataBytes, signal);
      const again = attempt < COMMAND_ATTEMPTS ? '; asking again' : '';
      if (collected === undefined) {
        const code = this.lastProblem ?? 'DEVICE_NO_RESPONSE';
        const message = this.lastProblem ? `the answer to ${label} arrived damaged (${code}) and never completed` : `the monitor did not answer ${label} within ${REPLY_GAP_MS / 1000} s`;
        this.problem(code === 'DEVICE_NO_RESPONSE' ? 'DEVICE_NO_RESPONSE' : code, `${message}${again}`);
        failure = new HubError(code, message);
        attempt++;
        continue;
      }
      const bytes = concatBytes(collected.map((r) => r.data));
      const parsed = parseAnswer(bytes, dataBytes);
      if (parsed.kind === 'ok') return { data: parsed.data, raw: collected.map((r) => r.raw) };
      if (parsed.kind === 'no') {
        // The monitor's "not now, ask again" (PROTOCOL.md §3): no damage, so not an attempt.
        if (++noes < NO_ATTEMPTS) continue;
        throw new HubError('DEVICE_ERROR', `the monitor answered NO to ${label} ${NO_ATTEMPTS} times: switch it off, unplug and replug it, and download again`);
      }
      this.problem(parsed.code, `${label}: ${parsed.message}${again}`, bytes);
      failure = new HubError(parsed.code, `${label}: ${parsed.message}`);
      attempt++;
    }
    const last = failure ?? new HubError('DEVICE_NO_RESPONSE', `no usable answer to ${label}`);
    throw new HubError(last.code, `${last.message} (after ${COMMAND_ATTEMPTS} attempts)`, { cause: last });
  }

  /** END: the monitor answers OFF and switches itself off (PROTOCOL.md §3); its answer is not needed. */
  async end(command: Uint8Array, signal: AbortSignal): Promise<void> {
    this.reader.discard();
    for (const r of toReports(command)) await this.ctx.link.write(r);
    await this.nextReport(signal, REPLY_GAP_MS).catch(() => undefined);
    this.mode = undefined;
  }

  /** Stop listening (the session is over). */
  dispose(): void {
    this.reader.dispose();
  }

  /**
   * One request and the reports of its answer: until `length` bytes, or `NO`, or a gap of
   * REPLY_GAP_MS. Undefined when the answer never completed. Too many bytes count as complete
   * (parseAnswer then says what is wrong).
   */
  private async exchange(command: Uint8Array, length: number, signal: AbortSignal): Promise<InputReport[] | undefined> {
    // A late answer to an earlier request must never be taken for this one's.
    this.reader.discard();
    for (const r of toReports(command)) await this.ctx.link.write(r);
    const reports: InputReport[] = [];
    let count = 0;
    for (;;) {
      const report = await this.nextReport(signal, REPLY_GAP_MS);
      if (report === undefined) return undefined;
      if (reports.length === 0 && report.data[0] === 0x00 && report.data.every((b) => b === 0)) continue; // a late clearing echo
      reports.push(report);
      count += report.data.length;
      const first = reports[0]?.data ?? report.data;
      if (count >= 2 && first[0] === NO[0] && first[1] === NO[1]) return reports;
      if (count >= length) return reports;
    }
  }

  private problem(code: ErrorCode, message: string, raw?: Uint8Array): void {
    this.ctx.emit({ type: 'problem', code, message: raw ? `${message}: ${describeBytes(raw)}` : message, ...(raw ? { raw } : {}) });
  }

  /** The next input report within `ms`; undefined on timeout. Throws on abort and when the link ends. */
  private async nextReport(signal: AbortSignal, ms: number): Promise<InputReport | undefined> {
    const report = await this.reader.next(signal, { clock: this.ctx.clock, ms });
    if (signal.aborted) throw signal.reason instanceof HubError ? signal.reason : new CancelledError();
    if (report === undefined && this.reader.ended) throw this.reader.endError ?? new HubError('TRANSPORT_CLOSED', 'the monitor link closed during the download');
    return report;
  }
}
