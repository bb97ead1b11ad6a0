import { describe, expect, it } from 'vitest';
import type { Reading } from '../../../shared/reading.ts';
import { abortMidStream, identifyBeforeData, lives, pressCapture, probeWith, PULSE, quantityOf, SPO2 } from '../../../test/helpers/oximeter-driver.ts';
import { createLinkPair, DriverManifestSchema, resolveOptions, runAgainstSimulator, type SimulatedRun, type SimulatedRunOptions, TrackedClock, VirtualClock } from '../../kit/index.ts';
import { masimoRad8Driver } from './index.ts';

const START = Date.UTC(2026, 0, 15, 9, 0, 0);
const d = (n: number): string => String(n).padStart(2, '0');
/** The device time the simulator prints `seconds` after the start, as a reading states it. */
function deviceTimeAt(seconds: number): string {
  const t = new Date(START + seconds * 1000);
  return `${t.getFullYear()}-${d(t.getMonth() + 1)}-${d(t.getDate())}T${d(t.getHours())}:${d(t.getMinutes())}:${d(t.getSeconds())}`;
}

/** The simulator and a session over a memory link pair, on a virtual clock from START. */
const play = (scenario: string, opts: Pick<SimulatedRunOptions, 'options' | 'onEvent' | 'fault'> = {}): Promise<SimulatedRun> =>
  runAgainstSimulator(masimoRad8Driver, { scenario, startMs: START, ...opts });

