import { escapeHl7 } from '../../export/hl7/escape.ts';
import { hl7Now } from '../../export/hl7/hl7-time.ts';
import { mintControlId } from '../../store/control-id.ts';
import type { AdtAckCode } from '../../store/adt-messages-repo.ts';
import type { AdtHeader, Hl7ErrorCode } from './adt-message.ts';

/** What the hub answers one message. */
export interface AdtAnswer {
  code: AdtAckCode;
  /** MSA-3 and ERR-8: why, for AE and AR. */
  text?: string;
  /** ERR-3 (HL7 table 0357) and ERR-2 for AE and AR. */
  error?: Hl7ErrorCode;
  location?: string;
}

const ERROR_TEXT: Readonly<Record<Hl7ErrorCode, string>> = {
  '100': 'Segment sequence error',
  '101': 'Required field missing',
  '102': 'Data type error',
  '200': 'Unsupported message type',
  '201': 'Unsupported event code',
  '207': 'Application internal error',
};

/**
 * The ACK for one message (v2.5.1 original mode): MSH with sender and receiver swapped, MSA with
 * the code and the message's control id, and for AE/AR the reason in MSA-3 and an ERR segment.
 * Without a readable header (not HL7 at all) MSA-2 is empty: there is nothing to refer to.
 */
export function buildAck(header: AdtHeader | undefined, answer: AdtAnswer, now: Date = new Date()): string {
  const h = header;
  const e = (s: string | undefined): string => escapeHl7(s ?? '');
  const msh = [
    'MSH',
    '^~\\&',
    e(h?.receivingApplication || 'POCHUB'),
    e(h?.receivingFacility),
    e(h?.sendingApplication),
    e(h?.sendingFacility),
    hl7Now(now),
    '',
    `ACK^${e(h?.event)}^ACK`,
    mintControlId(),
    e(h?.processingId ?? 'P'),
    e(h?.version ?? '2.5.1'),
  ].join('|');
  const msa = ['MSA', answer.code, e(h?.controlId), ...(answer.text === undefined ? [] : [e(answer.text.slice(0, 80))])].join('|');
  const segments = [msh, msa];
  if (answer.code !== 'AA') {
    const code = answer.error ?? '207';
    // ERR-2 is the hub's own `SEG^1^n`: its component separators are meant, not escaped.
    segments.push(['ERR', '', answer.location ?? '', `${code}^${ERROR_TEXT[code]}^HL70357`, 'E', '', '', '', e(answer.text)].join('|'));
  }
  return `${segments.join('\r')}\r`;
}
