/**
 * A ReliOn Prime / GLUCOCARD Vital in "remote command mode", written from the glucose-meters-2
 * protocol notes §6.2 only (the driver's PROTOCOL.md restates them). Where the notes leave a
 * choice open (marked [UNVERIFIED] there, or silent), the emulator takes it from `variant`, so a
 * test can play every reading of the notes:
 * - `enqAfterEot`: the meter answers the host's EOT with ENQ, or stays silent until the ACK;
 * - `enqBeforeHeader`: "the meter may answer 05" to the ACK before sending the header;
 * - `framedText`: the `M|`/`T|`/`D|` replies framed `<STX>…<ETB>CC`, or bare, ending CR LF;
 * - `recordPrefix`: what stands before the record's first `|` (`D` = "D|", or the index digits),
 *   and `recordSum`: the checksum span (`e1381`: after STX through ETB; `tidepool`: "D|" + the
 *   text after the first `|` through ETB, the notes' reading of Tidepool).
 * After a NAK the meter is back where a fresh session starts (§6.2: the host re-enters with
 * `06`, `06`, `92` (twice if the reply was long), `05`): an ACK draws the ENQ, the next ACK the
 * header, `92` → EOT, `05` → ACK.
 */
import { openByteDevice, type ByteDeviceOnPty } from './byte-device-on-pty.ts';

const EOT = 0x04;
const ENQ = 0x05;
const ACK = 0x06;
const NAK = 0x15;
const STX = 0x02;
const ETB = 0x17;
const MODE = 0x92;

/** A stored result as the notes lay it out (§6.2 "Record payload"). */
export interface PrimeNotesRecord {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  value: number;
  /** `01` HI, `02` LO, `04` control solution. */
  flags?: number;
}

export interface PrimeVariant {
  enqAfterEot: boolean;
  enqBeforeHeader: boolean;
  framedText: boolean;
  recordPrefix: 'D' | 'index';
  recordSum: 'e1381' | 'tidepool';
}

export interface PrimeNotesMeter {
  model: string;
  serial: string;
  clockOffsetMs: number;
  /** Memory by index; a hole answers NAK (§6.2). */
  records: (PrimeNotesRecord | undefined)[];
  variant: PrimeVariant;
}

export interface PrimeEmulator extends ByteDeviceOnPty {
  /** Host writes the notes do not allow where they came (the test asserts there are none). */
  unexpected: string[];
  /** Record indexes the host asked for, in order. */
  asked: number[];
  /** `YYMMDD` and `HHmm` the host wrote, if it set the clock. */
  written: { date?: string; time?: string };
}

const two = (n: number): string => String(n).padStart(2, '0');
const hex2 = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');
const sum = (bytes: Iterable<number>): number => [...bytes].reduce((s, b) => s + b, 0) & 0xff;

/** `<STX>text<ETB>CC<CR><LF>`, CC = E1381 sum of the bytes after STX through ETB (§6.2 header). */
export function framedLine(text: string): Buffer {
  const body = Buffer.concat([Buffer.from(text, 'latin1'), Buffer.of(ETB)]);
  return Buffer.concat([Buffer.of(STX), body, Buffer.from(`${hex2(sum(body))}\r\n`, 'latin1')]);
}

/** The 16 record characters: value hex byte-swapped, `mmHHDDMMYY`, flags hex (§6.2). */
export function recordText(r: PrimeNotesRecord): string {
  const v = r.value.toString(16).toUpperCase().padStart(4, '0');
  return `${v.slice(2)}${v.slice(0, 2)}${two(r.minute)}${two(r.hour)}${two(r.day)}${two(r.month)}${two(r.year % 100)}${hex2(r.flags ?? 0)}`;
}

function recordReply(r: PrimeNotesRecord, index: number, v: PrimeVariant): Buffer {
  const text = recordText(r);
  const prefix = v.recordPrefix === 'D' ? 'D|' : `${index.toString(16).toUpperCase().padStart(3, '0')}|`;
  const body = Buffer.from(`${prefix}${text}`, 'latin1');
  const cc = v.recordSum === 'e1381' ? sum([...body, ETB]) : sum([...Buffer.from(`D|${text}`, 'latin1'), ETB]);
  return Buffer.concat([Buffer.of(STX), body, Buffer.of(ETB), Buffer.from(`${hex2(cc)}\r\n`, 'latin1')]);
}

type State = 'idle' | 'enq-sent' | 'header-sent' | 'eot-sent' | 'remote';

