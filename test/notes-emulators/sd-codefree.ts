/**
 * An SD CodeFree meter on its 38400 8N1 cable, written from the glucose-meters-2 protocol notes
 * §7.2 only (the driver's PROTOCOL.md restates them). Packet `53 DIR LEN MSG… CK AA`: DIR `20`
 * meter → host, `10` host → meter; LEN = len(MSG) + 2; CK = XOR of the MSG bytes. The meter, not
 * the host, starts: when switched on it sends the challenge.
 */
import { openByteDevice, type ByteDeviceOnPty } from './byte-device-on-pty.ts';

/** A reading as the notes lay it out (§7.2 step 4). */
export interface CodeFreeNotesReading {
  year: number; // full year; sent as YY = year − 2000
  month: number;
  day: number;
  hour: number;
  minute: number;
  value: number;
  /** MEAL byte: `00` none, `10` before, `20` after. */
  meal?: 0x00 | 0x10 | 0x20;
}

/** XOR of the message bytes (§7.2). */
export const xorOf = (msg: ArrayLike<number>): number => Array.from(msg).reduce((x, b) => x ^ b, 0);

/** A packet around `msg` in direction `dir`. */
export function codeFreePacket(dir: 0x10 | 0x20, msg: ArrayLike<number>): Uint8Array {
  return Uint8Array.from([0x53, dir, msg.length + 2, ...Array.from(msg), xorOf(msg), 0xaa]);
}

/** The 17-byte reading message: `?? ?? YY MM DD hh mm VALUE(u16 BE) MEAL ×7 unknown` (§7.2). */
export function readingMessage(r: CodeFreeNotesReading): number[] {
  // The notes do not know the two leading and seven trailing bytes; arbitrary non-zero filler
  // checks that the driver ignores them.
  return [0x5a, 0x01, r.year - 2000, r.month, r.day, r.hour, r.minute, r.value >> 8, r.value & 0xff, r.meal ?? 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77];
}

/** What the emulated meter holds; `readings` newest first, as the meter sends them. */
export interface CodeFreeNotesMeter {
  readings: CodeFreeNotesReading[];
  /** Send the spurious leading `00` the notes mention before the challenge. */
  leadingZero?: boolean;
  /** The reading at this position goes out with its XOR checksum wrong (a line fault). */
  corruptAt?: number;
}

/** The meter's side of a session, plus what it saw. */
export interface CodeFreeEmulator extends ByteDeviceOnPty {
  /** Switch the meter on: it sends the challenge. */
  powerOn(): Promise<void>;
  /** Host messages (MSG bytes, hex) in order. */
  messages: string[];
  /** Host packets whose XOR or framing was wrong. */
  badPackets: number;
  /** The clock an `ADATE` message set (`YYYYMMDDHHMM`), if any. */
  clockSet?: string;
}

const CHALLENGE = [0x10, 0x30];
const HANDSHAKE = '1040';
const FETCH = '1060';

/** Start the meter on `path`; it stays silent until {@link CodeFreeEmulator.powerOn}. */
export async function startCodeFreeMeter(path: string, meter: CodeFreeNotesMeter): Promise<CodeFreeEmulator> {
  let pending = Buffer.alloc(0);
  let next = 0;
  let state: 'off' | 'challenged' | 'counted' | 'gone' = 'off';
  const emu = {} as CodeFreeEmulator;
  const device = await openByteDevice(path, { baudRate: 38400 }, async (chunk, dev) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const start = pending.indexOf(0x53);
      pending = start < 0 ? Buffer.alloc(0) : pending.subarray(start);
      if (pending.length < 3) return;
      const total = pending[2]! + 3; // 53 DIR LEN, then LEN bytes (MSG, CK, AA)
      if (pending.length < total) return;
      const packet = pending.subarray(0, total);
      pending = pending.subarray(total);
      const msg = packet.subarray(3, total - 2);
      if (packet[1] !== 0x10 || packet[total - 1] !== 0xaa || xorOf(msg) !== packet[total - 2]) {
        emu.badPackets++;
        continue;
      }
      const hex = msg.toString('hex');
      emu.messages.push(hex);
      await answer(dev, hex, msg);
    }
  });
  async function answer(dev: ByteDeviceOnPty, hex: string, msg: Buffer): Promise<void> {
    if (state === 'challenged' && hex === HANDSHAKE) {
      state = 'counted';
      const n = meter.readings.length;
      await dev.send(codeFreePacket(0x20, [0x30, n >> 8, n & 0xff, ...new Array<number>(19).fill(0xaa)]));
    } else if (state === 'counted' && hex === FETCH) {
      const reading = meter.readings[next++];
      // A fetch after the last reading (or after setting the clock) ends the session.
      if (reading === undefined) state = 'gone';
      else {
        const packet = codeFreePacket(0x20, readingMessage(reading));
        if (next - 1 === meter.corruptAt) packet[packet.length - 2]! ^= 0xff;
        await dev.send(packet);
      }
    } else if (state === 'counted' && msg.subarray(0, 5).toString('latin1') === 'ADATE') {
      emu.clockSet = msg.subarray(5).toString('latin1');
      next = meter.readings.length;
      await dev.send(codeFreePacket(0x20, [0x10, 0x10]));
    }
    // Anything else: the real meter shows E-5 and needs switching off; it answers nothing more.
    else state = 'gone';
  }
  return Object.assign(emu, device, {
    messages: [],
    badPackets: 0,
    async powerOn() {
      state = 'challenged';
      await device.send(Uint8Array.from([...(meter.leadingZero ? [0x00] : []), ...codeFreePacket(0x20, CHALLENGE)]));
    },
  });
}
