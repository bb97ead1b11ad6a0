import { describe, expect, it } from 'vitest';
import { concatBytes, crc16CcittFalse, fromLatin1, toHex } from '../../kit/index.ts';
import { COMMAND, LCB, PacketFramer, RECORD_COUNT_INDEX, encodePacket, readRecordCommand, writeClockCommand, type PacketFramerOutput } from './protocol.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(s.trim().split(/\s+/), (b) => parseInt(b, 16));
const frame = (out: PacketFramerOutput): string[] => out.frames.map((f) => toHex(f.raw));

/** Every packet of PROTOCOL.md §3 and §9, with its link-control byte and message. */
const QUOTED: readonly [string, number, string][] = [
  ['02 06 08 03 C2 62', LCB.disc, ''], // host DISC (verified vector)
  ['02 06 0C 03 06 AE', LCB.disc | LCB.ack, ''], // meter DISC|ACK
  ['02 0A 00 05 1F F5 01 03 38 AA', 0x00, '05 1F F5 01'], // read record 501 (count)
  ['02 06 06 03 CD 41', LCB.ack | LCB.expect, ''], // meter ACK, E=1 S=0 (verified vector)
  ['02 0A 02 05 0F 96 00 03 D5 CB', LCB.expect, '05 0F 96 00'], // count = 150
  ['02 06 07 03 FC 72', LCB.ack | LCB.expect | LCB.send, ''], // host ACK, E=1 S=1
  ['02 0A 03 05 1F 00 00 03 4B 5F', LCB.expect | LCB.send, '05 1F 00 00'], // read record 0
  ['02 06 05 03 9E 14', LCB.ack | LCB.send, ''], // meter ACK, E=0 S=1
  ['02 10 01 05 06 24 A0 0D 55 51 00 00 00 03 BD 5B', LCB.send, '05 06 24 A0 0D 55 51 00 00 00'], // record 0
  ['02 06 04 03 AF 27', LCB.ack, ''], // host ACK, E=0 S=0
  ['02 09 03 05 0D 02 03 08 9F', LCB.expect | LCB.send, '05 0D 02'], // version (verified vector)
  ['02 12 00 05 0B 02 00 00 00 00 84 6A E8 73 00 03 9B EA', 0x00, '05 0B 02 00 00 00 00 84 6A E8 73 00'], // serial number
  ['02 0D 00 05 20 02 00 00 00 00 03 EC 61', 0x00, '05 20 02 00 00 00 00'], // read clock
  ['02 0E 00 05 09 02 09 00 00 00 00 03 CE E7', 0x00, '05 09 02 09 00 00 00 00'], // read unit
];

describe('CRC-16/CCITT-FALSE, the packet CRC (PROTOCOL.md §3)', () => {
  it('has the catalogue check value and the verified vectors', () => {
    expect(crc16CcittFalse(fromLatin1('123456789'))).toBe(0x29b1);
    expect(crc16CcittFalse(hex('02 06 06 03'))).toBe(0x41cd);
    expect(crc16CcittFalse(hex('02 06 08 03'))).toBe(0x62c2);
  });
});

describe('encodePacket (PROTOCOL.md §3)', () => {
  it.each(QUOTED)('builds %s', (bytes, lcb, message) => {
    expect(toHex(encodePacket(lcb, message ? hex(message) : undefined))).toBe(bytes);
  });

  it('builds the command messages of PROTOCOL.md §5', () => {
    expect(toHex(readRecordCommand(RECORD_COUNT_INDEX))).toBe('05 1F F5 01');
    expect(toHex(readRecordCommand(0x1234))).toBe('05 1F 34 12');
    expect(toHex(COMMAND.serial)).toBe('05 0B 02 00 00 00 00 84 6A E8 73 00');
    expect(toHex(writeClockCommand(0x550da024))).toBe('05 20 01 24 A0 0D 55');
  });

  it('refuses a message that cannot fit a one-byte length', () => {
    expect(() => encodePacket(0, new Uint8Array(250))).toThrow(RangeError);
    expect(encodePacket(0, new Uint8Array(249)).length).toBe(255);
  });
});

