import { describe, expect, it } from 'vitest';
import type { Reading } from '../../../shared/reading.ts';
import { abortMidStream, identifyBeforeData, lives, pressCapture, probeWith, PULSE, quantityOf, SPO2 } from '../../../test/helpers/oximeter-driver.ts';
import { createLinkPair, DriverManifestSchema, resolveOptions, runAgainstSimulator, type SimulatedRun, type SimulatedRunOptions, VirtualClock } from '../../kit/index.ts';
import { noninAsciiDriver } from './index.ts';

const START = Date.UTC(2026, 0, 15, 9, 0, 0);
/** The simulator and a session over a memory link pair, on a virtual clock from START. */
const play = (scenario: string, opts: Pick<SimulatedRunOptions, 'options' | 'onEvent' | 'fault'> = {}): Promise<SimulatedRun> =>
  runAgainstSimulator(noninAsciiDriver, { scenario, startMs: START, ...opts });
/** Seconds after START, as the reading's receipt time. */
const at = (r: Reading): number => (Date.parse(r.receivedAt) - START) / 1000;

describe('nonin-ascii session against its simulator', () => {
  it('has a valid manifest with the documented option defaults and scenarios', () => {
    expect(DriverManifestSchema.safeParse(noninAsciiDriver.manifest).success).toBe(true);
    expect(resolveOptions(noninAsciiDriver.manifest)).toEqual({ stabilityWindowSeconds: 10, autoCapture: true, spo2Tolerance: 1, pulseTolerance: 3 });
    expect(noninAsciiDriver.simulator.scenarios.map((s) => s.name)).toEqual(['spot-check', 'no-sensor', 'unstable', 'timed', 'fast', 'stream']);
  });

  it('spot-check: the header is skipped silently; two readings, one per patient, on the 11th stable line', async () => {
    const { result, events, timersLeft } = await play('spot-check');
    expect(result.end).toBe('ended');
    expect(result.problems).toEqual({});
    expect(result.identity).toMatchObject({ manufacturer: 'Nonin' });
    expect(lives(events)).toHaveLength(35);
    expect(result.readings).toHaveLength(2);
    const [first, second] = result.readings as [Reading, Reading];
    // Patient 1 from second 3; the 11th line (second 13, i = 10) is 97 + 10 % 2 = 97, pulse [72,73,74,73][10 % 4] = 74.
    expect([quantityOf(first, SPO2), quantityOf(first, PULSE), at(first)]).toEqual([97, 74, 13]);
    expect([quantityOf(second, SPO2), quantityOf(second, PULSE), at(second)]).toEqual([95, 88, 30]);
    for (const r of result.readings) {
      expect(r.flags).toEqual(['auto-capture']);
      expect(r.deviceTime).toBeUndefined();
      expect(r.clock?.source).toBe('workstation');
    }
    expect(events.flatMap((e) => (e.type === 'reading' ? [e.raw.length] : []))).toEqual([11, 11]);
    expect(timersLeft).toBe(0);
  });

  it('no-sensor: dashes are live but never valid, no reading', async () => {
    const { result, events, timersLeft } = await play('no-sensor');
    expect(result.readings).toEqual([]);
    const live = lives(events);
    expect(live).toHaveLength(20);
    expect(live.every((l) => !l.valid && l.observations.length === 0)).toBe(true);
    expect(timersLeft).toBe(0);
  });

  it('unstable: valid values that never settle make no reading', async () => {
    const { result, events } = await play('unstable');
    expect(result.readings).toEqual([]);
    expect(lives(events).every((l) => l.valid)).toBe(true);
  });

  it('timed: the 9847 time prefix is read, the suffixes become flags on the reading', async () => {
    const { result, events } = await play('timed');
    expect(result.problems).toEqual({});
    expect(result.readings).toHaveLength(1);
    const reading = result.readings[0] as Reading;
    // Valid from second 2; the 11th (i = 10): pulse 64, B since 10 % 3 != 2 → no B; '*' only on i = 11.
    expect([quantityOf(reading, SPO2), quantityOf(reading, PULSE), at(reading)]).toEqual([96, 64, 12]);
    expect(reading.flags).toEqual(['auto-capture']);
    expect(lives(events).filter((l) => l.flags.includes('breath-detected'))).toHaveLength(4);
    expect(lives(events).filter((l) => l.flags.includes('event-marker'))).toHaveLength(1);
  });

  it('fast: the BT4000 " F" suffix flags the reading fast-mode', async () => {
    const { result } = await play('fast');
    expect(result.readings.map((r) => [quantityOf(r, SPO2), quantityOf(r, PULSE), r.flags])).toEqual([[99, 58, ['fast-mode', 'auto-capture']]]);
  });

  it('manual capture takes the newest valid line, and refuses while there is no data', async () => {
    const { answers, onEvent } = pressCapture(5, { whileInvalid: true });
    const { result } = await play('spot-check', { options: { autoCapture: false }, onEvent });
    expect(answers).toEqual([false, true]);
    expect(result.readings).toHaveLength(1);
    const reading = result.readings[0] as Reading;
    // The 5th valid line is patient 1's line 4: 97 + 4 % 2 = 97, pulse 72.
    expect([quantityOf(reading, SPO2), quantityOf(reading, PULSE)]).toEqual([97, 72]);
    expect(reading.flags).toEqual(['manual-capture']);
  });

  it('a manual capture stands for its spot check: no automatic one until the finger comes out', async () => {
    const { result } = await play('spot-check', { onEvent: pressCapture(3).onEvent });
    expect(result.readings.map((r) => r.flags)).toEqual([['manual-capture'], ['auto-capture']]);
    expect(result.readings.map((r) => quantityOf(r, SPO2))).toEqual([97, 95]); // the 3rd valid line is i = 2: 97 + 2 % 2
  });

  it('a longer stability window option delays the capture', async () => {
    const { result } = await play('spot-check', { options: { stabilityWindowSeconds: 12 } });
    expect(result.readings.map(at)).toEqual([15, 32]); // patient 2 starts at second 20
  });

  it('truncate fault: no complete line, no reading, the problem reported', async () => {
    const { result, timersLeft } = await play('spot-check', { fault: 'truncate' });
    expect(result.readings).toEqual([]);
    expect(Object.values(result.problems).reduce((a, b) => a + (b ?? 0), 0)).toBeGreaterThan(0);
    expect(timersLeft).toBe(0);
  });

  it('abort during stream ends the session at once, and no timer is left', async () => {
    const { result, timersLeft } = await abortMidStream(noninAsciiDriver, START);
    expect(result.end).toBe('aborted');
    expect(result.readings).toHaveLength(1);
    expect(timersLeft).toBe(0);
  });

  it('the simulator rejects an unknown scenario', async () => {
    const pair = createLinkPair();
    await expect(noninAsciiDriver.simulator.run({ link: pair.device, clock: new VirtualClock(START), signal: new AbortController().signal, scenario: 'nope' })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});

describe('nonin-ascii identify and probe', () => {
  it('identify answers at once, before any data', async () => {
    await expect(identifyBeforeData(noninAsciiDriver, START)).resolves.toMatchObject({ manufacturer: 'Nonin' });
  });

  it('probe: header lines do not count; true at the first data line, even without a finger', async () => {
    await expect(probeWith(noninAsciiDriver, START, 'NONIN MEDICAL INC.\r\nSPO2=--- HR=---\r\n')).resolves.toBe(true);
  });

  it('probe: false when only a header and noise arrive before the deadline', async () => {
    await expect(probeWith(noninAsciiDriver, START, 'NONIN MEDICAL INC.\r\n\u00f8x\u0080\u00e0\r\n')).resolves.toBe(false);
  });
});
