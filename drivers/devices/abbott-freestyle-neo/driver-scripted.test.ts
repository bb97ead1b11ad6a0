import { describe, expect, it } from 'vitest';
import { createLinkPair, latin1, type Link, resolveOptions, runSession, type SessionEvent, type SessionResult, type TappedChunk, TappedLink, TrackedClock, VirtualClock } from '../../kit/index.ts';
import { parseDbRecordCount } from './decode.ts';
import { abbottFreestyleNeoDriver as driver } from './index.ts';
import { encodeReport, formatTextReply, hex, parseReport, splitPayloads, textChecksum } from './protocol.ts';

/** A scripted meter: answers INIT, and each text command with the reports `answer` gives (none: silence). */
type ScriptedAnswer = (command: string, nth: number, device: Link) => Uint8Array[] | undefined;

const reports = (text: string, sizes?: number[]): Uint8Array[] => splitPayloads(text, sizes).map((p) => encodeReport(0x60, p));
const ok = (message: string, sizes?: number[]): Uint8Array[] => reports(formatTextReply(message), sizes);
const fail = (): Uint8Array[] => reports(formatTextReply('', false));
const hexBytes = (text: string): Uint8Array => Uint8Array.from(text.trim().split(/\s+/), (h) => parseInt(h, 16));

/** The example of PROTOCOL.md §3 (fixtures/notes-example.trace), verbatim: the records, their reports, and the meter's other answers. */
const NOTES_RECORDS = ['7,224,3,21,15,16,45,0,81,0,1,0,0,0,0,0,0,0,0', '9,225,3,21,15,17,2,0,9,1', '7,226,3,22,15,7,58,0,HI,0,1,0,0,0,0,0,0,0,0'];
const NOTES_RESULT_REPORTS = [
  '60 3E 37 2C 32 32 34 2C 33 2C 32 31 2C 31 35 2C 31 36 2C 34 35 2C 30 2C 38 31 2C 30 2C 31 2C 30 2C 30 2C 30 2C 30 2C 30 2C 30 2C 30 2C 30 0D 0A 39 2C 32 32 35 2C 33 2C 32 31 2C 31 35 2C 31 37',
  '60 3E 2C 32 2C 30 2C 39 2C 31 0D 0A 37 2C 32 32 36 2C 33 2C 32 32 2C 31 35 2C 37 2C 35 38 2C 30 2C 48 49 2C 30 2C 31 2C 30 2C 30 2C 30 2C 30 2C 30 2C 30 2C 30 2C 30 0D 0A 33 2C 30 30 30 30 31',
  '60 1C 35 32 43 0D 0A 43 4B 53 4D 3A 30 30 30 30 31 37 33 44 0D 0A 43 4D 44 20 4F 4B 0D 0A',
].map(hexBytes);
const KEEP_ALIVE = Uint8Array.of(0x22, 0x01, 0x05);
const NEO: Readonly<Record<string, string>> = { '$serlnum?': 'JGGA123-K1234\r\n', '$swver?': '2.1.2\r\n', '$date?': '3,21,15\r\n', '$time?': '16,45\r\n', '$gunits?': '1\r\n' };
/** Just after the example's meter clock, so its records are not skewed. */
const NOTES_NOW = Date.UTC(2015, 2, 21, 16, 45, 30);

const records = (lines: readonly string[], sum?: number): string => {
  const body = lines.map((l) => `${l}\r\n`).join('');
  return `${body}${lines.length},${hex(sum ?? textChecksum(body), 8)}\r\n`;
};
const neo = (overrides: Record<string, (nth: number, device: Link) => Uint8Array[] | undefined> = {}): ScriptedAnswer => (command, nth, device) => {
  const special = overrides[command];
  if (special) return special(nth, device);
  const message = NEO[command];
  if (message !== undefined) return ok(message);
  if (command === '$result?') return [NOTES_RESULT_REPORTS[0], KEEP_ALIVE, NOTES_RESULT_REPORTS[1], KEEP_ALIVE, NOTES_RESULT_REPORTS[2]].map((r) => r as Uint8Array);
  return fail();
};

