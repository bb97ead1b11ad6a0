/**
 * The host timer functions every JavaScript runtime has. drivers/ compiles without Node or DOM
 * types (layer rule), so the two functions it needs are typed here once.
 */
interface HostTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Node and Electron only; browsers lack it. */
  setImmediate?: (callback: () => void) => unknown;
}
export const hostTimers: HostTimers = globalThis as unknown as HostTimers;

/**
 * Let already-queued host callbacks (I/O, resolved promises) run. setImmediate where the host
 * has it: a zero setTimeout waits at least a millisecond in Node, which made virtual-clock
 * tests spend most of their time asleep.
 */
export function yieldToHost(): Promise<void> {
  const immediate = hostTimers.setImmediate;
  return new Promise<void>((resolve) => (immediate ? immediate(resolve) : hostTimers.setTimeout(resolve, 0)));
}
