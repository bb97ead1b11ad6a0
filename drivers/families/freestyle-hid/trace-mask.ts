import { hex, textChecksum } from './protocol.ts';

/**
 * Masking of patient identity in the FreeStyle text replies, for recorded traces (docs/trace-format.md §4.2).
 *
 * What is masked: the six custom comments of Libre reading records (`$arresult?` lines of
 * type 2, fields idx 29–34, abbott-freestyle-neo/PROTOCOL.md §6) — free text a person typed on the reader. Every
 * character inside the quotes becomes `0` (digits) or `X` (anything else), so lengths stay.
 * The record trailer's inner sum and the reply's `CKSM:` are recomputed; a reply that arrived
 * with a wrong sum keeps exactly the same error, so a re-asked command in the trace still fits.
 * Neo records have no free text and the serial number is the meter's: both stay.
 */
export function maskReplyText(text: string): string {
  return text.replace(REPLY, (reply: string, message: string, cksm: string, status: string) => {
    const masked = maskMessage(message);
    if (masked === message) return reply;
    return `${masked}CKSM:${shifted(textChecksum(masked), cksm, textChecksum(message))}\r\nCMD ${status}\r\n`;
  });
}

const REPLY = /([\s\S]*?)CKSM:([0-9A-Fa-f]{8})\r\nCMD (OK|Fail!)\r\n/g;
const MULTI_RECORD = /^([\s\S]+\r\n)(\d+),([0-9A-Fa-f]{8})\r\n$/;
const LIBRE_READING = '2';
const COMMENT_FIELDS = [29, 30, 31, 32, 33, 34];

function maskMessage(message: string): string {
  const m = MULTI_RECORD.exec(message);
  if (!m) return message;
  const body = m[1] ?? '';
  const masked = body.split('\r\n').map(maskLibreLine).join('\r\n');
  if (masked === body) return message;
  return `${masked}${m[2]},${shifted(textChecksum(masked), m[3] ?? '', textChecksum(body))}\r\n`;
}

/** The new sum as 8 hex digits, off from the right one by as much as the sent one was. */
function shifted(newSum: number, sentHex: string, oldSum: number): string {
  return hex((newSum + parseInt(sentHex, 16) - oldSum) >>> 0, 8);
}

/** Mask the comment fields of one type-2 line; fields may be quoted and hold commas. */
function maskLibreLine(line: string): string {
  const chars = [...line];
  let field = 0;
  let quoted = false;
  let type = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] ?? '';
    if (quoted) {
      if (c === '"' && chars[i + 1] === '"') {
        if (type === LIBRE_READING && COMMENT_FIELDS.includes(field)) chars[i] = chars[i + 1] = 'X';
        i++;
      } else if (c === '"') quoted = false;
      else if (type === LIBRE_READING && COMMENT_FIELDS.includes(field)) chars[i] = /[0-9]/.test(c) ? '0' : 'X';
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      if (field === 1) type = chars.slice(line.indexOf(',') + 1, i).join('');
      field++;
    }
  }
  return chars.join('');
}
