import { CancelledError, HubError, type ErrorCode } from '../../../shared/errors.ts';
import { type DriverContext, FrameReader, toHex, type Link } from '../../kit/index.ts';
import { decodeEcho, type Decoded, type ProtocolGeneration } from './decode.ts';
import { ECHO, IspcFramer, type Frame, type FrameItem } from './protocol.ts';

/** Wait for each reply: Tidepool's 2 s on HID (drivers/devices/isens-caresens/PROTOCOL.md §3); a full GLUE block takes ~0.3 s at 9600 baud. */
export const RESPONSE_TIMEOUT_MS = 2_000;
/** Tidepool's wait on a serial cable. */
export const SERIAL_RESPONSE_TIMEOUT_MS = 4_000;
/** Attempts of one request after a silence, a bad CRC, an error reply or a wrong reply. */
export const ATTEMPTS = 3;

/**
 * The host side (drivers/devices/isens-caresens/PROTOCOL.md §3–5): the ECHO probe, then one iSPc frame out, one frame back.
 * Anything left from an earlier request is dropped (and said) before each new one.
 */
export class IspcConversation {
  private readonly reader: FrameReader<FrameItem>;

  constructor(
    private readonly ctx: Pick<DriverContext, 'clock' | 'emit'>,
    private readonly link: Link,
    private readonly timeoutMs = RESPONSE_TIMEOUT_MS,
  ) {
    this.reader = new FrameReader({ link, emit: ctx.emit }, new IspcFramer(), {
      problem: (p) => ctx.emit({ type: 'problem', code: p.code, message: `i-SENS ${p.message}`, raw: p.raw }),
    });
  }

  /**
   * Send ECHO (`80`) up to `attempts` times; the first answer's generation. `undefined` when the
   * meter never answered. Bytes of the answer arrive outside any frame.
   */
  async ping(signal: AbortSignal, attempts = ATTEMPTS): Promise<{ generation: ProtocolGeneration; raw: Uint8Array } | undefined> {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      this.dropStale();
      await this.link.write(Uint8Array.of(ECHO));
      const deadline = this.ctx.clock.now() + this.timeoutMs;
      for (;;) {
        const item = await this.next(signal, deadline);
        if (item === undefined) break;
        if (item.kind === 'loose') return { generation: decodeEcho(item.raw), raw: item.raw };
        this.problem('PROTOCOL_UNEXPECTED', 'a frame where the ECHO answer was expected was skipped', item.kind === 'frame' ? item.frame.raw : item.raw);
      }
    }
    return undefined;
  }

  /** Send `frame` and return the decoded reply; fails after `attempts` with the last reason. */
  async request<T>(what: string, frame: Uint8Array, decode: (f: Frame) => Decoded<T>, signal: AbortSignal, attempts = ATTEMPTS): Promise<{ value: T; raw: Uint8Array }> {
    let miss: { code: ErrorCode; reason: string } = { code: 'DEVICE_NO_RESPONSE', reason: 'no answer' };
    for (let attempt = 1; attempt <= attempts; attempt++) {
      this.dropStale();
      await this.link.write(frame);
      const reply = await this.awaitReply(signal, decode);
      if ('value' in reply) return reply;
      miss = reply;
      if (attempt < attempts && miss.code !== 'PROTOCOL_CHECKSUM') this.problem(miss.code, `${what}, attempt ${attempt} of ${attempts}: ${miss.reason}; asking again`);
    }
    throw new HubError(miss.code, `${what}: no valid answer after ${attempts} attempt(s) (${miss.reason})`);
  }

  dispose(): void {
    this.reader.dispose();
  }

  private async next(signal: AbortSignal, deadline: number): Promise<FrameItem | undefined> {
    const item = await this.reader.next(signal, { clock: this.ctx.clock, ms: Math.max(0, deadline - this.ctx.clock.now()) });
    if (item !== undefined) return item;
    if (signal.aborted) throw signal.reason instanceof HubError ? signal.reason : new CancelledError('i-SENS download cancelled');
    if (this.reader.ended) throw this.reader.endError ?? new HubError('TRANSPORT_CLOSED', 'the link to the meter closed while waiting for a reply');
    return undefined;
  }

  private async awaitReply<T>(signal: AbortSignal, decode: (f: Frame) => Decoded<T>): Promise<{ value: T; raw: Uint8Array } | { code: ErrorCode; reason: string }> {
    const deadline = this.ctx.clock.now() + this.timeoutMs;
    for (;;) {
      const item = await this.next(signal, deadline);
      if (item === undefined) return { code: 'DEVICE_NO_RESPONSE', reason: `no reply within ${this.timeoutMs} ms` };
      if (item.kind === 'loose') {
        this.problem('PROTOCOL_GARBAGE', 'bytes outside an iSPc frame skipped', item.raw);
        continue;
      }
      if (item.kind === 'corrupt') return { code: 'PROTOCOL_CHECKSUM', reason: 'the reply failed its CRC' };
      const verdict = decode(item.frame);
      if (verdict.ok) return { value: verdict.value, raw: item.frame.raw };
      return { code: 'PROTOCOL_UNEXPECTED', reason: `${verdict.reason}: ${toHex(item.frame.raw, 16)}` };
    }
  }

  private dropStale(): void {
    for (const item of this.reader.discard()) {
      this.problem('PROTOCOL_UNEXPECTED', 'bytes nobody asked for (a late reply) were dropped', item.kind === 'frame' ? item.frame.raw : item.raw);
    }
  }

  private problem(code: ErrorCode, message: string, raw?: Uint8Array): void {
    this.ctx.emit({ type: 'problem', code, message: `i-SENS ${message}`, ...(raw ? { raw } : {}) });
  }
}
