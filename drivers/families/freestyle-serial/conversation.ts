import { CancelledError, HubError, isHubError, type ErrorCode } from '../../../shared/errors.ts';
import { describeBytes, type DriverContext, FrameReader } from '../../kit/index.ts';
import { DumpAssembler, type DumpHeader } from './dump.ts';
import { encodeCommand, FreestyleLineFramer, type FreestyleLine } from './lines.ts';

/**
 * The host side of a FreeStyle serial meter (PROTOCOL.md §3–§5): one command out, ASCII lines
 * back, every wait bounded on ctx.clock and the caller's signal. Problems are events.
 */

/** How long the meter may take to start answering, in ms (no source gives a figure; generous). */
export const FIRST_LINE_MS = 3_000;
/** The longest pause inside an answer, in ms: the dump comes in one burst (PROTOCOL.md §4). */
export const LINE_GAP_MS = 2_000;
/** Tries for a short command (`$colq`, `$tim`): the first command is sometimes ignored (PROTOCOL.md §2). */
export const COMMAND_ATTEMPTS = 3;
/** Tries for the whole dump: a bad dump is asked for again, whole, so nothing is doubled or lost. */
export const DUMP_ATTEMPTS = 3;
/** Longest stretch of a line quoted in a problem message. */
const QUOTE_BYTES = 64;

/** A complete dump whose checksum and count held. */
export interface Dump {
  header: DumpHeader | undefined;
  records: FreestyleLine[];
}

export class FreestyleConversation {
  private readonly framer = new FreestyleLineFramer();
  private readonly reader: FrameReader<FreestyleLine>;

  constructor(private readonly ctx: Pick<DriverContext, 'link' | 'clock' | 'emit'>) {
    this.reader = new FrameReader<FreestyleLine>(ctx, this.framer);
  }

  problem(code: ErrorCode, message: string, raw?: Uint8Array): void {
    this.ctx.emit(raw && raw.length > 0 ? { type: 'problem', code, message: `${message}: ${describeBytes(raw, QUOTE_BYTES)}`, raw } : { type: 'problem', code, message });
  }

  /** Send `$command CR LF`, after dropping whatever an earlier answer left behind. */
  async send(command: string, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw this.cancelled(signal);
    for (const line of this.reader.discard()) if (line.text.trim() !== '') this.problem('PROTOCOL_UNEXPECTED', 'a line nobody asked for was dropped', line.raw);
    this.framer.takePartial();
    await this.ctx.link.write(encodeCommand(command));
  }

  /** The next line, or undefined after `ms` of silence. Throws when the link ends or on abort. */
  async next(signal: AbortSignal, ms: number): Promise<FreestyleLine | undefined> {
    const line = await this.reader.next(signal, { clock: this.ctx.clock, ms: Math.max(0, ms) });
    if (line) return line;
    if (signal.aborted) throw this.cancelled(signal);
    if (this.reader.ended) throw this.reader.endError ?? new HubError('TRANSPORT_CLOSED', 'the link to the meter closed during the transfer (cable unplugged?)');
    const partial = this.framer.takePartial();
    if (partial.length > 0) this.problem('PROTOCOL_TRUNCATED', 'a line was cut short', partial);
    return undefined;
  }

  /**
   * A command answered by lines ending in `CMD OK` (`$colq`, `$tim`): the lines before it are
   * returned. `CMD Fail!` is a DEVICE_ERROR; silence or a cut answer asks again. An echo of the
   * command is skipped (PROTOCOL.md §2: the Optium sometimes echoes).
   */
  async command(command: string, signal: AbortSignal): Promise<FreestyleLine[]> {
    for (let attempt = 1; attempt <= COMMAND_ATTEMPTS; attempt++) {
      await this.send(command, signal);
      const lines: FreestyleLine[] = [];
      let wait = FIRST_LINE_MS;
      for (;;) {
        const line = await this.next(signal, wait);
        if (!line) break;
        wait = LINE_GAP_MS;
        const text = line.text.trim();
        if (text === 'CMD OK') return lines;
        if (text.startsWith('CMD Fail')) throw new HubError('DEVICE_ERROR', `the meter refused $${command} (CMD Fail!)`);
        if (text === '' || text === `$${command}`) continue;
        lines.push(line);
      }
      const next = attempt < COMMAND_ATTEMPTS ? `sending $${command} again (try ${attempt + 1} of ${COMMAND_ATTEMPTS})` : 'giving up';
      this.problem('DEVICE_NO_RESPONSE', `no complete answer to $${command}; ${next}`);
    }
    throw new HubError('DEVICE_NO_RESPONSE', `The meter gave no answer to $${command} after ${COMMAND_ATTEMPTS} tries. Check that the cable is pushed fully into the meter, then try again.`);
  }

