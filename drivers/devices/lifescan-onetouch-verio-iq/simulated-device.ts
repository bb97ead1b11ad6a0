import { type Clock, fromLatin1, type SimulatorFault } from '../../kit/index.ts';
import { encodePacket, readU16, readU32, type PacketItem } from '../../families/lifescan/packets.ts';
import { corruptCrc, MeterClock, meterReply, OneOffFaults, sameBytes, u32Bytes, type MeterReply, type PacketMeter } from '../../families/lifescan/simulated-meter.ts';
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

/**
 * The Verio IQ's side of the protocol as a pure state machine: a packet in, the reply out
 * (PROTOCOL.md §4–6). A packet that fails its CRC gets no answer, as a UART meter would give.
 */
export class SimulatedVerioIq implements PacketMeter {
  private readonly memory: StoredRecord[];
  private readonly meterClock: MeterClock;
  private readonly faults = new OneOffFaults();

  constructor(
    private readonly spec: MeterSpec,
    clock: Clock,
    private readonly fault?: SimulatorFault,
  ) {
    this.meterClock = new MeterClock(clock, spec.clockOffsetMs, verioSecondsFromEpochMs);
    this.memory = spec.records(this.meterClock.now());
  }

  /** The meter clock now, in seconds since 2000 on its wall clock. */
  meterSeconds(): number {
    return this.meterClock.now();
  }

  handle(item: PacketItem): MeterReply[] {
    if (item.kind === 'corrupt') return [];
    const message = item.packet.message;
    const index = recordIndex(message);
    const reply = this.reply(encodePacket(LCB_NONE, this.respond(message)));
    if (index !== undefined && this.fault === undefined) {
      if (this.faults.once('drop', index, this.spec.dropResponseOnce)) return [];
      if (this.faults.once('crc', index, this.spec.corruptResponseOnce)) reply.bytes = corruptCrc(reply.bytes);
    }
    return [reply];
  }

  private respond(message: Uint8Array): Uint8Array {
    const prefix = this.spec.replyPrefix ?? message[0] ?? PREFIX;
    const ok = (...data: number[]): Uint8Array => Uint8Array.of(prefix, STATUS_OK, ...data);
    const error = Uint8Array.of(prefix, STATUS_ERROR);
    // The prefix is not checked by the meter either: 03, 04 and 05 are all accepted (PROTOCOL.md §3).
    const body = message.subarray(1);
    const is = (command: Uint8Array): boolean => sameBytes(body, command.subarray(1));
    if (is(COMMAND.version)) {
      const text = fromLatin1(this.spec.version);
      return ok(text.length, ...text, 0);
    }
    if (is(COMMAND.serial)) return ok(...fromLatin1(this.spec.serial), 0);
    if (is(COMMAND.unit)) return ok(this.spec.displayUnit, 0, 0, 0);
    if (is(COMMAND.readClock)) return ok(...u32Bytes(this.meterSeconds()));
    if (body[0] === 0x20 && body[1] === 0x01 && body.length === 6) {
      this.meterClock.set(readU32(body, 2));
      return ok();
    }
    if (is(COMMAND.count)) return ok(this.memory.length & 0xff, this.memory.length >> 8);
    const index = recordIndex(message);
    const stored = index === undefined || index === this.spec.errorAtRecord ? undefined : this.memory[index];
    if (!stored) return error;
    return ok(...u32Bytes(stored.meterSeconds), stored.mgdl & 0xff, (stored.mgdl >> 8) & 0xff, stored.control, stored.meal, 0, 0);
  }

  /** The packet with the scenario's fault mode applied (PROTOCOL.md §2: 38400 baud). */
  private reply(bytes: Uint8Array): MeterReply {
    return meterReply(bytes, BYTE_TIME_MS, this.fault);
  }
}

function recordIndex(message: Uint8Array): number | undefined {
  return message.length === 4 && message[1] === 0x21 ? readU16(message, 2) : undefined;
}
