import { type Clock, type SimulatorFault } from '../../kit/index.ts';
import { encodePacket, readU16, readU32, writeU32 } from '../../families/lifescan/packets.ts';
import { verioSecondsFromEpochMs } from '../../families/lifescan/verio-time.ts';
import { BLOCK_SIZE, CBW_LENGTH, CBW_SIGNATURE, decodeCbw, encodeCsw } from '../../families/usb-storage/bot.ts';
import { packetFromBlock } from './decode.ts';
import { LCB_NONE, LIFESCAN_VENDOR, PREFIX, REGISTER, STATUS_OK } from './protocol.ts';

/** Status of a request the meter cannot serve (`09`, PROTOCOL.md §4). */
const STATUS_ERROR = 0x09;

/** A stored result as the meter keeps it (PROTOCOL.md §6). */
export interface StoredRecord {
  meterSeconds: number;
  mgdl: number;
  /** Flags byte: bit 0 set for control solution. */
  flags: number;
  /** Meal byte: 0 none, 1 before, 2 after. */
  meal: number;
  /** Lifetime counter. */
  lifetime: number;
  /** The running "inverse" number; default derived from the position. */
  inverse?: number;
}

/** Everything a scenario says about the meter. */
export interface MeterSpec {
  serial: string;
  model: string;
  software: string;
  /** 0 mg/dL, 1 mmol/L (display only). */
  displayUnit: number;
  clockOffsetMs: number;
  /** The memory, index 0 (newest) first, from the meter clock (seconds since 2000) at power-up. */
  records(meterNowSeconds: number): StoredRecord[];
  /** INQUIRY vendor; default LifeScan. */
  vendor?: string;
  /** Record indexes whose reply block fails its CRC the first time. */
  corruptResponseOnce?: readonly number[];
  /** Record indexes whose READ(10) is answered with CSW "failed" the first time. */
  failReadOnce?: readonly number[];
  /** Close the link after this many records have been read (the meter pulled out). */
  unplugAfterRecords?: number;
}

/**
 * The Verio's side of Bulk-Only Transport and the register protocol as a pure state machine:
 * OUT bytes in, IN bytes out (PROTOCOL.md §2–§6). It cuts the OUT stream into CBWs and their
 * data, keeps the last request per register and answers READ(10) of that register with the reply
 * block. Writes to any other sector are counted (a driver must never make one).
 */
export class SimulatedVerio {
  private memory: StoredRecord[];
  private clockBaseSeconds: number;
  private clockBaseAt: number;
  private buffer: number[] = [];
  private outData: { tag: number; lba: number; length: number } | undefined;
  private readonly replies = new Map<number, Uint8Array>();
  private readonly spent = new Set<string>();
  private lastRecord: number | undefined;
  private sense = 0;
  /** Writes to sectors other than 3 and 4. */
  foreignWrites = 0;
  recordsRead = 0;

  constructor(
    private readonly spec: MeterSpec,
    private readonly clock: Clock,
    private readonly fault?: SimulatorFault,
  ) {
    this.clockBaseAt = clock.now();
    this.clockBaseSeconds = verioSecondsFromEpochMs(this.clockBaseAt + spec.clockOffsetMs);
    this.memory = spec.records(this.clockBaseSeconds);
  }

  meterSeconds(): number {
    return this.clockBaseSeconds + Math.floor((this.clock.now() - this.clockBaseAt) / 1000);
  }

  /** Bytes from the host; returns what goes back on the IN endpoint, in order. */
  push(chunk: Uint8Array): Uint8Array[] {
    this.buffer.push(...chunk);
    const out: Uint8Array[] = [];
    for (;;) {
      if (this.outData) {
        if (this.buffer.length < this.outData.length) return out;
        const data = Uint8Array.from(this.buffer.splice(0, this.outData.length));
        const { tag, lba } = this.outData;
        this.outData = undefined;
        out.push(this.written(tag, lba, data));
        continue;
      }
      // Resynchronise on the CBW signature: anything else is not a command (a real device would stall).
      const at = this.buffer.findIndex((b, i) => b === CBW_SIGNATURE[0] && CBW_SIGNATURE.every((s, j) => this.buffer[i + j] === s || i + j >= this.buffer.length));
      if (at < 0) {
        this.buffer = [];
        return out;
      }
      if (at > 0) this.buffer.splice(0, at);
      if (this.buffer.length < CBW_LENGTH) return out;
      const cbw = decodeCbw(Uint8Array.from(this.buffer.slice(0, CBW_LENGTH)));
      if (!cbw) {
        this.buffer.shift();
        continue;
      }
      this.buffer.splice(0, CBW_LENGTH);
      out.push(...this.command(cbw.tag, cbw.direction, cbw.dataLength, cbw.cdb));
    }
  }

  private command(tag: number, direction: 'in' | 'out', length: number, cdb: Uint8Array): Uint8Array[] {
    const op = cdb[0];
    const lba = readBe32(cdb, 2);
    if (op === 0x2a && direction === 'out') {
      this.outData = { tag, lba, length };
      return [];
    }
    if (op === 0x12) return this.dataIn(tag, length, inquiryData(this.spec.vendor ?? LIFESCAN_VENDOR));
    if (op === 0x03) {
      const sense = new Uint8Array(18);
      sense[0] = 0x70;
      sense[2] = this.sense;
      sense[7] = 10;
      this.sense = 0;
      return this.dataIn(tag, length, sense);
    }
    if (op === 0x28 && direction === 'in') {
      const reply = this.replies.get(lba);
      const index = this.lastRecord;
      if (lba === REGISTER.command && index !== undefined && this.once('fail', index, this.spec.failReadOnce)) {
        this.sense = 0x04; // hardware error
        return [encodeCsw(tag, length, 1)];
      }
      const block = new Uint8Array(BLOCK_SIZE);
      if (reply) block.set(reply.subarray(0, BLOCK_SIZE));
      return this.dataIn(tag, length, block);
    }
    // Anything else: "failed", illegal request, no data moved.
    this.sense = 0x05;
    return [encodeCsw(tag, length, 1)];
  }

