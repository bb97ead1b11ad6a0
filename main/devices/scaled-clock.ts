import { systemClock, type Clock } from '../../drivers/kit/index.ts';

/**
 * A clock that runs `speed` times faster than real time, for `pochub simulate --speed`: a
 * simulated minute of a continuous device in a few seconds, with device times that still
 * advance consistently.
 */
export function scaledClock(speed: number): Clock {
  if (speed === 1) return systemClock;
  const realStart = Date.now();
  return {
    now: () => realStart + (Date.now() - realStart) * speed,
    setTimer: (ms, callback) => systemClock.setTimer(ms / speed, callback),
  };
}
