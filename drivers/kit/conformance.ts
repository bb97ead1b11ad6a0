import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entriesForLoinc } from '../../shared/catalog.ts';
import type { Observation } from '../../shared/observation.ts';
import { ReadingSchema, type Reading } from '../../shared/reading.ts';
import { TrackedClock, VirtualClock } from './clock.ts';
import type { Driver } from './driver.ts';
import { byteChunks, createLinkPair, randomChunks, type UsbIds } from './link.ts';
import { DriverManifestSchema, type TransportKind } from './manifest.ts';
import { runSession } from './session.ts';
import { downloadTwice } from './repeat-download.ts';
import { runAgainstSimulator, type SimulatedRun, type SimulatedRunOptions } from './simulated-session.ts';
import { demoScenario } from './simulator.ts';

/** What a record is on the meter: the fields that make a reading's identity in the store, not when it was read. */
const records = (readings: readonly Reading[]): unknown[] =>
  readings.map(({ driver, device, kind, deviceTime, context, observations, flags }) => ({ driver, device, kind, deviceTime, context, observations, flags }));

/** A meter's memory outlives a download by an hour and a minute on its clock: past both a minute and an hour boundary. */
const REPEAT_GAP_MS = 61 * 60_000 + 30_000;

/** Readings without the one field that depends on when the test ran. */
const comparable = (readings: readonly Reading[]): unknown[] => readings.map(({ receivedAt: _r, ...rest }) => rest);

function checkCatalog(observation: Observation): void {
  if (observation.code !== undefined) {
    const entries = entriesForLoinc(observation.code);
    expect(entries.length, `code ${observation.code} is in the catalog`).toBeGreaterThan(0);
    const value = observation.value;
    if (value?.kind === 'quantity') {
      expect(entries.some((e) => (e.units as readonly string[]).includes(value.unit)), `unit ${value.unit} belongs to ${observation.code}`).toBe(true);
    }
  }
  for (const c of observation.components ?? []) checkCatalog(c);
}

/**
 * The conformance suite of docs/adding-a-driver.md §7, run over every registered driver: manifest valid; a
 * session against the driver's own simulator completes; whole, byte-by-byte and randomly
 * chunked input give identical readings; corrupt checksums, truncated frames and garbage never
 * throw, never make a reading and are reported; abort is honoured; no timer outlives a session.
 */
