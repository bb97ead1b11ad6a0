import { describe, expect, it } from 'vitest';
import { createLinkPair, fromLatin1, latin1, TrackedClock, VirtualClock } from '../../kit/index.ts';
import { encodeCommand } from './protocol.ts';
import { recordText, meterWhen } from './simulated-device.ts';
import { CommandParser, simulator } from './simulator.ts';

const START = Date.UTC(2015, 2, 21, 16, 47, 2);

describe('CommandParser (the meter hearing commands, PROTOCOL.md §3)', () => {
  it('takes commands with the trailing CR (glucometerutils), without it (Tidepool), and with CR LF', () => {
    const parser = new CommandParser();
    const heard = [
      ...parser.push(encodeCommand('DM@')),
      ...parser.push(encodeCommand('DM?', false)),
      ...parser.push(fromLatin1('\u0011\rDMT03/21/15 16:50:00\r\n')),
      ...parser.push(encodeCommand('DMSU?', false)),
      ...parser.push(encodeCommand('DMP')),
    ];
    expect(heard).toEqual(['DM@', 'DM?', 'DMT03/21/15 16:50:00', 'DMSU?', 'DMP']);
  });

  it('hears the same commands whatever the chunking, and ignores bytes outside a command', () => {
    const stream = fromLatin1('noise\u0011\rDMF\r\u0011\rDMP\u0011\rDMXYZ\r\u0011\rDM@');
    const whole = new CommandParser().push(stream);
    expect(whole).toEqual(['DMF', 'DMP', 'DM@']);
    const bytewise = new CommandParser();
    expect(Array.from(stream).flatMap((b) => bytewise.push(Uint8Array.of(b)))).toEqual(whole);
  });
});

describe('simulator', () => {
  async function ask(commands: Uint8Array[], scenario = 'memory'): Promise<string> {
    const virtual = new VirtualClock(START);
    const clock = new TrackedClock(virtual);
    const pair = createLinkPair();
    const stop = new AbortController();
    let heard = '';
    pair.host.onData((chunk) => (heard += latin1(chunk)));
    const meter = simulator.run({ link: pair.device, clock, signal: stop.signal, scenario });
    for (const c of commands) {
      await pair.host.write(c);
      await virtual.runUntilIdle(500);
    }
    await virtual.runUntilIdle(60_000);
    await pair.host.close();
    await meter;
    expect(clock.pending).toBe(0);
    return heard;
  }

  it('answers a command with and without its trailing CR alike [inferred optional CR]', async () => {
    const withCr = await ask([encodeCommand('DM@'), encodeCommand('DM?'), encodeCommand('DMF')]);
    const withoutCr = await ask([encodeCommand('DM@', false), encodeCommand('DM?', false), encodeCommand('DMF', false)]);
    expect(withoutCr).toBe(withCr);
    expect(withCr).toBe('@ "SIM04711Y" 02E3\r\n?P02.00.00 30/08/06 03BC\r\nF "SAT","03/21/15","16:47:02   " 0604\r\n');
  });

  it('dumps a header and then every record, each line with its checksum', async () => {
    const dump = await ask([encodeCommand('DMP')]);
    const lines = dump.split('\r\n').filter((l) => l !== '');
    expect(lines).toHaveLength(57);
    expect(lines[0]).toMatch(/^P 056,"SIM04711Y","MG\/DL " [0-9A-F]{4}$/);
  });

  it('sets its clock with DMT and echoes the new time; DMZ empties the memory', async () => {
    const out = await ask([encodeCommand('DMT03/21/15 16:50:00'), encodeCommand('DMZ'), encodeCommand('DMP')], 'memory');
    expect(out).toBe('T "SAT","03/21/15","16:50:00   " 060A\r\nZ 005A\r\nP 000,"SIM04711Y","MG/DL " 0592\r\n');
  });

  it('not-in-pc-mode answers every command with one 0x00 byte', async () => {
    expect(await ask([encodeCommand('DM@'), encodeCommand('DMP')], 'not-in-pc-mode')).toBe('\u0000\u0000');
  });

  it('stops when aborted, leaving no timer', async () => {
    const virtual = new VirtualClock(START);
    const clock = new TrackedClock(virtual);
    const pair = createLinkPair();
    const stop = new AbortController();
    const meter = simulator.run({ link: pair.device, clock, signal: stop.signal, scenario: 'big' });
    await pair.host.write(encodeCommand('DMP'));
    await virtual.runUntilIdle(1_000);
    stop.abort();
    await expect(meter).resolves.toBeUndefined();
    expect(clock.pending).toBe(0);
  });

  it('prints records in the PROTOCOL.md §6 layout', () => {
    expect(meterWhen(Date.UTC(2015, 2, 21, 16, 45, 24))).toBe('"SAT","03/21/15","16:45:24   "');
    expect(recordText({ atMs: Date.UTC(2015, 2, 21, 16, 45, 24), result: '  081 ', meal: 'N', comment: '03' })).toBe('P "SAT","03/21/15","16:45:24   ","  081 ","N","03", 00');
  });
});
