import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomChunks, runAgainstSimulator } from '../../kit/index.ts';
import { mulberry32 } from '../../kit/conformance.ts';
import { decodeProbe } from './decode-probe.ts';
import { isensCaresensSerialDriver as driver } from './index.ts';
import { CMD, encodeFrame } from './protocol.ts';

const START = Date.UTC(2026, 0, 15, 9, 0, 0);

describe('isens-caresens-serial properties (the framing itself: ../isens-caresens/properties.test.ts)', () => {
  it('the serial bytes cut anywhere give the same readings', async () => {
    const whole = (await runAgainstSimulator(driver, { scenario: 'crc-error', startMs: START })).result.readings.map((r) => [r.deviceTime, r.observations]);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const run = await runAgainstSimulator(driver, { scenario: 'crc-error', startMs: START, chunker: randomChunks(mulberry32(seed), 11) });
        expect(run.result.readings.map((r) => [r.deviceTime, r.observations])).toEqual(whole);
      }),
      { numRuns: 50 },
    );
  });

  it('decodeProbe never throws on any bytes, and counts the records of a clean GLUE reply', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 70 }), { maxLength: 20 }), (chunks) => void decodeProbe(chunks)));
    expect(decodeProbe([encodeFrame(CMD.glucose, [24, 3, 5, 7, 42, 0, 0x10, 0, 104])])).toBe(1);
  });
});