async function scripted(answer: ScriptedAnswer, opts: { start?: number; options?: Record<string, unknown>; setDeviceClock?: boolean; silentInit?: boolean } = {}) {
  const virtual = new VirtualClock(opts.start ?? NOTES_NOW);
  const clock = new TrackedClock(virtual);
  const pair = createLinkPair({ mode: 'reports', reportSize: 64 });
  const asked: string[] = [];
  pair.device.onData((bytes) => {
    const parsed = parseReport(bytes);
    if (!parsed.ok) return;
    if (parsed.report.type === 0x01) {
      asked.push('INIT');
      if (!opts.silentInit) void answerWith([Uint8Array.of(0x71, 0x01, 0x01)]);
      return;
    }
    const command = latin1(parsed.report.payload);
    asked.push(command);
    void answerWith(answer(command, asked.filter((c) => c === command).length, pair.device));
  });
  const answerWith = async (out: Uint8Array[] | undefined): Promise<void> => {
    for (const r of out ?? []) await pair.device.write(r).catch(() => undefined);
  };
  const events: SessionEvent[] = [];
  const traffic: TappedChunk[] = [];
  const host = new TappedLink(pair.host, (c) => traffic.push(c), clock);
  const session = runSession({ driver, link: host, clock, options: opts.options, setDeviceClock: opts.setDeviceClock, onEvent: (e) => events.push(e) });
  await virtual.runUntilIdle();
  const result: SessionResult = await session;
  return { result, events, asked, traffic, timersLeft: clock.pending };
}

const problems = (events: readonly SessionEvent[]): { code: string; message: string }[] => events.flatMap((e) => (e.type === 'problem' ? [{ code: e.code, message: e.message }] : []));
const glucose = (value: number, comparator?: string): unknown => ({ code: '41653-7', display: 'Glucose [Mass/volume] in Capillary blood by Glucometer', mdc: 160184, value: { kind: 'quantity', value, unit: 'mg/dL', ...(comparator ? { comparator } : {}) }, ...(comparator ? { interpretation: 'HH' } : {}) });

describe('the PROTOCOL.md §3 example exchange, byte for byte', () => {
  it('gives the three readings worked out by hand, with keep-alives skipped and the reports of each record as raw', async () => {
    const run = await scripted(neo());
    expect(run.result.end).toBe('completed');
    expect(run.result.problems).toEqual({});
    expect(run.result.deviceClock).toMatchObject({ deviceTime: '2015-03-21T16:45:00', canSet: true });
    const device = { manufacturer: 'Abbott', model: 'FreeStyle Precision Neo / Optium Neo', serial: 'JGGA123-K1234', firmware: '2.1.2' };
    expect(run.result.readings.map(({ receivedAt: _r, ...r }) => r)).toEqual([
      { driver: 'abbott-freestyle-neo', device, kind: 'patient', deviceTime: '2015-03-21T16:45:00', effectiveTime: '2015-03-21T16:45:00+00:00', clock: { source: 'device', skewSeconds: 30 }, observations: [glucose(81)], flags: [], context: { sequence: '224' } },
      {
        driver: 'abbott-freestyle-neo', device, kind: 'patient', deviceTime: '2015-03-21T17:02:00', effectiveTime: '2015-03-21T17:02:00+00:00', clock: { source: 'device', skewSeconds: 30 },
        observations: [{ code: '66441-7', display: '3-Hydroxybutyrate [Moles/volume] in Blood by Test strip', value: { kind: 'quantity', value: 0.5, unit: 'mmol/L', decimals: 1 } }], flags: [], context: { sequence: '225' },
      },
      { driver: 'abbott-freestyle-neo', device, kind: 'patient', deviceTime: '2015-03-22T07:58:00', effectiveTime: '2015-03-22T07:58:00+00:00', clock: { source: 'device', skewSeconds: 30 }, observations: [glucose(500, '>')], flags: ['out-of-range:high'], context: { sequence: '226' } },
    ]);
    const raws = run.events.flatMap((e) => (e.type === 'reading' ? [e.raw.map((r) => r[1])] : []));
    expect(raws).toEqual([[62], [62, 62], [62]]); // record 225 straddles the first two reports
    expect(run.traffic.filter((c) => c.direction === 'in' && c.bytes[0] === KEEP_ALIVE[0])).toHaveLength(2);
  });
});