export function defineConformanceSuite(driver: Driver, opts: { chunkingRuns?: number; garbageRuns?: number; link?: TransportKind; usb?: UsbIds; title?: string } = {}): void {
  const { manifest, simulator } = driver;
  const scenario = simulator.scenarios[0]?.name ?? 'default';
  // A driver with several links (manifest `otherTransports`) is checked on each: `link` names one.
  const on: Pick<SimulatedRunOptions, 'link' | 'usb'> = { ...(opts.link ? { link: opts.link } : {}), ...(opts.usb ? { usb: opts.usb } : {}) };
  const play = (o: SimulatedRunOptions): Promise<SimulatedRun> => runAgainstSimulator(driver, { ...o, ...on });
  const mode = (opts.link ?? manifest.transport.type) === 'hid' ? 'reports' : 'bytes';

  describe(`conformance: ${manifest.id}${opts.title ?? (opts.link ? ` (${opts.link} link)` : '')}`, () => {
    it('has a valid manifest and at least one simulator scenario', () => {
      expect(DriverManifestSchema.safeParse(manifest).success).toBe(true);
      expect(simulator.scenarios.length).toBeGreaterThan(0);
    });

    it(`completes a session against its simulator ("${scenario}") with valid, catalog-coded readings`, async () => {
      const run = await play({ scenario });
      expect(run.result.error).toBeUndefined();
      expect(run.result.readings.length).toBeGreaterThan(0);
      for (const reading of run.result.readings) {
        expect(ReadingSchema.safeParse(reading).success).toBe(true);
        expect(reading.driver).toBe(manifest.id);
        reading.observations.forEach(checkCatalog);
      }
      expect(run.timersLeft).toBe(0);
    });

    if (manifest.kind === 'download') {
      it('reports download progress that only goes forward and ends at the total', async () => {
        const run = await play({ scenario });
        const progress = run.events.flatMap((e) => (e.type === 'progress' ? [e] : []));
        expect(progress.length).toBeGreaterThan(0);
        for (let i = 1; i < progress.length; i++) expect(progress[i]?.done).toBeGreaterThanOrEqual(progress[i - 1]?.done ?? 0);
        const last = progress[progress.length - 1];
        if (last?.total !== undefined) expect(last.done).toBe(last.total);
        expect(run.events.some((e) => e.type === 'device-clock')).toBe(manifest.deviceClock !== 'none');
      });
    }

    it('gives identical readings for whole, byte-by-byte and randomly chunked input (1,000 random cuts)', async () => {
      const whole = comparable((await play({ scenario })).result.readings);
      const bytewise = comparable((await play({ scenario, chunker: byteChunks })).result.readings);
      expect(bytewise).toEqual(whole);
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
          const random = mulberry32(seed);
          const run = await play({ scenario, chunker: randomChunks(random, 23) });
          expect(comparable(run.result.readings)).toEqual(whole);
        }),
        { numRuns: opts.chunkingRuns ?? 1000 },
      );
    });

    if (manifest.checksum) {
      it('never makes a reading from frames with corrupt checksums, and reports them', async () => {
        const run = await play({ scenario, fault: 'bad-checksum' });
        expect(run.result.readings).toEqual([]);
        expect(run.result.problems.PROTOCOL_CHECKSUM ?? 0).toBeGreaterThan(0);
        expect(run.timersLeft).toBe(0);
      });
    }

    it('never makes a reading from truncated frames, and reports them', async () => {
      const run = await play({ scenario, fault: 'truncate' });
      expect(run.result.readings).toEqual([]);
      const reported = Object.values(run.result.problems).reduce((a, b) => a + (b ?? 0), 0);
      expect(reported).toBeGreaterThan(0);
      expect(run.timersLeft).toBe(0);
    });

    it('survives random garbage without throwing or making a reading (1,000 cases)', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 8 }), async (chunks) => {
          const virtual = new VirtualClock();
          const clock = new TrackedClock(virtual);
          const pair = createLinkPair({ mode, ...(opts.usb ? { usb: opts.usb } : {}) });
          const session = runSession({ driver, link: pair.host, clock });
          for (const chunk of chunks) await pair.device.write(chunk);
          await pair.device.close();
          await virtual.runUntilIdle();
          const result = await session;
          await virtual.runUntilIdle();
          expect(clock.pending).toBe(0);
          expect(result.readings).toEqual([]);
          expect(result.error === undefined || typeof result.error.code === 'string').toBe(true);
        }),
        { numRuns: opts.garbageRuns ?? 1000 },
      );
    });

    it('honours abort mid-conversation: the session ends aborted, with no reading half-made and no timer behind', async () => {
      const run = await play({ scenario, abortOnDeviceBytes: true });
      expect(run.traffic.some((c) => c.direction === 'in')).toBe(true);
      expect(run.result.end).toBe('aborted');
      expect(run.result.error).toBeUndefined();
      expect(run.timersLeft).toBe(0);
    });

    const demo = demoScenario(simulator, manifest.kind);
    it(`plays in demo mode: its demo scenario ("${demo}") makes readings`, async () => {
      // An endless stream is stopped after a minute of (virtual) time; a meter's memory ends by itself.
      const run = await runAgainstSimulator(driver, { scenario: demo, ...(manifest.kind === 'download' ? {} : { abortAfterMs: 60_000 }) });
      expect(run.result.error).toBeUndefined();
      expect(run.result.readings.length).toBeGreaterThan(0);
      expect(run.timersLeft).toBe(0);
    });

    // A meter read from a file on its disk, or over a web service, is not downloaded over a link
    // kept plugged in; every other meter is.
    const linkKind = opts.link ?? manifest.transport.type;
    const onLink = manifest.kind === 'download' && (linkKind === 'serial' || linkKind === 'hid' || linkKind === 'usb');
    if (onLink && simulator.oneDownloadPerPowerOn) {
      it('gives its memory once per power-on: a second download on the same link ends with no reading, and no crash', async () => {
        const [first, second] = await downloadTwice(driver, { scenario: demo, gapMs: REPEAT_GAP_MS, ...(opts.link ? { link: opts.link } : {}) });
        expect(first.error).toBeUndefined();
        expect(first.readings.length).toBeGreaterThan(0);
        expect(second.readings).toEqual([]);
        // Silent, it is named as such (the message tells the user what to do), never a crash.
        if (second.error) expect(second.error.code).toBe('DEVICE_NO_RESPONSE');
      });
    } else if (onLink) {
      it('downloads the same records again an hour later: its memory does not move with its clock', async () => {
        const [first, second] = await downloadTwice(driver, { scenario: demo, gapMs: REPEAT_GAP_MS, ...(opts.link ? { link: opts.link } : {}) });
        expect(first.error).toBeUndefined();
        expect(second.error).toBeUndefined();
        expect(first.readings.length).toBeGreaterThan(0);
        expect(records(second.readings)).toEqual(records(first.readings));
      });
    }

    const endless = simulator.scenarios.find((s) => s.name === 'stream')?.name;
    // Only an endless stream shows an abort while the driver waits between values: a finite
    // scenario may simply end first. (Every driver gets the mid-conversation abort above.)
    if (endless) {
      it('honours abort of its endless stream after 5 s and leaves no timer behind', async () => {
        const run = await play({ scenario: endless, abortAfterMs: 5_000 });
        expect(run.result.end).toBe('aborted');
        expect(run.timersLeft).toBe(0);
      });
    }
  });
}

/** A small seeded PRNG so that a failing chunking case can be replayed from its seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
