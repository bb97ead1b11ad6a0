import { describe, expect, it } from 'vitest';
import { createLinkPair, fromLatin1, resolveOptions, runSession, type SessionEvent, type SessionResult, TrackedClock, VirtualClock } from '../../kit/index.ts';
import { clockArgument } from './driver.ts';
import { lifescanOnetouchUltra2Driver as driver } from './index.ts';
import { formatLine as line } from './protocol.ts';
import { CommandParser } from './simulator.ts';

/** The PROTOCOL.md §9 exchange: Tidepool's real header and records; the clock reply is synthetic. */
const REAL = {
  serial: line('@ "GMF600DCY"'),
  version: line('?P02.00.00 30/08/06'),
  clock: line('F "SAT","03/21/15","16:47:02   "'),
  header: line('P 003,"GMF600DCY","MG/DL "'),
  records: [
    line('P "SAT","03/21/15","16:45:24   ","  081 ","N","03", 00'),
    line('P "SAT","03/21/15","16:42:11   ","  105 ","B","02", 00'),
    line('P "SAT","03/21/15","16:39:46   ","  176 ","N","02", 00'),
  ],
};
const DUMP = REAL.header + REAL.records.join('');
const START = Date.UTC(2015, 2, 21, 16, 47, 2);
const REPLY_MS = 10;

/** What the scripted meter answers to the n-th time it hears a command; undefined: silence. */
type Script = (command: string, n: number) => string | undefined;

const standard: Script = (command) =>
  ({ 'DM@': REAL.serial, 'DM?': REAL.version, DMF: REAL.clock, DMP: DUMP })[command] ?? (command.startsWith('DMT') ? line(`T "SAT",${command.slice(3).replace(/^(\S+) (\S+)$/, '"$1","$2   "')}`) : undefined);

/** Run a session against a meter that answers from a script, on a virtual clock. */
async function scripted(script: Script, opts: { closeAfter?: string; setDeviceClock?: boolean } = {}): Promise<{ result: SessionResult; events: SessionEvent[]; heard: string[]; timersLeft: number }> {
  const virtual = new VirtualClock(START);
  const clock = new TrackedClock(virtual);
  const pair = createLinkPair();
  const parser = new CommandParser();
  const heard: string[] = [];
  pair.device.onData((chunk) => {
    for (const command of parser.push(chunk)) {
      heard.push(command);
      const reply = script(command, heard.filter((c) => c === command).length);
      if (reply === undefined) continue;
      clock.setTimer(REPLY_MS, () => {
        void pair.device.write(fromLatin1(reply)).then(() => (opts.closeAfter === command ? pair.device.close() : undefined));
      });
    }
  });
  const events: SessionEvent[] = [];
  const session = runSession({ driver, link: pair.host, clock, setDeviceClock: opts.setDeviceClock, onEvent: (e) => events.push(e) });
  await virtual.runUntilIdle();
  const result = await session;
  await virtual.runUntilIdle();
  return { result, events, heard, timersLeft: clock.pending };
}

const problems = (events: readonly SessionEvent[]): string[] => events.flatMap((e) => (e.type === 'problem' ? [`${e.code}: ${e.message}`] : []));
const values = (r: SessionResult): unknown[] => r.readings.map((x) => x.observations[0]?.value);

