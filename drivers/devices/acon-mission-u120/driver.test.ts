import { describe, expect, it } from 'vitest';
import { ReadingSchema } from '../../../shared/reading.ts';
import {
  DriverManifestSchema,
  TrackedClock,
  VirtualClock,
  concatBytes,
  createLinkPair,
  fromLatin1,
  latin1,
  runAgainstSimulator,
  runSession,
  type SessionEvent,
  type SessionResult,
} from '../../kit/index.ts';
import { decodeReport } from './decode.ts';
import { aconMissionU120Driver as driver } from './index.ts';
import { traceAnnotator } from './trace.ts';

/** A report laid out as the normal capture of PROTOCOL.md §6 (ID 10, No. 100002 is the capture itself). */
const REPORT = (id: string, no: string, time = '16:51'): string =>
  `\x02 ID:${id}\r\n Date:15-05-2026 ${time}\r\n Operator: 100\r\n No. ${no}\r\n LEU       -              neg\r\n NIT       -              neg\r\n` +
  ` URO       -       0.2  mg/dL\r\n PRO       -              neg\r\n pH               6.0\r\n BLO       -              neg\r\n` +
  ` SG         1.010\r\n KET       -              neg\r\n BIL       -              neg\r\n GLU       -              neg\r\n\x03`;

/**
 * A session fed by the test on a virtual clock: `steps` are bytes to write or ms to let pass
 * (timers fire as the clock moves); the link is closed at the end.
 */
async function feed(steps: readonly (string | number)[]): Promise<{ result: SessionResult; events: SessionEvent[]; timersLeft: number }> {
  const virtual = new VirtualClock();
  const clock = new TrackedClock(virtual);
  const pair = createLinkPair();
  const events: SessionEvent[] = [];
  const session = runSession({ driver, link: pair.host, clock, onEvent: (e) => events.push(e) });
  for (const step of steps) {
    if (typeof step === 'number') await virtual.runUntilIdle(step);
    else await pair.device.write(fromLatin1(step));
    await virtual.runUntilIdle(0);
  }
  await pair.device.close();
  const result = await session;
  await virtual.runUntilIdle();
  return { result, events, timersLeft: clock.pending };
}

const problemMessages = (events: readonly SessionEvent[]): string[] => events.flatMap((e) => (e.type === 'problem' ? [`${e.code}: ${e.message}`] : []));
const sampleIds = (result: SessionResult): (string | undefined)[] => result.readings.map((r) => r.context?.sampleId);

describe('manifest', () => {
  it('is a discrete urine analyzer on 9600 8N1 with the CH9102 id', () => {
    expect(DriverManifestSchema.safeParse(driver.manifest).success).toBe(true);
    expect(driver.manifest).toMatchObject({
      id: 'acon-mission-u120',
      category: 'urine',
      kind: 'discrete',
      transport: { type: 'serial', serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } },
      usb: [{ vendorId: 0x1a86, productId: 0x55d4 }],
      checksum: false,
    });
  });
});

describe('simulator scenarios', () => {
  it('normal plays the real capture byte for byte (PROTOCOL.md §6, fixtures/captures.trace)', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'normal' });
    const sent = concatBytes(run.traffic.filter((c) => c.direction === 'in').map((c) => c.bytes));
    expect(latin1(sent)).toBe(REPORT('10', '100002'));
    expect(run.result.readings).toHaveLength(1);
    expect(run.result.readings[0]?.context).toEqual({ sequence: '100002', sampleId: '10', operatorId: '100' });
  });

  it.each([
    ['positive-control', [undefined], ['2026-05-15T16:58:00']],
    ['eleven-parameter', ['2417'], ['2026-05-16T09:12:00']],
    ['twelve-hour', ['31', '32'], ['2026-09-03T12:42:00', '2026-09-04T00:05:00']],
    ['two-patients', ['100234', '100235'], ['2026-05-15T17:02:00', '2026-05-15T17:05:00']],
  ])('%s: one valid reading per report, with its ID and device time', async (scenario, ids, times) => {
    const run = await runAgainstSimulator(driver, { scenario });
    expect(sampleIds(run.result)).toEqual(ids);
    expect(run.result.readings.map((r) => r.deviceTime)).toEqual(times);
    for (const r of run.result.readings) expect(ReadingSchema.safeParse(r).success).toBe(true);
    expect(run.result.problems).toEqual({});
    expect(run.timersLeft).toBe(0);
  });

  it('eleven-parameter: ascorbate is the eleventh observation, unmapped with its text', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'eleven-parameter' });
    const observations = run.result.readings[0]?.observations ?? [];
    expect(observations).toHaveLength(11);
    expect(observations[10]).toEqual({ value: { kind: 'unmapped', label: 'ASC', text: '1+ 10 mg/dL' } });
  });

  it('an unknown scenario is refused, naming the ones there are', async () => {
    const pair = createLinkPair();
    await expect(driver.simulator.run({ link: pair.device, clock: new VirtualClock(), signal: new AbortController().signal, scenario: 'nope' })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('normal, positive-control'),
    });
  });
});

