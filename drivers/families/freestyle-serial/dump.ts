import { localDateTime } from '../../../shared/time.ts';
import type { FreestyleLine } from './lines.ts';

/**
 * The FreeStyle memory dump (`$mem` on the Lite, `$xmem` on the Optium; PROTOCOL.md §4) and
 * its lines in the meter's own terms. Pure; nothing here throws.
 *
 *   CR LF, serial, software version, clock, record count NNN, [Lite: a bare LF line],
 *   NNN record lines (newest first), `0xHHHH  END` — HHHH the 16-bit sum of every byte before it.
 */

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };
const fail = <T>(reason: string): Decoded<T> => ({ ok: false, reason });

/** Month fields are 3 letters plus a space (`Mar `) or 4 letters (`June`, `July`): the first three decide. */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;

function monthOf(field: string): number | undefined {
  const i = (MONTHS as readonly string[]).indexOf(field.slice(0, 3).toLowerCase());
  return i < 0 ? undefined : i + 1;
}

/** `Mar  05 2024 14:30:07` (dump header) or `Mar  05 2024<TAB>14:30:07` ($colq). */
const CLOCK = /^([A-Za-z]{3,4})\s+(\d{1,2})\s+(\d{4})\s+(\d\d):(\d\d):(\d\d)$/;
/** `104  Mar  05 2024 07:42 00 0x00`; value `HI`/`LO` padded to 3; type `00` (Lite) or `G`/`K` (Optium). */
const RECORD = /^(\d{1,3}|HI|LO)\s+([A-Za-z]{3,4})\s+(\d{1,2})\s+(\d{4})\s+(\d\d):(\d\d)\s+(\w{1,2})\s+0x([0-9A-Fa-f]{2})$/;
const COUNT = /^(\d{1,4})$/;
const CHECKSUM = /^0x([0-9A-Fa-f]{4})\s+END$/;
/** PROTOCOL.md §4: the empty meter's answer has two forms in the sources; both are accepted. */
const LOG_EMPTY = /^Log Empty( END)?$/;
/** The second line of the two-line form (`Log Empty`, then `END`). */
const EMPTY_END = 'END';

/** A meter-local time `YYYY-MM-DDTHH:MM:SS` from the dump's or `$colq`'s clock text. */
export function decodeClock(text: string): Decoded<string> {
  const m = CLOCK.exec(text.trim());
  if (!m) return fail('not a clock (Mon DD YYYY HH:MM:SS)');
  const month = monthOf(m[1] ?? '');
  const time = month === undefined ? undefined : localDateTime(Number(m[3]), month, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]));
  return time ? { ok: true, value: time } : fail('the clock is not a real date and time');
}

/** One stored result as printed. */
export interface FreestyleRecord {
  /** Meter-local `YYYY-MM-DDTHH:MM:00` (records keep minutes only). */
  deviceTime: string;
  value: { kind: 'number'; raw: number; digits: string } | { kind: 'limit'; limit: 'HI' | 'LO' };
  /** The type field: `00` on the Lite, `G` (glucose) or `K` (β-ketone) on the Optium. */
  type: string;
  /** The status byte: bit 0 control solution, bit 1 lost time [inferred]. */
  status: number;
}

export function decodeRecord(text: string): Decoded<FreestyleRecord> {
  const m = RECORD.exec(text.trim());
  if (!m) return fail('not a record (VVV  Mon DD YYYY HH:MM TT 0xSS)');
  const month = monthOf(m[2] ?? '');
  const deviceTime = month === undefined ? undefined : localDateTime(Number(m[4]), month, Number(m[3]), Number(m[5]), Number(m[6]), 0);
  if (!deviceTime) return fail('the record time is not a real date and time');
  const v = m[1] ?? '';
  const value: FreestyleRecord['value'] = v === 'HI' || v === 'LO' ? { kind: 'limit', limit: v } : { kind: 'number', raw: Number(v), digits: v };
  return { ok: true, value: { deviceTime, value, type: m[7] ?? '', status: parseInt(m[8] ?? '0', 16) } };
}

export interface DumpHeader {
  serial: string;
  version: string;
  /** Meter-local clock when the dump began. */
  deviceTime: string;
  count: number;
}

/** What one more line did to the dump. */
export type DumpStep =
  | { kind: 'more' }
  /** A line before the dump began (an echo, a late answer): not part of it. */
  | { kind: 'stray'; line: FreestyleLine }
  | { kind: 'header'; header: DumpHeader }
  | { kind: 'record'; line: FreestyleLine; index: number }
  | { kind: 'done'; header: DumpHeader | undefined; records: FreestyleLine[] }
  /** `ended`: the failure came with the checksum line, so nothing more of this dump follows. */
  | { kind: 'failed'; code: 'PROTOCOL_CHECKSUM' | 'PROTOCOL_UNEXPECTED'; reason: string; raw: Uint8Array; ended: boolean };

/** `empty-end`: `Log Empty` came alone; its `END` line should follow. */
type State = 'start' | 'serial' | 'version' | 'clock' | 'count' | 'records' | 'empty-end' | 'finished';
const STX_LIKE = 0x03;

