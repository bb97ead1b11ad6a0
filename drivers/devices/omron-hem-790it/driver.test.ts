import { describe, expect, it } from 'vitest';
import type { Reading } from '../../../shared/reading.ts';
import { createLinkPair, DriverManifestSchema, latin1, runAgainstSimulator, runSession, type Link, type SessionEvent, type TappedChunk, TrackedClock, VirtualClock } from '../../kit/index.ts';
import { omronHem790itDriver as driver } from './index.ts';
import { NO, answerReports, toReports } from './protocol.ts';
import { silentDevice } from '../../../test/helpers/meter-session-tests.ts';

const START = Date.UTC(2026, 0, 15, 9, 0, 0);
const comparable = (readings: readonly Reading[]): unknown[] => readings.map(({ receivedAt: _r, ...rest }) => rest);
const progressOf = (events: readonly SessionEvent[]): unknown[] => events.flatMap((e) => (e.type === 'progress' ? [{ done: e.done, total: e.total }] : []));
/** The command letters the host sent (the first report of each command). */
const commandsOf = (traffic: readonly TappedChunk[]): string[] =>
  traffic.flatMap((c) => {
    const letters = c.direction === 'out' ? latin1(c.bytes.subarray(1, 4)) : '';
    return /^[A-Z]{3}$/.test(letters) ? [letters] : [];
  });

/**
 * A scripted monitor on the device side: the clearing block as the simulator does it, and
 * `answer(letters, bytes)` for each whole command (undefined: stay silent).
 */
function scriptedMonitor(device: Link, answer: (letters: string, command: number[]) => Uint8Array[] | undefined): void {
  let zeros = 0;
  let pending: number[] = [];
  device.onData((report) => {
    const data = Array.from(report.subarray(1, 1 + (report[0] ?? 0)));
    if (pending.length === 0 && data.every((b) => b === 0)) {
      zeros += data.length;
      if (zeros === 7) for (const r of toReports(new Uint8Array(7))) void device.write(r);
      if (zeros >= 30) {
        zeros = 0;
        for (const r of toReports(Uint8Array.of(0x4f, 0x4b))) void device.write(r);
      }
      return;
    }
    pending.push(...data);
    const letters = latin1(Uint8Array.from(pending.slice(0, 3)));
    const length = letters === 'GDC' || letters === 'GME' ? 8 : 5;
    if (pending.length < length) return;
    const command = pending;
    pending = [];
    for (const r of answer(letters, command) ?? []) void device.write(r);
  });
}

async function scripted(answer: (letters: string, command: number[]) => Uint8Array[] | undefined, options: Record<string, unknown> = {}): Promise<{ result: Awaited<ReturnType<typeof runSession>>; events: SessionEvent[]; timersLeft: number }> {
  const virtual = new VirtualClock(START);
  const clock = new TrackedClock(virtual);
  const pair = createLinkPair({ mode: 'reports', reportSize: 8 });
  scriptedMonitor(pair.device, answer);
  const events: SessionEvent[] = [];
  const session = runSession({ driver, link: pair.host, clock, options, onEvent: (e) => events.push(e) });
  await virtual.runUntilIdle();
  const result = await session;
  await pair.device.close();
  await virtual.runUntilIdle();
  return { result, events, timersLeft: clock.pending };
}

const VER = answerReports(Uint8Array.from([...'M7080IT 207'].map((c) => c.charCodeAt(0))));
const record = (index: number): Uint8Array => Uint8Array.of(26, 1, 10 + index, 8, 0, 0, 0, 0, 120 + index, 80, 70, 0, 0);

describe('manifest', () => {
  it('is a valid HID download manifest for 0590:0028, without a clock read', () => {
    expect(DriverManifestSchema.safeParse(driver.manifest).success).toBe(true);
    expect(driver.manifest).toMatchObject({ id: 'omron-hem-790it', category: 'vitals', kind: 'download', transport: { type: 'hid', reportSize: 8 }, checksum: true, deviceClock: 'none' });
    expect(driver.manifest.usb.map((u) => `${u.vendorId.toString(16).padStart(4, '0')}:${u.productId.toString(16).padStart(4, '0')}`)).toEqual(['0590:0028']);
    expect(driver.manifest.hints.join(' ')).toMatch(/udev.*0590/);
  });
});

