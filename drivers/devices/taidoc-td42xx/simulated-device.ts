import type { Clock, SimulatorFault } from '../../kit/index.ts';
import { CMD, FROM_METER, PACKET_LENGTH, encodeDateTime, encodePacket, type PacketItem } from './protocol.ts';

/** One byte at 19200 baud, 8N1: 10 bits (PROTOCOL.md §2). */
const BYTE_TIME_MS = 10_000 / 19200;
const MINUTE_MS = 60_000;

/** A stored result as the meter keeps it. */
export interface StoredRecord {
  /** Minutes before the meter's clock at power-up. */
  minutesAgo: number;
  /** The time bytes to send instead (a published vector, PROTOCOL.md §9). */
  timeBytes?: readonly number[];
  /** The stored number (mg/dL for glucose; a synthetic code for HI/LO, whose encoding no source gives). */
  value: number;
  /** 0 none, 1 before a meal, 2 after, 3 control solution (PROTOCOL.md §6). */
  mealBits: number;
  /** Measurement type (0 glucose). */
  type: number;
}

/** Everything a scenario says about the meter. */
export interface MeterSpec {
  /** The model word's BCD digits, e.g. 0x4277. */
  model: number;
  /** Serial parts as the meter sends them (each reversed on display). */
  serialParts?: readonly [readonly number[], readonly number[]];
  /** Meter clock minus the simulator's clock, in ms. */
  clockOffsetMs: number;
  records: readonly StoredRecord[];
  /** Answer the Nth request (1-based) with the `54` notice instead, once. */
  noticeBeforeRequest?: number;
  /** Record indexes whose value reply fails its checksum the first time. */
  corruptValueOnce?: readonly number[];
  /** Record indexes whose time reply is not sent the first time. */
  dropTimeOnce?: readonly number[];
}

/** A packet to send; the UART is then busy `wireMs` while it goes out. */
export interface MeterReply {
  bytes: Uint8Array;
  wireMs: number;
}

/**
 * The meter's side as a pure state machine: a request in, its replies out (PROTOCOL.md §4–6).
 * A packet that fails its checksum gets no answer; after `turn off` the meter is silent.
 */
export class SimulatedTd42xx {
  private readonly bootAt: number;
  private clockShiftMs: number;
  private requests = 0;
  private off = false;
  private readonly spent = new Set<string>();

  constructor(
    private readonly spec: MeterSpec,
    private readonly clock: Clock,
    private readonly fault?: SimulatorFault,
  ) {
    this.bootAt = clock.now();
    this.clockShiftMs = spec.clockOffsetMs;
  }

  handle(item: PacketItem): MeterReply[] {
    if (item.kind === 'corrupt' || this.off) return [];
    const { cmd, message } = item.packet;
    this.requests++;
    const out: MeterReply[] = [];
    // The notice comes instead of the answer: the meter has only now entered communication mode.
    if (this.spec.noticeBeforeRequest === this.requests) return [this.reply(encodePacket(CMD.communicationMode, [], FROM_METER))];
    const index = (message[0] ?? 0) | ((message[1] ?? 0) << 8);
    if (cmd === CMD.recordTime && this.once('drop', index, this.spec.dropTimeOnce)) return out;
    const answer = this.respond(cmd, message, index);
    if (answer === undefined) return out;
    let bytes = encodePacket(cmd, answer, FROM_METER);
    if (cmd === CMD.recordValue && this.once('crc', index, this.spec.corruptValueOnce)) bytes = corrupt(bytes);
    out.push(this.reply(bytes));
    return out;
  }

  /** The meter's wall clock now, as local-time parts. */
  private meterNow(): Date {
    return new Date(this.clock.now() + this.clockShiftMs);
  }

  private respond(cmd: number, message: Uint8Array, index: number): number[] | undefined {
    switch (cmd) {
      case CMD.connect:
        return [0, 0, 0, 0];
      case CMD.model:
        return [this.spec.model & 0xff, this.spec.model >> 8, 0x01, 0x00];
      case CMD.serialPart1:
      case CMD.serialPart2: {
        const part = this.spec.serialParts?.[cmd === CMD.serialPart1 ? 0 : 1];
        return part ? [...part] : undefined;
      }
      case CMD.readClock:
        return dateTimeBytes(this.meterNow());
      case CMD.setClock: {
        const word = (message[0] ?? 0) | ((message[1] ?? 0) << 8);
        const set = new Date(2000 + (word >> 9), ((word >> 5) & 0x0f) - 1, word & 0x1f, (message[3] ?? 0) & 0x1f, (message[2] ?? 0) & 0x3f);
        this.clockShiftMs = set.getTime() - this.clock.now();
        return [...message];
      }
      case CMD.recordCount: {
        const n = this.spec.records.length;
        return n === 0 ? [0, 0, 0xff, 0xff] : [n & 0xff, n >> 8, 0, 0];
      }
      case CMD.recordTime:
      case CMD.recordValue: {
        const record = this.spec.records[index];
        if (!record) return undefined;
        if (cmd === CMD.recordValue) return [record.value & 0xff, (record.value >> 8) & 0xff, 0x00, ((record.mealBits & 0x03) << 6) | ((record.type & 0x0f) << 2)];
        if (record.timeBytes) return [...record.timeBytes];
        return dateTimeBytes(new Date(this.bootAt + this.spec.clockOffsetMs - record.minutesAgo * MINUTE_MS));
      }
      case CMD.turnOff:
        this.off = true;
        return undefined;
      default:
        return undefined;
    }
  }

  private once(kind: string, index: number, where: readonly number[] | undefined): boolean {
    const key = `${kind}:${index}`;
    if (!where?.includes(index) || this.spent.has(key)) return false;
    this.spent.add(key);
    return true;
  }

  /** The packet with the run's fault mode applied; no think time (no source gives one). */
  private reply(bytes: Uint8Array): MeterReply {
    const sent = this.fault === 'bad-checksum' ? corrupt(bytes) : this.fault === 'truncate' ? bytes.slice(0, PACKET_LENGTH - 3) : bytes;
    return { bytes: sent, wireMs: sent.length * BYTE_TIME_MS };
  }
}

function dateTimeBytes(t: Date): number[] {
  return encodeDateTime({ year: t.getFullYear(), month: t.getMonth() + 1, day: t.getDate(), hour: t.getHours(), minute: t.getMinutes() });
}

/** The same packet with a wrong checksum. */
function corrupt(bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[PACKET_LENGTH - 1] = (out[PACKET_LENGTH - 1] ?? 0) ^ 0x5a;
  return out;
}
