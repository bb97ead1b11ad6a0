import { LineFramer } from '../../kit/index.ts';

/**
 * The DINAMAP host protocol's link layer (PROTOCOL.md §2–3): ASCII, one message per line ended
 * by CR, `<unit id><two letters>[fields]<chk hi><chk lo>`. The unit id is a space (the default
 * address; every source uses it).
 */
export const UNIT_ID = ' ';
/** The longest reply is NA at 21 characters; anything far longer is noise (wrong baud rate). */
export const MAX_LINE_BYTES = 64;

/** The polls of one cycle, in the order every source sends them (PROTOCOL.md §4). */
export const POLLS = ['NA', 'OA', 'RA', 'TC'] as const;
export type Poll = (typeof POLLS)[number];

/** Full reply length per poll, echo and checksum included, CR excluded (PROTOCOL.md §3). */
export const REPLY_LENGTH: Readonly<Record<Poll, number>> = { NA: 21, OA: 12, RA: 9, TC: 18 };

/** The device commands (PROTOCOL.md §5): id → the message sent (letters and argument). */
export const COMMANDS = {
  'start-bp': 'NC0',
  'cancel-bp': 'ND',
} as const;
export type CommandId = keyof typeof COMMANDS;

/**
 * The "ASCII checksum" (PROTOCOL.md §3): add (code − 0x1F) for every character, unit id
 * included, folding back by 0xFFF past 0xFFF; two characters 0x20 + the high 6 and low 6 bits.
 */
export function asciiChecksum(text: string): string {
  let sum = 0;
  for (let i = 0; i < text.length; i++) {
    sum += text.charCodeAt(i) - 0x1f;
    if (sum > 0xfff) sum -= 0xfff;
  }
  return String.fromCharCode(0x20 + (sum >> 6), 0x20 + (sum & 0x3f));
}

/** A whole message as sent on the line: unit id, body, checksum, CR. */
export function encodeMessage(body: string): string {
  const text = UNIT_ID + body;
  return `${text}${asciiChecksum(text)}\r`;
}

/** A framer for the monitor's replies (CR ends a line; a stray LF is tolerated as an end too). */
export function createLineFramer(): LineFramer {
  return new LineFramer({ maxLength: MAX_LINE_BYTES });
}
