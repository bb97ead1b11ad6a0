import type { FreestyleLine } from '../../families/freestyle-serial/lines.ts';
import { decodeClock, type Decoded } from '../../families/freestyle-serial/dump.ts';

/**
 * The `$colq` answer (PROTOCOL.md §4): tab-separated `Key:` lines before `CMD OK`. Pure.
 *   S/N:<TAB>serial · Ver:<TAB>version[<TAB>unit] · Clock:<TAB>Mon  DD YYYY<TAB>HH:MM:SS ·
 *   Market: · ROM: · Usage:<TAB>n (results stored)
 */
export interface ColqInfo {
  serial: string;
  version: string;
  /** The unit text after the version: `MMOL` on mmol/L meters; the mg/dL text is unknown. */
  unitText: string;
  /** Meter-local `YYYY-MM-DDTHH:MM:SS`. */
  deviceTime: string;
  usage: number | undefined;
}

export function decodeColq(lines: readonly FreestyleLine[]): Decoded<ColqInfo> {
  const fields = new Map<string, string[]>();
  for (const line of lines) {
    const [key, ...values] = line.text.split('\t');
    if (key?.endsWith(':')) fields.set(key.slice(0, -1).trim(), values.map((v) => v.trim()));
  }
  const serial = fields.get('S/N')?.[0];
  const clock = fields.get('Clock');
  if (!serial) return { ok: false, reason: '$colq gave no S/N line' };
  if (!clock) return { ok: false, reason: '$colq gave no Clock line' };
  const time = decodeClock(clock.join(' '));
  if (!time.ok) return { ok: false, reason: `$colq Clock: ${time.reason}` };
  const ver = fields.get('Ver') ?? [];
  const usage = Number(fields.get('Usage')?.[0]);
  return { ok: true, value: { serial, version: ver[0] ?? '', unitText: ver.slice(1).join(' '), deviceTime: time.value, usage: Number.isInteger(usage) ? usage : undefined } };
}

/** The `$xmem` dump and its records are the family's (PROTOCOL.md §5). */
export { decodeRecord, decodeClock, DumpAssembler, type FreestyleRecord } from '../../families/freestyle-serial/dump.ts';
