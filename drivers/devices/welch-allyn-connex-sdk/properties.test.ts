import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HttpResponseFramer, createLinkPair, encodeHttpResponse, fromLatin1, randomChunks, runSession, TrackedClock, VirtualClock } from '../../kit/index.ts';
import { mulberry32 } from '../../kit/conformance.ts';
import { welchAllynConnexSdkDriver as driver } from './driver.ts';
import { normalizeReading } from './normalize.ts';

describe('welch-allyn-connex-sdk properties', () => {
  it('a response stream cut anywhere gives the same envelopes (1,000 cuts)', () => {
    const bodies = ['[]', '[{"deviceid":"USB_0001"}]', '{"error":"x"}', ''].map(fromLatin1);
    const stream = Uint8Array.from(bodies.flatMap((b, i) => [...encodeHttpResponse(i === 2 ? 500 : 200, b)]));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const framer = new HttpResponseFramer();
        const frames = randomChunks(mulberry32(seed), 7)(stream).flatMap((c) => framer.push(c).frames);
        expect(frames.map((f) => [f.status, f.body.length])).toEqual([[200, 2], [200, 25], [500, 13], [200, 0]]);
        expect(framer.flush().problems).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('any measured value in mmHg / °F round-trips with its printed decimals', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 0, max: 2 }), fc.boolean(), (n, decimals, comma) => {
        const value = n / 10 ** decimals;
        const text = value.toFixed(decimals);
        const shown = comma ? text.replace('.', ',') : text;
        const out = normalizeReading({ temperature: shown }, { temperature: 'DEG_F' });
        expect(out?.observations[0]?.value).toEqual({ kind: 'quantity', value: Number(text), unit: '[degF]', ...(decimals > 0 ? { decimals } : {}) });
      }),
      { numRuns: 500 },
    );
  });

  it('well-framed responses with random JSON bodies never throw, and leave no timer behind (300 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.json({ maxDepth: 2 }), { minLength: 1, maxLength: 5 }), async (bodies) => {
        const virtual = new VirtualClock();
        const clock = new TrackedClock(virtual);
        const pair = createLinkPair();
        const session = runSession({ driver, link: pair.host, clock });
        for (const b of bodies) await pair.device.write(encodeHttpResponse(200, fromLatin1(b)));
        await pair.device.close();
        await virtual.runUntilIdle();
        const result = await session;
        await virtual.runUntilIdle();
        expect(clock.pending).toBe(0);
        // Whatever the bodies, a reading the session passes on has at least one observation.
        expect(result.readings.every((r) => r.observations.length > 0)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
