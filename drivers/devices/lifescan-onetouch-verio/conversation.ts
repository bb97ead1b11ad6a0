import { CancelledError, HubError, type ErrorCode } from '../../../shared/errors.ts';
import { type DriverContext, FrameReader, toHex } from '../../kit/index.ts';
import { BLOCK_SIZE, BotFramer, CDB, encodeCbw, type BotReply } from '../../families/usb-storage/bot.ts';
import { inquiryVendor, packetFromBlock, type VerioDecoded } from './decode.ts';
import { REGISTER, requestBlock, type VerioRequest } from './protocol.ts';

/** No source gives a time limit; a USB device answers in milliseconds, so 2 s per command is generous. */
export const PHASE_TIMEOUT_MS = 2_000;
/** Re-sends of one request after a bad CRC, a silence or a failed command, before giving up. */
export const MAX_RETRIES = 2;
const INQUIRY_LENGTH = 36;
const SENSE_LENGTH = 18;

interface Miss {
  code: ErrorCode;
  reason: string;
}

/**
 * The host side of Bulk-Only Transport carrying the register protocol (PROTOCOL.md §2–§4): each
 * SCSI command is CBW → data → CSW with a fresh tag; a request is WRITE(10) of the request block
 * to its register, then READ(10) of the reply block from the same register. A CSW that says
 * "failed" is followed by REQUEST SENSE (which clears the device's error) and the request is
 * asked again; a phase error cannot be recovered without a class reset the Link does not carry,
 * so after the retries it ends the session with a message to re-plug the meter.
 */
export class VerioConversation {
  private tag = 0;
  private readonly framer = new BotFramer();
  readonly reader: FrameReader<BotReply>;
  /** The INQUIRY vendor has been checked: only then is any sector written (PROTOCOL.md §1). */
  private identified = false;

  constructor(private readonly ctx: DriverContext) {
    this.reader = new FrameReader(ctx, this.framer, {
      problem: (p) => ctx.emit({ type: 'problem', code: p.code, message: `Verio ${p.message}`, raw: p.raw }),
    });
  }

