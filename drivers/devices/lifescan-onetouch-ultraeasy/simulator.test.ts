import { describe, expect, it } from 'vitest';
import { type SimulatorFault, toHex, VirtualClock } from '../../kit/index.ts';
import { PacketFramer, encodePacket, writeClockCommand } from './protocol.ts';
import { SimulatedDevice, type MeterSpec } from './simulated-device.ts';
import { syntheticMemory } from './simulator.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(s.trim().split(/\s+/), (b) => parseInt(b, 16));
/** 2015-03-21 17:00:00 on the meter's wall clock (tests run in UTC). */
const NOTES_NOW = Date.UTC(2015, 2, 21, 17, 0, 0);

/** The meter of PROTOCOL.md §9: 150 records, record 0 = 81 mg/dL at 2015-03-21 16:45:24. */
const NOTES_SPEC: MeterSpec = {
  serial: 'SIMUE0001',
  version: 'P02.00.0030/08/06',
  displayUnit: 0,
  clockOffsetMs: 0,
  countStatus: 0x0f,
  bits: 'follow',
  records: (now) => [{ meterSeconds: 0x550da024, mgdl: 81 }, ...syntheticMemory(149)(now)],
};

/** Feed host packets (hex) to a meter model; return the hex of everything it answers to each. */
function converse(spec: MeterSpec, host: string[], fault?: SimulatorFault, clock = new VirtualClock(NOTES_NOW)): string[][] {
  const meter = new SimulatedDevice(spec, clock, fault);
  return host.map((h) => {
    const out = new PacketFramer().push(hex(h));
    const item = out.items[0];
    if (!item) throw new Error(`not a packet: ${h}`);
    return meter.handle(item).map((r) => toHex(r.bytes));
  });
}

describe('the simulated meter', () => {
  it('answers the PROTOCOL.md §9 exchange byte for byte (sequence bits as glucometerutils keeps them)', () => {
    // The PROTOCOL.md §9 exchange reads the count first; the driver reads it as its fifth command, which
    // has the same bits (both toggle every command), so the packets are the same either way.
    const replies = converse(NOTES_SPEC, ['02 06 08 03 C2 62', '02 0A 00 05 1F F5 01 03 38 AA', '02 06 07 03 FC 72', '02 0A 03 05 1F 00 00 03 4B 5F', '02 06 04 03 AF 27']);
    expect(replies).toEqual([
      ['02 06 0C 03 06 AE'],
      ['02 06 06 03 CD 41', '02 0A 02 05 0F 96 00 03 D5 CB'],
      [],
      ['02 06 05 03 9E 14', '02 10 01 05 06 24 A0 0D 55 51 00 00 00 03 BD 5B'],
      [],
    ]);
  });

  it('answers both serial-number requests (Tidepool’s and glucometerutils’)', () => {
    const tidepool = encodePacket(0, hex('05 0B 02 00 00 00 00 84 6A E8 73 00'));
    const glucometerutils = encodePacket(0, hex('05 0B 02 00 00 00 00 00 00 00 00 00'));
    for (const request of [tidepool, glucometerutils]) {
      const [, response] = converse(NOTES_SPEC, [toHex(request)])[0] ?? [];
      expect(response).toBe(toHex(encodePacket(0x02, Uint8Array.of(0x05, 0x06, ...new TextEncoder().encode('SIMUE0001')))));
    }
  });

  it('sets its clock, echoes it, and then reads the new time', () => {
    const clock = new VirtualClock(NOTES_NOW);
    const meter = new SimulatedDevice(NOTES_SPEC, clock);
    const send = (lcb: number, message: string): string[] => meter.handle({ kind: 'packet', packet: { raw: encodePacket(lcb, hex(message)), lcb, message: hex(message) } }).map((r) => toHex(r.bytes));
    const [, echo] = send(0, toHex(writeClockCommand(0x60000000)));
    expect(echo).toContain('05 06 00 00 00 60');
    send(0x06, '');
    const [, read] = send(0x03, '05 20 02 00 00 00 00');
    expect(read).toContain('05 06 00 00 00 60');
  });

  it('answers an unknown command and a record past the end with status 0x09', () => {
    const [[, unknown], [, past]] = converse(NOTES_SPEC, [toHex(encodePacket(0, hex('05 77'))), toHex(encodePacket(0, hex('05 1F 96 00')))]) as [string[], string[]];
    expect(unknown).toContain('05 09');
    expect(past).toContain('05 09');
  });

  it('ignores a packet that fails its CRC (the host will ask again)', () => {
    const meter = new SimulatedDevice(NOTES_SPEC, new VirtualClock(NOTES_NOW));
    expect(meter.handle({ kind: 'corrupt', raw: hex('02 06 08 03 C2 63') })).toEqual([]);
  });

  it('fault modes: every packet has a wrong CRC, or is cut short', () => {
    const [[bad]] = converse(NOTES_SPEC, ['02 06 08 03 C2 62'], 'bad-checksum') as [string[]];
    expect(new PacketFramer().push(hex(bad ?? '')).problems.map((p) => p.code)).toEqual(['PROTOCOL_CHECKSUM']);
    const [[cut]] = converse(NOTES_SPEC, ['02 06 08 03 C2 62'], 'truncate') as [string[]];
    expect(cut).toBe('02 06 0C');
  });

  it('answers at once and keeps its UART busy for each packet\'s bytes on the wire at 9600 baud', () => {
    const meter = new SimulatedDevice(NOTES_SPEC, new VirtualClock(NOTES_NOW));
    const [ack, response] = meter.handle({ kind: 'packet', packet: { raw: hex('02 0A 00 05 1F F5 01 03 38 AA'), lcb: 0, message: hex('05 1F F5 01') } });
    // The ACK (6 bytes), then the 10-byte count response, at 10 bits a byte; no made-up think time.
    expect(ack?.delayMs).toBe(0);
    expect(ack?.wireMs).toBeCloseTo((6 * 10_000) / 9600, 6);
    expect(response?.delayMs).toBe(0);
    expect(response?.wireMs).toBeCloseTo((10 * 10_000) / 9600, 6);
  });
});
