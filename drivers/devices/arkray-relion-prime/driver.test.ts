import { describe, expect, it } from 'vitest';
import { memoryMeterSessionTests } from '../../../test/helpers/meter-session-tests.ts';
import { createLinkPair, runAgainstSimulator, VirtualClock } from '../../kit/index.ts';
import { arkrayRelionPrimeDriver as driver } from './driver.ts';

const START = Date.UTC(2026, 2, 2, 14, 0, 0);

describe('arkray-relion-prime session against its simulator', () => {
  memoryMeterSessionTests(driver, START);
});

describe('arkray-relion-prime: an empty index', () => {
  it('a NAK for index 1 skips it, re-enters remote command mode and reads the rest', async () => {
    const run = await runAgainstSimulator(driver, { scenario: 'gap', startMs: START });
    expect(run.result.end).toBe('completed');
    expect(run.result.problems).toEqual({});
    expect(run.result.readings).toHaveLength(4);
  });
});

describe('arkray-relion-prime: Test connection (probe)', () => {
  /** A meter that answers EOT with `onEot` (nothing when undefined) and ACK with `onAck`. */
  async function probeAgainst(onEot: number[] | undefined, onAck: number[] | undefined): Promise<boolean> {
    const clock = new VirtualClock(START);
    const pair = createLinkPair();
    pair.device.onData((chunk) => {
      const reply = chunk[0] === 0x04 ? onEot : chunk[0] === 0x06 ? onAck : undefined;
      if (reply) void pair.device.write(Uint8Array.from(reply));
    });
    const session = driver.createSession({ link: pair.host, clock, signal: new AbortController().signal, options: {}, emit: () => undefined });
    const answered = session.probe(new AbortController().signal);
    await clock.runUntilIdle();
    const result = await answered;
    await session.close();
    return result;
  }
  const header = [...Buffer.from('\x021H|\\^&|||ReliOnPrime^V1.0^SN1234567\x1754\r\n', 'latin1')];

  it('EOT answered with ENQ', async () => {
    expect(await probeAgainst([0x05], undefined)).toBe(true);
  });
  it('EOT unanswered, the ACK after it answered with ENQ or the header (the notes\' example)', async () => {
    expect(await probeAgainst(undefined, [0x05])).toBe(true);
    expect(await probeAgainst(undefined, header)).toBe(true);
  });
  it('silence, or something else, is no ReliOn Prime', async () => {
    expect(await probeAgainst(undefined, undefined)).toBe(false);
    expect(await probeAgainst([0x41], undefined)).toBe(false);
  });
});
