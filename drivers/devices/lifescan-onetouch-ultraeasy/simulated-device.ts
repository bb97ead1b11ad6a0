import { type Clock, fromLatin1, type SimulatorFault } from '../../kit/index.ts';
import { meterSecondsFromEpochMs } from './decode.ts';
import {
  COMMAND, LCB, MESSAGE_PREFIX, RECORD_COUNT_INDEX, STATUS_OK, encodePacket, isAckPacket, readU16, readU32, type PacketItem,
} from './protocol.ts';
import { corruptCrc, MeterClock, meterReply, OneOffFaults, sameBytes, u32Bytes, type MeterReply, type PacketMeter } from '../../families/lifescan/simulated-meter.ts';

/** One byte on the wire at 9600 baud with 8N1 framing: 10 bits per byte (PROTOCOL.md §2). */
const BYTE_TIME_MS = 10_000 / 9600;
/** How late a `late` response comes: after the host's response deadline (1 s, PROTOCOL.md §2). */
const LATE_RESPONSE_MS = 1_500;
/** Status the meter answers to a request it cannot serve (glucometer-protocols' known error, PROTOCOL.md §3). */
const STATUS_ERROR = 0x09;

/** A stored result as the meter keeps it. */
export interface StoredRecord {
  meterSeconds: number;
  mgdl: number;
}

/** Everything a scenario says about the meter. */
export interface MeterSpec {
  serial: string;
  /** 9-character version and 8-character date, sent after a length byte (PROTOCOL.md §5). */
  version: string;
  /** 0 mg/dL, 1 mmol/L (display only). */
  displayUnit: number;
  /** Meter clock minus the simulator's clock, in ms. */
  clockOffsetMs: number;
  /** The memory, index 0 first, made from the meter's clock (meter-local seconds) at power-up. */
  records(meterNowSeconds: number): StoredRecord[];
  /** Status byte of the count response: 0x0F (glucometerutils) or 0x06 (PROTOCOL.md §5, [INFERRED]). */
  countStatus: number;
  /** `follow`: glucometerutils' sequence bits (PROTOCOL.md §4); `inverted`: both meter bits flipped on every packet. */
  bits: 'follow' | 'inverted';
  /** Record indexes whose response fails its CRC the first time it is sent. */
  corruptResponseOnce?: readonly number[];
  /** Record indexes whose ACK packet fails its CRC the first time. */
  corruptAckOnce?: readonly number[];
  /** Record indexes whose response is not sent the first time (the ACK is). */
  dropResponseOnce?: readonly number[];
  /** Record indexes whose response comes LATE_RESPONSE_MS late the first time. */
  lateResponseOnce?: readonly number[];
  /** Record index answered with STATUS_ERROR. */
  errorAtRecord?: number;
}

/** The Tidepool and glucometerutils serial requests differ after `05 0B 02` (PROTOCOL.md §5); both are answered. */
const SERIAL_TAIL_GLUCOMETERUTILS = new Uint8Array(9);
const SERIAL_TAIL_TIDEPOOL = COMMAND.serial.subarray(3);

/**
 * The meter's side of the protocol as a pure state machine: a packet in, the packets to send
 * out. It keeps the sequence bits as glucometerutils expects (PROTOCOL.md §4) or, for tests, flips them.
 */
export class SimulatedDevice implements PacketMeter {
  private memory: StoredRecord[];
  private readonly meterClock: MeterClock;
  private meterSend = 0;
  private awaitingAck = false;
  private readonly faults = new OneOffFaults();

  constructor(
    private readonly spec: MeterSpec,
    clock: Clock,
    private readonly fault?: SimulatorFault,
  ) {
    this.meterClock = new MeterClock(clock, spec.clockOffsetMs, meterSecondsFromEpochMs);
    this.memory = spec.records(this.meterClock.now());
  }

  /** The meter clock now, in meter-local seconds since 1970. */
  meterSeconds(): number {
    return this.meterClock.now();
  }

