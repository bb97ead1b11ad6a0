/**
 * A GLUCOCARD Expression / Embrace TALK meter in PC Link Mode, written from the glucose-meters-2
 * protocol notes §6.1 only (the driver's PROTOCOL.md restates them): 11-byte packets
 * `SB OP P0..P7 CK`, `AA` host → meter, `DD` meter → host, `CK = (OP + ΣP) & 0xFF`.
 */
import { openByteDevice, type ByteDeviceOnPty } from './byte-device-on-pty.ts';

/** A memory record as the notes define its fields (§6.1 "Record payload"). */
export interface ExpressionNotesRecord {
  year: number; // full year, 2000–2127
  month: number;
  day: number;
  hour: number;
  minute: number;
  value: number;
  control?: boolean;
  /** Unit bit of P0: true = mg/dL (the notes: 1 = mg/dL). */
  mgdl?: boolean;
}

/** What the emulated meter holds. */
export interface ExpressionNotesMeter {
  serial: string; // 8 ASCII characters
  /** Meter clock minus real time, in ms (0 = in step); its local time is read as UTC fields. */
  clockOffsetMs: number;
  /** Memory slots in order; raw 8-byte payloads pass through untouched (the notes' example bytes). */
  slots: (ExpressionNotesRecord | Uint8Array)[];
}

/** `(OP + P0 + … + P7) & 0xFF`: the start byte is not summed (§6.1). */
export function packetSum(op: number, payload: Uint8Array): number {
  return payload.reduce((sum, b) => sum + b, op) & 0xff;
}

/** A meter → host packet. */
export function meterPacket(op: number, payload: ArrayLike<number>): Uint8Array {
  const p = Uint8Array.from({ length: 8 }, (_, i) => payload[i] ?? 0);
  return Uint8Array.from([0xdd, op, ...p, packetSum(op, p)]);
}

/** day bits 0–4, hour bits 5–9, minute bits 10–15, as a u16 (§6.1). */
const packDayTime = (day: number, hour: number, minute: number): number => day | (hour << 5) | (minute << 10);

/** A record's 8 payload bytes, with the field-sum checksum in P6..P7 (§6.1). */
export function recordPayload(r: ExpressionNotesRecord): Uint8Array {
  const yy = r.year - 2000;
  const unit = r.mgdl === false ? 0 : 1;
  const control = r.control ? 1 : 0;
  const dt = packDayTime(r.day, r.hour, r.minute);
  const sum = (yy + unit + control + r.month + r.day + r.hour + r.minute + r.value) & 0xffff;
  return Uint8Array.from([(unit << 7) | yy, (r.month << 4) | control, dt & 0xff, dt >> 8, r.value & 0xff, r.value >> 8, sum & 0xff, sum >> 8]);
}

/** Number of memory slots the `10` command sends (§6.1). */
export const EXPRESSION_SLOTS = 300;

/**
 * Start the meter on `path`. Host packets are taken whole from the byte stream (skipping to `AA`);
 * one with a wrong sum gets no answer, as a meter that did not understand it.
 */
export async function startExpressionMeter(path: string, meter: ExpressionNotesMeter): Promise<ByteDeviceOnPty & { commands: number[] }> {
  let pending = Buffer.alloc(0);
  const commands: number[] = [];
  const device = await openByteDevice(path, { baudRate: 19200 }, async (chunk, dev) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const start = pending.indexOf(0xaa);
      if (start < 0) pending = Buffer.alloc(0);
      else pending = pending.subarray(start);
      if (pending.length < 11) return;
      const packet = pending.subarray(0, 11);
      pending = pending.subarray(11);
      const op = packet[1]!;
      if (packetSum(op, packet.subarray(2, 10)) !== packet[10]) continue;
      commands.push(op);
      await answer(dev, op, packet.subarray(2, 10));
    }
  });
  async function answer(dev: ByteDeviceOnPty, op: number, p: Uint8Array): Promise<void> {
    const c = new Date(Date.now() + meter.clockOffsetMs);
    if (op === 0x00) await dev.send(meterPacket(0x00, [0x01]));
    else if (op === 0x07) {
      const dt = packDayTime(c.getUTCDate(), c.getUTCHours(), c.getUTCMinutes());
      await dev.send(meterPacket(0x07, [(c.getUTCFullYear() - 2000) & 0x7f, (c.getUTCMonth() + 1) & 0x0f, dt & 0xff, dt >> 8]));
    } else if (op === 0x0f) await dev.send(meterPacket(0x0f, [...Buffer.from(meter.serial, 'ascii')].reverse()));
    else if (op === 0x10) {
      const packets: Uint8Array[] = [];
      for (let i = 0; i < EXPRESSION_SLOTS; i++) {
        const slot = meter.slots[i];
        const payload = slot === undefined ? new Uint8Array(8).fill(0xff) : slot instanceof Uint8Array ? slot : recordPayload(slot);
        packets.push(meterPacket(0x10, payload));
      }
      await dev.send(Buffer.concat(packets));
    } else if (op === 0x16) {
      // Payload `YY M D H m 00 00 00` (§6.1); the meter's clock takes it.
      meter.clockOffsetMs = Date.UTC(2000 + p[0]!, p[1]! - 1, p[2]!, p[3]!, p[4]!) - Date.now();
      await dev.send(meterPacket(0x16, [0x01]));
    }
  }
  return Object.assign(device, { commands });
}