/** Start the meter on `path` (19200 8N2; a pty ignores the line settings). */
export async function startPrimeMeter(path: string, meter: PrimeNotesMeter): Promise<PrimeEmulator> {
  const v = meter.variant;
  let state: State = 'idle';
  let verb: 'R' | 'W' | undefined;
  let pendingWrite: 'D' | 'T' | undefined;
  let askingRecord = false;
  let text = '';
  const emu = { unexpected: [] as string[], asked: [] as number[], written: {} } as PrimeEmulator;
  const now = (): Date => new Date(Date.now() + meter.clockOffsetMs);
  const reply = (dev: ByteDeviceOnPty, bytes: Uint8Array | readonly number[] | string): Promise<void> =>
    dev.send(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Uint8Array.from(bytes));
  const textReply = (dev: ByteDeviceOnPty, t: string): Promise<void> => reply(dev, v.framedText ? framedLine(t) : `${t}\r\n`);
  const header = (): Buffer =>
    Buffer.concat([framedLine(`1H|\\^&|||${meter.model}^V1.0^${meter.serial}`), framedLine('2P|1')]);

  async function control(dev: ByteDeviceOnPty, b: number): Promise<void> {
    if (b === EOT) {
      // EOT leaves remote-command mode, from anywhere.
      state = v.enqAfterEot ? 'enq-sent' : 'idle';
      if (v.enqAfterEot) await reply(dev, [ENQ]);
    } else if (b === ACK && state === 'idle') {
      if (v.enqBeforeHeader) {
        state = 'enq-sent';
        await reply(dev, [ENQ]);
      } else {
        state = 'header-sent';
        await reply(dev, header());
      }
    } else if (b === ACK && state === 'enq-sent') {
      state = 'header-sent';
      await reply(dev, header());
    } else if (b === ACK && state === 'header-sent') {
      // A host acknowledging the header lines: harmless, nothing to send.
    } else if (b === MODE && state === 'header-sent') {
      state = 'eot-sent';
      await reply(dev, [EOT]);
    } else if (b === ENQ && state === 'eot-sent') {
      state = 'remote';
      await reply(dev, [ACK]);
    } else emu.unexpected.push(`${hex2(b)} in ${state}`);
  }

  async function token(dev: ByteDeviceOnPty, t: string): Promise<void> {
    if (state !== 'remote') return void emu.unexpected.push(`${JSON.stringify(t)} in ${state}`);
    if (pendingWrite) {
      const m = pendingWrite === 'D' ? /^(\d{6})\|\r$/.exec(t) : /^(\d{4})\|\r$/.exec(t);
      if (!m) return void emu.unexpected.push(`${JSON.stringify(t)} as the ${pendingWrite} value`);
      if (pendingWrite === 'D') emu.written.date = m[1];
      else emu.written.time = m[1];
      pendingWrite = undefined;
      verb = undefined;
      return reply(dev, [ACK]);
    }
    if (askingRecord) {
      askingRecord = false;
      verb = undefined;
      const m = /^([0-9A-F]{3})\|$/.exec(t);
      if (!m) return void emu.unexpected.push(`${JSON.stringify(t)} as a record index`);
      const index = parseInt(m[1]!, 16);
      emu.asked.push(index);
      const r = meter.records[index];
      if (r) return reply(dev, recordReply(r, index, v));
      state = 'idle'; // after a NAK the host must enter remote-command mode again (§6.2)
      return reply(dev, [NAK]);
    }
    if (t === 'R|' || t === 'W|') {
      verb = t[0] as 'R' | 'W';
      return reply(dev, [ACK]);
    }
    const c = now();
    if (verb === 'R' && t === 'M|') return void ((verb = undefined), await textReply(dev, `M|${meter.records.length}|`));
    if (verb === 'R' && t === 'T|') return void ((verb = undefined), await textReply(dev, `T|${two(c.getUTCHours())}${two(c.getUTCMinutes())}|`));
    if (verb === 'R' && t === 'D|') return void ((verb = undefined), await textReply(dev, `D|${two(c.getUTCFullYear() % 100)}${two(c.getUTCMonth() + 1)}${two(c.getUTCDate())}|`));
    if (verb === 'R' && t === 'N|') return void ((askingRecord = true), await reply(dev, [ACK]));
    if (verb === 'W' && (t === 'D|' || t === 'T|')) return void ((pendingWrite = t[0] as 'D' | 'T'), await reply(dev, [ACK]));
    emu.unexpected.push(`${JSON.stringify(t)} after ${verb ?? 'no verb'}`);
  }

  const device = await openByteDevice(path, { baudRate: 19200, stopBits: 2 }, async (chunk, dev) => {
    for (const b of chunk) {
      if (text === '' && [EOT, ENQ, ACK, NAK, MODE].includes(b)) {
        await control(dev, b);
        continue;
      }
      text += String.fromCharCode(b);
      // A token ends at `|`; a value to write ends at `|<CR>` (§6.2).
      if (pendingWrite ? text.endsWith('|\r') : text.endsWith('|')) {
        const t = text;
        text = '';
        await token(dev, t);
      }
    }
  });
  return Object.assign(emu, device, { unexpected: emu.unexpected, asked: emu.asked, written: emu.written });
}