  /** INQUIRY: the vendor identification, or undefined when the device did not answer one. */
  async inquiry(signal: AbortSignal, attempts = 1 + MAX_RETRIES): Promise<string | undefined> {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const reply = await this.command(CDB.inquiry(INQUIRY_LENGTH), 'in', INQUIRY_LENGTH, undefined, signal);
      const miss = await this.checkStatus('INQUIRY', reply, signal);
      if (!miss && reply?.kind === 'reply') {
        const vendor = inquiryVendor(reply.data);
        this.identified = vendor === 'LifeScan';
        return vendor;
      }
    }
    return undefined;
  }

  /** Send a request through its register and decode the reply; DEVICE_ERROR at once for a status other than success. */
  async request<T>(what: string, request: VerioRequest, decode: (message: Uint8Array) => VerioDecoded<T>, signal: AbortSignal, attempts = 1 + MAX_RETRIES): Promise<{ value: T; raw: Uint8Array }> {
    if (!this.identified) throw new HubError('DEVICE_ERROR', `${what}: the device has not identified itself as a LifeScan meter, so nothing is written to it`);
    if (request.lba !== REGISTER.command && request.lba !== REGISTER.parameter) throw new HubError('INPUT_INVALID', `${what}: sector ${String(request.lba)} is not a register; refused`);
    let miss: Miss = { code: 'DEVICE_NO_RESPONSE', reason: 'no answer' };
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const outcome = await this.once(request, signal);
      if ('message' in outcome) {
        const verdict = decode(outcome.message);
        if (verdict.ok) return { value: verdict.value, raw: outcome.raw };
        if (verdict.kind === 'status') throw new HubError('DEVICE_ERROR', `${what}: ${verdict.reason}`);
        miss = { code: 'PROTOCOL_UNEXPECTED', reason: `unexpected reply ${toHex(outcome.message, 24)} (${verdict.reason})` };
      } else {
        miss = outcome;
      }
      if (attempt < attempts && miss.code !== 'PROTOCOL_CHECKSUM') this.problem(miss.code, `${what}, attempt ${attempt} of ${attempts}: ${miss.reason}; asking again`);
    }
    if (miss.code === 'PROTOCOL_UNEXPECTED' && miss.reason.includes('phase error')) {
      throw new HubError('DEVICE_ERROR', `${what}: ${miss.reason}; unplug the meter, plug it in again and retry`);
    }
    throw new HubError(miss.code, `${what}: no valid answer after ${attempts} attempt(s) (${miss.reason})`);
  }

  dispose(): void {
    this.reader.dispose();
  }

  /** WRITE(10) the request block, READ(10) the reply block, take the packet at its front. */
  private async once(request: VerioRequest, signal: AbortSignal): Promise<{ message: Uint8Array; raw: Uint8Array } | Miss> {
    const written = await this.command(CDB.write10(request.lba), 'out', BLOCK_SIZE, requestBlock(request.message), signal);
    const writeMiss = await this.checkStatus(`WRITE(10) sector ${request.lba}`, written, signal);
    if (writeMiss) return writeMiss;
    const read = await this.command(CDB.read10(request.lba), 'in', BLOCK_SIZE, undefined, signal);
    const readMiss = await this.checkStatus(`READ(10) sector ${request.lba}`, read, signal);
    if (readMiss || read?.kind !== 'reply') return readMiss ?? { code: 'DEVICE_NO_RESPONSE', reason: 'no reply block' };
    const packet = packetFromBlock(read.data);
    if (packet.ok) {
      // The packet is what counts; stray bytes after it are only reported (PROTOCOL.md §3: zero padding).
      if (read.data.subarray(packet.raw.length).some((b) => b !== 0)) this.problem('PROTOCOL_UNEXPECTED', `sector ${request.lba}: bytes after the reply packet are not zero padding; the packet is used`);
      return packet;
    }
    if (packet.kind === 'checksum') {
      this.ctx.emit({ type: 'problem', code: 'PROTOCOL_CHECKSUM', message: `Verio ${packet.reason}`, raw: packet.raw });
      return { code: 'PROTOCOL_CHECKSUM', reason: packet.reason };
    }
    this.ctx.emit({ type: 'problem', code: 'PROTOCOL_TRUNCATED', message: `Verio reply block: ${packet.reason}`, raw: packet.raw });
    return { code: 'PROTOCOL_UNEXPECTED', reason: packet.reason };
  }

  /** Undefined when the command passed; otherwise what went wrong (a failed command's sense data read and reported). */
  private async checkStatus(what: string, reply: BotReply | undefined, signal: AbortSignal): Promise<Miss | undefined> {
    if (!reply) return { code: 'DEVICE_NO_RESPONSE', reason: `${what}: no status within ${PHASE_TIMEOUT_MS} ms` };
    if (reply.kind === 'broken') {
      this.problem('PROTOCOL_UNEXPECTED', `${what}: phase error (${reply.reason})`, reply.raw);
      return { code: 'PROTOCOL_UNEXPECTED', reason: `${what}: phase error (${reply.reason})` };
    }
    if (reply.status === 'passed') return undefined;
    if (reply.status === 'phase-error') {
      this.problem('PROTOCOL_UNEXPECTED', `${what}: the meter reported a phase error`, reply.csw);
      return { code: 'PROTOCOL_UNEXPECTED', reason: `${what}: phase error reported by the meter` };
    }
    const sense = await this.command(CDB.requestSense(SENSE_LENGTH), 'in', SENSE_LENGTH, undefined, signal);
    const key = sense?.kind === 'reply' && sense.data.length >= 3 ? `sense key 0x${((sense.data[2] ?? 0) & 0x0f).toString(16)}` : 'no sense data';
    this.problem('DEVICE_ERROR', `${what}: the meter failed the command (${key})`, reply.csw);
    return { code: 'PROTOCOL_UNEXPECTED', reason: `${what}: command failed, status (${key})` };
  }

  /** One BOT command: CBW, the OUT data if any, then the IN side (data and CSW) or undefined at the deadline. */
  private async command(cdb: Uint8Array, direction: 'in' | 'out', dataLength: number, out: Uint8Array | undefined, signal: AbortSignal): Promise<BotReply | undefined> {
    for (const item of this.reader.discard()) {
      this.problem('PROTOCOL_UNEXPECTED', `a reply to command ${item.tag} came after it was given up; dropped`);
    }
    this.tag = (this.tag + 1) >>> 0;
    const tag = this.tag;
    for (const p of this.framer.expect(tag, direction === 'in' ? dataLength : 0)) this.problem(p.code, p.message, p.raw);
    await this.ctx.link.write(encodeCbw({ tag, direction, dataLength, cdb }));
    if (out) await this.ctx.link.write(out);
    const item = await this.reader.next(signal, { clock: this.ctx.clock, ms: PHASE_TIMEOUT_MS });
    if (item !== undefined) return item;
    if (signal.aborted) throw signal.reason instanceof HubError ? signal.reason : new CancelledError('Verio download cancelled');
    if (this.reader.ended) throw this.reader.endError ?? new HubError('TRANSPORT_CLOSED', 'the link to the meter closed while waiting for a reply');
    return undefined;
  }

  private problem(code: ErrorCode, message: string, raw?: Uint8Array): void {
    this.ctx.emit({ type: 'problem', code, message: `Verio ${message}`, ...(raw ? { raw } : {}) });
  }
}