  /**
   * Ask for the memory (`$mem` or `$xmem`) and read it whole, up to DUMP_ATTEMPTS times.
   * `onHeader` runs once, when the first good header arrives; progress never goes back.
   */
  async readDump(command: string, signal: AbortSignal, onHeader: (header: DumpHeader) => void): Promise<Dump> {
    let reported = -1;
    let failure: { code: ErrorCode; reason: string } = { code: 'DEVICE_NO_RESPONSE', reason: 'no answer' };
    let headerSeen = false;
    for (let attempt = 1; attempt <= DUMP_ATTEMPTS; attempt++) {
      const next = attempt < DUMP_ATTEMPTS ? `asking for the whole memory again (try ${attempt + 1} of ${DUMP_ATTEMPTS})` : 'giving up';
      await this.send(command, signal);
      const dump = new DumpAssembler();
      let total = 0;
      let wait = FIRST_LINE_MS;
      let outcome: Dump | undefined;
      let quiet = false;
      for (;;) {
        const line = await this.next(signal, wait);
        const settled = line ? undefined : dump.settle();
        if (settled?.kind === 'done') {
          outcome = { header: settled.header, records: settled.records };
          break;
        }
        if (!line) {
          failure = { code: 'DEVICE_NO_RESPONSE', reason: wait === FIRST_LINE_MS ? 'the meter did not answer' : 'the memory stopped in the middle' };
          this.problem('DEVICE_NO_RESPONSE', `${failure.reason}; ${next}`);
          quiet = true;
          break;
        }
        wait = LINE_GAP_MS;
        const step = dump.push(line);
        if (step.kind === 'stray') {
          if (line.text.trim() !== `$${command}`) this.problem('PROTOCOL_UNEXPECTED', 'a line before the memory began was skipped', line.raw);
        } else if (step.kind === 'header') {
          total = step.header.count;
          if (!headerSeen) onHeader(step.header);
          headerSeen = true;
          if (reported < 0) {
            this.ctx.emit({ type: 'progress', done: 0, total });
            reported = 0;
          }
        } else if (step.kind === 'record') {
          if (step.index > reported && step.index <= total) {
            reported = step.index;
            this.ctx.emit({ type: 'progress', done: step.index, total });
          }
        } else if (step.kind === 'failed') {
          failure = { code: step.code, reason: step.reason };
          this.problem(step.code, `${step.reason}; ${next}`, step.raw);
          quiet = step.ended;
          break;
        } else if (step.kind === 'done') {
          outcome = { header: step.header, records: step.records };
          break;
        }
      }
      if (outcome) {
        if (reported < 0) this.ctx.emit({ type: 'progress', done: 0, total: 0 });
        return outcome;
      }
      if (!quiet) await this.drain(signal);
    }
    throw new HubError(
      failure.code,
      `The meter's memory could not be read in ${DUMP_ATTEMPTS} tries (${failure.reason}). Check that the cable is pushed fully into the meter, then try again. Nothing was imported.`,
    );
  }

  /** Let the rest of a failed answer pass: read until the meter is quiet. */
  private async drain(signal: AbortSignal): Promise<void> {
    while (await this.next(signal, LINE_GAP_MS));
  }

  dispose(): void {
    this.reader.dispose();
  }

  private cancelled(signal: AbortSignal): HubError {
    return isHubError(signal.reason) ? signal.reason : new CancelledError('the meter transfer was cancelled');
  }
}
