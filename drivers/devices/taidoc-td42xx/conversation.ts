import { CancelledError, HubError, type ErrorCode } from '../../../shared/errors.ts';
import { type DriverContext, FrameReader, toHex, type Link } from '../../kit/index.ts';
import type { Decoded } from './decode.ts';
import { CMD, TaidocFramer, type Packet, type PacketItem } from './protocol.ts';

/** Wait for each reply; the notes give none, 1 s is ample for 8 bytes at 19200 baud (PROTOCOL.md §7). */
export const RESPONSE_TIMEOUT_MS = 1_000;
/** Attempts of one request after a silence, a bad checksum or a wrong reply. */
export const ATTEMPTS = 3;
/** `54` notices skipped within one attempt before it counts as a wrong reply. */
const MAX_NOTICES = 3;

/**
 * The host side (PROTOCOL.md §4): one 8-byte request, one 8-byte reply. The unsolicited `54`
 * ("entering communication mode") the meter may send is skipped and the request sent again,
 * as Tidepool does; anything left from an earlier request is dropped before each new one.
 */
export class TaidocConversation {
  private readonly reader: FrameReader<PacketItem>;

  constructor(
    private readonly ctx: Pick<DriverContext, 'clock' | 'emit'>,
    private readonly link: Link,
  ) {
    this.reader = new FrameReader({ link, emit: ctx.emit }, new TaidocFramer(), {
      problem: (p) => ctx.emit({ type: 'problem', code: p.code, message: `TaiDoc ${p.message}`, raw: p.raw }),
    });
  }

  /** Send `packet` and return the decoded reply; fails after ATTEMPTS with the last reason. */
  async request<T>(what: string, packet: Uint8Array, decode: (p: Packet) => Decoded<T>, signal: AbortSignal, attempts = ATTEMPTS): Promise<{ value: T; raw: Uint8Array }> {
    let miss: { code: ErrorCode; reason: string } = { code: 'DEVICE_NO_RESPONSE', reason: 'no answer' };
    for (let attempt = 1; attempt <= attempts; attempt++) {
      this.dropStale();
      await this.link.write(packet);
      const reply = await this.awaitReply(signal, decode, packet);
      if ('value' in reply) return reply;
      miss = reply;
      if (attempt < attempts && miss.code !== 'PROTOCOL_CHECKSUM') this.problem(miss.code, `${what}, attempt ${attempt} of ${attempts}: ${miss.reason}; asking again`);
    }
    throw new HubError(miss.code, `${what}: no valid answer after ${attempts} attempt(s) (${miss.reason})`);
  }

  /** Send without waiting for an answer (turning the meter off: it may not answer). */
  async send(packet: Uint8Array): Promise<void> {
    await this.link.write(packet);
  }

  dispose(): void {
    this.reader.dispose();
  }

  private async awaitReply<T>(signal: AbortSignal, decode: (p: Packet) => Decoded<T>, request: Uint8Array): Promise<{ value: T; raw: Uint8Array } | { code: ErrorCode; reason: string }> {
    const connecting = request[1] === CMD.connect;
    let deadline = this.ctx.clock.now() + RESPONSE_TIMEOUT_MS;
    let notices = 0;
    for (;;) {
      const item = await this.reader.next(signal, { clock: this.ctx.clock, ms: Math.max(0, deadline - this.ctx.clock.now()) });
      if (item === undefined) {
        if (signal.aborted) throw signal.reason instanceof HubError ? signal.reason : new CancelledError('TaiDoc download cancelled');
        if (this.reader.ended) throw this.reader.endError ?? new HubError('TRANSPORT_CLOSED', 'the link to the meter closed while waiting for a reply');
        return { code: 'DEVICE_NO_RESPONSE', reason: `no reply within ${RESPONSE_TIMEOUT_MS} ms` };
      }
      if (item.kind === 'corrupt') return { code: 'PROTOCOL_CHECKSUM', reason: 'the reply failed its checksum' };
      const { packet } = item;
      // The meter's own "communication mode" notice answers nothing but a connect: it is normal
      // (PROTOCOL.md §4), so the request goes again at once, a few times, without a problem.
      if (packet.cmd === CMD.communicationMode && !connecting) {
        if (++notices > MAX_NOTICES) return { code: 'PROTOCOL_UNEXPECTED', reason: 'the meter kept announcing communication mode (54) instead of answering' };
        await this.link.write(request);
        deadline = this.ctx.clock.now() + RESPONSE_TIMEOUT_MS;
        continue;
      }
      // A reply to another command is a late one (to a request already given up on): skip it
      // and keep waiting, so one late packet cannot shift every answer after it.
      if (!connecting && packet.cmd !== request[1]) {
        this.problem('PROTOCOL_UNEXPECTED', `a late reply to command 0x${packet.cmd.toString(16).padStart(2, '0')} was skipped`, packet.raw);
        continue;
      }
      const verdict = decode(packet);
      if (verdict.ok) return { value: verdict.value, raw: packet.raw };
      return { code: 'PROTOCOL_UNEXPECTED', reason: `unexpected reply ${toHex(packet.raw, 8)} (${verdict.reason})` };
    }
  }

  private dropStale(): void {
    for (const item of this.reader.discard()) {
      // The unsolicited "communication mode" notice may come at any time, also before the first
      // request (PROTOCOL.md §4): normal, not a late reply.
      if (item.kind === 'packet' && item.packet.cmd === CMD.communicationMode) continue;
      this.problem('PROTOCOL_UNEXPECTED', 'a packet nobody asked for (a late reply) was dropped', item.kind === 'packet' ? item.packet.raw : item.raw);
    }
  }

  private problem(code: ErrorCode, message: string, raw?: Uint8Array): void {
    this.ctx.emit({ type: 'problem', code, message: `TaiDoc ${message}`, ...(raw ? { raw } : {}) });
  }
}
