import { describe, expect, it } from 'vitest';
import { HubError } from '../../shared/errors.ts';
import { sleep, TrackedClock, VirtualClock } from './clock.ts';
import { createLinkPair } from './link.ts';
import { playUntilStopped, type SimulatorContext } from './simulator.ts';

function context(signal: AbortSignal) {
  const { host, device } = createLinkPair();
  const virtual = new VirtualClock();
  const clock = new TrackedClock(virtual);
  const ctx: SimulatorContext = { link: device, clock, signal, scenario: 'stream' };
  return { ctx, host, clock, virtual };
}

/** Writes `tick n` every second until stopped. */
const ticking = (ctx: SimulatorContext) => async (stop: AbortSignal): Promise<void> => {
  for (let n = 1; ; n++) {
    await sleep(ctx.clock, 1000, stop);
    await ctx.link.write(new TextEncoder().encode(`tick ${n}\n`));
  }
};

describe('playUntilStopped', () => {
  it('an abort ends the play quietly, with no timer left behind', async () => {
    const abort = new AbortController();
    const { ctx, host, clock, virtual } = context(abort.signal);
    const heard: string[] = [];
    host.onData((chunk) => heard.push(new TextDecoder().decode(chunk)));
    const playing = playUntilStopped(ctx, ticking(ctx));
    await virtual.runUntilIdle(3500);
    abort.abort();
    await expect(playing).resolves.toBeUndefined();
    expect(heard.join('')).toBe('tick 1\ntick 2\ntick 3\n');
    expect(clock.pending).toBe(0);
  });

  it('the host hanging up ends it quietly too', async () => {
    const { ctx, host, clock, virtual } = context(new AbortController().signal);
    const playing = playUntilStopped(ctx, ticking(ctx));
    await virtual.runUntilIdle(1500);
    await host.close();
    await expect(playing).resolves.toBeUndefined();
    expect(clock.pending).toBe(0);
  });

  it('any other failure is thrown', async () => {
    const { ctx } = context(new AbortController().signal);
    await expect(playUntilStopped(ctx, async () => Promise.reject(new HubError('PROTOCOL_GARBAGE', 'broken')))).rejects.toThrow('broken');
  });
});