describe('broken reports: no reading from them, a problem each, the next report read', () => {
  it('a report that starts mid-way (no STX): its tail is noise, the next report is read', async () => {
    const run = await feed([' BIL       -              neg\r\n GLU       -              neg\r\n\x03', REPORT('7', '000007')]);
    expect(sampleIds(run.result)).toEqual(['7']);
    expect(problemMessages(run.events)).toEqual([expect.stringMatching(/^PROTOCOL_GARBAGE: 63 byte\(s\) outside a report skipped \(no STX before them\)/)]);
  });

  it('a new STX before the ETX: the cut report is reported, the new one read', async () => {
    const cut = REPORT('1', '000001').slice(0, 120);
    const run = await feed([cut, REPORT('2', '000002')]);
    expect(sampleIds(run.result)).toEqual(['2']);
    expect(problemMessages(run.events)).toEqual([expect.stringMatching(/^PROTOCOL_TRUNCATED: report cut short \(the next report began before its ETX\): nothing read from it: <STX> ID:1/)]);
  });

  it('an ETX that never comes: given up after 10 s of silence, reported at once; late bytes are noise; the next report is read', async () => {
    const whole = REPORT('3', '000003');
    const run = await feed([whole.slice(0, 150), 9_000, whole.slice(150, 200), 9_900]);
    // 9.9 s after the last byte the report was still open: it ends only with the link, not by the idle rule.
    expect(problemMessages(run.events)).toEqual([expect.stringMatching(/^PROTOCOL_TRUNCATED: report cut short \(the link ended before its ETX\)/)]);
    const later = await feed([whole.slice(0, 150), 10_000, whole.slice(150), REPORT('4', '000004')]);
    expect(sampleIds(later.result)).toEqual(['4']);
    expect(problemMessages(later.events)).toEqual([
      expect.stringMatching(/^PROTOCOL_TRUNCATED: report cut short \(no ETX within 10 s of its last byte\): nothing read from it: <STX> ID:3/),
      expect.stringMatching(/^PROTOCOL_GARBAGE: \d+ byte\(s\) outside a report skipped/),
    ]);
    expect(later.timersLeft).toBe(0);
  });

  it('the link ends inside a report: reported as cut short, nothing stored from it', async () => {
    const run = await feed([REPORT('5', '000005'), REPORT('6', '000006').slice(0, 90)]);
    expect(sampleIds(run.result)).toEqual(['5']);
    expect(problemMessages(run.events)).toEqual([expect.stringMatching(/^PROTOCOL_TRUNCATED: report cut short \(the link ended before its ETX\)/)]);
    expect(run.timersLeft).toBe(0);
  });

  it('garbage inside a report rejects that report only', async () => {
    const bad = REPORT('8', '000008').replace(' PRO', ' P\xffRO');
    const run = await feed([bad, REPORT('9', '000009')]);
    expect(sampleIds(run.result)).toEqual(['9']);
    expect(problemMessages(run.events)).toEqual([expect.stringMatching(/^PROTOCOL_GARBAGE: U120 report rejected \(byte 0xff inside the report is not text\)/)]);
  });
});

describe('trace masking', () => {
  it('masks the ID and keeps everything else, so the masked report decodes to the same results', () => {
    const raw = fromLatin1(REPORT('MRN-100234', '000010'));
    const masked = traceAnnotator.maskStream?.('in', raw) ?? raw;
    expect(latin1(masked)).toContain(' ID:XXXX000000\r\n');
    expect(latin1(masked).replace('XXXX000000', 'MRN-100234')).toBe(latin1(raw));
    const a = decodeReport(raw);
    const b = decodeReport(masked);
    expect(a.ok && b.ok && b.report.results).toEqual(a.ok && a.report.results);
  });
});