describe('masimo-rad8 session against its simulator', () => {
  it('has a valid manifest with the documented option defaults', () => {
    expect(DriverManifestSchema.safeParse(masimoRad8Driver.manifest).success).toBe(true);
    expect(resolveOptions(masimoRad8Driver.manifest)).toEqual({ stabilityWindowSeconds: 10, autoCapture: true, spo2Tolerance: 1, pulseTolerance: 3 });
    expect(masimoRad8Driver.simulator.scenarios.map((s) => s.name)).toEqual(['spot-check', 'no-sensor', 'unstable', 'alarm', 'stream', 'radical7']);
  });

  it('spot-check: two readings, one per patient, 10 s after each became stable', async () => {
    const { result, events, timersLeft } = await play('spot-check');
    expect(result.end).toBe('ended');
    expect(result.problems).toEqual({});
    expect(result.identity).toEqual({ manufacturer: 'Masimo', model: 'Rad-8 / Radical-7 / Rad-87', serial: '0000056661' });
    expect(lives(events)).toHaveLength(35);
    expect(result.readings).toHaveLength(2);
    const [first, second] = result.readings as [Reading, Reading];
    // Patient 1 is stable from second 3; the 11th line (second 13) is 97 + 10 % 2 = 97, pulse [72,73,74,73][10 % 4] = 74.
    expect([quantityOf(first, SPO2), quantityOf(first, PULSE), first.deviceTime]).toEqual([97, 74, deviceTimeAt(13)]);
    expect([quantityOf(second, SPO2), quantityOf(second, PULSE), second.deviceTime]).toEqual([95, 88, deviceTimeAt(30)]);
    for (const r of result.readings) {
      expect(r.flags).toEqual(['auto-capture']);
      expect(r.device.serial).toBe('0000056661');
      expect(r.kind).toBe('patient');
      expect(r.clock?.source).toBe('device');
    }
    const raws = events.flatMap((e) => (e.type === 'reading' ? [e.raw.length] : []));
    expect(raws).toEqual([11, 11]);
    expect(timersLeft).toBe(0);
  });

  it('no-sensor: dashes with no-sensor and sensor-off exceptions, no reading', async () => {
    const { result, events, timersLeft } = await play('no-sensor');
    expect(result.readings).toEqual([]);
    const live = lives(events);
    expect(live).toHaveLength(20);
    for (const l of live) {
      expect(l.valid).toBe(false);
      expect(l.observations).toEqual([]);
      expect(l.flags).toEqual(['exception:no-sensor', 'exception:sensor-off']);
    }
    expect(timersLeft).toBe(0);
  });

  it('unstable: valid values that never settle make no reading', async () => {
    const { result, events } = await play('unstable');
    expect(result.readings).toEqual([]);
    expect(lives(events).every((l) => l.valid)).toBe(true);
  });

  it('alarm: SpO2 86 with the low-limit alarm gives one reading flagged L', async () => {
    const { result } = await play('alarm');
    expect(result.readings).toHaveLength(1);
    const reading = result.readings[0] as Reading;
    const spo2 = reading.observations.find((o) => o.code === SPO2);
    expect(spo2?.value).toEqual({ kind: 'quantity', value: 86, unit: '%' });
    expect(spo2?.interpretation).toBe('L');
    expect(reading.observations.find((o) => o.code === PULSE)?.interpretation).toBeUndefined();
    expect(reading.flags).toEqual(['alarm:spo2-low', 'alarm:active', 'auto-capture']);
  });

  it('radical7: the reading keeps SpCO, SpMet, DESAT, PIDELTA and PVI as unmapped values', async () => {
    const { result } = await play('radical7');
    expect(result.readings).toHaveLength(1);
    const reading = result.readings[0] as Reading;
    expect(reading.device.serial).toBe('0000070986');
    expect(reading.observations.flatMap((o) => (o.value?.kind === 'unmapped' ? [`${o.value.label}=${o.value.text}`] : []))).toEqual([
      'PI=03.10%', 'SPCO=01.0%', 'SPMET=00.5%', 'DESAT=01', 'PIDELTA=-02', 'PVI=014',
    ]);
  });

  it('manual capture takes the newest valid line, and refuses while the sensor is off', async () => {
    const { answers, onEvent } = pressCapture(5, { whileInvalid: true });
    const { result } = await play('spot-check', { options: { autoCapture: false }, onEvent });
    expect(answers).toEqual([false, true]);
    expect(result.readings).toHaveLength(1);
    const reading = result.readings[0] as Reading;
    // The 5th valid line is patient 1's line 4, printed at second 7: 97 + 4 % 2 = 97, pulse 72.
    expect([quantityOf(reading, SPO2), quantityOf(reading, PULSE), reading.deviceTime]).toEqual([97, 72, deviceTimeAt(7)]);
    expect(reading.flags).toEqual(['manual-capture']);
  });

  it('a manual capture stands for its spot check: no automatic one until the sensor comes off', async () => {
    const { result } = await play('spot-check', { onEvent: pressCapture(3).onEvent });
    expect(result.readings.map((r) => r.flags)).toEqual([['manual-capture'], ['auto-capture']]);
    expect(result.readings.map((r) => quantityOf(r, SPO2))).toEqual([97, 95]);
  });

  it('truncate fault: no complete line, no reading, the problem reported', async () => {
    const { result, timersLeft } = await play('spot-check', { fault: 'truncate' });
    expect(result.readings).toEqual([]);
    expect(result.problems.PROTOCOL_TRUNCATED).toBe(1);
    expect(timersLeft).toBe(0);
  });

  it('abort during stream ends the session at once, and no timer is left', async () => {
    const { result, abortedAt, resultAt, timersLeft } = await abortMidStream(masimoRad8Driver, START);
    expect(result.end).toBe('aborted');
    expect(resultAt).toBe(abortedAt);
    expect(result.readings).toHaveLength(1);
    expect(timersLeft).toBe(0);
  });

  it('the simulator stops on its own signal and rejects an unknown scenario', async () => {
    const virtual = new VirtualClock(START);
    const clock = new TrackedClock(virtual);
    const pair = createLinkPair();
    const stop = new AbortController();
    const simulated = masimoRad8Driver.simulator.run({ link: pair.device, clock, signal: stop.signal, scenario: 'stream' });
    await virtual.runUntilIdle(5_000);
    stop.abort();
    await simulated;
    expect(clock.pending).toBe(0);
    expect(pair.device.closed).toBe(false);
    await expect(masimoRad8Driver.simulator.run({ link: pair.device, clock, signal: stop.signal, scenario: 'nope' })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});

describe('masimo-rad8 identify and probe', () => {
  it('identify answers at once, before any data', async () => {
    await expect(identifyBeforeData(masimoRad8Driver, START)).resolves.toEqual({ manufacturer: 'Masimo', model: 'Rad-8 / Radical-7 / Rad-87' });
  });

  it('probe: true at the first line that decodes, even with the sensor off', async () => {
    await expect(probeWith(masimoRad8Driver, START, 'power on\r\n01/15/26 09:00:00 SN=0000056661 SPO2=---% BPM=--- EXC=000820\r\n')).resolves.toBe(true);
  });

  it('probe: false when only noise arrives before the deadline', async () => {
    await expect(probeWith(masimoRad8Driver, START, '\u00f8x\u0080\u00e0\r\n')).resolves.toBe(false);
  });
});
