import { ByteBuffer, type Framer, type FramerOutput, type FramingProblem } from '../../kit/index.ts';

/** The data formats the driver can select (PROTOCOL.md §2): DF13 spot-check is the device default. */
export type OnyxFormat = 'df13' | 'df8' | 'df7';

/** The select-format byte of each format (PROTOCOL.md §2). */
export const FORMAT_CODE: Record<OnyxFormat, number> = { df13: 0x0d, df8: 0x08, df7: 0x07 };

const STX = 0x02;
const ETX = 0x03;
export const ACK = 0x06;
export const NAK = 0x15;
/** Reply op-code of the read-clock command (PROTOCOL.md §2). */
const CLOCK_REPLY = 0xf2;
/** The DF13 record: null sync, STX, packet type 0x000D, then a big-endian data length (PROTOCOL.md §4). */
const DF13_HEADER = [0x00, STX, 0x00, 0x0d] as const;
/** The data section is at least 14 bytes; later firmware may lengthen it (PROTOCOL.md §4). 64 bounds a false length after noise. */
export const DF13_MIN_DATA = 14;
const DF13_MAX_DATA = 64;
/** `02 F2 06 YY MM DD hh mm ss 03`. */
const CLOCK_REPLY_LENGTH = 10;

/** Host commands (PROTOCOL.md §2). */
export const COMMAND = {
  readClock: Uint8Array.of(STX, 0x72, 0x00, ETX),
  selectFormat: (format: OnyxFormat): Uint8Array => Uint8Array.of(STX, 0x70, 0x02, 0x02, FORMAT_CODE[format], ETX),
  /** Binary fields, year 00–99 of the 2000s. */
  setClock: (y: number, mo: number, d: number, h: number, mi: number, s: number): Uint8Array => Uint8Array.of(STX, 0x72, 0x06, y % 100, mo, d, h, mi, s, ETX),
};

/** One token from the oximeter. */
export type OnyxFrame =
  | { kind: 'df13'; bytes: Uint8Array }
  | { kind: 'clock'; bytes: Uint8Array }
  | { kind: 'df8'; bytes: Uint8Array }
  | { kind: 'df7'; bytes: Uint8Array }
  | { kind: 'ack' | 'nak'; bytes: Uint8Array };

type Match = { frame: OnyxFrame; length: number } | 'wait' | 'no';

/**
 * The 9560 stream (PROTOCOL.md §2–4): control replies (`06`, `15`, `02 F2 …`) interleaved with the
 * data of the selected format. DF13 records are framed by their header, length and ETX (the
 * checksum is decode's); DF8 frames by "a byte with bit 7 set, then three without"; DF7 frames by
 * their checksum. Bytes that start nothing are skipped as one garbage stretch.
 */
export class OnyxFramer implements Framer<OnyxFrame> {
  private readonly buf = new ByteBuffer();
  /** Before the first data frame a lone 06/15 is the answer to select-format; after it, DF8/DF7 bytes can take those values. */
  private dataSeen = false;

  constructor(readonly format: OnyxFormat) {}

  push(chunk: Uint8Array): FramerOutput<OnyxFrame> {
    this.buf.append(chunk);
    const data = this.buf.take();
    const frames: OnyxFrame[] = [];
    const problems: FramingProblem[] = [];
    let skipStart = -1;
    let i = 0;
    const endSkip = (): void => {
      if (skipStart < 0) return;
      problems.push({ code: 'PROTOCOL_GARBAGE', message: `${i - skipStart} byte(s) that start no Nonin frame`, raw: data.slice(skipStart, i) });
      skipStart = -1;
    };
    while (i < data.length) {
      const m = this.match(data, i);
      if (m === 'wait') break;
      if (m === 'no') {
        if (skipStart < 0) skipStart = i;
        i++;
        continue;
      }
      endSkip();
      frames.push(m.frame);
      if (m.frame.kind === 'df8' || m.frame.kind === 'df7' || m.frame.kind === 'df13') this.dataSeen = true;
      i += m.length;
    }
    endSkip();
    this.buf.append(data.subarray(i));
    return { frames, problems };
  }

  flush(): FramerOutput<OnyxFrame> {
    const rest = this.buf.take();
    if (rest.length === 0) return { frames: [], problems: [] };
    return { frames: [], problems: [{ code: 'PROTOCOL_TRUNCATED', message: `the stream ended inside a frame (${rest.length} byte(s))`, raw: rest }] };
  }

  private match(d: Uint8Array, i: number): Match {
    const b = d[i] as number;
    const left = d.length - i;
    if (!this.dataSeen && (b === ACK || b === NAK)) return { frame: { kind: b === ACK ? 'ack' : 'nak', bytes: d.slice(i, i + 1) }, length: 1 };
    if (b === STX) {
      if (left < 2) return 'wait';
      if (d[i + 1] !== CLOCK_REPLY) return 'no';
      if (left < CLOCK_REPLY_LENGTH) return 'wait';
      if (d[i + 2] !== 0x06 || d[i + CLOCK_REPLY_LENGTH - 1] !== ETX) return 'no';
      return { frame: { kind: 'clock', bytes: d.slice(i, i + CLOCK_REPLY_LENGTH) }, length: CLOCK_REPLY_LENGTH };
    }
    if (this.format === 'df13') return this.matchDf13(d, i, left);
    if (this.format === 'df8') return matchDf8(d, i, left);
    return matchDf7(d, i, left);
  }

  private matchDf13(d: Uint8Array, i: number, left: number): Match {
    for (let k = 0; k < DF13_HEADER.length; k++) {
      if (k >= left) return 'wait';
      if (d[i + k] !== DF13_HEADER[k]) return 'no';
    }
    if (left < 6) return 'wait';
    const dataLength = ((d[i + 4] as number) << 8) | (d[i + 5] as number);
    if (dataLength < DF13_MIN_DATA || dataLength > DF13_MAX_DATA) return 'no';
    const total = 6 + dataLength + 2;
    if (left < total) return 'wait';
    if (d[i + total - 1] !== ETX) return 'no';
    return { frame: { kind: 'df13', bytes: d.slice(i, i + total) }, length: total };
  }
}

/** DF8 (PROTOCOL.md §5): status byte with bit 7 set, then three bytes with bit 7 clear. */
function matchDf8(d: Uint8Array, i: number, left: number): Match {
  if (((d[i] as number) & 0x80) === 0) return 'no';
  for (let k = 1; k < 4; k++) {
    if (k >= left) return 'wait';
    if (((d[i + k] as number) & 0x80) !== 0) return 'no';
  }
  return { frame: { kind: 'df8', bytes: d.slice(i, i + 4) }, length: 4 };
}

/** DF7 (PROTOCOL.md §6): status with bit 7 set, three bytes, then (b1+b2+b3+b4) mod 256. */
function matchDf7(d: Uint8Array, i: number, left: number): Match {
  if (((d[i] as number) & 0x80) === 0) return 'no';
  if (left < 5) return 'wait';
  const sum = ((d[i] as number) + (d[i + 1] as number) + (d[i + 2] as number) + (d[i + 3] as number)) & 0xff;
  if (sum !== d[i + 4]) return 'no';
  return { frame: { kind: 'df7', bytes: d.slice(i, i + 5) }, length: 5 };
}
