import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDriver } from '../../../drivers/index.ts';
import { ReplayLink, runSession, parseTrace } from '../../../drivers/kit/index.ts';
import type { Reading } from '../../../shared/reading.ts';
import { createTraceService } from './trace-hub.ts';

const ROOT = join(import.meta.dirname, '../../../drivers/devices');

function read(driverId: string, name: string): string {
  return readFileSync(join(ROOT, driverId, 'fixtures', name), 'utf8');
}

function expectedOf(driverId: string, name: string): Omit<Reading, 'receivedAt'>[] {
  return read(driverId, `${name}.expected.ndjson`)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const { receivedAt: _ignored, ...rest } = JSON.parse(l) as Reading;
      return rest;
    });
}

/** Record a session of the driver against a fixture, through the hub's tap. */
async function record(driverId: string, name: string, mask: boolean): Promise<string> {
  const driver = findDriver(driverId);
  if (!driver) throw new Error(driverId);
  const trace = parseTrace(read(driverId, `${name}.trace`));
  const link = new ReplayLink(trace, { loose: true, reportSize: driver.manifest.transport.type === 'hid' ? driver.manifest.transport.reportSize : undefined });
  const service = createTraceService({ clock: () => link.clock.now() });
  service.startRecording('port', driverId, mask);
  await runSession({ driver, link: service.tap('port', driverId, link), clock: link.clock, timePolicy: { skewCheck: ReplayLink.hasRecordedTime(trace) } });
  await link.close();
  const text = service.stopRecording('port').trace;
  // These captures carry no recording time, and their expected readings were made without a clock check.
  return 'recorded' in trace.header ? text : text.replace(/^# recorded: .*\n/m, '');
}

describe('masking patient identifiers in a recording', () => {
  it('Clinitek: the sample ids are gone, the masked trace replays to the same results with masked ids', async () => {
    const masked = await record('siemens-clinitek-status', 'english-24h', true);
    expect(masked).not.toMatch(/MRN44556/);
    expect(masked).toMatch(/^# masked: Clinitek record fields 5-9/m);
    const replayed = await createTraceService().replay('siemens-clinitek-status', masked);
    const expected = expectedOf('siemens-clinitek-status', 'english-24h');
    expect(replayed.readings.map((r) => r.context?.['sampleId'])).toEqual(['XXX000000', 'XXX000000']);
    const unmaskedIds = replayed.readings.map((r) => {
      const { receivedAt: _ignored, ...rest } = r;
      return { ...rest, context: { ...rest.context, sampleId: expected[0]?.context?.['sampleId'] } };
    });
    expect(unmaskedIds[0]).toEqual(expected[0]);
    expect(replayed.readings[1]?.observations).toEqual(expected[1]?.observations);
  });

  it('Clinitek without masking keeps the ids and says so in the header', async () => {
    const plain = await record('siemens-clinitek-status', 'english-24h', false);
    expect(plain).toContain('MRN445566');
    expect(plain).toMatch(/^# masked: no /m);
  });

  it('FreeStyle Libre: the typed comments are gone, both checksums still hold and the readings are the same but for them', async () => {
    const masked = await record('abbott-freestyle-neo', 'libre', true);
    expect(masked).not.toMatch(/Walk|Sick/);
    const replayed = await createTraceService().replay('abbott-freestyle-neo', masked);
    const expected = expectedOf('abbott-freestyle-neo', 'libre');
    expect(replayed.problems.filter((p) => p.startsWith('PROTOCOL_CHECKSUM'))).toEqual([]);
    expect(replayed.readings).toHaveLength(expected.length);
    const flags = replayed.readings.flatMap((r) => r.flags);
    // "Walk, 30 min" and "Sick", character for character.
    expect(flags).toEqual(expect.arrayContaining(['comment:xxxxxx00xxxx', 'comment:xxxx']));
    expect(flags).not.toContain('comment:sick');
    const withoutComments = (r: Omit<Reading, 'receivedAt'>): unknown => ({ ...r, flags: r.flags.filter((f) => !/^comment:(walk|sick|x)/.test(f)) });
    expect(replayed.readings.map(({ receivedAt: _r, ...rest }) => withoutComments(rest))).toEqual(expected.map(withoutComments));
  });

  it('Contour (HID): masking the reports leaves a trace without identity replaying to the same readings', async () => {
    const masked = await record('ascensia-contour-next', 'clock-off', true);
    expect(masked).toMatch(/^# transport: hid$/m);
    const replayed = await createTraceService().replay('ascensia-contour-next', masked);
    expect(replayed.readings.map(({ receivedAt: _r, ...rest }) => rest)).toEqual(expectedOf('ascensia-contour-next', 'clock-off'));
  });

  it('a driver whose frames carry no identity records the same bytes masked or not', async () => {
    const masked = await record('lifescan-onetouch-ultra2', 'tidepool-real-lines', true);
    const plain = await record('lifescan-onetouch-ultra2', 'tidepool-real-lines', false);
    // Times depend on how fast the session ran; the bytes must be the same.
    const events = (t: string): string[] => t.split('\n').filter((l) => !l.startsWith('#')).map((l) => l.replace(/^[\d.]+ /, ''));
    expect(events(masked)).toEqual(events(plain));
  });
});

describe('recording and replay errors', () => {
  it('refuses a second recording of the same port, and stopping one that never started', () => {
    const service = createTraceService();
    service.startRecording('p', 'masimo-rad8', false);
    expect(() => service.startRecording('p', 'masimo-rad8', false)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(() => service.stopRecording('q')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => service.startRecording('r', 'no-such-driver', true)).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
  });

  it('a bad trace is INPUT_INVALID naming the line; an unknown driver is DRIVER_UNKNOWN with the list', async () => {
    const service = createTraceService();
    await expect(service.replay('masimo-rad8', '# pochub-trace 1\n0.0 < "ok"\nnot an event\n')).rejects.toMatchObject({ code: 'INPUT_INVALID', message: expect.stringContaining('line 3') });
    await expect(service.replay('masimo-rad8', 'hello')).rejects.toMatchObject({ code: 'INPUT_INVALID', message: expect.stringContaining('line 1') });
    await expect(service.replay('nope', '# pochub-trace 1\n')).rejects.toMatchObject({ code: 'DRIVER_UNKNOWN', message: expect.stringContaining('masimo-rad8') });
  });

  it('reports problems and the end of a replay as the console shows them', async () => {
    const result = await createTraceService().replay('siemens-clinitek-status', read('siemens-clinitek-status', 'truncated.trace'));
    expect(result.readings).toHaveLength(2);
    expect(result.end).toBe('ended');
    expect(result.problems).toEqual(expect.arrayContaining(['PROTOCOL_GARBAGE: 2', 'PROTOCOL_TRUNCATED: 1']));
  });
});
