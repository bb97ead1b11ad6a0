import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HubError } from '../../../shared/errors.ts';
import { createLinkPair, runAgainstSimulator, runSession, TrackedClock, VirtualClock, type Link } from '../../kit/index.ts';
import { decodeMeasurement } from './decode.ts';
import { omronHem790itDriver as driver } from './index.ts';
import { InputReportFramer, parseAnswer } from './protocol.ts';

const START = Date.UTC(2026, 0, 15, 9, 0, 0);

/**
 * Properties: the pure parts never throw on any input, and whatever the link does to the
 * monitor's answers (bit flips, dropped reports), a download gives either exactly the clean
 * download's readings or fewer — never a changed value.
 */
describe('omron-hem-790it properties', () => {
  it('decode, answer check and framer never throw; an accepted reading lies in the cuff ranges', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 20 }), fc.integer({ min: 0, max: 20 }), (bytes, n) => {
        const r = decodeMeasurement(bytes);
        if (r.ok) {
          expect(r.record.systolic).toBeGreaterThanOrEqual(20);
          expect(r.record.systolic).toBeLessThanOrEqual(300);
          expect(r.record.diastolic).toBeLessThan(r.record.systolic);
        }
        parseAnswer(bytes, n);
        new InputReportFramer().push(bytes);
      }),
      { numRuns: 2_000 },
    );
  });

  // One flipped bit per download: the XOR byte catches every single-bit error, not every pair
  // (two flips in the same bit column cancel), which is the protocol's limit, not the driver's.
  it('a flipped bit and lost reports on the way in never change a value: same readings or a subset', async () => {
    const clean = await runAgainstSimulator(driver, { scenario: 'memory', startMs: START });
    const key = (r: { deviceTime?: string; observations: unknown }): string => JSON.stringify([r.deviceTime, r.observations]);
    const good = new Set(clean.result.readings.map(key));
    await fc.assert(
      fc.asyncProperty(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 63 })), fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 3 }), async (flip, lost) => {
        const virtual = new VirtualClock(START);
        const clock = new TrackedClock(virtual);
        const pair = createLinkPair({ mode: 'reports', reportSize: 8 });
        // A tampering middle: the simulator writes to `device`, the host reads from `host`.
        const inner = createLinkPair({ mode: 'reports', reportSize: 8 });
        let n = 0;
        inner.host.onData((report) => {
          const at = n++;
          if (lost.includes(at)) return;
          const copy = Uint8Array.from(report);
          if (flip[0] === at) copy[flip[1] >> 3] = (copy[flip[1] >> 3] ?? 0) ^ (1 << (flip[1] & 7));
          void pair.device.write(copy);
        });
        pair.device.onData((report) => void inner.host.write(report));
        const stop = new AbortController();
        const monitor = driver.simulator.run({ link: inner.device as Link, clock, signal: stop.signal, scenario: 'memory' });
        const session = runSession({ driver, link: pair.host, clock });
        await virtual.runUntilIdle();
        const result = await session;
        stop.abort();
        await monitor;
        await virtual.runUntilIdle();
        expect(result.error === undefined || result.error instanceof HubError).toBe(true);
        for (const r of result.readings) expect(good.has(key(r))).toBe(true);
        expect(clock.pending).toBe(0);
      }),
      { numRuns: 150 },
    );
  });
});
