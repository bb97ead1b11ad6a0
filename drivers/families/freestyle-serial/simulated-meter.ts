import { localToEpochMs } from '../../../shared/time.ts';
import { fromLatin1, serveRequests, type SimulatorContext, sleep } from '../../kit/index.ts';
import { checksumLine } from './dump.ts';

/**
 * A simulated FreeStyle serial meter (PROTOCOL.md §3–§5), shared by the Lite and Optium
 * simulators: it answers `$mem`/`$xmem` with a dump, `$colq` with its keys, `$tim,…` with
 * `CMD OK`, on ctx.clock only. Every value is synthetic; only the layout is the meter's.
 */

/** 19200 baud 8N1: ms on the wire per byte. */
const WIRE_MS_PER_BYTE = (10 * 1000) / 19200;
/** Lines per write: the dump is one burst; writing it in pieces keeps a pty from filling. */
const BURST_LINES = 16;
const MONTHS = ['Jan ', 'Feb ', 'Mar ', 'Apr ', 'May ', 'June', 'July', 'Aug ', 'Sep ', 'Oct ', 'Nov ', 'Dec '] as const;
const p2 = (n: number): string => String(n).padStart(2, '0');

/** One stored result: when (meter-local epoch ms), value text (`104`, `HI`, `LO`), type field, status byte. */
export interface SimRecord {
  atMs: number;
  value: string;
  type: string;
  status: number;
}

export interface SimMeterSpec {
  variant: 'lite' | 'optium';
  serial: string;
  version: string;
  /** Optium `$colq` unit text after the version (`MMOL` on mmol/L meters). */
  unitText?: string;
  clockOffsetMs: number;
  /** Newest first, for the meter clock at the start. */
  records: (meterNowMs: number) => SimRecord[];
  /**
   * The empty meter's answer after the header: `one-line` `Log Empty END`, `two-lines`
   * `Log Empty` + `END`; `bare`: the single line `Log Empty END`, no header nor opening empty
   * line (PROTOCOL.md §4).
   */
  empty?: 'one-line' | 'two-lines' | 'bare';
  /** Damage one record byte in the first dump only (index 0 = newest). */
  corruptOnce?: number;
  /** The first command gets no answer (PROTOCOL.md §2). */
  ignoreFirst?: boolean;
  /** Stray 0x03 bytes before each dump (PROTOCOL.md §4). */
  leading03?: boolean;
}

/** `Mar  05 2024 14:30:07` (month as a 4-character field). */
export function dumpClock(ms: number, sep = ' '): string {
  const t = new Date(ms);
  return `${MONTHS[t.getMonth()] ?? 'Jan '} ${p2(t.getDate())} ${t.getFullYear()}${sep}${p2(t.getHours())}:${p2(t.getMinutes())}:${p2(t.getSeconds())}`;
}

/** `104  Mar  05 2024 07:42 00 0x00`: a value has 3 digits (`070`, as the notes' ketone `003`), HI/LO are padded to 3. */
export function recordLine(r: SimRecord): string {
  const t = new Date(r.atMs);
  const clock = `${MONTHS[t.getMonth()] ?? 'Jan '} ${p2(t.getDate())} ${t.getFullYear()} ${p2(t.getHours())}:${p2(t.getMinutes())}`;
  const value = /^\d+$/.test(r.value) ? r.value.padStart(3, '0') : r.value.padEnd(3, ' ');
  return `${value}  ${clock} ${r.type} 0x${r.status.toString(16).toUpperCase().padStart(2, '0')}\r\n`;
}

/** The whole dump text, checksum line included. */
export function dumpText(spec: Pick<SimMeterSpec, 'variant' | 'serial' | 'version' | 'empty'>, meterNowMs: number, records: readonly SimRecord[]): string {
  const head = `\r\n${spec.serial}\r\n${spec.version}\r\n${dumpClock(meterNowMs)}\r\n${String(records.length).padStart(3, '0')}\r\n`;
  if (records.length === 0 && spec.empty === 'bare') return 'Log Empty END\r\n';
  if (records.length === 0 && spec.empty) return head + (spec.empty === 'one-line' ? 'Log Empty END\r\n' : 'Log Empty\r\nEND\r\n');
  const body = head + (spec.variant === 'lite' ? '\n' : '') + records.map(recordLine).join('');
  return body + checksumLine(fromLatin1(body));
}

const TIM = /^tim,(\d\d),(\d\d),(\d\d),(\d\d),(\d\d)$/;