describe('PacketFramer', () => {
  it.each(QUOTED)('parses %s', (bytes, lcb, message) => {
    const out = new PacketFramer().push(hex(bytes));
    expect(out.problems).toEqual([]);
    expect(out.frames).toHaveLength(1);
    expect(out.frames[0]?.lcb).toBe(lcb);
    expect(toHex(out.frames[0]?.message ?? new Uint8Array(0))).toBe(message);
  });

  it('parses the whole PROTOCOL.md §9 exchange, one byte at a time, in order', () => {
    const framer = new PacketFramer();
    const stream = concatBytes(QUOTED.map(([b]) => hex(b)));
    const seen: string[] = [];
    for (const b of stream) seen.push(...frame(framer.push(Uint8Array.of(b))));
    expect(seen).toEqual(QUOTED.map(([b]) => b));
    expect(framer.flush().problems).toEqual([]);
  });

  it('reports a bad CRC as PROTOCOL_CHECKSUM with the packet, never as a frame', () => {
    const out = new PacketFramer().push(hex('02 10 01 05 06 24 A0 0D 55 51 00 00 00 03 BD 5C'));
    expect(out.frames).toEqual([]);
    expect(out.problems.map((p) => p.code)).toEqual(['PROTOCOL_CHECKSUM']);
    expect(out.items.map((i) => i.kind)).toEqual(['corrupt']);
    expect(out.problems[0]?.raw.length).toBe(16);
  });

  it('skips noise before a packet and reports it once', () => {
    const out = new PacketFramer().push(hex('FF 00 41 02 06 06 03 CD 41'));
    expect(frame(out)).toEqual(['02 06 06 03 CD 41']);
    expect(out.problems.map((p) => [p.code, toHex(p.raw)])).toEqual([['PROTOCOL_GARBAGE', 'FF 00 41']]);
  });

  it('gives up only one byte when LEN is too small or ETX is not where LEN says', () => {
    const out = new PacketFramer().push(hex('02 03 02 09 11 22 02 06 06 03 CD 41'));
    expect(frame(out)).toEqual(['02 06 06 03 CD 41']);
    expect(out.problems.map((p) => p.code)).toEqual(['PROTOCOL_TRUNCATED']);
  });

  it('finds a packet behind a stray STX whose LEN lands on the real ETX (bad CRC)', () => {
    // 02 08 looks like an 8-byte packet ending at the real packet's ETX + CRC; its CRC fails.
    const out = new PacketFramer().push(hex('02 08 02 06 06 03 CD 41'));
    expect(frame(out)).toEqual(['02 06 06 03 CD 41']);
    expect(out.problems.map((p) => p.code)).toEqual(['PROTOCOL_CHECKSUM']);
  });

  it('reports a packet cut short by the end of the stream as truncated', () => {
    const framer = new PacketFramer();
    expect(framer.push(hex('02 10 01 05 06 24')).problems).toEqual([]);
    const end = framer.flush();
    expect(end.problems.map((p) => [p.code, toHex(p.raw)])).toEqual([['PROTOCOL_TRUNCATED', '02 10 01 05 06 24']]);
  });

  it('recovers the next packet after a truncated one', () => {
    const out = new PacketFramer().push(hex('02 10 01 05 06 24 A0 0D 02 06 05 03 9E 14 02 0A 03 05 1F 00 00 03 4B 5F'));
    expect(frame(out)).toEqual(['02 06 05 03 9E 14', '02 0A 03 05 1F 00 00 03 4B 5F']);
    expect(out.problems.map((p) => p.code)).toEqual(['PROTOCOL_TRUNCATED']);
  });
});

describe('PacketFramer lookahead', () => {
  it('does not hold a whole packet back behind a stray STX that announces a long packet', () => {
    const out = new PacketFramer().push(hex('02 C8 02 06 06 03 CD 41'));
    expect(frame(out)).toEqual(['02 06 06 03 CD 41']);
    expect(out.problems.map((p) => p.code)).toEqual(['PROTOCOL_TRUNCATED']);
  });
  it('still waits for the rest of a long packet when nothing valid follows yet', () => {
    const framer = new PacketFramer();
    expect(framer.push(hex('02 10 01 05 06 24 A0 0D')).frames).toEqual([]);
    expect(frame(framer.push(hex('55 51 00 00 00 03 BD 5B')))).toEqual(['02 10 01 05 06 24 A0 0D 55 51 00 00 00 03 BD 5B']);
  });
});
