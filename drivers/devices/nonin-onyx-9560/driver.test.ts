import { describe, expect, it } from 'vitest';
import type { Reading } from '../../../shared/reading.ts';
import { PULSE, quantityOf, SPO2 } from '../../../test/helpers/oximeter-driver.ts';
import { DriverManifestSchema, resolveOptions, runAgainstSimulator } from '../../kit/index.ts';
import { noninOnyx9560Driver } from './index.ts';
import { COMMAND } from './protocol.ts';

const values = (r: Reading): [number | undefined, number | undefined] => [quantityOf(r, SPO2), quantityOf(r, PULSE)];
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
const sent = (traffic: { direction: string; bytes: Uint8Array }[]): string => traffic.filter((t) => t.direction === 'out').map((t) => hex(t.bytes)).join(' ');

describe('nonin-onyx-9560 session against its simulator', () => {
  it('has a valid manifest with the documented defaults and scenarios', () => {
    expect(DriverManifestSchema.safeParse(noninOnyx9560Driver.manifest).success).toBe(true);
    expect(resolveOptions(noninOnyx9560Driver.manifest)).toEqual({ dataFormat: 'df13', setClockWhenOff: false, stabilityWindowSeconds: 10, autoCapture: true, spo2Tolerance: 1, pulseTolerance: 3 });
    expect(noninOnyx9560Driver.simulator.scenarios.map((s) => s.name)).toEqual(['spot-check', 'memory', 'no-measurement', 'continuous', 'stream']);
  });

  it('DF13: reads the clock, then one reading per spot check at its device time', async () => {
    const run = await runAgainstSimulator(noninOnyx9560Driver, { scenario: 'spot-check', startMs: Date.UTC(2026, 2, 2, 10, 15, 0) });
    expect(run.result.problems).toEqual({});
    expect(sent(run.traffic)).toBe(hex(COMMAND.readClock));
    expect(run.result.deviceClock).toMatchObject({ canSet: true });
    expect(Math.abs(run.result.deviceClock?.skewMs ?? Number.NaN)).toBeLessThan(1000);
    expect(run.result.readings).toHaveLength(1);
    const reading = run.result.readings[0] as Reading;
    expect(values(reading)).toEqual([97, 72]);
    expect(reading.flags).toEqual(['spot-check-high-quality']);
    expect(reading.deviceTime).toBeDefined();
    expect(reading.clock?.source).toBe('device');
    expect(run.timersLeft).toBe(0);
  });

  it('DF13 from memory: stored records keep their device time, corrected by the skew read at open', async () => {
    const run = await runAgainstSimulator(noninOnyx9560Driver, { scenario: 'memory' });
    expect(run.result.problems).toEqual({});
    const skew = run.result.deviceClock?.skewMs ?? 0;
    expect(Math.round(skew / 60_000)).toBe(7);
    expect(run.result.readings.map(values)).toEqual([[95, 81], [96, 77], [98, 70]]);
    const [first, second, live] = run.result.readings as [Reading, Reading, Reading];
    for (const stored of [first, second]) {
      expect(stored.flags).toContain('from-memory');
      expect(stored.clock?.source).toBe('device-corrected');
    }
    // 2 h and 1 h before the device's now: an hour apart in device time, as sent.
    expect(Date.parse(`${second.deviceTime}Z`) - Date.parse(`${first.deviceTime}Z`)).toBe(3600_000);
    expect(live.flags).toEqual(expect.arrayContaining(['low-battery', 'clock-skew']));
    expect(live.clock?.source).toBe('workstation');
  });

  it('DF13: no measurement (NOMS or missing values) makes no reading', async () => {
    const run = await runAgainstSimulator(noninOnyx9560Driver, { scenario: 'no-measurement' });
    expect(run.result.readings).toEqual([]);
    expect(run.result.problems).toEqual({});
  });

  it('DF13: a bad checksum is PROTOCOL_CHECKSUM and no reading', async () => {
    const run = await runAgainstSimulator(noninOnyx9560Driver, { scenario: 'memory', fault: 'bad-checksum' });
    expect(run.result.readings).toEqual([]);
    expect(run.result.problems.PROTOCOL_CHECKSUM).toBe(3);
  });

  it.each(['df8', 'df7'] as const)('%s: selected at open (ACK), finger-out samples never read, one reading when stable 10 s', async (dataFormat) => {
    const run = await runAgainstSimulator(noninOnyx9560Driver, { scenario: 'continuous', options: { dataFormat } });
    expect(run.result.problems).toEqual({});
    expect(sent(run.traffic)).toBe(`${hex(COMMAND.readClock)} ${hex(COMMAND.selectFormat(dataFormat))}`);
    expect(run.result.readings).toHaveLength(1);
    const reading = run.result.readings[0] as Reading;
    expect(values(reading)[0]).toBe(97);
    expect([72, 73]).toContain(values(reading)[1]);
    expect(reading.flags).toEqual(['auto-capture']);
    const live = run.events.filter((e) => e.type === 'live');
    expect(live.some((e) => e.type === 'live' && !e.valid && e.flags.includes('sensor-alarm'))).toBe(true);
    expect(run.timersLeft).toBe(0);
  });

  it('df8 selected while the unit sends DF13 records: they are not DF8 frames, no reading', async () => {
    const run = await runAgainstSimulator(noninOnyx9560Driver, { scenario: 'spot-check', options: { dataFormat: 'df8' } });
    expect(run.result.readings).toEqual([]);
  });

  it('df7: a corrupted frame loses its packet and the stream resynchronises on SYNC', async () => {
    const run = await runAgainstSimulator(noninOnyx9560Driver, { scenario: 'continuous', options: { dataFormat: 'df7' }, fault: 'bad-checksum' });
    expect(run.result.readings).toEqual([]);
    expect(run.result.problems.PROTOCOL_GARBAGE).toBeGreaterThan(0);
  });

  it('setClockWhenOff: a clock 7 min off is set at open, inside the 5 s window, and the live record then agrees', async () => {
    const run = await runAgainstSimulator(noninOnyx9560Driver, { scenario: 'memory', options: { setClockWhenOff: true } });
    expect(run.result.problems).toEqual({});
    const out = run.traffic.filter((t) => t.direction === 'out').map((t) => Array.from(t.bytes)).flat();
    const at = out.findIndex((b, i) => b === 0x02 && out[i + 1] === 0x72 && out[i + 2] === 0x06);
    expect(at).toBeGreaterThan(0);
    const live = run.result.readings.at(-1) as Reading;
    expect(live.flags).not.toContain('clock-skew');
    expect(live.clock?.source).toBe('device');
    // The records stored before the clock was set are still corrected by the skew read first.
    expect(run.result.readings[0]?.clock?.source).toBe('device-corrected');
  });

  it('without the option the clock is only read, never set', async () => {
    const run = await runAgainstSimulator(noninOnyx9560Driver, { scenario: 'memory' });
    expect(sent(run.traffic)).toBe(hex(COMMAND.readClock));
  });
});
