import { describe, expect, it } from 'vitest';
import type { Reading } from '../../../shared/reading.ts';
import { lives, pressCapture, PULSE, quantityOf, SPO2 } from '../../../test/helpers/oximeter-driver.ts';
import { DriverManifestSchema, resolveOptions, runAgainstSimulator } from '../../kit/index.ts';
import { contecCms50Driver } from './index.ts';
import { COMMAND, encodeCommand } from './protocol.ts';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
const commandsSent = (traffic: { direction: string; bytes: Uint8Array }[]): string[] => traffic.filter((t) => t.direction === 'out').map((t) => hex(t.bytes));

describe('contec-cms50 session against its simulator', () => {
  it('has a valid manifest with the documented defaults and scenarios', () => {
    expect(DriverManifestSchema.safeParse(contecCms50Driver.manifest).success).toBe(true);
    expect(resolveOptions(contecCms50Driver.manifest)).toEqual({ protocol: 'auto', stabilityWindowSeconds: 10, autoCapture: true, spo2Tolerance: 1, pulseTolerance: 3 });
    expect(contecCms50Driver.simulator.scenarios.map((s) => s.name)).toEqual(['spot-check', 'legacy', 'no-finger', 'stream']);
  });

  it('V7.0 (detected): start, keep-alive every 5 s, one reading 10 s after the finger settled', async () => {
    const run = await runAgainstSimulator(contecCms50Driver, { scenario: 'spot-check' });
    expect(run.result.end).toBe('ended');
    expect(run.result.problems).toEqual({});
    expect(run.result.readings).toHaveLength(1);
    const reading = run.result.readings[0] as Reading;
    // Finger from second 2; the watched sample of second 12 (i = 10): 97 + 10 % 2 = 97, 72 + 0 = 72.
    expect([quantityOf(reading, SPO2), quantityOf(reading, PULSE)]).toEqual([97, 72]);
    expect(reading.observations.find((o) => o.value?.kind === 'unmapped')?.value).toEqual({ kind: 'unmapped', label: 'PI', text: `${((176 + (72 % 7)) / 100).toFixed(2)}%` });
    expect(reading.device).toEqual({ manufacturer: 'Contec', model: 'CMS50 (V7.0 protocol)' });
    expect(reading.flags).toEqual(['auto-capture']);
    const start = hex(encodeCommand(COMMAND.start));
    const keepAlive = hex(encodeCommand(COMMAND.keepAlive));
    const sent = commandsSent(run.traffic);
    expect(sent[0]).toBe(start);
    expect(sent.filter((c) => c === keepAlive).length).toBeGreaterThanOrEqual(2);
    expect(run.timersLeft).toBe(0);
  });

  it('older firmware (detected): no command needed, pulse above 127 restored from its 8th bit', async () => {
    const run = await runAgainstSimulator(contecCms50Driver, { scenario: 'legacy' });
    expect(run.result.problems).toEqual({});
    expect(run.result.readings.map((r) => [quantityOf(r, SPO2), quantityOf(r, PULSE), r.device.model])).toEqual([[96, 130, 'CMS50 (older firmware)']]);
    expect(run.timersLeft).toBe(0);
  });

  it('a fixed protocol option: legacy sends nothing to the device; v7 on an older device reads nothing', async () => {
    const legacy = await runAgainstSimulator(contecCms50Driver, { scenario: 'legacy', options: { protocol: 'legacy' } });
    expect(legacy.result.readings).toHaveLength(1);
    expect(commandsSent(legacy.traffic)).toEqual([]);
    const wrong = await runAgainstSimulator(contecCms50Driver, { scenario: 'legacy', options: { protocol: 'v7' } });
    expect(wrong.result.readings).toEqual([]);
    expect(Object.keys(wrong.result.problems).length).toBeGreaterThan(0);
  });

  it('no finger: invalid samples are live but make no reading', async () => {
    const run = await runAgainstSimulator(contecCms50Driver, { scenario: 'no-finger' });
    expect(run.result.readings).toEqual([]);
    const live = lives(run.events);
    expect(live.length).toBeGreaterThan(0);
    expect(live.every((l) => !l.valid && l.observations.length === 0 && l.flags.includes('searching'))).toBe(true);
  });

  it('a longer window delays the capture past the finger: no reading', async () => {
    const run = await runAgainstSimulator(contecCms50Driver, { scenario: 'spot-check', options: { stabilityWindowSeconds: 13 } });
    expect(run.result.readings).toEqual([]);
  });

  it('manual capture takes the newest valid sample and disarms the automatic one', async () => {
    const { answers, onEvent } = pressCapture(3, { whileInvalid: true });
    const { result, timersLeft } = await runAgainstSimulator(contecCms50Driver, { scenario: 'spot-check', onEvent });
    expect(answers).toEqual([false, true]);
    expect(result.readings.map((r) => r.flags)).toEqual([['manual-capture']]);
    expect(timersLeft).toBe(0);
  });

  it('close says stop to a V7.0 device while the link is up', async () => {
    const run = await runAgainstSimulator(contecCms50Driver, { scenario: 'stream', abortAfterMs: 30_000 });
    expect(run.result.end).toBe('aborted');
    expect(run.result.readings).toHaveLength(1);
    expect(commandsSent(run.traffic).at(-1)).toBe(hex(encodeCommand(COMMAND.stop)));
    expect(run.timersLeft).toBe(0);
  });
});