/** Commands out of the host's bytes: `$` + text up to CR or LF. */
class CommandParser {
  private text: string | undefined;
  push(chunk: Uint8Array): string[] {
    const out: string[] = [];
    for (const b of chunk) {
      if (b === 0x24) this.text = '';
      else if (b === 0x0d || b === 0x0a) {
        if (this.text !== undefined && this.text !== '') out.push(this.text);
        this.text = undefined;
      } else if (this.text !== undefined && this.text.length < 40) this.text += String.fromCharCode(b);
    }
    return out;
  }
}

/** Play the meter until the host hangs up or the signal aborts. */
export async function runFreestyleMeter(ctx: SimulatorContext, spec: SimMeterSpec): Promise<void> {
  await serveRequests(ctx, (stop) => meterSide(ctx, spec, stop));
}

/** The meter answering the commands in each chunk the host writes, in order, until `stop`. */
function meterSide(ctx: SimulatorContext, spec: SimMeterSpec, stop: AbortSignal): { handle(chunk: Uint8Array): Promise<void> } {
  const parser = new CommandParser();
  let offsetMs = spec.clockOffsetMs;
  const records = spec.records(ctx.clock.now() + offsetMs);
  let corrupt = spec.corruptOnce;
  let ignore = spec.ignoreFirst === true;

  const send = async (text: string): Promise<void> => {
    const lines = text.split(/(?<=\n)/);
    for (let i = 0; i < lines.length; i += BURST_LINES) {
      let burst = lines.slice(i, i + BURST_LINES).join('');
      if (ctx.fault === 'truncate') burst = burst.slice(0, Math.max(1, Math.floor(burst.length * 0.6)));
      await ctx.link.write(fromLatin1(burst));
      await sleep(ctx.clock, burst.length * WIRE_MS_PER_BYTE, stop);
      if (ctx.fault === 'truncate') return;
    }
  };

  const answer = async (command: string): Promise<void> => {
    if (ignore) {
      ignore = false;
      return;
    }
    const meterNow = ctx.clock.now() + offsetMs;
    const dumpCommand = spec.variant === 'lite' ? 'mem' : 'xmem';
    if (command === dumpCommand) {
      let text = dumpText(spec, meterNow, records);
      if (corrupt !== undefined || ctx.fault === 'bad-checksum') {
        // One value digit changed after the checksum was made: the dump no longer adds up.
        const start = text.indexOf('0x', 0) >= 0 ? nthRecordStart(text, corrupt ?? 0, spec.variant) : -1;
        if (start >= 0) text = text.slice(0, start) + String.fromCharCode(text.charCodeAt(start) ^ 0x01) + text.slice(start + 1);
        corrupt = undefined;
      }
      return send((spec.leading03 ? '\x03\x03' : '') + text);
    }
    if (command === 'colq' && spec.variant === 'optium') {
      const unit = spec.unitText ? `\t${spec.unitText}` : '';
      return send(
        `S/N:\t${spec.serial}\r\nVer:\t${spec.version}${unit}\r\nClock:\t${dumpClock(meterNow, '\t').replace(/^(\w{3})\w?\s+/, '$1  ')}\r\nMarket:\t1\t0\r\nROM:\t0\t0\t0\t0\r\nUsage:\t${records.length}\r\nCMD OK\r\n`,
      );
    }
    const tim = TIM.exec(command);
    if (tim) {
      const [, mo, d, y, h, mi] = tim;
      const setMs = localToEpochMs(`20${y}-${mo}-${d}T${h}:${mi}:00`);
      if (!Number.isFinite(setMs)) return send('CMD Fail!\r\n');
      offsetMs = setMs - ctx.clock.now();
      return send('CMD OK\r\n');
    }
    // Anything else: no source gives an answer the hub needs; the simulator stays silent.
  };

  return {
    async handle(chunk) {
      for (const command of parser.push(chunk)) {
        if (stop.aborted) return;
        await answer(command);
      }
    },
  };
}

/** Where record `index`'s first value digit sits in a dump text (-1 when there is none). */
function nthRecordStart(text: string, index: number, variant: SimMeterSpec['variant']): number {
  const lines = text.split(/(?<=\n)/);
  const first = variant === 'lite' ? 6 : 5;
  const target = Math.min(first + index, lines.length - 2);
  if (target < first) return -1;
  return lines.slice(0, target).join('').length;
}
