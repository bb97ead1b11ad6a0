import { describe, expect, it } from 'vitest';
import { sleep, VirtualClock } from './clock.ts';

describe('VirtualClock.advanceTo', () => {
  it('moves the time forward, running the timers due on the way in order, and never back', async () => {
    const clock = new VirtualClock(1_000);
    const fired: Array<[string, number]> = [];
    clock.setTimer(300, () => fired.push(['b', clock.now()]));
    clock.setTimer(100, () => fired.push(['a', clock.now()]));
    clock.setTimer(900, () => fired.push(['late', clock.now()]));
    await clock.advanceTo(1_500);
    expect(fired).toEqual([['a', 1_100], ['b', 1_300]]);
    expect(clock.now()).toBe(1_500);
    await clock.advanceTo(1_200);
    expect(clock.now()).toBe(1_500);
  });

  it('lets promise chains a timer resumes run before the next timer', async () => {
    const clock = new VirtualClock(0);
    const order: string[] = [];
    void sleep(clock, 10).then(() => {
      order.push('slept');
      clock.setTimer(5, () => order.push('set by the sleeper'));
    });
    clock.setTimer(12, () => order.push('at 12'));
    await clock.advanceTo(20);
    expect(order).toEqual(['slept', 'at 12', 'set by the sleeper']);
  });
});
