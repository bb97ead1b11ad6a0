import { describe, expect, it } from 'vitest';
import { TrackedClock, VirtualClock } from '../../drivers/kit/index.ts';
import { LiveThrottle } from './live-throttle.ts';

describe('LiveThrottle', () => {
  it('sends the first value at once, then at most one per interval, always the newest', async () => {
    const virtual = new VirtualClock(0);
    const sent: number[] = [];
    const throttle = new LiveThrottle<number>(virtual, 1000, (v) => sent.push(v));
    throttle.push(1);
    expect(sent).toEqual([1]);
    throttle.push(2);
    throttle.push(3);
    expect(sent).toEqual([1]);
    await virtual.runUntilIdle(999);
    expect(sent).toEqual([1]);
    await virtual.runUntilIdle(1000);
    expect(sent).toEqual([1, 3]);
    expect(virtual.now()).toBe(1000);
  });

  it('ten values a second become one a second, and the last one is never lost', async () => {
    const virtual = new VirtualClock(0);
    const sent: { v: number; at: number }[] = [];
    const throttle = new LiveThrottle<number>(virtual, 1000, (v) => sent.push({ v, at: virtual.now() }));
    for (let i = 0; i < 30; i++) virtual.setTimer(i * 100, () => throttle.push(i));
    await virtual.runUntilIdle();
    expect(sent).toEqual([
      { v: 0, at: 0 },
      { v: 10, at: 1000 },
      { v: 20, at: 2000 },
      { v: 29, at: 3000 },
    ]);
  });

  it('cancel drops what waits and leaves no timer behind', () => {
    const clock = new TrackedClock(new VirtualClock(0));
    const sent: number[] = [];
    const throttle = new LiveThrottle<number>(clock, 1000, (v) => sent.push(v));
    throttle.push(1);
    throttle.push(2);
    expect(clock.pending).toBe(1);
    throttle.cancel();
    expect(clock.pending).toBe(0);
    expect(sent).toEqual([1]);
  });
});
