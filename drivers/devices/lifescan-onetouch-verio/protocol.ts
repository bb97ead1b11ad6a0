import { encodePacket, writeU32 } from '../../families/lifescan/packets.ts';
import { BLOCK_SIZE } from '../../families/usb-storage/bot.ts';

/**
 * The Verio's "register" protocol (PROTOCOL.md §3–§5): a LifeScan packet (drivers/families/
 * lifescan, LCB 00) at offset 0 of a zero-filled 512-byte block, written to a register sector
 * with WRITE(10), the reply read back from the same sector with READ(10).
 */

/** The two sectors the protocol uses; nothing else is ever written (PROTOCOL.md §3). */
export const REGISTER = { command: 3, parameter: 4 } as const;
export type RegisterLba = (typeof REGISTER)[keyof typeof REGISTER];

/** The prefix (service id) we send; the reply's is not checked (PROTOCOL.md §4). */
export const PREFIX = 0x03;
export const STATUS_OK = 0x06;
export const LCB_NONE = 0x00;
/** INQUIRY vendor identification of a LifeScan meter (bytes 8–15); checked before any write. */
export const LIFESCAN_VENDOR = 'LifeScan';

/** A request: which register, and the message between LCB and ETX. */
export interface VerioRequest {
  lba: RegisterLba;
  message: Uint8Array;
}

/** QUERY selectors (PROTOCOL.md §5): UTF-16LE strings. */
export const QUERY = { serial: 0x00, model: 0x01, software: 0x02 } as const;

export const COMMAND = {
  query: (selector: number): VerioRequest => ({ lba: REGISTER.command, message: Uint8Array.of(PREFIX, 0xe6, 0x02, selector) }),
  /** READ PARAMETER 04 = display unit, on its own register. */
  unit: { lba: REGISTER.parameter, message: Uint8Array.of(PREFIX, 0x04, 0x00) } as VerioRequest,
  readClock: { lba: REGISTER.command, message: Uint8Array.of(PREFIX, 0x20, 0x02) } as VerioRequest,
  count: { lba: REGISTER.command, message: Uint8Array.of(PREFIX, 0x27, 0x00) } as VerioRequest,
  /** `03 31 02 <u16 LE index> 00`, index 0 the newest. */
  record: (index: number): VerioRequest => ({ lba: REGISTER.command, message: Uint8Array.of(PREFIX, 0x31, 0x02, index & 0xff, (index >> 8) & 0xff, 0x00) }),
  /** `03 20 01 <u32 LE seconds since 2000>`. */
  writeClock: (seconds: number): VerioRequest => {
    const message = Uint8Array.of(PREFIX, 0x20, 0x01, 0, 0, 0, 0);
    writeU32(message, 3, seconds);
    return { lba: REGISTER.command, message };
  },
} as const;

/** The 512-byte block carrying a request packet. */
export function requestBlock(message: Uint8Array): Uint8Array {
  const block = new Uint8Array(BLOCK_SIZE);
  block.set(encodePacket(LCB_NONE, message), 0);
  return block;
}
