import { Hl7Message, type Hl7Field, type Hl7Segment } from '@medplum/core';
import { INPUT_LIMITS } from '../../../shared/api/input-limits.ts';
import type { PatientIdentifierSchema } from '../../../shared/patients/patient-sources.ts';
import type { z } from 'zod';
import { unescapeHl7 } from '../../export/hl7/escape.ts';
import { birthDateOf, instantOf } from './hl7-values.ts';

/** The ADT events the hub applies (docs/adt-inbound.md). */
export const ADT_EVENTS = ['A01', 'A03', 'A04', 'A08', 'A11', 'A40'] as const;
export type AdtEvent = (typeof ADT_EVENTS)[number];

/** What the ACK needs from the MSH, and who sent the message. */
export interface AdtHeader {
  /** `MSH-3^MSH-4`, first component of each: the key of duplicate detection with MSH-10. */
  sender: string;
  controlId: string;
  /** MSH-9.2 (or EVN-1 when MSH-9 has none), as sent. */
  event: string;
  messageType: string;
  sendingApplication: string;
  sendingFacility: string;
  receivingApplication: string;
  receivingFacility: string;
  processingId: string;
  version: string;
  /** MSH-7 as ISO 8601, when valid. */
  sentAt?: string;
}

/** A patient as a PID segment gives them. */
export interface AdtPatient {
  mrn: string;
  identifiers: z.infer<typeof PatientIdentifierSchema>[];
  /** "Family, Given Middle": how the hub shows names. */
  name?: string;
  birthDate?: string;
  sex?: 'male' | 'female' | 'other' | 'unknown';
}

/** What PV1 (and EVN/MSH for the time) say of the visit. */
export interface AdtVisit {
  visitNumber?: string;
  location?: string;
  room?: string;
  start?: string;
}

/** HL7 table 0357 codes the hub uses in ERR-3. */
export type Hl7ErrorCode = '100' | '101' | '102' | '200' | '201' | '207';

/**
 * A message the hub answers without applying: AE (malformed) or AR (not supported / not allowed).
 * `reason` names the field, never its value: it is logged, and a value may be patient data.
 */
export interface AdtRefusal {
  ok: false;
  header?: AdtHeader;
  code: 'AE' | 'AR';
  reason: string;
  error: Hl7ErrorCode;
  /** ERR-2, e.g. `PID^1^7`. */
  location?: string;
}

/** A message the hub can apply. */
export type AdtContent =
  | { ok: true; header: AdtHeader; event: Exclude<AdtEvent, 'A40'>; patient: AdtPatient; visit: AdtVisit }
  | { ok: true; header: AdtHeader; event: 'A40'; merges: { patient: AdtPatient; prior: string }[] };

class Malformed extends Error {
  constructor(
    message: string,
    readonly error: Hl7ErrorCode,
    readonly location?: string,
  ) {
    super(message);
  }
}

/** A field's text, unescaped (Medplum's getters do not decode escapes, docs/export.md §10). */
function text(segment: Hl7Segment | undefined, field: number, component = 1, repetition = 0): string {
  const f: Hl7Field | undefined = segment?.getField(field);
  if (f === undefined) return '';
  return unescapeHl7(f.getComponent(component, undefined, repetition) ?? '').trim();
}

function repetitions(segment: Hl7Segment, field: number): number {
  return segment.getField(field)?.components.length ?? 0;
}

function header(msg: Hl7Message): AdtHeader {
  const msh = msg.header;
  const app = text(msh, 3);
  const facility = text(msh, 4);
  const sentAt = instantOf(text(msh, 7));
  return {
    sender: `${app}^${facility}`,
    controlId: text(msh, 10),
    event: text(msh, 9, 2) || text(msg.getSegment('EVN'), 1),
    messageType: text(msh, 9, 1),
    sendingApplication: app,
    sendingFacility: facility,
    receivingApplication: text(msh, 5),
    receivingFacility: text(msh, 6),
    processingId: text(msh, 11) || 'P',
    version: text(msh, 12) || '2.5.1',
    ...(sentAt === undefined ? {} : { sentAt }),
  };
}

