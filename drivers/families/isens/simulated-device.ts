import type { Clock, SimulatorFault } from '../../kit/index.ts';
import { CMD, ECHO, GLUE_RECORD_LENGTH, PROTOCOL_MARK, encodeFrame, type FrameItem } from './protocol.ts';

const MINUTE_MS = 60_000;

/** A stored result as the meter keeps it. */
export interface StoredRecord {
  /** Minutes before the meter's clock at power-up. */
  minutesAgo: number;
  /** The 9 record bytes to send instead (a notes vector, drivers/devices/isens-caresens/PROTOCOL.md §6). */
  rawBytes?: readonly number[];
  /** FLAGS byte (drivers/devices/isens-caresens/PROTOCOL.md §6). */
  flags: number;
  /** mg/dL, or tenths of mmol/L for a ketone result. */
  value: number;
}

/** Everything a scenario says about the meter. */
export interface MeterSpec {
  /** RSNB payload text (a trailing `00` byte is added). */
  serial: string;
  /** Meter clock minus the simulator's clock, in ms. */
  clockOffsetMs: number;
  /** Newest first (record 1 first). */
  records: readonly StoredRecord[];
  /** The ECHO answer byte; default 2E (protocol 3). */
  echo?: number;
  /** Commands whose first reply fails its CRC. */
  corruptOnce?: readonly string[];
  /** GLUE start indexes answered once with the `ECRC` error reply. */
  errorReplyOnce?: readonly number[];
  /** Fill GLUE replies' CRC with 00 00, as the notes say meters may (not checked by the host). */
  glueCrcZero?: boolean;
  /** Ignore ECHO (a meter that only speaks frames). */
  silentEcho?: boolean;
}

/**
 * The meter's side as a pure state machine (drivers/devices/isens-caresens/PROTOCOL.md §3–6): a request in, its reply bytes out.
 * A request frame that fails its CRC is answered `ECRC`; an unknown command `CMND`.
 */
export class SimulatedCaresens {
  private readonly bootAt: number;
  private clockShiftMs: number;
  private readonly spent = new Set<string>();

  constructor(
    private readonly spec: MeterSpec,
    private readonly clock: Clock,
    private readonly fault?: SimulatorFault,
  ) {
    this.bootAt = clock.now();
    this.clockShiftMs = spec.clockOffsetMs;
  }

  handle(item: FrameItem): Uint8Array[] {
    if (item.kind === 'loose') {
      if (!item.raw.includes(ECHO) || this.spec.silentEcho) return [];
      return [Uint8Array.of(this.spec.echo ?? PROTOCOL_MARK.three)];
    }
    if (item.kind === 'corrupt') return [this.reply(encodeFrame('ECRC'))];
    const { cmd, payload } = item.frame;
    switch (cmd) {
      case CMD.serial:
        return [this.reply(encodeFrame(cmd, [...Array.from(this.spec.serial, (c) => c.charCodeAt(0)), 0x00]))];
      case CMD.readClock:
        return [this.reply(encodeFrame(cmd, timeBytes(new Date(this.clock.now() + this.clockShiftMs))))];
      case CMD.setClock: {
        const [yy = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0] = payload;
        this.clockShiftMs = new Date(2000 + yy, mo - 1, d, h, mi, s).getTime() - this.clock.now();
        return [this.reply(encodeFrame(cmd, payload.subarray(0, 6)))];
      }
      case CMD.count: {
        const n = this.spec.records.length;
        return [this.reply(encodeFrame(cmd, [n >> 8, n & 0xff]))];
      }
      case CMD.glucose: {
        const start = ((payload[0] ?? 0) << 8) | (payload[1] ?? 0);
        if (this.once('error', start, this.spec.errorReplyOnce)) return [this.reply(encodeFrame('ECRC'))];
        const count = payload[2] ?? 0;
        const body: number[] = [];
        for (const record of this.spec.records.slice(Math.max(0, start - 1), start - 1 + count)) body.push(...this.recordBytes(record));
        const frame = encodeFrame(cmd, body);
        if (this.spec.glueCrcZero) frame.fill(0, frame.length - 3, frame.length - 1);
        return [this.reply(frame)];
      }
      default:
        return [this.reply(encodeFrame('CMND'))];
    }
  }

  private recordBytes(record: StoredRecord): number[] {
    if (record.rawBytes) return [...record.rawBytes];
    const t = new Date(this.bootAt + this.spec.clockOffsetMs - record.minutesAgo * MINUTE_MS);
    return [...timeBytes(t), record.flags & 0xff, (record.value >> 8) & 0xff, record.value & 0xff].slice(0, GLUE_RECORD_LENGTH);
  }

  private once(kind: string, key: number | string, where: readonly (number | string)[] | undefined): boolean {
    const id = `${kind}:${key}`;
    if (!where?.includes(key) || this.spent.has(id)) return false;
    this.spent.add(id);
    return true;
  }

  /** The frame with the run's fault mode (or a scenario's one-off CRC fault) applied. */
  private reply(frame: Uint8Array): Uint8Array {
    const cmd = String.fromCharCode(...frame.subarray(6, 10));
    if (this.fault === 'bad-checksum' || this.once('crc', cmd, this.spec.corruptOnce)) return corrupt(frame);
    if (this.fault === 'truncate') return frame.slice(0, frame.length - 4);
    return frame;
  }
}

function timeBytes(t: Date): number[] {
  return [t.getFullYear() - 2000, t.getMonth() + 1, t.getDate(), t.getHours(), t.getMinutes(), t.getSeconds()];
}

/** The same frame with a wrong CRC. On a GLUE reply, whose CRC nobody checks, a record byte is cut instead. */
function corrupt(frame: Uint8Array): Uint8Array {
  const cmd = String.fromCharCode(...frame.subarray(6, 10));
  if (cmd === CMD.glucose && frame.length > 13) {
    const out = Uint8Array.of(...frame.subarray(0, 10), ...frame.subarray(11));
    out[5] = (out[5] ?? 0) - 1;
    return out;
  }
  const out = Uint8Array.from(frame);
  out[out.length - 2] = (out[out.length - 2] ?? 0) ^ 0x5a;
  return out;
}
