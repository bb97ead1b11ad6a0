import { CancelledError, HubError, isHubError, type ErrorCode } from '../../../shared/errors.ts';
import { describeBytes, type DriverContext, FrameReader } from '../../kit/index.ts';
import type { Ultra2Decoded } from './decode.ts';
import { COMMAND_ATTEMPTS, LINE_TIMEOUT_MS, UltraFramer, encodeCommand, type UltraFrame } from './protocol.ts';

/** Longest stretch of a line quoted in a problem message, in bytes. */
const QUOTE_BYTES = 64;

/** What waiting for the next line can give: a frame, nothing within the time given, or the end. */
type LineEvent = UltraFrame | { kind: 'timeout'; partial: Uint8Array } | { kind: 'end' };

/** What a person must do when the meter is not in PC-link mode (PROTOCOL.md §2; manifest hints). */
export function notInPcLinkMode(): HubError {
  return new HubError(
    'DEVICE_NO_RESPONSE',
    'The meter answered with a single 0x00 byte: it is not in PC-link mode. Switch the meter off, unplug the cable from the meter, plug it in again while the meter is off, and try again.',
  );
}

/**
 * The conversation with the meter over the Link: commands out, checked lines in, each wait
 * with a deadline on ctx.clock and the caller's AbortSignal. Problems are reported as events.
 */
export class Conversation {
  private readonly framer = new UltraFramer();
  private readonly reader: FrameReader<UltraFrame>;

  constructor(private readonly ctx: Pick<DriverContext, 'link' | 'clock' | 'emit'>) {
    this.reader = new FrameReader<UltraFrame>(ctx, this.framer);
  }

  /** Send `11 0D` + letters + `0D` (PROTOCOL.md §3). */
  async send(letters: string, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw this.cancelled(signal);
    const bytes = encodeCommand(letters);
    await this.ctx.link.write(bytes);
  }

  /** The next line, or `timeout` after `ms` (with any half-received line), or `end`. */
  async next(signal: AbortSignal, ms = LINE_TIMEOUT_MS): Promise<LineEvent> {
    const frame = await this.reader.next(signal, { clock: this.ctx.clock, ms: Math.max(0, ms) });
    if (frame) return frame;
    if (signal.aborted) throw this.cancelled(signal);
    if (this.reader.ended) return { kind: 'end' };
    return { kind: 'timeout', partial: this.framer.takePartial() };
  }

  /** Why the link ended under us. */
  linkEnded(): HubError {
    return this.reader.endError ?? new HubError('TRANSPORT_CLOSED', 'the link to the meter closed during the transfer (cable unplugged?)');
  }

  problem(code: ErrorCode, message: string, raw?: Uint8Array): void {
    this.ctx.emit(raw && raw.length > 0 ? { type: 'problem', code, message: `${message}: ${describeBytes(raw, QUOTE_BYTES)}`, raw } : { type: 'problem', code, message });
  }

  /**
   * Send a one-line command and return its decoded reply. A line that is not this reply is
   * reported and skipped (a late answer to an earlier try); a bad line or silence sends the
   * command again, up to COMMAND_ATTEMPTS. A lone 0x00 and then silence: not in PC-link mode.
   */
  async command<T>(letters: string, decode: (text: string) => Ultra2Decoded<T>, signal: AbortSignal): Promise<T> {
    let failure: 'DEVICE_NO_RESPONSE' | 'PROTOCOL_CHECKSUM' = 'DEVICE_NO_RESPONSE';
    for (let attempt = 1; attempt <= COMMAND_ATTEMPTS; attempt++) {
      const next = attempt < COMMAND_ATTEMPTS ? `sending ${letters} again (try ${attempt + 1} of ${COMMAND_ATTEMPTS})` : 'giving up';
      await this.send(letters, signal);
      const until = this.ctx.clock.now() + LINE_TIMEOUT_MS;
      let sawNul = false;
      for (;;) {
        const event = await this.next(signal, until - this.ctx.clock.now());
        if (event.kind === 'line') {
          const decoded = decode(event.text);
          if (decoded.ok) return decoded.value;
          this.problem('PROTOCOL_UNEXPECTED', `unexpected line while waiting for the reply to ${letters} (${decoded.reason}), skipped`, event.raw);
          continue;
        }
        if (event.kind === 'nul') {
          sawNul = true;
          continue;
        }
        if (event.kind === 'end') throw this.linkEnded();
        if (event.kind === 'bad') {
          failure = event.code === 'PROTOCOL_CHECKSUM' ? 'PROTOCOL_CHECKSUM' : 'DEVICE_NO_RESPONSE';
          this.problem(event.code, `reply to ${letters} rejected (${event.reason}); ${next}`, event.raw);
          break;
        }
        if (sawNul) throw notInPcLinkMode();
        failure = 'DEVICE_NO_RESPONSE';
        if (event.partial.length > 0) this.problem('PROTOCOL_TRUNCATED', `reply to ${letters} cut short (no line end within ${LINE_TIMEOUT_MS} ms); ${next}`, event.partial);
        else this.problem('DEVICE_NO_RESPONSE', `no reply to ${letters} within ${LINE_TIMEOUT_MS} ms; ${next}`);
        break;
      }
    }
    throw failure === 'PROTOCOL_CHECKSUM'
      ? new HubError('PROTOCOL_CHECKSUM', `The meter's replies to ${letters} failed their checksum ${COMMAND_ATTEMPTS} times: check that the cable is pushed fully into the meter's port, then try again.`)
      : new HubError('DEVICE_NO_RESPONSE', `The meter gave no valid reply to ${letters} after ${COMMAND_ATTEMPTS} tries. Switch the meter off, plug the cable in (fully) while it is off, and try again.`);
  }

  /** Stop listening to the link. */
  dispose(): void {
    this.reader.dispose();
  }

  private cancelled(signal: AbortSignal): HubError {
    return isHubError(signal.reason) ? signal.reason : new CancelledError('the meter transfer was cancelled');
  }
}