/** PID-3 (or MRG-1): every repetition kept; the MRN is the one typed MR, else the first. */
function identifiersOf(segment: Hl7Segment, where: 'PID' | 'MRG'): { mrn: string; identifiers: AdtPatient['identifiers'] } {
  const identifiers: AdtPatient['identifiers'] = [];
  const n = where === 'PID' ? 3 : 1;
  let typedMr: string | undefined;
  for (let i = 0; i < repetitions(segment, n); i++) {
    const value = text(segment, n, 1, i);
    // An empty MR repetition is a missing MRN, never a reason to take another identifier for it.
    if (text(segment, n, 5, i).toUpperCase() === 'MR') typedMr ??= value;
    if (value === '') continue;
    const authority = segment.getField(n)?.components[i]?.[3] ?? '';
    const system = unescapeHl7(authority.split(segment.context.subcomponentSeparator).find((s) => s.trim() !== '') ?? '').trim();
    identifiers.push({ value, ...(system === '' ? {} : { system }) });
  }
  const mrn = typedMr ?? identifiers[0]?.value;
  if (mrn === undefined || mrn === '') throw new Malformed(`no patient identifier (no MRN in ${where}-${n})`, '101', `${where}^1^${n}`);
  if (mrn.length > INPUT_LIMITS.mrn) throw new Malformed(`the MRN in ${where}-${n} is longer than ${INPUT_LIMITS.mrn} characters`, '102', `${where}^1^${n}`);
  return { mrn, identifiers };
}

/** PID-5: the legal name (type L) or the first, as "Family, Given Middle Suffix". */
function nameOf(pid: Hl7Segment): string | undefined {
  const count = repetitions(pid, 5);
  let rep = 0;
  for (let i = 0; i < count; i++) if (text(pid, 5, 7, i).toUpperCase() === 'L') rep = i;
  const family = text(pid, 5, 1, rep).split(pid.context.subcomponentSeparator)[0]?.trim() ?? '';
  const rest = [2, 3, 4].map((c) => text(pid, 5, c, rep)).filter((s) => s !== '').join(' ');
  const name = family === '' ? rest : rest === '' ? family : `${family}, ${rest}`;
  if (name.length > INPUT_LIMITS.patientName) throw new Malformed(`the name in PID-5 is longer than ${INPUT_LIMITS.patientName} characters`, '102', 'PID^1^5');
  return name === '' ? undefined : name;
}

const SEX: Readonly<Record<string, AdtPatient['sex']>> = { M: 'male', F: 'female', O: 'other', A: 'other', U: 'unknown', N: 'unknown' };

function patientOf(pid: Hl7Segment | undefined): AdtPatient {
  if (pid === undefined) throw new Malformed('no PID segment', '100', 'PID');
  const { mrn, identifiers } = identifiersOf(pid, 'PID');
  const name = nameOf(pid);
  const dob = text(pid, 7);
  const birthDate = dob === '' ? undefined : birthDateOf(dob);
  if (dob !== '' && birthDate === undefined) throw new Malformed('PID-7 (date of birth) is not a date (YYYYMMDD)', '102', 'PID^1^7');
  // The second identifier selection checks (docs/architecture.md §8 rule 2): one must be there.
  if (name === undefined && birthDate === undefined) throw new Malformed('PID-5 (name) and PID-7 (date of birth) are both empty: one is needed', '101', 'PID^1^5');
  // A code outside table 0001 is left out rather than refused: sex is not an identifier here.
  const sex = SEX[text(pid, 8).toUpperCase()];
  return { mrn, identifiers, ...(name === undefined ? {} : { name }), ...(birthDate === undefined ? {} : { birthDate }), ...(sex === undefined ? {} : { sex }) };
}

