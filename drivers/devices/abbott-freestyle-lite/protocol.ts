/**
 * The Lite's one read command (PROTOCOL.md §3), sent as `$mem` CR LF by the family's
 * conversation (drivers/families/freestyle-serial); `$tim,…` sets the clock.
 */
export const COMMANDS = {
  /** The memory dump, with the bare-LF line after the count. */
  memory: 'mem',
} as const;

export { encodeCommand, FreestyleLineFramer, type FreestyleLine } from '../../families/freestyle-serial/lines.ts';