describe('damaged and refused replies', () => {
  it('an inner record checksum that fails is reported, the command re-sent, and each record read once', async () => {
    const run = await scripted(neo({ '$result?': (n) => ok(records(NOTES_RECORDS, n === 1 ? 0x152d : undefined)) }));
    expect(problems(run.events)).toEqual([{ code: 'PROTOCOL_CHECKSUM', message: expect.stringMatching(/^\$result\?: record checksum 0000152D .*asking again$/) }]);
    expect(run.result.readings.map((r) => r.context?.sequence)).toEqual(['224', '225', '226']);
  });

  it('a count that does not match the records is refused the same way', async () => {
    const body = NOTES_RECORDS.map((l) => `${l}\r\n`).join('');
    const run = await scripted(neo({ '$result?': (n) => ok(n === 1 ? `${body}4,${hex(textChecksum(body), 8)}\r\n` : records(NOTES_RECORDS)) }));
    expect(run.result.problems).toEqual({ PROTOCOL_CHECKSUM: 1 });
    expect(run.result.readings).toHaveLength(3);
  });

  it('a report cut short in the middle of a reply: reported, the reply never completes, the retry succeeds', async () => {
    const cut = (NOTES_RESULT_REPORTS[1] as Uint8Array).subarray(0, 30);
    const run = await scripted(neo({ '$result?': (n) => (n === 1 ? [NOTES_RESULT_REPORTS[0] as Uint8Array, cut, NOTES_RESULT_REPORTS[2] as Uint8Array] : ok(records(NOTES_RECORDS))) }));
    expect(run.result.problems.PROTOCOL_TRUNCATED).toBe(1);
    expect(run.result.readings).toHaveLength(3);
    expect(run.timersLeft).toBe(0);
  });

  it('a stray report of another type inside a reply is reported and skipped; 30 01 85 is skipped silently', async () => {
    const [a, b, c] = NOTES_RESULT_REPORTS as [Uint8Array, Uint8Array, Uint8Array];
    const run = await scripted(neo({ '$result?': () => [a, Uint8Array.of(0x34, 0x01, 0x07), b, Uint8Array.of(0x30, 0x01, 0x85), c] }));
    expect(problems(run.events)).toEqual([{ code: 'PROTOCOL_UNEXPECTED', message: expect.stringContaining('type 0x34') }]);
    expect(run.result.readings).toHaveLength(3);
  });

  it('CMD Fail! to $result? fails the download with DEVICE_ERROR naming the command', async () => {
    const run = await scripted(neo({ '$result?': () => fail() }));
    expect(run.result.end).toBe('failed');
    expect(run.result.error).toMatchObject({ code: 'DEVICE_ERROR', message: expect.stringContaining('$result?') });
    expect(run.result.readings).toEqual([]);
  });

  it('an unknown record type is reported; the other records are read', async () => {
    const run = await scripted(neo({ '$result?': () => ok(records(['8,300,3,21,15,9,0,0,1', ...NOTES_RECORDS])) }));
    expect(problems(run.events)).toEqual([{ code: 'PROTOCOL_UNEXPECTED', message: expect.stringContaining('record type 8 is not known') }]);
    expect(run.result.readings).toHaveLength(3);
  });

  it('optional answers: $swver? refused and an unknown unit code are reported, the download goes on in mg/dL', async () => {
    const run = await scripted(neo({ '$swver?': () => fail(), '$gunits?': () => ok('7\r\n') }));
    expect(run.result.identity?.firmware).toBeUndefined();
    expect(run.result.problems).toEqual({ DEVICE_ERROR: 1, PROTOCOL_UNEXPECTED: 1 });
    expect(run.result.readings.map((r) => r.flags)).toEqual([[], [], ['out-of-range:high']]);
  });
});

