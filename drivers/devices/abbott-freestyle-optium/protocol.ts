/**
 * The Optium's commands (PROTOCOL.md §3), sent as `$` + command + CR LF by the family's
 * conversation (drivers/families/freestyle-serial).
 */
export const COMMANDS = {
  /** Identity, unit and clock, answered by key lines and `CMD OK`. */
  identify: 'colq',
  /** The memory dump (no bare-LF line, unlike the Lite's `$mem`). */
  memory: 'xmem',
} as const;

export { encodeCommand, FreestyleLineFramer, type FreestyleLine } from '../../families/freestyle-serial/lines.ts';