/** PV1-19 visit number, PV1-3 point of care^room, and the start: PV1-44, else EVN-2, else MSH-7. */
function visitOf(msg: Hl7Message, head: AdtHeader): AdtVisit {
  const pv1 = msg.getSegment('PV1');
  const candidates: [string, string][] = [
    [text(pv1, 44), 'PV1^1^44'],
    [text(msg.getSegment('EVN'), 2), 'EVN^1^2'],
  ];
  let start = head.sentAt;
  for (const [value, where] of candidates) {
    if (value === '') continue;
    start = instantOf(value);
    if (start === undefined) throw new Malformed(`${where.replace(/\^1\^/, '-')} is not a date and time (YYYYMMDDHHMM[SS][+ZZZZ])`, '102', where);
    break;
  }
  const visitNumber = text(pv1, 19);
  const location = text(pv1, 3, 1);
  const room = text(pv1, 3, 2);
  return {
    ...(visitNumber === '' ? {} : { visitNumber: visitNumber.slice(0, 100) }),
    ...(location === '' ? {} : { location: location.slice(0, 200) }),
    ...(room === '' ? {} : { room: room.slice(0, 100) }),
    ...(start === undefined ? {} : { start }),
  };
}

/** A40: each PID (surviving) with the MRG (prior identifiers) that follows it. */
function mergesOf(msg: Hl7Message): { patient: AdtPatient; prior: string }[] {
  const merges: { patient: AdtPatient; prior: string }[] = [];
  let patient: AdtPatient | undefined;
  for (const segment of msg.segments) {
    if (segment.name === 'PID') patient = patientOf(segment);
    if (segment.name !== 'MRG') continue;
    if (patient === undefined) throw new Malformed('an MRG segment without the PID of the surviving patient before it', '100', 'MRG');
    const prior = identifiersOf(segment, 'MRG').mrn;
    if (prior === patient.mrn) throw new Malformed(`MRG-1 names the surviving MRN ${prior} itself`, '102', 'MRG^1^1');
    merges.push({ patient, prior });
    patient = undefined;
  }
  if (merges.length === 0) throw new Malformed(msg.getSegment('PID') === undefined ? 'no PID segment' : 'no MRG segment (the prior patient of the merge)', '100', 'MRG');
  return merges;
}

/**
 * Read an inbound ADT message: what to apply, or why it is refused — AE for a malformed message
 * (the reason goes to MSA-3 and ERR), AR for a message type or event the hub does not take.
 */
export function readAdtMessage(raw: string): AdtContent | AdtRefusal {
  let msg: Hl7Message;
  try {
    if (!raw.startsWith('MSH')) throw new Error('not MSH');
    msg = Hl7Message.parse(raw.replace(/\r\n|\n/g, '\r'));
  } catch {
    return { ok: false, code: 'AE', reason: 'not an HL7 v2 message (it must start with an MSH segment)', error: '100', location: 'MSH' };
  }
  const head = header(msg);
  if (head.controlId === '') return { ok: false, header: head, code: 'AE', reason: 'MSH-10 (message control id) is empty', error: '101', location: 'MSH^1^10' };
  // Not remembered: a control id this long is not one (v2.5.1 allows 20 characters; some engines use more).
  if (head.controlId.length > 199 || head.sender.length > 400) return { ok: false, code: 'AE', reason: 'MSH-10 or MSH-3/MSH-4 is far too long', error: '102', location: 'MSH^1^10' };
  if (head.messageType !== 'ADT') return { ok: false, header: head, code: 'AR', reason: `message type ${head.messageType || '(none)'} is not accepted here: only ADT`, error: '200', location: 'MSH^1^9' };
  const event = ADT_EVENTS.find((e) => e === head.event);
  if (event === undefined) return { ok: false, header: head, code: 'AR', reason: `event ${head.event || '(none)'} is not supported (only ${ADT_EVENTS.join(', ')})`, error: '201', location: 'MSH^1^9' };
  try {
    if (event === 'A40') return { ok: true, header: head, event, merges: mergesOf(msg) };
    return { ok: true, header: head, event, patient: patientOf(msg.getSegment('PID')), visit: visitOf(msg, head) };
  } catch (e) {
    if (!(e instanceof Malformed)) throw e;
    return { ok: false, header: head, code: 'AE', reason: e.message, error: e.error, ...(e.location === undefined ? {} : { location: e.location }) };
  }
}
