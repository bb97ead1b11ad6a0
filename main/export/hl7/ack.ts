import { Hl7Message, type Hl7Segment } from '@medplum/core';
import { z } from 'zod';
import { unescapeHl7 } from './escape.ts';

/**
 * Reading the receiver's acknowledgement. What a receiver sends is untrusted: anything that is
 * not a recognisable ACK is reported as `undefined` and the client keeps waiting (a stray frame
 * must not be taken for an answer).
 */

/** Table 0008: original mode (AA/AE/AR) and enhanced-mode commit acks (CA/CE/CR). */
const AckCodeSchema = z.enum(['AA', 'AE', 'AR', 'CA', 'CE', 'CR']);
export type AckCode = z.infer<typeof AckCodeSchema>;

export interface Ack {
  readonly code: AckCode;
  /** MSA-2: the MSH-10 of the message this answers. */
  readonly controlId: string;
  /** What the receiver said (MSA-3 and the ERR segments), unescaped, for a person to read. */
  readonly text: string;
  /** The ACK as received, segments on their own lines (kept with the attempt). */
  readonly raw: string;
}

/** Field `n` as text; Medplum returns undefined for a field past the end of the segment. */
function field(seg: Hl7Segment, n: number): string {
  return seg.getField(n)?.toString() ?? '';
}

function component(seg: Hl7Segment, n: number, c: number): string {
  return seg.getField(n)?.getComponent(c) ?? '';
}

/** ERR-3 (code^text^table), ERR-7 diagnostics, ERR-8 user message: the parts worth showing. */
function errText(message: Hl7Message): string[] {
  return message.getAllSegments('ERR').map((err) => {
    const code = unescapeHl7(component(err, 3, 1));
    const parts = [unescapeHl7(component(err, 3, 2)), unescapeHl7(field(err, 8)), unescapeHl7(field(err, 7))];
    const text = [...new Set(parts.filter((p) => p.trim() !== ''))].join(' — ');
    return code === '' ? text : `${code} ${text}`.trim();
  });
}

export function parseAck(text: string): Ack | undefined {
  try {
    return readAck(Hl7Message.parse(text), text);
  } catch {
    return undefined; // not an HL7 message at all: treated like any other stray frame
  }
}

function readAck(message: Hl7Message, text: string): Ack | undefined {
  const msa = message.getSegment('MSA');
  if (msa === undefined) return undefined;
  const code = AckCodeSchema.safeParse(field(msa, 1).trim().toUpperCase());
  if (!code.success) return undefined;
  const said = [unescapeHl7(field(msa, 3)), ...errText(message)].filter((s) => s.trim() !== '');
  return {
    code: code.data,
    controlId: unescapeHl7(field(msa, 2)),
    text: said.join('; '),
    raw: text.replace(/\r\n?|\n/g, '\n').trimEnd(),
  };
}
