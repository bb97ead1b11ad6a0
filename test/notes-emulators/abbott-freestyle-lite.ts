/**
 * A FreeStyle Lite / Freedom Lite / Mini built from the glucose-meters-2 protocol notes
 * §3.1–§3.3 only: `$mem` answers the whole memory (with the bare-LF line after the count),
 * `$tim,MM,DD,YY,HH,mm` sets the clock and answers `CMD OK`.
 */
import { type DumpHeader, dumpClock, dumpText, type MeterTime, meterTimeOf, msOf, NotesSerialMeter, type NotesRecord, parseTim, corruptDump } from './freestyle-serial-notes.ts';

/** §3.3's constructed example, byte for byte as the notes print it (checksum 0x1DB6). */
export const NOTES_LITE_DUMP =
  '\r\nDBMN169-C4824\r\n1.43     -P\r\nMar  05 2024 14:30:07\r\n003\r\n\n' +
  '104  Mar  05 2024 07:42 00 0x00\r\nHI   Mar  04 2024 21:05 00 0x00\r\n128  Mar  04 2024 08:10 00 0x01\r\n0x1DB6  END\r\n';

/**
 * How the empty meter answers: §3.3 gives `Log Empty END` on one line (flupzor, Garber) or
 * `Log Empty` and `END` on two (Tidepool's patterns) and says it is unverified which; nor do
 * the notes say what comes before: the dump's header (with count 000 and the bare LF), only
 * its opening empty line, or nothing ("a single line", as Garber expects).
 */
export interface LiteEmptyForm {
  lines: 'Log Empty END' | 'Log Empty\r\nEND';
  before: 'header' | 'empty line' | 'nothing';
}

export interface LiteOptions {
  serial?: string;
  version?: string;
  /** The first `corruptDumps` memory answers carry a line error under an unchanged checksum. */
  corruptDumps?: number;
  /** Answer at 19200-baud wire speed instead of all at once. */
  paced?: boolean;
  /** Newest first. */
  records?: NotesRecord[];
  /** The meter clock when the emulator starts; it runs from there. Default: now. */
  clock?: MeterTime;
  /** Answer `$mem` with these exact bytes instead (the notes' printed example). */
  literal?: string;
  /** An empty meter (records ignored). */
  empty?: LiteEmptyForm;
  /**
   * How `$tim` is answered: `ok` (the default, §3.2), `fail` (`CMD Fail!`), or `silent` (§3.2
   * has `$tim` on the Lite from one source only: a Lite may not know it).
   */
  tim?: 'ok' | 'fail' | 'silent';
  /** Stray 0x03 bytes before the dump, which §3.3 says a parser should skip. */
  leading03?: number;
}

/** The running emulator: its serial-port end and the clock it keeps. */
export interface LiteEmulator {
  meter: NotesSerialMeter;
  /** The meter clock now. */
  now(): MeterTime;
  close(): Promise<void>;
}

export async function startLite(path: string, options: LiteOptions = {}): Promise<LiteEmulator> {
  const header = (): DumpHeader => ({ serial: options.serial ?? 'DBMN169-C4824', version: options.version ?? '1.43     -P', clock: now() });
  // The meter clock as an offset from the host clock, so it runs like a real one.
  let offsetMs = options.clock ? msOf(options.clock) - Date.now() : 0;
  const now = (): MeterTime => meterTimeOf(Date.now() + offsetMs);

  const emptyReply = (form: LiteEmptyForm): string => {
    const h = header();
    const head = { header: `\r\n${h.serial}\r\n${h.version}\r\n${dumpClock(h.clock)}\r\n000\r\n\n`, 'empty line': '\r\n', nothing: '' }[form.before];
    return `${head}${form.lines}\r\n`;
  };

  let dumps = 0;
  const meter = await NotesSerialMeter.open(path, (command) => {
    if (command === 'mem') {
      const lead = '\x03'.repeat(options.leading03 ?? 0);
      if (options.empty) return lead + emptyReply(options.empty);
      const dump = options.literal ?? dumpText(header(), options.records ?? [], true);
      return lead + (dumps++ < (options.corruptDumps ?? 0) ? corruptDump(dump) : dump);
    }
    const set = parseTim(command);
    if (set) {
      if (options.tim === 'silent') return undefined;
      if (options.tim === 'fail') return 'CMD Fail!\r\n';
      offsetMs = msOf(set) - Date.now();
      return 'CMD OK\r\n';
    }
    return 'CMD Fail!\r\n';
  }, options.paced);
  return { meter, now, close: () => meter.close() };
}
