import { CancelledError, HubError, type ErrorCode } from '../../../shared/errors.ts';
import { type DriverContext, FrameReader, toHex } from '../../kit/index.ts';
import type { UltraEasyDecoded } from './decode.ts';
import { EMPTY_PACKET_LENGTH, LCB, createPacketItemFramer, encodePacket, isAckPacket, type Packet, type PacketItem } from './protocol.ts';

/** Tidepool waits 1 s for the meter's ACK packet … (PROTOCOL.md §2). */
export const ACK_TIMEOUT_MS = 1_000;
/** … and 1 s more for the response packet (PROTOCOL.md §2). */
export const RESPONSE_TIMEOUT_MS = 1_000;
/** Re-sends of one request after a bad CRC, a silence or a malformed answer, before giving up. */
export const MAX_RETRIES = 3;
/**
 * A late answer to a re-sent request can still be on the wire while the next request runs; for
 * this many requests after a re-send, an out-of-sequence packet from a meter that has kept the
 * sequence bits so far is taken for such a straggler and dropped (PROTOCOL.md, sequence bits).
 */
const STALE_WINDOW_REQUESTS = 2;

/** What the caller makes of a response message: a value, a straggler to ignore, or a bad answer. */
export type UltraEasyVerdict<T> = UltraEasyDecoded<T> | { ok: false; kind: 'stale'; reason: string };

/** A failed attempt: why, and the code to fail with if it was the last one. */
interface Miss {
  code: ErrorCode;
  reason: string;
  /** The meter sent a valid packet that made no sense: acknowledge it, then ask anew. */
  answered?: boolean;
}

/**
 * The host side of the link (PROTOCOL.md §4): DISC to reset, then for each command the request with
 * `LCB = (expect<<1)|send`, the meter's ACK, its response, and our ACK. The meter-side bits are
 * [INFERRED], so a mismatch is reported (once) and tolerated, as Tidepool does, unless it can
 * only be a straggler from a re-sent request.
 */
export class Conversation {
  private send = 0;
  private expect = 0;
  /** Has every packet the meter sent so far carried the sequence bits glucometerutils expects? */
  private meterKeepsBits = true;
  private requests = 0;
  private lastResendAt = Number.NEGATIVE_INFINITY;
  readonly reader: FrameReader<PacketItem>;

  constructor(private readonly ctx: DriverContext) {
    this.reader = new FrameReader(ctx, createPacketItemFramer(), {
      problem: (p) => ctx.emit({ type: 'problem', code: p.code, message: `UltraEasy ${p.message}`, raw: p.raw }),
    });
  }

  /** Reset the link: DISC, answered by a DISC packet whose sequence bits nobody checks (PROTOCOL.md §4 step 1). */
  async disconnect(signal: AbortSignal, attempts = 1 + MAX_RETRIES): Promise<void> {
    const packet = encodePacket(LCB.disc);
    let miss: Miss = { code: 'DEVICE_NO_RESPONSE', reason: 'no answer' };
    for (let attempt = 1; attempt <= attempts; attempt++) {
      this.dropStale();
      await this.write(packet);
      const reply = await this.awaitPacket(signal, ACK_TIMEOUT_MS, (p) => (p.lcb & LCB.disc) !== 0);
      if (reply === true) {
        this.send = 0;
        this.expect = 0;
        return;
      }
      miss = reply;
      if (attempt < attempts) this.note(miss, `link reset (DISC), attempt ${attempt} of ${attempts}`);
    }
    throw new HubError(miss.code, `the meter did not answer the link reset (DISC) after ${attempts} attempt(s): ${miss.reason}`);
  }

