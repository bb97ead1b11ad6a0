/**
 * A FreeStyle Optium / Precision Xtra built from the glucose-meters-2 protocol notes §3.1, §3.2
 * and §3.4 only: `$colq` answers tab-separated key lines and `CMD OK`, `$xmem` the memory (the
 * Lite's dump shape without the bare-LF line; `G` glucose and `K` β-ketone records), `$tim`
 * sets the clock. §3.1's quirks are options: the first command ignored, or echoed instead of
 * answered.
 */
import { colqClock, type DumpHeader, dumpText, type MeterTime, meterTimeOf, msOf, NotesSerialMeter, type NotesRecord, parseTim, corruptDump } from './freestyle-serial-notes.ts';

/** §3.4's constructed `$xmem` example, byte for byte as the notes print it (checksum 0x1C23). */
export const NOTES_OPTIUM_DUMP =
  '\r\nMAGD123-A4567\r\n1.00\r\nMar  05 2024 14:30:07\r\n003\r\n' +
  '104  Mar  05 2024 07:42 G 0x00\r\n003  Mar  04 2024 22:00 K 0x00\r\nHI   Mar  04 2024 21:05 G 0x00\r\n0x1C23  END\r\n';

export interface OptiumOptions {
  serial?: string;
  version?: string;
  /** The unit text after the version in `$colq`'s `Ver:` line: `MMOL` on mmol/L meters; absent if undefined. */
  unit?: string;
  /** The first `corruptDumps` memory answers carry a line error under an unchanged checksum. */
  corruptDumps?: number;
  /** Answer at 19200-baud wire speed instead of all at once. */
  paced?: boolean;
  /** Newest first. */
  records?: NotesRecord[];
  /** The meter clock when the emulator starts; it runs from there. Default: now. */
  clock?: MeterTime;
  /** Answer `$xmem` with these exact bytes instead (the notes' printed example). */
  literal?: string;
  /** §3.1: "the first command sent by the host is sometimes ignored". */
  ignoreFirst?: boolean;
  /** §3.1: the meter "sometimes echoes commands instead of answering": the first command is echoed, unanswered. */
  echoFirst?: boolean;
}

export interface OptiumEmulator {
  meter: NotesSerialMeter;
  now(): MeterTime;
  close(): Promise<void>;
}

export async function startOptium(path: string, options: OptiumOptions = {}): Promise<OptiumEmulator> {
  let offsetMs = options.clock ? msOf(options.clock) - Date.now() : 0;
  const now = (): MeterTime => meterTimeOf(Date.now() + offsetMs);
  const records = options.records ?? [];
  const serial = options.serial ?? 'MAGD123-A4567';
  const version = options.version ?? '1.00';
  const header = (): DumpHeader => ({ serial, version, clock: now() });
  let first = true;
  let dumps = 0;

  // §3.4: S/N, Ver (+ unit), Clock (3-letter month, two spaces), Market, ROM, Usage = results stored.
  const colq = (): string =>
    [
      `S/N:\t${serial}`,
      `Ver:\t${version}${options.unit !== undefined ? `\t${options.unit}` : ''}`,
      `Clock:\t${colqClock(now())}`,
      'Market:\t1\t0',
      'ROM:\t0\t0\t0\t0',
      `Usage:\t${options.literal !== undefined ? 3 : records.length}`,
      'CMD OK',
    ].join('\r\n') + '\r\n';

  const meter = await NotesSerialMeter.open(path, (command) => {
    if (first) {
      first = false;
      if (options.ignoreFirst) return undefined;
      if (options.echoFirst) return `$${command}\r\n`;
    }
    if (command === 'colq') return colq();
    if (command === 'xmem') {
      const dump = options.literal ?? dumpText(header(), records, false);
      return dumps++ < (options.corruptDumps ?? 0) ? corruptDump(dump) : dump;
    }
    const set = parseTim(command);
    if (set) {
      offsetMs = msOf(set) - Date.now();
      return 'CMD OK\r\n';
    }
    return 'CMD Fail!\r\n';
  }, options.paced);
  return { meter, now, close: () => meter.close() };
}
