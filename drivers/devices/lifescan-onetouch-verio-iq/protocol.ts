import { encodePacket, writeU32 } from '../../families/lifescan/packets.ts';

/**
 * The Verio IQ's messages (PROTOCOL.md §4–5): the LifeScan packet of drivers/families/lifescan
 * with link-control byte 00 (no sequence bits, no ACK packets: one request, one reply), sent
 * raw over the meter's own USB-serial chip. A message is `PFX CMD…`; a reply `PFX 06 <data>`.
 */

/** The prefix (service id) we send; replies may echo another, which is not checked (PROTOCOL.md §3). */
export const PREFIX = 0x03;
/** Reply status: success. Anything else is an error whose data mean nothing (PROTOCOL.md §3). */
export const STATUS_OK = 0x06;
/** Link-control byte: always 00 on the Verio meters (PROTOCOL.md §3). */
export const LCB_NONE = 0x00;

/** Request messages (PROTOCOL.md §5), glucometerutils' forms. */
export const COMMAND = {
  version: Uint8Array.of(PREFIX, 0x0d, 0x01),
  serial: Uint8Array.of(PREFIX, 0x0b, 0x01, 0x02),
  unit: Uint8Array.of(PREFIX, 0x09, 0x02, 0x02),
  readClock: Uint8Array.of(PREFIX, 0x20, 0x02),
  count: Uint8Array.of(PREFIX, 0x27, 0x00),
} as const;

/** `03 21 <u16 LE index>`: one record, index 0 the newest (PROTOCOL.md §5). */
export function readRecordCommand(index: number): Uint8Array {
  return Uint8Array.of(PREFIX, 0x21, index & 0xff, (index >> 8) & 0xff);
}

/** `03 20 01 <u32 LE seconds since 2000>`: set the meter clock (PROTOCOL.md §5). */
export function writeClockCommand(seconds: number): Uint8Array {
  const out = Uint8Array.of(PREFIX, 0x20, 0x01, 0, 0, 0, 0);
  writeU32(out, 3, seconds);
  return out;
}

/** A message as the packet the meter expects: LCB 00, LEN and CRC computed. */
export function requestPacket(message: Uint8Array): Uint8Array {
  return encodePacket(LCB_NONE, message);
}