describe('omron-hem-790it sessions against the simulator', () => {
  it('memory: 14 readings oldest first, progress to 14/14, VER → GDC → GME ×14 → END, no clock event', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'memory', startMs: START });
    expect(run.result.end).toBe('completed');
    expect(run.result.problems).toEqual({});
    expect(run.result.identity).toEqual({ manufacturer: 'Omron', model: 'HEM-790IT family', firmware: 'M7080IT 207' });
    const times = run.result.readings.map((r) => r.deviceTime ?? '');
    expect(times).toHaveLength(14);
    expect([...times].sort()).toEqual(times);
    expect(times.at(-1)).toBe('2026-01-15T08:00:00');
    expect(run.result.readings.every((r) => r.observations[0]?.code === '85354-9' && r.observations[1]?.mdc === 149546)).toBe(true);
    expect(run.result.readings.flatMap((r) => r.flags).sort()).toEqual(['body-movement', 'body-movement', 'irregular-heartbeat', 'irregular-heartbeat']);
    expect(run.result.readings.some((r) => r.observations[0]?.components?.[0]?.value?.kind === 'quantity' && r.observations[0].components[0].value.value === 256)).toBe(true);
    expect(progressOf(run.events)[0]).toEqual({ done: 0, total: 14 });
    expect(progressOf(run.events).at(-1)).toEqual({ done: 14, total: 14 });
    expect(run.events.some((e) => e.type === 'device-clock')).toBe(false);
    expect(run.result.deviceClock).toBeUndefined();
    expect(commandsOf(run.traffic)).toEqual(['VER', 'GDC', ...Array<string>(14).fill('GME'), 'END']);
    expect(run.timersLeft).toBe(0);
  });

  it('busy: NO is asked again, not reported; checksum-error: reported once, asked again, every reading once', async () => {
    const busy = await runAgainstSimulator(driver, { scenario: 'busy', startMs: START });
    expect(busy.result.problems).toEqual({});
    expect(busy.result.readings).toHaveLength(4);
    expect(commandsOf(busy.traffic).filter((c) => c === 'GME')).toHaveLength(8);
    const bad = await runAgainstSimulator(driver, { scenario: 'checksum-error', startMs: START });
    expect(bad.result.problems).toEqual({ PROTOCOL_CHECKSUM: 1 });
    expect(comparable(bad.result.readings)).toEqual(comparable(busy.result.readings));
  });

  it('bad-date: the reading without a valid stored time is kept, flagged, keyed by its time bytes', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'bad-date', startMs: START });
    const undated = run.result.readings.filter((r) => r.deviceTime === undefined);
    expect(undated).toHaveLength(1);
    expect(undated[0]?.flags).toEqual(['device-time-invalid']);
    expect(undated[0]?.context).toEqual({ sequence: 'stored-time-000000000000' });
  });

  it('a second download of the same memory gives the same readings (the store fingerprint then skips them)', async () => {
    const first = await runAgainstSimulator(driver, { scenario: 'memory', startMs: START });
    const second = await runAgainstSimulator(driver, { scenario: 'memory', startMs: START });
    expect(comparable(second.result.readings)).toEqual(comparable(first.result.readings));
  });

  it('refuses a bank outside 0–2 before talking to the monitor', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'memory', options: { bank: 3 } });
    expect(run.result.end).toBe('failed');
    expect(run.result.error?.code).toBe('CONFIG_INVALID');
  });
});

describe('omron-hem-790it against a scripted monitor', () => {
  it('asks bank 1 when told, and gives up after 5 NO answers without a partial download', async () => {
    const asked: number[][] = [];
    const run = await scripted((letters, command) => {
      asked.push(command);
      if (letters === 'VER') return VER;
      if (letters === 'GDC') return answerReports(Uint8Array.of(0, 0x0a, 0, 2));
      if (letters === 'GME') return command[6] === 0 ? answerReports(record(0)) : toReports(NO);
      return toReports(Uint8Array.from([0x4f, 0x46, 0x46, 0x0d, 0x0a]));
    }, { bank: 1 });
    expect(asked.find((c) => c[0] === 0x47 && c[1] === 0x44)).toEqual([0x47, 0x44, 0x43, 0, 1, 0, 0, 1]);
    expect(run.result.end).toBe('failed');
    expect(run.result.error?.code).toBe('DEVICE_ERROR');
    expect(run.result.error?.message).toMatch(/NO to GME #1 5 times/);
    expect(run.result.readings).toEqual([]);
    expect(run.timersLeft).toBe(0);
  });

  it('a silent monitor fails open with DEVICE_NO_RESPONSE; one that stops mid-answer fails after 3 tries', async () => {
    const { result: silent, timersLeft } = await silentDevice(driver, START);
    expect(silent.error?.code).toBe('DEVICE_NO_RESPONSE');
    expect(timersLeft).toBe(0);

    const cut = await scripted((letters) => (letters === 'VER' ? VER.slice(0, 2) : undefined));
    expect(cut.result.error?.code).toBe('DEVICE_NO_RESPONSE');
    expect(cut.result.error?.message).toMatch(/did not answer VER00 .*3 attempts/);
    expect(cut.result.problems.DEVICE_NO_RESPONSE).toBe(3);
    expect(cut.timersLeft).toBe(0);
  });

  it('skips a stored reading whose values no cuff measures, with a problem, and keeps the others', async () => {
    const run = await scripted((letters, command) => {
      if (letters === 'VER') return VER;
      if (letters === 'GDC') return answerReports(Uint8Array.of(0, 0x0a, 0, 2));
      if (letters === 'GME') return answerReports(command[6] === 0 ? record(0) : Uint8Array.of(26, 1, 1, 8, 0, 0, 0, 0, 80, 120, 70, 0, 0));
      return toReports(Uint8Array.from([0x4f, 0x46, 0x46, 0x0d, 0x0a]));
    });
    expect(run.result.end).toBe('completed');
    expect(run.result.readings).toHaveLength(1);
    expect(run.result.problems).toEqual({ PROTOCOL_UNEXPECTED: 1 });
  });
});
