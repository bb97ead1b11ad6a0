import { CancelledError, HubError, type ErrorCode } from '../../../shared/errors.ts';
import { type DriverContext, FrameReader, toHex } from '../../kit/index.ts';
import { createPacketItemFramer, type PacketItem } from '../../families/lifescan/packets.ts';
import type { VerioIqDecoded } from './decode.ts';
import { requestPacket } from './protocol.ts';

/** Tidepool waits up to 1 s for each reply (PROTOCOL.md §7). */
export const RESPONSE_TIMEOUT_MS = 1_000;
/** Re-sends of one request after a bad CRC, a silence or a malformed reply, before giving up. */
export const MAX_RETRIES = 3;

/** What the caller makes of a reply: a value, a late duplicate to ignore, or a bad answer. */
export type VerioIqVerdict<T> = VerioIqDecoded<T> | { ok: false; kind: 'stale'; reason: string };

interface Miss {
  code: ErrorCode;
  reason: string;
}

/**
 * The host side (PROTOCOL.md §4): one request packet, one reply packet, nothing else on the
 * wire. Without sequence bits a late reply cannot be told from the next one by the link layer,
 * so anything left over is dropped before each request, and the caller can call a reply `stale`
 * (the record loop does, for a byte-for-byte repeat right after a re-send).
 */
export class VerioIqConversation {
  private requests = 0;
  private lastResendAt = Number.NEGATIVE_INFINITY;
  readonly reader: FrameReader<PacketItem>;

  constructor(private readonly ctx: DriverContext) {
    this.reader = new FrameReader(ctx, createPacketItemFramer(), {
      problem: (p) => ctx.emit({ type: 'problem', code: p.code, message: `Verio IQ ${p.message}`, raw: p.raw }),
    });
  }

  /** Was a request re-sent during this request or the one before (so a late duplicate may still arrive)? */
  get resentRecently(): boolean {
    return this.requests - this.lastResendAt < 2;
  }

  /**
   * Send one request and return the decoded reply. A bad CRC, a silence or a malformed reply
   * re-sends the same bytes; a status other than success fails at once with DEVICE_ERROR.
   */
  async request<T>(what: string, message: Uint8Array, decode: (message: Uint8Array) => VerioIqVerdict<T>, signal: AbortSignal, attempts = 1 + MAX_RETRIES): Promise<{ value: T; raw: Uint8Array }> {
    this.requests++;
    const packet = requestPacket(message);
    let miss: Miss = { code: 'DEVICE_NO_RESPONSE', reason: 'no answer' };
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) this.lastResendAt = this.requests;
      this.dropStale();
      await this.ctx.link.write(packet);
      const reply = await this.awaitReply(signal, decode);
      if ('value' in reply) return reply;
      miss = reply;
      if (miss.code === 'DEVICE_ERROR') throw new HubError('DEVICE_ERROR', `${what}: ${miss.reason}`);
      if (attempt < attempts && miss.code !== 'PROTOCOL_CHECKSUM') this.problem(miss.code, `${what}, attempt ${attempt} of ${attempts}: ${miss.reason}; asking again`);
    }
    throw new HubError(miss.code, `${what}: no valid answer after ${attempts} attempt(s) (${miss.reason})`);
  }

  dispose(): void {
    this.reader.dispose();
  }

  private async awaitReply<T>(signal: AbortSignal, decode: (message: Uint8Array) => VerioIqVerdict<T>): Promise<{ value: T; raw: Uint8Array } | Miss> {
    const deadline = this.ctx.clock.now() + RESPONSE_TIMEOUT_MS;
    for (;;) {
      const item = await this.next(signal, deadline - this.ctx.clock.now());
      if (item === undefined) return { code: 'DEVICE_NO_RESPONSE', reason: `no reply within ${RESPONSE_TIMEOUT_MS} ms` };
      // Reported by the framer already; the host asks again at once.
      if (item.kind === 'corrupt') return { code: 'PROTOCOL_CHECKSUM', reason: 'the reply failed its CRC' };
      const { packet } = item;
      const verdict = decode(packet.message);
      if (verdict.ok) return { value: verdict.value, raw: packet.raw };
      if (verdict.kind === 'stale') {
        this.problem('PROTOCOL_UNEXPECTED', `${verdict.reason}; ignored`, packet.raw);
        continue;
      }
      if (verdict.kind === 'status') return { code: 'DEVICE_ERROR', reason: verdict.reason };
      return { code: 'PROTOCOL_UNEXPECTED', reason: `unexpected reply ${toHex(packet.message, 24)} (${verdict.reason})` };
    }
  }

  private async next(signal: AbortSignal, ms: number): Promise<PacketItem | undefined> {
    const item = await this.reader.next(signal, { clock: this.ctx.clock, ms: Math.max(0, ms) });
    if (item !== undefined) return item;
    if (signal.aborted) throw signal.reason instanceof HubError ? signal.reason : new CancelledError('Verio IQ download cancelled');
    if (this.reader.ended) throw this.reader.endError ?? new HubError('TRANSPORT_CLOSED', 'the link to the meter closed while waiting for a reply');
    return undefined;
  }

  private dropStale(): void {
    for (const item of this.reader.discard()) {
      this.problem('PROTOCOL_UNEXPECTED', 'a packet nobody asked for (a late reply) was dropped', item.kind === 'packet' ? item.packet.raw : item.raw);
    }
  }

  private problem(code: ErrorCode, message: string, raw?: Uint8Array): void {
    this.ctx.emit({ type: 'problem', code, message: `Verio IQ ${message}`, ...(raw ? { raw } : {}) });
  }
}