  private dataIn(tag: number, length: number, data: Uint8Array): Uint8Array[] {
    const sent = data.subarray(0, length);
    return [sent.slice(), encodeCsw(tag, length - sent.length, 0)];
  }

  /** A WRITE(10) with its data: a request in a register gets its reply ready; other sectors are only counted. */
  private written(tag: number, lba: number, data: Uint8Array): Uint8Array {
    if (lba !== REGISTER.command && lba !== REGISTER.parameter) {
      this.foreignWrites++;
      return encodeCsw(tag, 0, 0);
    }
    const packet = packetFromBlock(data);
    // A request that fails its CRC gets no reply ready: reading the register gives the old block.
    if (packet.ok) this.replies.set(lba, this.reply(packet.message));
    return encodeCsw(tag, 0, 0);
  }

  private reply(message: Uint8Array): Uint8Array {
    const prefix = message[0] ?? PREFIX;
    const ok = (...data: number[]): Uint8Array => Uint8Array.of(prefix, STATUS_OK, ...data);
    const body = message.subarray(1);
    this.lastRecord = undefined;
    let out: Uint8Array = Uint8Array.of(prefix, STATUS_ERROR);
    if (body[0] === 0xe6 && body[1] === 0x02) {
      const text = [this.spec.serial, this.spec.model, this.spec.software][body[2] ?? 99];
      if (text !== undefined) out = ok(...utf16(text), 0, 0);
    } else if (body[0] === 0x04) {
      // READ PARAMETER always answers with prefix 03 (PROTOCOL.md §4).
      out = Uint8Array.of(PREFIX, STATUS_OK, this.spec.displayUnit, 0, 0, 0);
    } else if (body[0] === 0x20 && body[1] === 0x02) {
      out = ok(...u32(this.meterSeconds()));
    } else if (body[0] === 0x20 && body[1] === 0x01 && body.length >= 6) {
      this.clockBaseSeconds = readU32(body, 2);
      this.clockBaseAt = this.clock.now();
      out = ok();
    } else if (body[0] === 0x27) {
      out = ok(this.memory.length & 0xff, this.memory.length >> 8);
    } else if (body[0] === 0x31 && body[1] === 0x02 && body.length >= 4) {
      const index = readU16(body, 2);
      const stored = this.memory[index];
      if (stored) {
        this.lastRecord = index;
        this.recordsRead++;
        const inverse = stored.inverse ?? this.memory.length - 1 - index;
        out = ok(inverse & 0xff, inverse >> 8, stored.flags, stored.lifetime & 0xff, (stored.lifetime >> 8) & 0xff, ...u32(stored.meterSeconds), stored.mgdl & 0xff, (stored.mgdl >> 8) & 0xff, stored.meal, 0, 0, 0x0b, 0);
      }
    }
    let packet = encodePacket(LCB_NONE, out);
    const index = this.lastRecord;
    if (this.fault === 'bad-checksum' || (index !== undefined && this.once('crc', index, this.spec.corruptResponseOnce))) packet = corrupt(packet);
    if (this.fault === 'truncate') packet = packet.slice(0, Math.max(2, Math.floor(packet.length * 0.6)));
    return packet;
  }

  /** Should the meter vanish now (after its `unplugAfterRecords`-th record)? */
  get unplugNow(): boolean {
    return this.spec.unplugAfterRecords !== undefined && this.recordsRead >= this.spec.unplugAfterRecords;
  }

  private once(kind: string, record: number, where: readonly number[] | undefined): boolean {
    const key = `${kind}:${record}`;
    if (!where?.includes(record) || this.spent.has(key)) return false;
    this.spent.add(key);
    return true;
  }
}

function inquiryData(vendor: string): Uint8Array {
  const data = new Uint8Array(36);
  data[0] = 0x00; // direct-access block device
  data[1] = 0x80; // removable
  data[4] = 31; // additional length
  const padded = vendor.padEnd(8, ' ').slice(0, 8);
  for (let i = 0; i < 8; i++) data[8 + i] = padded.charCodeAt(i);
  // Product and revision stay blank, as the meter's (PROTOCOL.md §1).
  for (let i = 16; i < 36; i++) data[i] = 0x20;
  return data;
}

function utf16(text: string): number[] {
  return [...text].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8]);
}

function readBe32(bytes: Uint8Array, at: number): number {
  return (((bytes[at] ?? 0) << 24) | ((bytes[at + 1] ?? 0) << 16) | ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0)) >>> 0;
}

function corrupt(bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  const n = out.length;
  out[n - 1] = (out[n - 1] ?? 0) ^ 0x5a;
  out[n - 2] = (out[n - 2] ?? 0) ^ 0xa5;
  return out;
}

function u32(value: number): number[] {
  const out = new Uint8Array(4);
  writeU32(out, 0, value);
  return [...out];
}
