import { type Clock, fromLatin1, type SimulatorFault } from '../../kit/index.ts';
import { encodePacket, readU16, readU32, writeU32, type PacketItem } from '../../families/lifescan/packets.ts';
import { verioSecondsFromEpochMs } from '../../families/lifescan/verio-time.ts';
import { COMMAND, LCB_NONE, PREFIX, STATUS_OK } from './protocol.ts';

/** One byte on the wire at 38400 baud with 8N1 framing: 10 bits (PROTOCOL.md §2). */
const BYTE_TIME_MS = 10_000 / 38400;
/** Status of a request the meter cannot serve (`09` is the error the notes quote, PROTOCOL.md §3). */
const STATUS_ERROR = 0x09;

/** A stored result as the meter keeps it. */
export interface StoredRecord {
  meterSeconds: number;
  mgdl: number;
  /** Control byte: 1 for control solution. */
  control: number;
  /** Meal byte: 0 none, 1 before, 2 after. */
  meal: number;
}

/** Everything a scenario says about the meter. */
export interface MeterSpec {
  serial: string;
  version: string;
  /** 0 mg/dL, 1 mmol/L (display only). */
  displayUnit: number;
  /** Meter clock minus the simulator's clock, in ms. */
  clockOffsetMs: number;
  /** The memory, index 0 (newest) first, made from the meter clock (seconds since 2000) at power-up. */
  records(meterNowSeconds: number): StoredRecord[];
  /** Prefix the meter answers with (the notes: it may differ from the one sent). Default: echo. */
  replyPrefix?: number;
  /** Record indexes whose reply fails its CRC the first time. */
  corruptResponseOnce?: readonly number[];
  /** Record indexes whose reply is not sent the first time. */
  dropResponseOnce?: readonly number[];
  /** Record index answered with STATUS_ERROR. */
  errorAtRecord?: number;
}

/** A packet to send at once; the UART is then busy `wireMs` while it goes out. */
export interface MeterReply {
  bytes: Uint8Array;
  wireMs: number;
}

/**
 * The Verio IQ's side of the protocol as a pure state machine: a packet in, the reply out
 * (PROTOCOL.md §4–6). A packet that fails its CRC gets no answer, as a UART meter would give.
 */
export class SimulatedVerioIq {
  private memory: StoredRecord[];
  private clockBaseSeconds: number;
  private clockBaseAt: number;
  private readonly spent = new Set<string>();

  constructor(
    private readonly spec: MeterSpec,
    private readonly clock: Clock,
    private readonly fault?: SimulatorFault,
  ) {
    this.clockBaseAt = clock.now();
    this.clockBaseSeconds = verioSecondsFromEpochMs(this.clockBaseAt + spec.clockOffsetMs);
    this.memory = spec.records(this.clockBaseSeconds);
  }

  /** The meter clock now, in seconds since 2000 on its wall clock. */
  meterSeconds(): number {
    return this.clockBaseSeconds + Math.floor((this.clock.now() - this.clockBaseAt) / 1000);
  }

  handle(item: PacketItem): MeterReply[] {
    if (item.kind === 'corrupt') return [];
    const message = item.packet.message;
    const index = recordIndex(message);
    const reply = this.reply(encodePacket(LCB_NONE, this.respond(message)));
    if (index !== undefined && this.fault === undefined) {
      if (this.once('drop', index, this.spec.dropResponseOnce)) return [];
      if (this.once('crc', index, this.spec.corruptResponseOnce)) reply.bytes = corrupt(reply.bytes);
    }
    return [reply];
  }

  private respond(message: Uint8Array): Uint8Array {
    const prefix = this.spec.replyPrefix ?? message[0] ?? PREFIX;
    const ok = (...data: number[]): Uint8Array => Uint8Array.of(prefix, STATUS_OK, ...data);
    const error = Uint8Array.of(prefix, STATUS_ERROR);
    // The prefix is not checked by the meter either: 03, 04 and 05 are all accepted (PROTOCOL.md §3).
    const body = message.subarray(1);
    const is = (command: Uint8Array): boolean => same(body, command.subarray(1));
    if (is(COMMAND.version)) {
      const text = fromLatin1(this.spec.version);
      return ok(text.length, ...text, 0);
    }
    if (is(COMMAND.serial)) return ok(...fromLatin1(this.spec.serial), 0);
    if (is(COMMAND.unit)) return ok(this.spec.displayUnit, 0, 0, 0);
    if (is(COMMAND.readClock)) return ok(...u32(this.meterSeconds()));
    if (body[0] === 0x20 && body[1] === 0x01 && body.length === 6) {
      this.clockBaseSeconds = readU32(body, 2);
      this.clockBaseAt = this.clock.now();
      return ok();
    }
    if (is(COMMAND.count)) return ok(this.memory.length & 0xff, this.memory.length >> 8);
    const index = recordIndex(message);
    const stored = index === undefined || index === this.spec.errorAtRecord ? undefined : this.memory[index];
    if (!stored) return error;
    return ok(...u32(stored.meterSeconds), stored.mgdl & 0xff, (stored.mgdl >> 8) & 0xff, stored.control, stored.meal, 0, 0);
  }

  private once(kind: string, record: number, where: readonly number[] | undefined): boolean {
    const key = `${kind}:${record}`;
    if (!where?.includes(record) || this.spent.has(key)) return false;
    this.spent.add(key);
    return true;
  }

  /** The packet with the scenario's fault mode applied; no think time (no source gives one). */
  private reply(bytes: Uint8Array): MeterReply {
    const sent = this.fault === 'bad-checksum' ? corrupt(bytes) : this.fault === 'truncate' ? bytes.slice(0, Math.max(2, Math.floor(bytes.length * 0.6))) : bytes;
    return { bytes: sent, wireMs: sent.length * BYTE_TIME_MS };
  }
}

function recordIndex(message: Uint8Array): number | undefined {
  return message.length === 4 && message[1] === 0x21 ? readU16(message, 2) : undefined;
}

/** The same packet with both CRC bytes wrong. */
function corrupt(bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  const n = out.length;
  if (n >= 2) {
    out[n - 1] = (out[n - 1] ?? 0) ^ 0x5a;
    out[n - 2] = (out[n - 2] ?? 0) ^ 0xa5;
  }
  return out;
}

function u32(value: number): number[] {
  const out = new Uint8Array(4);
  writeU32(out, 0, value);
  return [...out];
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