describe('silence, endings and the clock', () => {
  it('a meter that never answers INIT: three tries, then DEVICE_NO_RESPONSE, no timer left', async () => {
    const run = await scripted(neo(), { silentInit: true });
    expect(run.result.error?.code).toBe('DEVICE_NO_RESPONSE');
    expect(run.asked).toEqual(['INIT', 'INIT', 'INIT']);
    expect(run.timersLeft).toBe(0);
  });

  it('a meter that stops answering: $date? sent three times, then DEVICE_NO_RESPONSE', async () => {
    const run = await scripted(neo({ '$date?': () => undefined }));
    expect(run.result.error).toMatchObject({ code: 'DEVICE_NO_RESPONSE', message: expect.stringContaining('$date?') });
    expect(run.asked.filter((c) => c === '$date?')).toHaveLength(3);
    expect(run.timersLeft).toBe(0);
  });

  it('the link closing in the middle of the records: TRANSPORT_CLOSED and no partial download', async () => {
    const closing = neo({
      '$result?': (_n, device) => {
        queueMicrotask(() => void device.close());
        return [NOTES_RESULT_REPORTS[0] as Uint8Array];
      },
    });
    const run = await scripted(closing);
    expect(run.result.end).toBe('failed');
    expect(run.result.error?.code).toBe('TRANSPORT_CLOSED');
    expect(run.result.readings).toEqual([]);
  });

  it('at 00:00 the date is asked again (the day may have turned between the two questions)', async () => {
    const run = await scripted(neo({ '$time?': () => ok('0,0\r\n'), '$date?': (n) => ok(n === 1 ? '3,21,15\r\n' : '3,22,15\r\n') }), { start: Date.UTC(2015, 2, 22, 0, 0, 20) });
    expect(run.result.deviceClock?.deviceTime).toBe('2015-03-22T00:00:00');
    expect(run.asked.filter((c) => c === '$date?')).toHaveLength(2);
  });

  it('setClock: a refused $date,… is a DEVICE_ERROR; a year the meter cannot hold is refused before sending', async () => {
    const refused = await scripted(neo(), { start: Date.UTC(2026, 0, 15, 9, 0, 0), setDeviceClock: true });
    expect(refused.asked.at(-1)).toBe('$date,1,15,26');
    expect(refused.result.error).toMatchObject({ code: 'DEVICE_ERROR', message: expect.stringContaining('$date,1,15,26') });
    const future = await scripted(neo(), { start: Date.UTC(2101, 0, 1, 9, 0, 0), setDeviceClock: true });
    expect(future.result.error?.code).toBe('INPUT_INVALID');
    expect(future.asked.some((c) => c.startsWith('$date,'))).toBe(false);
  });
});

describe('the Libre reader', () => {
  const LIBRE_SCAN = `1207,2,1,14,26,8,30,12,1,2,0,0,131,1,3,0,0,0,0,0,0,0,0,0,0,0,0,0,0,"","","","","",""`;
  const libre = (dbrnum: string): ScriptedAnswer => (command) =>
    ({ '$serlnum?': fail(), '$sn?': ok('JCMV241-T5678\r\n'), '$swver?': ok('1.6.2\r\n'), '$date?': ok('1,14,26\r\n'), '$time?': ok('9,0\r\n'), '$uom?': ok('0\r\n'), '$dbrnum?': ok(dbrnum), '$arresult?': ok(records([LIBRE_SCAN])) })[command] ?? fail();

  it.each([
    ['DB Record Number = 226988\r\n', 226988],
    ['DBRECORDS = 8644\r\n', 8644],
  ])('reads $dbrnum? in either form seen: %j', async (reply, count) => {
    const run = await scripted(libre(reply), { start: Date.UTC(2026, 0, 14, 9, 0, 10) });
    // Understood (the history itself is not imported): an unknown form would be a problem.
    expect(run.asked).toContain('$dbrnum?');
    expect(parseDbRecordCount(reply)).toBe(count);
    expect(run.result.problems).toEqual({});
    expect(run.result.readings.map((r) => [r.deviceTime, r.flags])).toEqual([['2026-01-14T08:30:12', ['sensor-scan', 'trend:steady', 'meter-display:mmol/L']]]);
  });

  it('an unknown $dbrnum? reply is reported and the download goes on', async () => {
    const run = await scripted(libre('RECORDS: 5\r\n'), { start: Date.UTC(2026, 0, 14, 9, 0, 10) });
    expect(run.result.problems).toEqual({ PROTOCOL_UNEXPECTED: 1 });
    expect(run.result.readings).toHaveLength(1);
  });
});

describe('probe', () => {
  it('is true when INIT is answered and false (after one try) when it is not', async () => {
    const clock = new VirtualClock(NOTES_NOW);
    const pair = createLinkPair({ mode: 'reports', reportSize: 64 });
    const session = driver.createSession({ link: pair.host, clock, signal: new AbortController().signal, options: resolveOptions(driver.manifest), emit: () => undefined });
    const off = pair.device.onData(() => void pair.device.write(Uint8Array.of(0x71, 0x01, 0x01)));
    await expect(session.probe(new AbortController().signal)).resolves.toBe(true);
    off();
    const silent = session.probe(new AbortController().signal);
    await clock.runUntilIdle();
    await expect(silent).resolves.toBe(false);
    await session.close();
  });
});
