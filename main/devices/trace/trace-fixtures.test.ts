import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DRIVERS, findDriver } from '../../../drivers/index.ts';
import { settle, createLinkPair, ReplayLink, runSession, parseTrace, type Trace } from '../../../drivers/kit/index.ts';
import type { TraceEntry } from '../../../shared/api/ports-model.ts';
import type { Reading } from '../../../shared/reading.ts';
import { createTraceService } from './trace-hub.ts';

const ROOT = join(import.meta.dirname, '../../../drivers/devices');

function fixture(driverId: string, name: string): { text: string; trace: Trace; expected: Omit<Reading, 'receivedAt'>[] } {
  const text = readFileSync(join(ROOT, driverId, 'fixtures', `${name}.trace`), 'utf8');
  const expected = readFileSync(join(ROOT, driverId, 'fixtures', `${name}.expected.ndjson`), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => withoutReceivedAt(JSON.parse(l) as Reading));
  return { text, trace: parseTrace(text), expected };
}

function withoutReceivedAt(reading: Reading): Omit<Reading, 'receivedAt'> {
  const { receivedAt: _ignored, ...rest } = reading;
  return rest;
}

/** Play a trace's events through a tapped in-memory link (device side writes `<`, host side `>`). */
async function annotate(driverId: string, trace: Trace): Promise<TraceEntry[]> {
  const driver = findDriver(driverId);
  const t = driver?.manifest.transport;
  const pair = t?.type === 'hid' ? createLinkPair({ mode: 'reports', reportSize: t.reportSize }) : createLinkPair();
  const service = createTraceService();
  const host = service.tap('port', driverId, pair.host);
  host.onData(() => undefined);
  pair.device.onData(() => undefined);
  for (const event of trace.events) {
    if (event.direction === '<') await pair.device.write(event.bytes);
    else await host.write(event.bytes);
    await settle();
  }
  return service.entries('port');
}

/** The trace with one byte changed in the middle of its longest device event. */
function corrupted(trace: Trace): Trace {
  const events = trace.events.map((e) => ({ ...e, bytes: Uint8Array.from(e.bytes) }));
  const longest = events.filter((e) => e.direction === '<').reduce((a, b) => (b.bytes.length > a.bytes.length ? b : a));
  const at = Math.floor(longest.bytes.length / 2);
  longest.bytes[at] = (longest.bytes[at] ?? 0) ^ 0x01;
  return { ...trace, events };
}

/** A trace recorded by the hub while a driver session runs against a fixture. */
async function record(driverId: string, trace: Trace, mask: boolean, startMs?: number): Promise<{ fileName: string; trace: string; frames: number }> {
  const driver = findDriver(driverId);
  if (!driver) throw new Error(driverId);
  const link = new ReplayLink(trace, {
    loose: true,
    reportSize: driver.manifest.transport.type === 'hid' ? driver.manifest.transport.reportSize : undefined,
    ...(startMs === undefined ? {} : { startMs }),
  });
  // The hub's clock follows the trace, so the recorded times are the fixture's.
  const service = createTraceService({ clock: () => link.clock.now() });
  service.startRecording('port', driverId, mask);
  expect(service.isRecording('port')).toBe(true);
  await runSession({ driver, link: service.tap('port', driverId, link), clock: link.clock, timePolicy: { skewCheck: ReplayLink.hasRecordedTime(trace) } });
  await link.close();
  const out = service.stopRecording('port');
  expect(service.isRecording('port')).toBe(false);
  return out;
}

/** Every fixture of every registered driver that has trace hooks (drivers/devices/<id>/fixtures/*.trace). */
const FIXTURES = DRIVERS.filter((d) => d.traceAnnotator).flatMap((d) => {
  const dir = join(ROOT, d.manifest.id, 'fixtures');
  const names = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.trace')).map((f) => f.replace(/\.trace$/, '')) : [];
  return names.sort().map((fixture) => ({ driverId: d.manifest.id, fixture, checked: d.manifest.checksum }));
});

const framed = (entries: readonly TraceEntry[]): TraceEntry[] => entries.filter((e) => e.frame && e.frame.kind !== 'other');
const badOf = (entries: readonly TraceEntry[]): number => entries.filter((e) => e.frame?.checksum === 'bad').length;