describe('the PROTOCOL.md §9 exchange against a scripted meter', () => {
  it('gives the three real records, oldest first, with no problem', async () => {
    const { result, heard, timersLeft } = await scripted(standard);
    expect(heard).toEqual(['DM@', 'DM?', 'DMF', 'DMP']);
    expect(result.identity).toEqual({ manufacturer: 'LifeScan', model: 'OneTouch Ultra 2', serial: 'GMF600DCY', firmware: 'P02.00.00 30/08/06' });
    expect(result.readings.map((r) => [r.deviceTime, r.kind, r.flags])).toEqual([
      ['2015-03-21T16:39:46', 'patient', ['comment:too-much-food']],
      ['2015-03-21T16:42:11', 'patient', ['meal:before', 'comment:too-much-food']],
      ['2015-03-21T16:45:24', 'patient', ['comment:mild-exercise']],
    ]);
    expect(values(result)).toEqual([176, 105, 81].map((value) => ({ kind: 'quantity', value, unit: 'mg/dL' })));
    expect(result.problems).toEqual({});
    expect(timersLeft).toBe(0);
  });

  it('sets the clock with DMT MM/DD/YY HH:MM:SS and checks the echo (PROTOCOL.md §9: DMT03/21/15 16:50:00 → 060A)', async () => {
    expect(clockArgument(Date.UTC(2015, 2, 21, 16, 50, 0))).toBe('03/21/15 16:50:00');
    const skewed: Script = (command, n) => (command === 'DMF' ? line('F "SAT","03/21/15","15:47:02   "') : standard(command, n));
    const { result, heard } = await scripted(skewed, { setDeviceClock: true });
    expect(result.deviceClock?.set).toBe(true);
    expect(heard[4]).toMatch(/^DMT03\/21\/15 16:47:0\d$/);
  });

  it('refuses an echo that is not the time sent, and a year the meter cannot hold', async () => {
    const wrongEcho: Script = (command, n) => (command === 'DMF' ? line('F "SAT","03/21/15","15:47:02   "') : command.startsWith('DMT') ? line('T "SAT","01/01/00","00:00:00   "') : standard(command, n));
    const { result } = await scripted(wrongEcho, { setDeviceClock: true });
    expect(result.error).toMatchObject({ code: 'DEVICE_ERROR' });
    expect(result.readings).toHaveLength(3); // the download itself was complete
    expect(() => clockArgument(Date.UTC(2100, 0, 1))).toThrow(/two-digit years/);
  });
});

describe('commands: retries and stray input', () => {
  it('a reply with a bad checksum is reported and the command sent again', async () => {
    const script: Script = (command, n) => (command === 'DM@' && n === 1 ? REAL.serial.replace('02F4', '02F5') : standard(command, n));
    const { result, heard, events } = await scripted(script);
    expect(heard.slice(0, 3)).toEqual(['DM@', 'DM@', 'DM?']);
    expect(result.problems).toEqual({ PROTOCOL_CHECKSUM: 1 });
    expect(problems(events)[0]).toMatch(/reply to DM@ rejected .*sending DM@ again \(try 2 of 3\)/);
    expect(result.readings).toHaveLength(3);
  });

  it('silence is reported and the command sent again; three silences fail plainly', async () => {
    const once: Script = (command, n) => (command === 'DMF' && n === 1 ? undefined : standard(command, n));
    const retried = await scripted(once);
    expect(retried.heard.filter((c) => c === 'DMF')).toHaveLength(2);
    expect(retried.result.problems).toEqual({ DEVICE_NO_RESPONSE: 1 });
    expect(retried.result.readings).toHaveLength(3);
    const never: Script = (command, n) => (command === 'DM?' ? undefined : standard(command, n));
    const failed = await scripted(never);
    expect(failed.result.end).toBe('failed');
    expect(failed.result.error?.code).toBe('DEVICE_NO_RESPONSE');
    expect(failed.result.error?.message).toMatch(/no valid reply to DM\? after 3 tries/);
    expect(failed.timersLeft).toBe(0);
  });

  it('a stale line before the reply is skipped and reported; a 0x00 followed by a reply is only noise', async () => {
    const script: Script = (command, n) => (command === 'DM?' ? `\u0000${REAL.serial}${REAL.version}` : standard(command, n));
    const { result, events } = await scripted(script);
    expect(result.identity?.firmware).toBe('P02.00.00 30/08/06');
    expect(result.problems).toEqual({ PROTOCOL_UNEXPECTED: 1 });
    expect(problems(events)[0]).toMatch(/unexpected line while waiting for the reply to DM\?/);
    expect(result.readings).toHaveLength(3);
  });

  it('probe: true when a meter answers DM@, false when nothing does', async () => {
    const make = (answer: boolean) => {
      const virtual = new VirtualClock(START);
      const pair = createLinkPair();
      const parser = new CommandParser();
      pair.device.onData((chunk) => {
        for (const c of parser.push(chunk)) if (answer && c === 'DM@') void pair.device.write(fromLatin1(REAL.serial));
      });
      const session = driver.createSession({ link: pair.host, clock: virtual, signal: new AbortController().signal, options: resolveOptions(driver.manifest), emit: () => undefined });
      return { virtual, session };
    };
    for (const answer of [true, false]) {
      const { virtual, session } = make(answer);
      const found = session.probe(new AbortController().signal);
      await virtual.runUntilIdle();
      await expect(found).resolves.toBe(answer);
      await session.close();
    }
  });
});

