import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, createLinkPair, mllpFrame, randomChunks, runSession, TrackedClock, VirtualClock } from '../../kit/index.ts';
import { mulberry32 } from '../../kit/conformance.ts';
import { decodeMessage } from './decode.ts';
import { mindrayHl7Driver } from './index.ts';
import { type Nibp, pcd01Oru, pds503 } from './messages.ts';
import { nibpResults } from './normalize.ts';

const RUNS = { numRuns: 1000 };
const p2 = (n: number): string => String(n).padStart(2, '0');
const nibpArb = fc.record({
  sys: fc.integer({ min: 60, max: 260 }),
  dia: fc.integer({ min: 30, max: 150 }),
  mean: fc.integer({ min: 40, max: 200 }),
  pr: fc.integer({ min: 30, max: 220 }),
  minute: fc.integer({ min: 0, max: 59 }),
  second: fc.integer({ min: 0, max: 59 }),
}).map((r): Nibp => ({ ...r, at: `20260711${p2(9)}${p2(r.minute)}${p2(r.second)}` }));

describe('mindray-hl7 properties', () => {
  it('any NIBP result decodes to its values in either dialect (1,000 cases)', () => {
    fc.assert(
      fc.property(nibpArb, fc.boolean(), (b, pds) => {
        const message = pds ? pds503(b) : pcd01Oru('42', b.at, { hr: 70, rr: 14, spo2: 97, pr: 70, temp: '36.6' }, b);
        const decoded = decodeMessage(new TextEncoder().encode(message));
        expect(decoded.ok).toBe(true);
        if (!decoded.ok) return;
        const [result] = nibpResults(decoded.record);
        expect(result?.outcome.ok).toBe(true);
        if (!result?.outcome.ok) return;
        const panel = result.outcome.observations[0];
        expect(panel?.components?.map((c) => (c.value?.kind === 'quantity' ? c.value.value : undefined))).toEqual([b.sys, b.dia, b.mean]);
        expect(result.deviceTime).toBe(`2026-07-11T09:${b.at.slice(10, 12)}:${b.at.slice(12, 14)}`);
      }),
      RUNS,
    );
  });

  it('results resent in any order and cut anywhere make one reading per measurement time (1,000 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(nibpArb, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 6 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (results, resends, seed) => {
        const sent = [...results, ...resends.map((i) => results[i % results.length] as Nibp)];
        const virtual = new VirtualClock();
        const clock = new TrackedClock(virtual);
        const pair = createLinkPair({ deviceChunker: randomChunks(mulberry32(seed), 29) });
        const session = runSession({ driver: mindrayHl7Driver, link: pair.host, clock });
        await pair.device.write(concatBytes(sent.map((b) => mllpFrame(pds503(b)))));
        await pair.device.close();
        await virtual.runUntilIdle();
        const result = await session;
        await virtual.runUntilIdle();
        expect(result.readings).toHaveLength(new Set(results.map((b) => b.at)).size);
        expect(clock.pending).toBe(0);
      }),
      RUNS,
    );
  });

  it('a damaged byte anywhere in a message never throws and never yields more than one usable result (1,000 cases)', () => {
    fc.assert(
      fc.property(nibpArb, fc.nat(), fc.integer({ min: 0, max: 255 }), (b, at, byte) => {
        const bytes = new TextEncoder().encode(pds503(b));
        const i = at % bytes.length;
        const damaged = Uint8Array.from(bytes);
        damaged[i] = byte;
        const decoded = decodeMessage(damaged);
        if (!decoded.ok) return;
        // A change the parser accepts may still be a valid message (a digit for a digit), but
        // one message never becomes two usable results.
        expect(nibpResults(decoded.record).filter((r) => r.outcome.ok).length).toBeLessThanOrEqual(1);
      }),
      RUNS,
    );
  });
});