describe('framing annotation of every registered driver, on its fixtures', () => {
  it('has fixtures for every driver with trace hooks', () => {
    expect(new Set(FIXTURES.map((f) => f.driverId)).size).toBe(DRIVERS.filter((d) => d.traceAnnotator).length);
  });

  for (const c of FIXTURES) {
    it(`${c.driverId} ${c.fixture}: frames${c.checked ? '' : ', no checksum in the protocol'}`, async () => {
      const frames = framed(await annotate(c.driverId, fixture(c.driverId, c.fixture).trace));
      expect(frames.length).toBeGreaterThan(0);
      if (!c.checked) expect(frames.every((e) => e.frame?.checksum === 'none')).toBe(true);
    });
  }

  for (const driverId of new Set(FIXTURES.filter((c) => c.checked).map((c) => c.driverId))) {
    it(`${driverId}: checksums good on a clean fixture, and bad after one corrupted byte`, async () => {
      let proven = false;
      for (const c of FIXTURES.filter((f) => f.driverId === driverId)) {
        const { trace } = fixture(driverId, c.fixture);
        const entries = await annotate(driverId, trace);
        if (badOf(entries) > 0 || !framed(entries).some((e) => e.frame?.checksum === 'good')) continue;
        if (badOf(await annotate(driverId, corrupted(trace))) > 0) {
          proven = true;
          break;
        }
      }
      expect(proven).toBe(true);
    });
  }

  it('names ASTM control bytes and reassembles a frame spread over several HID reports', async () => {
    const { trace } = fixture('ascensia-contour-next', 'clock-off');
    const entries = await annotate('ascensia-contour-next', trace);
    expect(entries.some((e) => e.direction === 'in' && e.frame?.kind === 'enq')).toBe(true);
    expect(entries.some((e) => e.direction === 'out' && e.frame?.kind === 'ack')).toBe(true);
    expect(entries.some((e) => e.frame?.kind === 'eot')).toBe(true);
    const header = entries.find((e) => e.frame?.kind === 'astm' && e.frame.note === 'H frame 1');
    expect(header?.text).toMatch(/^<STX>1H\|\\\^&\|\|7w3LBL\|Bayer7410.*<CR><ETB>[0-9A-F]{2}<CR><LF>$/);
    expect(header?.frame?.checksum).toBe('good');
  });

  it('reassembles a line cut across chunks (Clinitek noisy stream) and keeps the raw chunks', async () => {
    const { trace } = fixture('siemens-clinitek-status', 'noisy-stream');
    const entries = await annotate('siemens-clinitek-status', trace);
    const lines = entries.filter((e) => e.frame?.kind === 'line').map((e) => e.text);
    expect(lines).toContain('1902,02-05-2024, 9:20AM,,A101,,,,,Multistix 10 SG,Not Entered,Not Entered,GLU,250 mg/dL,*,BIL,Negative,,KET,Trace,*,SG ,1.030,,BLD,Small,*,pH ,5.5,,PRO,100 mg/dL,*,UBG,2.0 mg/dL,*,NIT,Negative,,LEU,Trace,*');
    expect(entries.filter((e) => !e.frame)).toHaveLength(trace.events.length);
  });
});

/**
 * A recording always says when it was made, so a replay judges the device clock against it. The
 * expected readings of fixtures that carry no recording time (old captures) were computed without
 * that check; for those the comparison leaves the recording time out, as the fixture does.
 */
function comparable(fixtureTrace: Trace, recorded: string): string {
  return 'recorded' in fixtureTrace.header ? recorded : recorded.replace(/^# recorded: .*\n/m, '');
}

/** One fixture per driver (the first by name): recording and replaying take real idle time. */
const RECORDED = FIXTURES.filter((c, i) => FIXTURES.findIndex((f) => f.driverId === c.driverId) === i);

describe('recording a port and replaying the recording', () => {
  for (const c of RECORDED) {
    it(`${c.driverId} ${c.fixture}: the recorded trace replays to the fixture's readings`, async () => {
      const { trace, expected } = fixture(c.driverId, c.fixture);
      const recorded = await record(c.driverId, trace, false);
      expect(recorded.fileName).toMatch(new RegExp(`^${c.driverId}-\\d{8}-\\d{6}\\.trace$`));
      expect(recorded.trace).toContain(`# driver: ${c.driverId}`);
      expect(recorded.trace).toMatch(/^# recorded: \d{4}-\d\d-\d\dT/m);
      expect(recorded.frames).toBeGreaterThan(0);
      const replayed = await createTraceService().replay(c.driverId, comparable(trace, recorded.trace));
      expect(replayed.readings.map(withoutReceivedAt)).toEqual(expected);
      expect(replayed.end).not.toBe('failed');
    });
  }
});