describe('the dump: re-request, never a partial or duplicate import', () => {
  it('a damaged header lets its lines pass, then the whole dump is asked again', async () => {
    const script: Script = (command, n) => (command === 'DMP' && n === 1 ? DUMP.replace('05A6', '05A7') : standard(command, n));
    const { result, heard } = await scripted(script);
    expect(heard.filter((c) => c === 'DMP')).toHaveLength(2);
    expect(result.problems).toEqual({ PROTOCOL_CHECKSUM: 1 });
    expect(values(result)).toHaveLength(3);
  });

  it('a dump that stops half-way is asked again; the records of the broken try are not imported', async () => {
    const script: Script = (command, n) => (command === 'DMP' && n === 1 ? REAL.header + (REAL.records[0] ?? '') + 'P "SAT","03/21/' : standard(command, n));
    const { result, events } = await scripted(script);
    expect(result.problems).toEqual({ PROTOCOL_TRUNCATED: 1 });
    expect(problems(events)[0]).toMatch(/the dump stopped after 1 of 3 records, inside a line/);
    expect(result.readings.map((r) => r.deviceTime)).toEqual(['2015-03-21T16:39:46', '2015-03-21T16:42:11', '2015-03-21T16:45:24']);
  });

  it('a dump that is never clean fails with PROTOCOL_CHECKSUM after three requests and imports nothing', async () => {
    const script: Script = (command, n) => (command === 'DMP' ? DUMP.replace('099F', '0000') : standard(command, n));
    const { result, heard, timersLeft } = await scripted(script);
    expect(heard.filter((c) => c === 'DMP')).toHaveLength(3);
    expect(result.end).toBe('failed');
    expect(result.error?.code).toBe('PROTOCOL_CHECKSUM');
    expect(result.error?.message).toMatch(/Nothing was imported/);
    expect(result.readings).toEqual([]);
    expect(result.problems).toEqual({ PROTOCOL_CHECKSUM: 3 });
    expect(timersLeft).toBe(0);
  });

  it('the cable pulled mid-dump fails with TRANSPORT_CLOSED and imports nothing', async () => {
    const script: Script = (command, n) => (command === 'DMP' ? REAL.header + (REAL.records[0] ?? '') : standard(command, n));
    const { result, timersLeft } = await scripted(script, { closeAfter: 'DMP' });
    expect(result.end).toBe('failed');
    expect(result.error?.code).toBe('TRANSPORT_CLOSED');
    expect(result.readings).toEqual([]);
    expect(timersLeft).toBe(0);
  });

  it('a record line with a good checksum but an unreadable layout is reported and skipped, the others kept', async () => {
    const script: Script = (command, n) => (command === 'DMP' ? REAL.header + (REAL.records[0] ?? '') + line('P "SAT","13/45/15","16:42:11   ","  105 ","B","02", 00') + (REAL.records[2] ?? '') : standard(command, n));
    const { result } = await scripted(script);
    expect(result.problems).toEqual({ PROTOCOL_GARBAGE: 1 });
    expect(values(result)).toEqual([176, 81].map((value) => ({ kind: 'quantity', value, unit: 'mg/dL' })));
  });

  it('a header naming another serial is reported; readings keep the serial the meter gave to DM@', async () => {
    const script: Script = (command, n) => (command === 'DMP' ? line('P 003,"OTHER000Y","MG/DL "') + REAL.records.join('') : standard(command, n));
    const { result } = await scripted(script);
    expect(result.problems).toEqual({ PROTOCOL_UNEXPECTED: 1 });
    expect(result.readings.every((r) => r.device.serial === 'GMF600DCY')).toBe(true);
  });
});
