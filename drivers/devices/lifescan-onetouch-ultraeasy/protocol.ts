import {
  EMPTY_PACKET_LENGTH,
  PacketFramer,
  createPacketItemFramer,
  encodePacket,
  readU16,
  readU32,
  writeU32,
  type Packet,
  type PacketFramerOutput,
  type PacketItem,
} from '../../families/lifescan/packets.ts';

/**
 * The OneTouch UltraEasy / UltraMini link layer (PROTOCOL.md §3–5): the LifeScan packet of
 * drivers/families/lifescan/packets.ts, with this meter's link-control bits, prefix and commands.
 */
export { EMPTY_PACKET_LENGTH, PacketFramer, createPacketItemFramer, encodePacket, readU16, readU32, writeU32, type Packet, type PacketFramerOutput, type PacketItem };

/** Link-control byte bits (PROTOCOL.md §4). */
export const LCB = {
  /** More frames follow (unused by both implementations). */
  more: 0x10,
  /** Disconnect / link reset. */
  disc: 0x08,
  /** This packet acknowledges the peer's last packet (empty message). */
  ack: 0x04,
  /** The sequence bit this side expects next from its peer. */
  expect: 0x02,
  /** This side's send sequence bit. */
  send: 0x01,
} as const;

/** Every message on this meter starts with this prefix, requests and responses alike (PROTOCOL.md §3). */
export const MESSAGE_PREFIX = 0x05;
/** Response status: success (PROTOCOL.md §3). */
export const STATUS_OK = 0x06;
/** Count response status seen in glucometerutils' rewrite [INFERRED]; Tidepool does not check (PROTOCOL.md §5). */
export const STATUS_COUNT = 0x0f;
/** "Read record" with this index answers the number of records instead (PROTOCOL.md §5). */
export const RECORD_COUNT_INDEX = 501;

/** Request messages (PROTOCOL.md §5). */
export const COMMAND = {
  version: Uint8Array.of(0x05, 0x0d, 0x02),
  /** Tidepool's variant; glucometerutils sends `05 0B 02` and nine `00` bytes. Both are accepted by the simulator. */
  serial: Uint8Array.of(0x05, 0x0b, 0x02, 0x00, 0x00, 0x00, 0x00, 0x84, 0x6a, 0xe8, 0x73, 0x00),
  readClock: Uint8Array.of(0x05, 0x20, 0x02, 0x00, 0x00, 0x00, 0x00),
  unit: Uint8Array.of(0x05, 0x09, 0x02, 0x09, 0x00, 0x00, 0x00, 0x00),
} as const;

/** `05 1F <u16 LE index>`: read one record; index 501 reads the record count (PROTOCOL.md §5). */
export function readRecordCommand(index: number): Uint8Array {
  return Uint8Array.of(MESSAGE_PREFIX, 0x1f, index & 0xff, (index >> 8) & 0xff);
}

/** `05 20 01 <u32 LE seconds>`: set the meter clock, in meter-local seconds since 1970 (PROTOCOL.md §5). */
export function writeClockCommand(seconds: number): Uint8Array {
  const out = Uint8Array.of(MESSAGE_PREFIX, 0x20, 0x01, 0, 0, 0, 0);
  writeU32(out, 3, seconds);
  return out;
}

/** An empty control packet is an acknowledgement when its ACK bit is set. */
export function isAckPacket(packet: Packet): boolean {
  return (packet.lcb & LCB.ack) !== 0 && packet.message.length === 0;
}

