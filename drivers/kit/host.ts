/**
 * The host timer functions every JavaScript runtime has. drivers/ compiles without Node or DOM
 * types (layer rule), so the two functions it needs are typed here once.
 */
interface HostTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
export const hostTimers: HostTimers = globalThis as unknown as HostTimers;
