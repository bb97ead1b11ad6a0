import { Hl7Message, type Hl7Segment } from '@medplum/core';
import { type Dialect, dialectOf } from './protocol.ts';

/** One OBX row in the monitor's own terms (PROTOCOL.md §3). */
export interface ObxRow {
  /** OBX-3.1: the PDS parameter id or the PCD-01 MDC code. */
  readonly id: string;
  /** OBX-3.2: the label the monitor gave it. */
  readonly label: string;
  /** OBX-2: the value type (`NM` for numbers). */
  readonly type: string;
  /** OBX-5 as sent. */
  readonly value: string;
  /** OBX-6.1: unit (PDS: usually empty; PCD-01: an MDC unit code). */
  readonly unit: string;
  /** PDS: OBX-13 is `APERIODIC` (a one-off result such as NIBP). */
  readonly aperiodic: boolean;
  /** OBX-14 as local time `YYYY-MM-DDTHH:MM:SS`, when it holds a real one. */
  readonly time?: string;
}

/** One HL7 message from a Mindray monitor. */
export interface Hl7Record {
  readonly dialect: Dialect;
  /** MSH-9 as sent, e.g. `ORU^R01` or `ORU^R01^ORU_R01`. */
  readonly messageType: string;
  /** MSH-10: PDS a message-kind code (204, 503 …), PCD-01 a control id. */
  readonly controlId: string;
  /** MSH-3 and MSH-4 as sent (escaped), echoed in the PCD-01 acknowledgement. */
  readonly sendingApp: string;
  readonly sendingFacility: string;
  /** PCD-01: the EUI-64 in MSH-3.2 (Mindray's OUI 00A037 inside), the device's identity. */
  readonly eui64?: string;
  readonly rows: readonly ObxRow[];
}

export type DecodeResult = { ok: true; record: Hl7Record } | { ok: false; reason: string };

const fail = (reason: string): DecodeResult => ({ ok: false, reason });
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Control ids and codes are short printable tokens; anything else would break the ACK we echo them in. */
const TOKEN = /^[\x21-\x7e]{1,40}$/;

const p2 = (n: number): string => String(n).padStart(2, '0');

/** HL7 DTM `yyyyMMddHHmmss[.ffff][±zzzz]` → local `YYYY-MM-DDTHH:MM:SS`, or undefined when not a real time. */
export function hl7Time(text: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d{1,4})?([+-]\d{4})?$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return `${String(y).padStart(4, '0')}-${p2(mo)}-${p2(d)}T${p2(h)}:${p2(mi)}:${p2(s)}`;
}

const field = (seg: Hl7Segment, i: number): string => seg.getField(i)?.toString() ?? '';
const comp = (seg: Hl7Segment, i: number, c: number): string => seg.getField(i)?.getComponent(c) ?? '';

function row(seg: Hl7Segment): ObxRow {
  const time = hl7Time(field(seg, 14));
  return {
    id: comp(seg, 3, 1),
    label: comp(seg, 3, 2),
    type: field(seg, 2),
    value: field(seg, 5),
    unit: comp(seg, 6, 1),
    aperiodic: field(seg, 13) === 'APERIODIC',
    ...(time ? { time } : {}),
  };
}

/**
 * One MLLP payload → a message record, or why it is not one. Parsed with Medplum's HL7 parser;
 * the dialect comes from MSH-12 (PROTOCOL.md §2). Checks what the driver relies on: valid UTF-8,
 * an MSH first, a known version, a printable control id. Never throws.
 */
export function decodeMessage(payload: Uint8Array): DecodeResult {
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    return fail('message is not valid UTF-8');
  }
  // Segments end in CR; some senders add LF. A message must start with its header.
  text = text.replace(/\r\n|\n/g, '\r');
  if (!text.startsWith('MSH|^~\\&')) return fail('message does not start with an MSH segment and the standard delimiters');
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text)) return fail('message holds control characters');
  let message: Hl7Message;
  try {
    message = Hl7Message.parse(text);
  } catch (e) {
    return fail(`HL7 parser refused it (${e instanceof Error ? e.message : String(e)})`);
  }
  const msh = message.getSegment('MSH');
  if (msh === undefined) return fail('no MSH segment');
  const version = comp(msh, 12, 1);
  const dialect = dialectOf(version);
  if (dialect === undefined) return fail(`HL7 version "${version}" is neither PDS 2.3.1 nor PCD-01 2.6`);
  const controlId = field(msh, 10);
  if (!TOKEN.test(controlId)) return fail('MSH-10 (message control id) is missing or not a short printable token');
  const sendingApp = field(msh, 3);
  const eui = comp(msh, 3, 2);
  const rows = message.getAllSegments('OBX').map(row);
  return {
    ok: true,
    record: {
      dialect,
      messageType: field(msh, 9),
      controlId,
      sendingApp,
      sendingFacility: field(msh, 4),
      ...(dialect === 'pcd01' && /^[0-9A-F]{16}$/i.test(eui) ? { eui64: eui.toUpperCase() } : {}),
      rows,
    },
  };
}
