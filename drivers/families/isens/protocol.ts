import { ByteBuffer, crc16CcittFalse, type Framer, type FramerOutput, type FramingProblem } from '../../kit/index.ts';

/**
 * i-SENS iSPc frames, protocol 3 (drivers/devices/isens-caresens/PROTOCOL.md §4): `02 'iSPc' LEN C1..C4 payload CRC_hi CRC_lo 03`,
 * LEN = 4 + payload + 2 + 1, CRC-16/CCITT-FALSE over the frame without its two CRC bytes, stored
 * big-endian. Pure encode and framing.
 */
export const STX = 0x02;
export const ETX = 0x03;
const MAGIC = [0x69, 0x53, 0x50, 0x63]; // 'iSPc'
/** STX, the four magic bytes and LEN. */
export const HEADER_LENGTH = 6;
/** The smallest LEN: a command with no payload. */
const MIN_LEN = 7;

/** The probe byte (ECHO) and what its answer says (drivers/devices/isens-caresens/PROTOCOL.md §3). */
export const ECHO = 0x80;
export const PROTOCOL_MARK = { one: 0x20, three: 0x2e, two: 0x2f } as const;

/** The commands this driver sends (drivers/devices/isens-caresens/PROTOCOL.md §5). Nothing that erases memory exists here. */
export const CMD = { serial: 'RSNB', readClock: 'RTIM', setClock: 'WTIM', count: 'NCOT', glucose: 'GLUE' } as const;
/** Command fields of a meter's error reply (drivers/devices/isens-caresens/PROTOCOL.md §4). */
export const ERROR_REPLIES: Readonly<Record<string, string>> = { TOUT: 'timeout', HEAD: 'bad header', SIZE: 'bad size', ECRC: 'CRC error', CMND: 'bad command' };
/** Most records one GLUE request may ask for. */
export const GLUE_BLOCK = 27;
/** One GLUE record: `YY MM DD hh mm ss FLAGS VALUE(u16 BE)`. */
export const GLUE_RECORD_LENGTH = 9;

/** One frame as read: its command, its payload, and all its bytes. */
export interface Frame {
  cmd: string;
  payload: Uint8Array;
  raw: Uint8Array;
}

/** The CRC of a whole frame: over everything but its two CRC bytes. */
export function frameCrc(frame: Uint8Array): number {
  const body = new Uint8Array(frame.length - 2);
  body.set(frame.subarray(0, frame.length - 3));
  body[body.length - 1] = frame[frame.length - 1] ?? 0;
  return crc16CcittFalse(body);
}

/** Build a frame: 4-letter command, payload. */
export function encodeFrame(cmd: string, payload: ArrayLike<number> = []): Uint8Array {
  if (!/^[\x20-\x7e]{4}$/.test(cmd)) throw new RangeError(`an iSPc command is 4 ASCII letters, got "${cmd}"`);
  const len = 4 + payload.length + 2 + 1;
  if (len > 0xff) throw new RangeError(`an iSPc frame carries at most ${0xff - 7} payload bytes, got ${payload.length}`);
  const out = new Uint8Array(HEADER_LENGTH + len);
  out.set([STX, ...MAGIC, len]);
  for (let i = 0; i < 4; i++) out[HEADER_LENGTH + i] = cmd.charCodeAt(i);
  for (let i = 0; i < payload.length; i++) out[HEADER_LENGTH + 4 + i] = (payload[i] ?? 0) & 0xff;
  out[out.length - 1] = ETX;
  const crc = frameCrc(out);
  out[out.length - 3] = crc >> 8;
  out[out.length - 2] = crc & 0xff;
  return out;
}

/** The GLUE request for records `start`..`start+count-1` (1-based, newest first). */
export function glueRequest(start: number, count: number): Uint8Array {
  return encodeFrame(CMD.glucose, [(start >> 8) & 0xff, start & 0xff, count & 0xff]);
}

