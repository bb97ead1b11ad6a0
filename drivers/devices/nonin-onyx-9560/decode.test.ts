import { describe, expect, it } from 'vitest';
import { decodeClockReply, decodeDf8, decodeSpotCheck } from './decode.ts';
import { Df7Packets } from './df7.ts';
import { encodeDf7Packet } from './encode.ts';
import { normalizeDisplay, normalizeSpotCheck } from './normalize.ts';
import { COMMAND, OnyxFramer } from './protocol.ts';

const bytes = (hex: string): Uint8Array => Uint8Array.from(hex.split(' ').map((h) => parseInt(h, 16)));
/** The protocol notes' DF13 example (PROTOCOL.md §4). */
const EXAMPLE = bytes('00 02 00 0D 00 0E 20 26 05 15 16 51 07 00 02 00 00 48 00 61 79 03');

describe('nonin-onyx-9560 commands (PROTOCOL.md §2)', () => {
  it('encodes the spec example of set clock and the other commands', () => {
    expect(COMMAND.setClock(2050, 12, 31, 14, 30, 15)).toEqual(bytes('02 72 06 32 0C 1F 0E 1E 0F 03'));
    expect(COMMAND.readClock).toEqual(bytes('02 72 00 03'));
    expect(COMMAND.selectFormat('df8')).toEqual(bytes('02 70 02 02 08 03'));
    expect(COMMAND.selectFormat('df13')).toEqual(bytes('02 70 02 02 0D 03'));
  });
});

describe('nonin-onyx-9560 DF13 decode', () => {
  it('decodes the notes\' example', () => {
    const d = decodeSpotCheck(EXAMPLE);
    expect(d.ok && d.value).toMatchObject({ deviceTime: '2026-05-15T16:51:07', highQuality: true, noMeasurement: false, fromMemory: false, lowBattery: false, hr: 72, spo2: 97 });
  });

  it('a wrong checksum is PROTOCOL_CHECKSUM', () => {
    const bad = EXAMPLE.slice();
    bad[20] = 0x7a;
    expect(decodeSpotCheck(bad)).toMatchObject({ ok: false, code: 'PROTOCOL_CHECKSUM' });
  });

  it('an impossible BCD date is PROTOCOL_GARBAGE', () => {
    const bad = EXAMPLE.slice();
    bad[8] = 0x13; // month 13
    bad[20] = (bad[20] as number) + (0x13 - 0x05);
    expect(decodeSpotCheck(bad)).toMatchObject({ ok: false, code: 'PROTOCOL_GARBAGE' });
  });

  it('NOMS or a missing value makes no valid reading; flags come from the status bytes', () => {
    const record = { deviceTime: '2026-01-01T00:00:00', highQuality: false, noMeasurement: false, fromMemory: true, lowBattery: true, hr: 300, spo2: 88, raw: EXAMPLE };
    expect(normalizeSpotCheck(record)).toMatchObject({ valid: true, flags: ['from-memory', 'low-battery'], values: { spo2: 88, pulse: 300 } });
    expect(normalizeSpotCheck({ ...record, noMeasurement: true }).valid).toBe(false);
    expect(normalizeSpotCheck({ ...record, noMeasurement: true }).observations).toEqual([]);
    expect(normalizeSpotCheck({ ...record, hr: 511 }).valid).toBe(false);
    expect(normalizeSpotCheck({ ...record, spo2: 127 }).valid).toBe(false);
    expect(normalizeSpotCheck({ ...record, spo2: 0 }).valid).toBe(false);
  });

  it('decodes a clock reply and refuses an impossible one', () => {
    expect(decodeClockReply(bytes('02 F2 06 32 0C 1F 0E 1E 0F 03'))).toEqual({ ok: true, value: '2050-12-31T14:30:15' });
    expect(decodeClockReply(bytes('02 F2 06 32 0D 1F 0E 1E 0F 03')).ok).toBe(false);
  });
});

describe('nonin-onyx-9560 DF8 and DF7 (PROTOCOL.md §5–6)', () => {
  it('decodes the notes\' DF8 examples', () => {
    expect(decodeDf8(bytes('80 48 61 00'))).toMatchObject({ hr: 72, spo2: 97, sensorAlarm: false });
    expect(decodeDf8(bytes('81 16 5F 00'))).toMatchObject({ hr: 150, spo2: 95 });
    const out = decodeDf8(bytes('83 7F 7F 08'));
    expect(out).toMatchObject({ hr: 511, spo2: 127, sensorAlarm: true });
    expect(normalizeDisplay(out).valid).toBe(false);
    expect(normalizeDisplay(decodeDf8(bytes('88 58 5D 01')))).toMatchObject({ valid: true, values: { spo2: 93, pulse: 88 }, flags: ['low-battery'] });
  });

  it('frames the notes\' DF7 example frames by their checksum', () => {
    const framer = new OnyxFramer('df7');
    const out = framer.push(bytes('83 80 00 00 03 82 80 10 48 5A 82 80 20 61 83 82 80 70 00 72'));
    expect(out.frames.map((f) => f.kind)).toEqual(['df7', 'df7', 'df7', 'df7']);
    expect(out.problems).toEqual([]);
  });

  it('DF7 packets: waits for SYNC, gives the display values at frame 25, drops a short packet', () => {
    const packets = new Df7Packets();
    const packet = encodeDf7Packet(130, 96, 0);
    // Start mid-packet: frames before the next SYNC are dropped silently.
    for (let i = 10; i < 25; i++) expect(packets.push(packet.subarray(i * 5, i * 5 + 5))).toEqual({});
    let sample;
    for (let i = 0; i < 25; i++) sample = packets.push(packet.subarray(i * 5, i * 5 + 5)).sample ?? sample;
    expect(sample?.value).toMatchObject({ hr: 130, spo2: 96, sensorAlarm: false });
    for (let i = 0; i < 5; i++) packets.push(packet.subarray(i * 5, i * 5 + 5));
    expect(packets.push(packet.subarray(0, 5)).problem).toMatch(/5 frames/);
  });
});

describe('nonin-onyx-9560 framer', () => {
  it('finds control replies and records among noise, and reports a cut record at the end', () => {
    const framer = new OnyxFramer('df13');
    const out = framer.push(Uint8Array.of(0xff, 0x06, ...bytes('02 F2 06 1A 03 02 0A 0F 00 03'), 0x13, ...EXAMPLE, ...EXAMPLE.subarray(0, 9)));
    expect(out.frames.map((f) => f.kind)).toEqual(['ack', 'clock', 'df13']);
    expect(out.problems.map((p) => p.code)).toEqual(['PROTOCOL_GARBAGE', 'PROTOCOL_GARBAGE']);
    expect(framer.flush().problems.map((p) => p.code)).toEqual(['PROTOCOL_TRUNCATED']);
  });
});
