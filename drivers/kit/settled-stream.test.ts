import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from './clock.ts';
import { SettledStream } from './settled-stream.ts';

/** Move the virtual clock by `ms`, running every timer due on the way. */
async function advance(clock: VirtualClock, ms: number): Promise<void> {
  clock.setTimer(ms, () => undefined);
  await clock.runUntilIdle(ms);
}

function setup(quietMs = 2_500) {
  const clock = new VirtualClock();
  const runs: string[][] = [];
  const stream = new SettledStream<string>({ clock, quietMs, key: (w) => w, onSettled: (run) => runs.push([...run]) });
  return { clock, runs, stream };
}

describe('SettledStream (streaming scales)', () => {
  it('a locked weight repeated once a second is one reading when the stream goes quiet', async () => {
    const { clock, runs, stream } = setup();
    for (let i = 0; i < 5; i++) {
      stream.push('184.5');
      await advance(clock, 1_000);
    }
    expect(runs).toEqual([]);
    await advance(clock, 2_000);
    expect(runs).toEqual([['184.5', '184.5', '184.5', '184.5', '184.5']]);
    await advance(clock, 10_000);
    expect(runs).toHaveLength(1);
  });

  it('a changed value ends the run at once and starts the next one', async () => {
    const { clock, runs, stream } = setup();
    stream.push('184.5');
    await advance(clock, 1_000);
    stream.push('184.5');
    stream.push('90.2');
    expect(runs).toEqual([['184.5', '184.5']]);
    await advance(clock, 3_000);
    expect(runs).toEqual([['184.5', '184.5'], ['90.2']]);
  });

  it('an unsettled packet (zero, motion) ends the run and is never a reading', async () => {
    const { clock, runs, stream } = setup();
    stream.push('0.0', false);
    await advance(clock, 5_000);
    expect(runs).toEqual([]);
    stream.push('70.1');
    stream.push('0.0', false);
    expect(runs).toEqual([['70.1']]);
    await advance(clock, 5_000);
    expect(runs).toEqual([['70.1']]);
  });

  it('a pause longer than quietMs ends the run even when no timer fired (replay jumps the clock)', () => {
    let now = 0;
    const runs: string[][] = [];
    // A clock whose timers never fire, as when a replay moves trace time faster than real time.
    const stream = new SettledStream<string>({ clock: { now: () => now, setTimer: () => ({ cancel: () => undefined }) }, quietMs: 2_500, key: (w) => w, onSettled: (run) => runs.push([...run]) });
    stream.push('184.5');
    now = 1_000;
    stream.push('184.5');
    now = 20_000;
    stream.push('184.5');
    expect(runs).toEqual([['184.5', '184.5']]);
    stream.flush();
    expect(runs).toEqual([['184.5', '184.5'], ['184.5']]);
  });

  it('flush gives the pending run at the end of the connection; dispose drops it and leaves no timer', async () => {
    const { clock, runs, stream } = setup();
    stream.push('50.0');
    stream.flush();
    expect(runs).toEqual([['50.0']]);
    stream.push('60.0');
    expect(stream.pending).toEqual(['60.0']);
    stream.dispose();
    await advance(clock, 10_000);
    expect(runs).toEqual([['50.0']]);
  });

  it('property: the readings are exactly the runs of equal settled values between gaps, unsettled packets and changes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ value: fc.constantFrom('0.0', '80.0', '81.5'), gapMs: fc.constantFrom(200, 1_000, 3_000) }), { maxLength: 30 }),
        async (packets) => {
          const { clock, runs, stream } = setup();
          const expected: string[][] = [];
          let open: string[] = [];
          const close = (): void => {
            if (open.length > 0) expected.push(open);
            open = [];
          };
          for (const p of packets) {
            const settled = p.value !== '0.0';
            if (!settled || (open.length > 0 && open[0] !== p.value)) close();
            if (settled) open.push(p.value);
            stream.push(p.value, settled);
            if (p.gapMs > 2_500) close();
            await advance(clock, p.gapMs);
          }
          stream.flush();
          close();
          expect(runs).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