  /** What the meter sends in answer to one packet from the host. */
  handle(item: PacketItem): MeterReply[] {
    // A packet that fails its CRC is ignored: the host will ask again.
    if (item.kind === 'corrupt') return [];
    const { packet } = item;
    if (packet.lcb & LCB.disc) {
      this.meterSend = 0;
      this.awaitingAck = false;
      return [this.reply(encodePacket(LCB.disc | LCB.ack))];
    }
    if (isAckPacket(packet)) {
      if (this.awaitingAck) this.meterSend ^= 1;
      this.awaitingAck = false;
      return [];
    }
    const hostSend = packet.lcb & LCB.send ? 1 : 0;
    let bits = ((hostSend ^ 1) ? LCB.expect : 0) | (this.meterSend ? LCB.send : 0);
    if (this.spec.bits === 'inverted') bits ^= LCB.expect | LCB.send;
    this.awaitingAck = true;
    const record = this.recordIndex(packet.message);
    const ack = this.reply(encodePacket(LCB.ack | bits));
    const response = this.reply(encodePacket(bits, this.respond(packet.message)));
    // One-off faults of a scenario; a fault mode (every packet broken) already rules the bytes.
    if (record !== undefined && this.fault === undefined) {
      if (this.faults.once('ack', record, this.spec.corruptAckOnce)) ack.bytes = corruptCrc(ack.bytes);
      if (this.faults.once('drop', record, this.spec.dropResponseOnce)) return [ack];
      if (this.faults.once('late', record, this.spec.lateResponseOnce)) response.delayMs += LATE_RESPONSE_MS;
      if (this.faults.once('crc', record, this.spec.corruptResponseOnce)) response.bytes = corruptCrc(response.bytes);
    }
    return [ack, response];
  }

  /** The response message for a request message (PROTOCOL.md §5). */
  private respond(message: Uint8Array): Uint8Array {
    const ok = (...payload: number[]): Uint8Array => Uint8Array.of(MESSAGE_PREFIX, STATUS_OK, ...payload);
    const error = Uint8Array.of(MESSAGE_PREFIX, STATUS_ERROR);
    const [prefix, command, kind] = message;
    if (prefix !== MESSAGE_PREFIX) return error;
    if (sameBytes(message, COMMAND.version)) {
      const text = fromLatin1(this.spec.version);
      return ok(text.length, ...text);
    }
    if (command === 0x0b && kind === 0x02 && message.length === 12) {
      const tail = message.subarray(3);
      return sameBytes(tail, SERIAL_TAIL_TIDEPOOL) || sameBytes(tail, SERIAL_TAIL_GLUCOMETERUTILS) ? ok(...fromLatin1(this.spec.serial)) : error;
    }
    if (sameBytes(message, COMMAND.unit)) return ok(this.spec.displayUnit, 0, 0, 0);
    if (sameBytes(message, COMMAND.readClock)) return ok(...u32Bytes(this.meterSeconds()));
    if (command === 0x20 && kind === 0x01 && message.length === 7) {
      this.meterClock.set(readU32(message, 3));
      return ok(...u32Bytes(this.meterClock.now()));
    }
    if (command === 0x1a && message.length === 2) {
      this.memory = [];
      return ok();
    }
    const index = this.recordIndex(message);
    if (index === RECORD_COUNT_INDEX) return Uint8Array.of(MESSAGE_PREFIX, this.spec.countStatus, this.memory.length & 0xff, this.memory.length >> 8);
    const stored = index === undefined || index === this.spec.errorAtRecord ? undefined : this.memory[index];
    return stored ? ok(...u32Bytes(stored.meterSeconds), ...u32Bytes(stored.mgdl)) : error;
  }

  private recordIndex(message: Uint8Array): number | undefined {
    return message.length === 4 && message[0] === MESSAGE_PREFIX && message[1] === 0x1f ? readU16(message, 2) : undefined;
  }

  /** The packet with the scenario's fault mode applied (PROTOCOL.md §2: 9600 baud). */
  private reply(bytes: Uint8Array): MeterReply {
    return meterReply(bytes, BYTE_TIME_MS, this.fault);
  }
}