  /**
   * Send one request and return the decoded response. A bad CRC or a silence re-sends the same
   * bytes; a well-formed packet that does not decode is acknowledged and asked for again; a
   * status other than success fails at once with DEVICE_ERROR.
   */
  async request<T>(what: string, message: Uint8Array, decode: (message: Uint8Array) => UltraEasyVerdict<T>, signal: AbortSignal): Promise<{ value: T; raw: Uint8Array }> {
    this.requests++;
    let packet = this.nextRequest(message);
    let miss: Miss = { code: 'DEVICE_NO_RESPONSE', reason: 'no answer' };
    const attempts = 1 + MAX_RETRIES;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) this.lastResendAt = this.requests;
      this.dropStale();
      await this.write(packet);
      const reply = await this.awaitResponse(signal, decode);
      if ('value' in reply) {
        await this.acknowledge();
        return reply;
      }
      miss = reply;
      if (miss.answered) await this.acknowledge();
      if (miss.code === 'DEVICE_ERROR') throw new HubError('DEVICE_ERROR', `${what}: ${miss.reason}`);
      // A valid packet was acknowledged, so asking again is a new request with the next bits.
      if (miss.answered) packet = this.nextRequest(message);
      if (attempt < attempts) this.note(miss, `${what}, attempt ${attempt} of ${attempts}`);
    }
    throw new HubError(miss.code, `${what}: no valid answer after ${attempts} attempt(s) (${miss.reason})`);
  }

  /** Was a request re-sent during this request or the one before (so a late duplicate may still arrive)? */
  get resentRecently(): boolean {
    return this.requests - this.lastResendAt < STALE_WINDOW_REQUESTS;
  }

  /** Say goodbye: a DISC, one attempt, failures ignored (the session is ending anyway). */
  async close(signal: AbortSignal): Promise<void> {
    try {
      if (!this.ctx.link.closed) await this.disconnect(signal, 1);
    } catch {
      // A meter that does not answer the goodbye has nothing more to tell us.
    } finally {
      this.reader.dispose();
    }
  }

  private nextRequest(message: Uint8Array): Uint8Array {
    const packet = encodePacket((this.expect ? LCB.expect : 0) | (this.send ? LCB.send : 0), message);
    this.send ^= 1;
    return packet;
  }

  private async acknowledge(): Promise<void> {
    this.expect ^= 1;
    await this.write(encodePacket(LCB.ack | (this.expect ? LCB.expect : 0) | (this.send ? LCB.send : 0)));
  }

  /** Wait for the ACK (1 s), then the response (1 s more), and decode it. */
  private async awaitResponse<T>(signal: AbortSignal, decode: (message: Uint8Array) => UltraEasyVerdict<T>): Promise<{ value: T; raw: Uint8Array } | Miss> {
    let acked = false;
    let deadline = this.ctx.clock.now() + ACK_TIMEOUT_MS;
    for (;;) {
      const item = await this.next(signal, deadline - this.ctx.clock.now());
      if (item === undefined) {
        return { code: 'DEVICE_NO_RESPONSE', reason: acked ? `no response within ${RESPONSE_TIMEOUT_MS} ms of the ACK` : `no ACK within ${ACK_TIMEOUT_MS} ms` };
      }
      if (item.kind === 'corrupt') {
        // A corrupt empty packet was most likely the ACK: the response may still come.
        if (item.raw.length > EMPTY_PACKET_LENGTH) return { code: 'PROTOCOL_CHECKSUM', reason: 'the response failed its CRC' };
        acked = true;
        deadline = this.ctx.clock.now() + RESPONSE_TIMEOUT_MS;
        continue;
      }
      const packet = item.packet;
      if ((packet.lcb & LCB.disc) !== 0) {
        this.problem('PROTOCOL_UNEXPECTED', 'a DISC packet arrived in the middle of a command; ignored', packet.raw);
        continue;
      }
      if (!this.inSequence(packet)) {
        deadline = Math.max(deadline, this.ctx.clock.now() + RESPONSE_TIMEOUT_MS);
        continue;
      }
      if (isAckPacket(packet)) {
        acked = true;
        deadline = this.ctx.clock.now() + RESPONSE_TIMEOUT_MS;
        continue;
      }
      const verdict = decode(packet.message);
      if (verdict.ok) return { value: verdict.value, raw: packet.raw };
      if (verdict.kind === 'stale') {
        this.problem('PROTOCOL_UNEXPECTED', `${verdict.reason}; ignored`, packet.raw);
        deadline = Math.max(deadline, this.ctx.clock.now() + RESPONSE_TIMEOUT_MS);
        continue;
      }
      if (verdict.kind === 'status') return { code: 'DEVICE_ERROR', reason: verdict.reason, answered: true };
      return { code: 'PROTOCOL_UNEXPECTED', reason: `unexpected answer ${toHex(packet.message, 24)} (${verdict.reason})`, answered: true };
    }
  }

  /** Wait for one packet the predicate accepts; other packets are reported and skipped. */
  private async awaitPacket(signal: AbortSignal, ms: number, wanted: (p: Packet) => boolean): Promise<true | Miss> {
    const deadline = this.ctx.clock.now() + ms;
    for (;;) {
      const item = await this.next(signal, deadline - this.ctx.clock.now());
      if (item === undefined) return { code: 'DEVICE_NO_RESPONSE', reason: `no answer within ${ms} ms` };
      if (item.kind === 'corrupt') return { code: 'PROTOCOL_CHECKSUM', reason: 'the answer failed its CRC' };
      if (wanted(item.packet)) return true;
      this.problem('PROTOCOL_UNEXPECTED', 'unexpected packet while waiting for the link reset; ignored', item.packet.raw);
    }
  }

  /**
   * The meter's S bit should equal our `expect` and its E bit our next `send` (PROTOCOL.md §4, §9). On a
   * mismatch: a meter that kept the bits until now, shortly after a re-send, has sent a straggler
   * (dropped); otherwise the meter simply does not keep them (reported once, then tolerated).
   */
  private inSequence(packet: Packet): boolean {
    const s = packet.lcb & LCB.send ? 1 : 0;
    const e = packet.lcb & LCB.expect ? 1 : 0;
    if (s === this.expect && e === this.send) return true;
    const what = `link-control byte 0x${packet.lcb.toString(16).padStart(2, '0')}: S=${s} E=${e}, expected S=${this.expect} E=${this.send}`;
    if (this.meterKeepsBits && this.resentRecently) {
      this.problem('PROTOCOL_UNEXPECTED', `out-of-sequence packet after a re-send (${what}), taken for a late duplicate and dropped`, packet.raw);
      return false;
    }
    if (this.meterKeepsBits) {
      this.meterKeepsBits = false;
      this.problem('PROTOCOL_UNEXPECTED', `the meter does not keep the sequence bits as glucometerutils expects (${what}); tolerated, further mismatches are not reported`, packet.raw);
    }
    return true;
  }

  private async next(signal: AbortSignal, ms: number): Promise<PacketItem | undefined> {
    const item = await this.reader.next(signal, { clock: this.ctx.clock, ms });
    if (item !== undefined) return item;
    if (signal.aborted) throw signal.reason instanceof HubError ? signal.reason : new CancelledError('UltraEasy download cancelled');
    if (this.reader.ended) throw this.reader.endError ?? new HubError('TRANSPORT_CLOSED', 'the link to the meter closed while waiting for an answer');
    return undefined;
  }

  private dropStale(): void {
    for (const item of this.reader.discard()) {
      const raw = item.kind === 'packet' ? item.packet.raw : item.raw;
      this.problem('PROTOCOL_UNEXPECTED', 'a packet nobody asked for (a late answer) was dropped', raw);
    }
  }

  private async write(packet: Uint8Array): Promise<void> {
    await this.ctx.link.write(packet);
  }

  /** A checksum failure was reported by the framer already; the other misses are reported here. */
  private note(miss: Miss, where: string): void {
    if (miss.code !== 'PROTOCOL_CHECKSUM') this.problem(miss.code, `${where}: ${miss.reason}; asking again`);
  }

  private problem(code: ErrorCode, message: string, raw?: Uint8Array): void {
    this.ctx.emit({ type: 'problem', code, message: `UltraEasy ${message}`, ...(raw ? { raw } : {}) });
  }
}
