import { localDateTime } from '../../../shared/time.ts';
import { PRODUCT_ID } from './protocol.ts';

/**
 * The first line of every packet (PROTOCOL.md §4): product id (4), revision (2), software version
 * (5), a space, and the time `yyMMddHHmm`: `6510  01.02 9706201349`.
 */
const HEADER = /^(\d{4})(.{2})(\d{2}\.\d{2}) (\d{2})(\d{2})(\d{2})(\d{2})(\d{2}) *$/;
/** The second line of a data packet: the sequence number, then the colour words (`008 HELL GELB`). */
const SEQUENCE_LINE = /^(\d{1,4})(?: +(\S.*?))? *$/;
/** An analyte line: code, `*` when abnormal, then the value (`OBL* Ca 10 Ery/uL`, `SG   >=1.030`). */
const ANALYTE_LINE = /^([A-Za-z]{2,4})(\*?) +(\S.*?) *$/;
/** The profile line of the ID packet: language and unit system (`DEUTSCH - CONV.`). */
const PROFILE_LINE = /^(\S.*?) - (\S.*?) *$/;
/** Years `yy` from here on are 19yy (the Clinitek 50 came out in the 1990s; PROTOCOL.md §4) [INFERRED]. */
const CENTURY_PIVOT = 90;

/** What the first line of a packet says of the device and its clock. */
export interface PacketHeader {
  /** `6510` for the Clinitek 50. */
  product: string;
  /** Two characters, blank on the units in the captures (`  `, `A `). */
  revision: string;
  /** `01.02`. */
  software: string;
  /** As printed, `9706201349`. */
  stamp: string;
  /** The same as a local date-time `YYYY-MM-DDTHH:MM:00`. */
  deviceTime: string;
}

/** The ID packet: the answer to ENQ. */
export interface IdPacket extends PacketHeader {
  /** The whole profile line, `DEUTSCH - CONV.`. */
  profile: string;
  /** `DEUTSCH`, `ENGLISH` …, or the whole line when it has no ` - `. */
  language: string;
  /** `CONV.`, `SI` …, or empty. */
  units: string;
  /** `MULTISTIX 10 SG`. */
  strip: string;
}

/** One analyte line in the device's terms. */
export interface AnalyteLine {
  /** `GLU`, `SG`, `pH`, `OBL` … */
  code: string;
  /** As printed, trailing padding trimmed: `NEGATIV`, `>=1.030`, `Ca 10 Ery/uL`. */
  value: string;
  /** The line carried the `*` (abnormal) mark. */
  abnormal: boolean;
}

/** A data packet: one stored strip result. */
export interface DataPacket extends PacketHeader {
  /** As printed, `008`. */
  sequence: string;
  /** The colour words after the sequence number (`HELL GELB`), or empty. */
  colour: string;
  results: AnalyteLine[];
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

const fail = <T>(reason: string): Decoded<T> => ({ ok: false, reason });

/** A line holds a control byte or a byte no profile prints: the packet is not what it claims. */
function unprintable(line: string): boolean {
  return /[\u0000-\u001f\u007f-\u009f]/.test(line);
}

/** The first line of a packet to its fields, or why it is not one. */
export function decodeHeader(line: string | undefined): Decoded<PacketHeader> {
  const m = HEADER.exec(line ?? '');
  if (!m) return fail(`"${shorten(line ?? '')}" is not a "6510  01.02 yyMMddHHmm" header line`);
  const [, product = '', revision = '', software = '', yy = '', mo = '', dd = '', hh = '', mi = ''] = m;
  const year = Number(yy) + (Number(yy) >= CENTURY_PIVOT ? 1900 : 2000);
  const deviceTime = localDateTime(year, Number(mo), Number(dd), Number(hh), Number(mi));
  if (deviceTime === undefined) return fail(`"${yy}${mo}${dd}${hh}${mi}" is not a real date and time`);
  return { ok: true, value: { product, revision, software, stamp: `${yy}${mo}${dd}${hh}${mi}`, deviceTime } };
}

/** The lines of an ID packet (header, profile, strip) to its fields. */
export function decodeIdPacket(lines: readonly string[]): Decoded<IdPacket> {
  if (lines.some(unprintable)) return fail('control bytes inside the ID packet');
  if (lines.length < 3) return fail(`${lines.length} line(s), an ID packet has 3`);
  const header = decodeHeader(lines[0]);
  if (!header.ok) return header;
  const profile = (lines[1] ?? '').trim();
  const strip = (lines[2] ?? '').trim();
  if (profile === '' || strip === '') return fail('the ID packet has an empty profile or strip line');
  const m = PROFILE_LINE.exec(profile);
  return { ok: true, value: { ...header.value, profile, language: m?.[1] ?? profile, units: m?.[2] ?? '', strip } };
}

/** The lines of a data packet (header, sequence and colour, analyte lines) to its fields. */
export function decodeDataPacket(lines: readonly string[]): Decoded<DataPacket> {
  if (lines.some(unprintable)) return fail('control bytes inside the data packet');
  if (lines.length < 3) return fail(`${lines.length} line(s), a data packet has a header, a sequence line and results`);
  const header = decodeHeader(lines[0]);
  if (!header.ok) return header;
  const seq = SEQUENCE_LINE.exec(lines[1] ?? '');
  if (!seq) return fail(`"${shorten(lines[1] ?? '')}" is not a sequence number and colour line`);
  const results: AnalyteLine[] = [];
  for (let i = 2; i < lines.length; i++) {
    const m = ANALYTE_LINE.exec(lines[i] ?? '');
    if (!m) return fail(`line ${i + 1} ("${shorten(lines[i] ?? '')}") is not an analyte line`);
    results.push({ code: m[1] ?? '', value: m[3] ?? '', abnormal: m[2] === '*' });
  }
  return { ok: true, value: { ...header.value, sequence: seq[1] ?? '', colour: seq[2] ?? '', results } };
}

/** Is this header the Clinitek 50's? */
export function isClinitek50(header: PacketHeader): boolean {
  return header.product === PRODUCT_ID;
}

function shorten(text: string, max = 30): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
