import { describe, expect, it } from 'vitest';
import { HubError } from '../../shared/errors.ts';
import { observe, quantity } from '../../shared/observation.ts';
import { TrackedClock, VirtualClock } from './clock.ts';
import type { Driver, DriverContext, DriverSession } from './driver.ts';
import { createLinkPair, LinkBase } from './link.ts';
import { DEFAULT_DEADLINES, type DriverManifest } from './manifest.ts';
import { runSession } from './session.ts';

const manifest: DriverManifest = {
  id: 'test-driver',
  name: 'Test',
  manufacturer: 'Test',
  models: ['T'],
  category: 'vitals',
  kind: 'discrete',
  transport: { type: 'serial', serial: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } },
  usb: [],
  checksum: false,
  options: [],
  deadlines: DEFAULT_DEADLINES,
  hints: ['none'],
};

/** A driver whose steps are given by the test. */
function testDriver(steps: Partial<Record<keyof DriverSession, (ctx: DriverContext, signal: AbortSignal) => Promise<unknown>>>): Driver {
  return {
    manifest,
    simulator: { scenarios: [{ name: 'none', description: '' }], run: async () => undefined },
    createSession: (ctx) => ({
      probe: async () => true,
      open: async (s) => void (await steps.open?.(ctx, s)),
      identify: async (s) => ((await steps.identify?.(ctx, s)) as { manufacturer: string; model: string } | undefined) ?? { manufacturer: 'Test', model: 'T' },
      acquire: async (s) => void (await steps.acquire?.(ctx, s)),
      close: async () => undefined,
    }),
  };
}

const untilAborted = (signal: AbortSignal): Promise<void> => new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

async function run(driver: Driver, opts: { abortAfterMs?: number; link?: LinkBase } = {}) {
  const virtual = new VirtualClock();
  const clock = new TrackedClock(virtual);
  const link = opts.link ?? createLinkPair().host;
  const stop = new AbortController();
  const session = runSession({ driver, link, clock, signal: stop.signal });
  if (opts.abortAfterMs !== undefined) {
    await virtual.runUntilIdle(opts.abortAfterMs);
    stop.abort();
  }
  await virtual.runUntilIdle();
  const result = await session;
  return { result, timersLeft: clock.pending };
}

describe('runSession', () => {
  it('fails a step that misses its deadline with DEVICE_NO_RESPONSE and leaves no timer', async () => {
    const { result, timersLeft } = await run(testDriver({ identify: (_c, s) => untilAborted(s) }));
    expect(result.end).toBe('failed');
    expect(result.error?.code).toBe('DEVICE_NO_RESPONSE');
    expect(result.error?.message).toContain('identifying the device');
    expect(timersLeft).toBe(0);
  });

  it('ends as aborted when the caller aborts during acquire', async () => {
    const { result, timersLeft } = await run(testDriver({ acquire: (_c, s) => untilAborted(s) }), { abortAfterMs: 60_000 });
    expect(result.end).toBe('aborted');
    expect(result.error).toBeUndefined();
    expect(timersLeft).toBe(0);
  });

  it('reports a link that ended abnormally (unplugged) as the reason', async () => {
    class Unplugged extends LinkBase {
      readonly mode = 'bytes' as const;
      protected async send(): Promise<void> {}
      protected async shutdown(): Promise<void> {}
      pull(): void {
        this.ended(new HubError('TRANSPORT_CLOSED', 'the device was disconnected'));
      }
    }
    const link = new Unplugged();
    const driver = testDriver({
      acquire: (ctx) =>
        new Promise<void>((resolve) => {
          ctx.link.onClose(() => resolve());
          link.pull();
        }),
    });
    const { result } = await run(driver, { link });
    expect(result.end).toBe('failed');
    expect(result.error?.code).toBe('TRANSPORT_CLOSED');
  });

  it('stamps valid readings and refuses invalid ones as a reported problem', async () => {
    const driver = testDriver({
      acquire: async (ctx) => {
        const base = { device: { manufacturer: 'Test', model: 'T' }, kind: 'patient' as const, timeBasis: 'live' as const, flags: [], raw: [] };
        ctx.emit({ type: 'reading', draft: { ...base, observations: [observe('heartRate', quantity(72, '/min'))] } });
        ctx.emit({ type: 'reading', draft: { ...base, observations: [{ code: '8867-4', value: { kind: 'quantity', value: 72, unit: 'bpm' } }] } });
      },
    });
    const { result } = await run(driver);
    expect(result.readings).toHaveLength(1);
    expect(result.readings[0]).toMatchObject({ driver: 'test-driver', clock: { source: 'workstation' } });
    expect(result.problems.PROTOCOL_UNEXPECTED).toBe(1);
  });

  it('keepReadings false: each reading still reaches onEvent, but the result does not hold them (a session may run for weeks)', async () => {
    const base = { device: { manufacturer: 'Test', model: 'T' }, kind: 'patient' as const, timeBasis: 'live' as const, flags: [], raw: [] };
    const driver = testDriver({
      acquire: async (ctx) => {
        for (const rate of [70, 71, 72]) ctx.emit({ type: 'reading', draft: { ...base, observations: [observe('heartRate', quantity(rate, '/min'))] } });
      },
    });
    const virtual = new VirtualClock();
    const seen: number[] = [];
    const session = runSession({
      driver,
      link: createLinkPair().host,
      clock: virtual,
      keepReadings: false,
      onEvent: (e) => {
        if (e.type === 'reading') seen.push(e.reading.observations.length);
      },
    });
    await virtual.runUntilIdle();
    const result = await session;
    expect(seen).toEqual([1, 1, 1]);
    expect(result.readings).toEqual([]);
    expect(result.end).toBe('completed');
  });

  it('turns an unexpected exception into a failed result, never a throw', async () => {
    const { result } = await run(testDriver({ open: async () => JSON.parse('{') as unknown }));
    expect(result.end).toBe('failed');
    expect(result.error?.code).toBe('PROTOCOL_UNEXPECTED');
  });
});