/**
 * Assembles one dump from its lines and checks it: the header fields in order, the count, the
 * records, the checksum over every byte before the checksum line. Stray 0x03 bytes before the
 * dump begins are dropped (PROTOCOL.md §4, as Tidepool does) and not summed.
 */
export class DumpAssembler {
  private state: State = 'start';
  private sum = 0;
  private serial = '';
  private version = '';
  private clock = '';
  private header: DumpHeader | undefined;
  private readonly records: FreestyleLine[] = [];

  push(line: FreestyleLine): DumpStep {
    if (this.state === 'finished') return { kind: 'stray', line };
    let raw = line.raw;
    if (this.state === 'start') {
      let i = 0;
      while (i < raw.length && raw[i] === STX_LIKE) i++;
      raw = raw.subarray(i);
      const text = line.text.replace(/^\x03+/, '').trim();
      // An empty meter may answer a bare `Log Empty END` line, without even the opening empty
      // line (PROTOCOL.md §4: which form the meter sends is unknown).
      if (LOG_EMPTY.test(text)) return this.empty(text);
      if (text !== '') return { kind: 'stray', line };
      this.state = 'serial';
      this.add(raw);
      return { kind: 'more' };
    }
    if (this.state === 'empty-end') {
      if (line.text.trim() === EMPTY_END) return this.finish({ kind: 'done', header: this.header, records: [] });
      return this.failed('PROTOCOL_UNEXPECTED', 'after "Log Empty" came a line other than END', line.raw);
    }
    if (LOG_EMPTY.test(line.text.trim()) && this.records.length === 0) return this.empty(line.text.trim());
    if (this.state === 'records') return this.inRecords(line);
    this.add(raw);
    const text = line.text.trim();
    if (this.state === 'serial') {
      if (text === '') return this.failed('PROTOCOL_UNEXPECTED', 'the dump has no serial number line', line.raw);
      this.serial = text;
      this.state = 'version';
    } else if (this.state === 'version') {
      this.version = text;
      this.state = 'clock';
    } else if (this.state === 'clock') {
      const clock = decodeClock(text);
      if (!clock.ok) return this.failed('PROTOCOL_UNEXPECTED', `dump header: ${clock.reason}`, line.raw);
      this.clock = clock.value;
      this.state = 'count';
    } else {
      const count = COUNT.exec(text);
      if (!count) return this.failed('PROTOCOL_UNEXPECTED', 'dump header: no record count', line.raw);
      this.header = { serial: this.serial, version: this.version, deviceTime: this.clock, count: Number(count[1]) };
      this.state = 'records';
      return { kind: 'header', header: this.header };
    }
    return { kind: 'more' };
  }

  /**
   * `Log Empty END`, or `Log Empty` whose END line should follow: waited for, so that it is not
   * left behind to be taken for a stray answer to the next command (settle() ends the wait if
   * it never comes).
   */
  private empty(text: string): DumpStep {
    if (text.endsWith(EMPTY_END)) return this.finish({ kind: 'done', header: this.header, records: [] });
    this.state = 'empty-end';
    return { kind: 'more' };
  }

  /**
   * The meter went quiet: a dump that is complete but for the optional `END` of the two-line
   * empty answer is done; anything else is not (undefined).
   */
  settle(): DumpStep | undefined {
    return this.state === 'empty-end' ? this.finish({ kind: 'done', header: this.header, records: [] }) : undefined;
  }

  private inRecords(line: FreestyleLine): DumpStep {
    const header = this.header as DumpHeader;
    const end = CHECKSUM.exec(line.text.trim());
    if (end) {
      const sent = parseInt(end[1] ?? '', 16);
      if (sent !== this.sum) return this.failed('PROTOCOL_CHECKSUM', `dump checksum 0x${hex4(sent)} does not match the bytes (sum 0x${hex4(this.sum)})`, line.raw, true);
      if (this.records.length !== header.count) {
        return this.failed('PROTOCOL_UNEXPECTED', `the dump announced ${header.count} records and carried ${this.records.length}`, line.raw, true);
      }
      return this.finish({ kind: 'done', header, records: this.records });
    }
    this.add(line.raw);
    // The Lite's bare LF line (and any blank line) is summed but holds no record.
    if (line.text.trim() === '') return { kind: 'more' };
    this.records.push(line);
    return { kind: 'record', line, index: this.records.length };
  }

  private add(raw: Uint8Array): void {
    for (const b of raw) this.sum = (this.sum + b) & 0xffff;
  }

  private failed(code: 'PROTOCOL_CHECKSUM' | 'PROTOCOL_UNEXPECTED', reason: string, raw: Uint8Array, ended = false): DumpStep {
    return this.finish({ kind: 'failed', code, reason, raw, ended });
  }

  private finish(step: DumpStep): DumpStep {
    this.state = 'finished';
    return step;
  }
}

const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');

/** The checksum line the meter ends a dump with, for the dump bytes before it. */
export function checksumLine(dumpBytes: Uint8Array): string {
  let sum = 0;
  for (const b of dumpBytes) sum = (sum + b) & 0xffff;
  return `0x${hex4(sum)}  END\r\n`;
}
