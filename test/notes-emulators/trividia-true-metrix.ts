/**
 * A Trividia TRUE Metrix meter behind its HID cradle, built only from the glucose-meters-2
 * protocol notes §4, never from the driver or its simulator: an independent device for
 * drivers/devices/trividia-true-metrix (its PROTOCOL.md).
 *
 * §4.1: the host writes unnumbered output reports `A0 LL <LL ASCII>`; the meter answers in input
 * reports `n <n ASCII bytes>` (n < 64), which together form one text stream.
 * §4.2: a message is `(payload)XX`, XX = (sum of payload + 0x28 + 0x29) & 0xFF in uppercase hex.
 */
import type { FakeHidDevice } from '../helpers/fake-hid.ts';

/** One `g5` record in the notes' terms (§4.4). */
export interface MetrixRecord {
  month: number;
  day: number;
  /** Two-digit year. */
  yy: number;
  hour: number;
  minute: number;
  /** mg/dL, 11 bits. */
  value: number;
  /** Character 11: control solution if not `0`. */
  control?: string;
  /** The unknown upper bit of character 7. */
  char7High?: boolean;
  /** Character 10 (unknown), default `0`. */
  char10?: string;
  /** Characters 12+ (unknown). */
  tail?: string;
}

/** The notes' frame checksum, 2 uppercase hex digits. */
export function frameSum(payload: string): string {
  let sum = 0x28 + 0x29;
  for (const ch of payload) sum += ch.charCodeAt(0);
  return (sum & 0xff).toString(16).toUpperCase().padStart(2, '0');
}

export const frame = (payload: string): string => `(${payload})${frameSum(payload)}`;

const hexN = (n: number, width: number): string => n.toString(16).toUpperCase().padStart(width, '0');

/** §4.4: month (1 hex), hex of decimal DDYY (3), hex of decimal HHMM (3), value bits 10..8 (+ unknown bit 3), value bits 7..0, char 10, control, tail. */
export function recordBody(r: MetrixRecord): string {
  const c7 = ((r.value >> 8) & 0x07) | (r.char7High ? 0x08 : 0);
  return hexN(r.month, 1) + hexN(r.day * 100 + r.yy, 3) + hexN(r.hour * 100 + r.minute, 3) + hexN(c7, 1) + hexN(r.value & 0xff, 2) + (r.char10 ?? '0') + (r.control ?? '0') + (r.tail ?? '');
}

/** §4.2 download checksum: sum of the ASCII of every g5 body (after `g5`) & 0xFFFF, 4 uppercase hex. */
export function downloadSum(bodies: readonly string[]): string {
  let sum = 0;
  for (const body of bodies) for (const ch of body) sum += ch.charCodeAt(0);
  return hexN(sum & 0xffff, 4);
}

/** The whole reply to `(G)98`: every record, then `(x<extra><sum>)`. `badSum` states a wrong sum. */
export function resultsStream(bodies: readonly string[], extra = 'N', badSum = false): string {
  const sum = badSum ? hexN((parseInt(downloadSum(bodies), 16) + 1) & 0xffff, 4) : downloadSum(bodies);
  return bodies.map((b) => frame(`g5${b}`)).join('') + frame(`x${extra}${sum}`);
}

export interface MetrixMeterOptions {
  /** The `i` reply's model code (MR2, RC2, BLU). */
  model?: string;
  serial?: string;
  /** The 12 digits of the `t` reply, `ssmmHHDDMMYY`. */
  clock: string;
  /** The record bodies (after `g5`), as the meter sends them. */
  bodies: readonly string[];
  /** The `(V)` reply's payload: the notes name no reply type for it, so by default the meter says nothing. */
  firmwarePayload?: string;
  /** Sizes of the input reports' data (cycled); default 63, the most one report holds. */
  chunkSizes?: readonly number[];
  /** Input reports cut to `n + 1` bytes instead of padded to 64 (the report size is [UNVERIFIED], §4.1). */
  unpadded?: boolean;
  /** The first `(G)` transfer states a wrong download sum. */
  firstSumWrong?: boolean;
  /** After `(_)` the meter ignores everything but `(^)` (it is switched off until woken). */
  sleepsAfterPowerOff?: boolean;
  /** The meter starts switched off (an earlier session's `(_)`): it answers nothing before `(^)`. */
  asleepAtStart?: boolean;
}

export interface MetrixMeterLog {
  /** Every command the host sent, in order. */
  commands: string[];
  /** What the host sent that the notes do not allow. */
  violations: string[];
}

const KNOWN = new Set(['^', 'I', 'Z1', 'V', 'T', 'G', '*', '_']);

/** Plug the emulator in behind `fake` (an unnumbered 64-byte report device); returns its log. */
export function trueMetrixNotesMeter(fake: FakeHidDevice, opts: MetrixMeterOptions): MetrixMeterLog {
  const log: MetrixMeterLog = { commands: [], violations: [] };
  let asleep = opts.asleepAtStart === true;
  let transfers = 0;
  let chunk = 0;

  /** The text cut into input reports `n <n bytes>`, each padded to 64 bytes as hidapi reads a whole report (unless `unpadded`). */
  const send = (text: string): void => {
    const sizes = opts.chunkSizes ?? [63];
    for (let at = 0; at < text.length; ) {
      const n = Math.min(sizes[chunk++ % sizes.length] ?? 63, 63, text.length - at);
      const report = new Uint8Array(opts.unpadded ? n + 1 : 64);
      report[0] = n;
      for (let i = 0; i < n; i++) report[1 + i] = text.charCodeAt(at + i);
      at += n;
      void fake.deviceLink.write(report);
    }
  };

  const answer = (command: string): string | undefined => {
    if (command === '_') {
      asleep = opts.sleepsAfterPowerOff === true;
      return undefined;
    }
    if (command === '^') {
      asleep = false;
      return undefined;
    }
    if (asleep) return undefined;
    switch (command) {
      case 'I':
        return frame(`i${opts.model ?? 'MR2'}`);
      case 'Z1':
        return frame(`z1${opts.serial ?? 'ABC12345'}`);
      case 'V':
        return opts.firmwarePayload === undefined ? undefined : frame(opts.firmwarePayload);
      case 'T':
        return frame(`t${opts.clock}`);
      case 'G':
        transfers += 1;
        return resultsStream(opts.bodies, 'N', opts.firstSumWrong === true && transfers === 1);
      default:
        return undefined;
    }
  };

  fake.deviceLink.onData((report) => {
    // The fake hands over the report without its id byte: A0, LL, then LL ASCII bytes (§4.1).
    const len = report[1] ?? 0;
    const text = String.fromCharCode(...report.subarray(2, 2 + len));
    const m = /^\(([^()]*)\)([0-9A-F]{2})$/.exec(text);
    if (report[0] !== 0xa0 || len + 2 > report.length || !m || m[2] !== frameSum(m[1] ?? '') || !KNOWN.has(m[1] ?? '')) {
      log.violations.push(`output report ${Array.from(report.subarray(0, 2 + len), (b) => b.toString(16).padStart(2, '0')).join(' ')} is no §4.2 command`);
      return;
    }
    log.commands.push(text);
    const reply = answer(m[1] ?? '');
    if (reply) send(reply);
  });
  return log;
}