/** `YY MM DD hh mm ss`, year − 2000. */
export function encodeTime(t: { year: number; month: number; day: number; hour: number; minute: number; second: number }): number[] {
  return [t.year - 2000, t.month, t.day, t.hour, t.minute, t.second];
}

/**
 * What the framer yields: a frame (CRC good, or a GLUE reply, whose CRC is not checked), a frame
 * whose CRC failed, or bytes outside any frame (the ECHO answer is such bytes).
 */
export type FrameItem = { kind: 'frame'; frame: Frame } | { kind: 'corrupt'; raw: Uint8Array } | { kind: 'loose'; raw: Uint8Array };

/**
 * Cut a byte stream into frames (drivers/devices/isens-caresens/PROTOCOL.md §4 reassembly): skip to an STX followed by `iSPc`,
 * read LEN, wait for LEN + 6 bytes ending in ETX. A start that is not one (no magic, a LEN too
 * small, no ETX where it must be) gives up its STX as a loose byte and the search goes on.
 */
export class IspcFramer implements Framer<FrameItem> {
  private readonly buffer = new ByteBuffer();

  push(chunk: Uint8Array): FramerOutput<FrameItem> {
    this.buffer.append(chunk);
    const bytes = this.buffer.take();
    const frames: FrameItem[] = [];
    const problems: FramingProblem[] = [];
    let at = 0;
    let looseFrom = 0;
    const loose = (to: number): void => {
      if (to > looseFrom) frames.push({ kind: 'loose', raw: bytes.slice(looseFrom, to) });
    };
    while (at < bytes.length) {
      if (bytes[at] !== STX) {
        at++;
        continue;
      }
      const have = bytes.length - at;
      const magicSoFar = MAGIC.every((m, i) => i + 1 >= have || bytes[at + 1 + i] === m);
      if (!magicSoFar) {
        at++;
        continue;
      }
      if (have < HEADER_LENGTH) break;
      const len = bytes[at + 5] ?? 0;
      if (len < MIN_LEN) {
        at++;
        continue;
      }
      if (have < HEADER_LENGTH + len) break;
      const raw = bytes.slice(at, at + HEADER_LENGTH + len);
      if (raw[raw.length - 1] !== ETX) {
        problems.push({ code: 'PROTOCOL_GARBAGE', message: 'an iSPc header without its ETX where LEN puts it: skipped', raw: raw.slice(0, HEADER_LENGTH) });
        at++;
        continue;
      }
      loose(at);
      const cmd = String.fromCharCode(...raw.subarray(HEADER_LENGTH, HEADER_LENGTH + 4));
      const stored = ((raw[raw.length - 3] ?? 0) << 8) | (raw[raw.length - 2] ?? 0);
      // The meter does not fill in a glucose reply's CRC (drivers/devices/isens-caresens/PROTOCOL.md §4): never checked there.
      if (cmd !== CMD.glucose && stored !== frameCrc(raw)) {
        problems.push({ code: 'PROTOCOL_CHECKSUM', message: `an iSPc ${cmd} frame failed its CRC`, raw });
        frames.push({ kind: 'corrupt', raw });
      } else {
        frames.push({ kind: 'frame', frame: { cmd, payload: raw.slice(HEADER_LENGTH + 4, raw.length - 3), raw } });
      }
      at += raw.length;
      looseFrom = at;
    }
    // Whatever may still become a frame waits; bytes before it that cannot are handed out now.
    const keepFrom = at < bytes.length ? at : bytes.length;
    loose(keepFrom);
    if (keepFrom < bytes.length) this.buffer.append(bytes.subarray(keepFrom));
    return { frames, problems };
  }

  flush(): FramerOutput<FrameItem> {
    const rest = this.buffer.take();
    return { frames: [], problems: rest.length > 0 ? [{ code: 'PROTOCOL_TRUNCATED', message: 'the link ended inside an iSPc frame', raw: rest }] : [] };
  }
}
