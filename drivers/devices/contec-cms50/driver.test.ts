import { describe, expect, it } from 'vitest';
import type { Reading } from '../../../shared/reading.ts';
import { createLinkPair, type Driver, DriverManifestSchema, type DriverSession, resolveOptions, runAgainstSimulator, runSession, type SessionEvent, TrackedClock, VirtualClock } from '../../kit/index.ts';
import { contecCms50Driver } from './index.ts';
import { COMMAND, encodeCommand } from './protocol.ts';

const SPO2 = '59408-5';
const PULSE = '8867-4';
const valueOf = (r: Reading, code: string): number | undefined => {
  const v = r.observations.find((o) => o.code === code)?.value;
  return v?.kind === 'quantity' ? v.value : undefined;
};
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
    expect([valueOf(reading, SPO2), valueOf(reading, PULSE)]).toEqual([97, 72]);
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
    expect(run.result.readings.map((r) => [valueOf(r, SPO2), valueOf(r, PULSE), r.device.model])).toEqual([[96, 130, 'CMS50 (older firmware)']]);
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
    const lives = run.events.flatMap((e) => (e.type === 'live' ? [e] : []));
    expect(lives.length).toBeGreaterThan(0);
    expect(lives.every((l) => !l.valid && l.observations.length === 0 && l.flags.includes('searching'))).toBe(true);
  });

  it('a longer window delays the capture past the finger: no reading', async () => {
    const run = await runAgainstSimulator(contecCms50Driver, { scenario: 'spot-check', options: { stabilityWindowSeconds: 13 } });
    expect(run.result.readings).toEqual([]);
  });

  it('manual capture takes the newest valid sample and disarms the automatic one', async () => {
    const virtual = new VirtualClock();
    const clock = new TrackedClock(virtual);
    const pair = createLinkPair();
    let session: DriverSession | undefined;
    const driver: Driver = { ...contecCms50Driver, createSession: (ctx) => (session = contecCms50Driver.createSession(ctx)) };
    const answers: boolean[] = [];
    let valid = 0;
    const simulated = contecCms50Driver.simulator.run({ link: pair.device, clock, signal: new AbortController().signal, scenario: 'spot-check' }).then(() => pair.device.close());
    const running = runSession({
      driver, link: pair.host, clock,
      onEvent: (e: SessionEvent) => {
        if (e.type !== 'live' || !session) return;
        if (!e.valid && answers.length === 0) answers.push(session.capture?.() ?? false);
        if (e.valid && ++valid === 3) answers.push(session.capture?.() ?? false);
      },
    });
    await virtual.runUntilIdle();
    const [result] = await Promise.all([running, simulated]);
    await virtual.runUntilIdle();
    expect(answers).toEqual([false, true]);
    expect(result.readings.map((r) => r.flags)).toEqual([['manual-capture']]);
    expect(clock.pending).toBe(0);
  });

  it('close says stop to a V7.0 device while the link is up', async () => {
    const run = await runAgainstSimulator(contecCms50Driver, { scenario: 'stream', abortAfterMs: 30_000 });
    expect(run.result.end).toBe('aborted');
    expect(run.result.readings).toHaveLength(1);
    expect(commandsSent(run.traffic).at(-1)).toBe(hex(encodeCommand(COMMAND.stop)));
    expect(run.timersLeft).toBe(0);
  });
});
