import { Hl7Message, type Hl7Segment } from '@medplum/core';
import { entriesForLoinc, type CatalogEntry } from '../../../shared/catalog.ts';
import type { Hl7Profile } from '../../../shared/export/targets.ts';
import { exportContentError } from '../exporter.ts';
import { HL7_VERSION } from './build-oru.ts';
import { unescapeHl7 } from './escape.ts';
import { mdcUnitFor } from './mdc-units.ts';

/**
 * The content gate: the built message is parsed back with a third-party parser (Medplum) and
 * checked the way a strict receiver would, before anything is sent. A message that fails here
 * would only earn an AE, so it is dead on arrival: better to say why now, in our words.
 */

const NM = /^[+-]?\d+(\.\d+)?$/;
const CONTROL_ID = /^[A-Z0-9]{1,20}$/;
const VALUE_TYPES = new Set(['NM', 'SN', 'CWE', 'ST']);

/** Component `c` of field `f`, unescaped (Medplum hands back the escaped text). */
function comp(seg: Hl7Segment, f: number, c = 1): string {
  return unescapeHl7(seg.getField(f)?.getComponent(c) ?? '');
}

/** Field `f` as sent (escaped); Medplum returns undefined for a field past the end of the segment. */
function raw(seg: Hl7Segment, f: number): string {
  return seg.getField(f)?.toString() ?? '';
}

/** The coding triplets of a CWE field: (code, system) for the identifier and the alternate identifier. */
function codings(seg: Hl7Segment, f: number): Array<{ code: string; system: string }> {
  return [
    { code: comp(seg, f, 1), system: comp(seg, f, 3) },
    { code: comp(seg, f, 4), system: comp(seg, f, 6) },
  ].filter((c) => c.code !== '' || c.system !== '');
}

function checkHeader(msg: Hl7Message, profile: Hl7Profile, controlId: string, issues: string[]): void {
  const msh = msg.getSegment('MSH');
  if (msh === undefined) {
    issues.push('MSH segment missing');
    return;
  }
  if (raw(msh, 9) !== 'ORU^R01^ORU_R01') issues.push(`MSH-9 is "${raw(msh, 9)}", not ORU^R01^ORU_R01`);
  const id = comp(msh, 10);
  if (!CONTROL_ID.test(id)) issues.push(`MSH-10 control id "${id}" is not 1–20 characters of A–Z and 0–9`);
  if (id !== controlId) issues.push(`MSH-10 is "${id}", not the outbox row's control id "${controlId}"`);
  if (comp(msh, 12) !== HL7_VERSION[profile]) issues.push(`MSH-12 is "${comp(msh, 12)}", not ${HL7_VERSION[profile]}`);
  const pid = msg.getSegment('PID');
  if (pid === undefined || comp(pid, 3, 1).trim() === '') issues.push('PID-3 (the patient MRN) is missing');
  const obr = msg.getSegment('OBR');
  if (obr === undefined || comp(obr, 4, 1) === '') issues.push('OBR-4 (universal service id) is missing');
}

/** Which catalog entry an OBX names, checking the MDC code (PCD-01) agrees with the LOINC. */
function catalogEntry(obx: Hl7Segment, where: string, profile: Hl7Profile, issues: string[]): CatalogEntry | undefined {
  const ids = codings(obx, 3);
  const loinc = ids.find((c) => c.system === 'LN')?.code;
  const mdc = ids.find((c) => c.system === 'MDC')?.code;
  if (loinc === undefined) {
    if (ids.some((c) => c.system === 'L') && comp(obx, 2) === 'ST') return undefined; // an unmapped result, sent as text
    issues.push(`${where}: OBX-3 has no LOINC code`);
    return undefined;
  }
  const entries = entriesForLoinc(loinc);
  if (entries.length === 0) {
    issues.push(`${where}: LOINC ${loinc} is not in the catalog`);
    return undefined;
  }
  if (mdc !== undefined) {
    const entry = entries.find((e) => String(e.mdc?.code) === mdc && e.mdc?.refId === comp(obx, 3, 2));
    if (entry === undefined) issues.push(`${where}: MDC ${mdc} ${comp(obx, 3, 2)} does not belong to LOINC ${loinc}`);
    return entry;
  }
  if (profile === 'pcd-01' && entries.every((e) => e.mdc !== undefined)) issues.push(`${where}: LOINC ${loinc} has an MDC code, which PCD-01 puts in OBX-3`);
  return entries[0];
}

function checkUnits(obx: Hl7Segment, where: string, entry: CatalogEntry | undefined, issues: string[]): void {
  const units = codings(obx, 6);
  const ucum = units.find((c) => c.system === 'UCUM')?.code;
  if (ucum === undefined) {
    issues.push(`${where}: OBX-6 has no UCUM unit`);
    return;
  }
  if (entry !== undefined && !(entry.units as readonly string[]).includes(ucum)) {
    issues.push(`${where}: unit ${ucum} is not allowed for LOINC ${entry.loinc} (allowed: ${entry.units.join(', ') || 'none'})`);
  }
  const mdc = units.find((c) => c.system === 'MDC')?.code;
  if (mdc !== undefined && String(mdcUnitFor(ucum, entry?.mdc?.code)?.code) !== mdc) issues.push(`${where}: MDC unit ${mdc} is not ${ucum}`);
}

function checkObx(obx: Hl7Segment, profile: Hl7Profile, issues: string[]): void {
  const where = `OBX ${comp(obx, 1)}`;
  const status = comp(obx, 11);
  if (status === 'X') return; // a PCD-01 device row: describes the device, carries no value
  if (status !== 'F') issues.push(`${where}: OBX-11 is "${status}", not F`);
  const type = comp(obx, 2);
  if (!VALUE_TYPES.has(type)) issues.push(`${where}: OBX-2 value type "${type}" is not NM, SN, CWE or ST`);
  if (raw(obx, 5) === '') issues.push(`${where}: OBX-5 (the value) is empty`);
  const entry = catalogEntry(obx, where, profile, issues);
  const scale = entry?.scale;
  if (type === 'NM' || type === 'SN') {
    const number = type === 'NM' ? comp(obx, 5) : comp(obx, 5, 2);
    if (!NM.test(number)) issues.push(`${where}: "${number}" is not an HL7 number`);
    if (type === 'SN' && !['<', '>', '<=', '>='].includes(comp(obx, 5, 1))) issues.push(`${where}: SN comparator "${comp(obx, 5, 1)}" is not <, >, <= or >=`);
    checkUnits(obx, where, entry, issues);
    if (scale !== undefined && scale !== 'Qn') issues.push(`${where}: a number under a ${scale} code (LOINC ${entry?.loinc})`);
  } else if (type === 'CWE') {
    if (comp(obx, 5, 3) !== 'SCT' || comp(obx, 5, 1) === '') issues.push(`${where}: a coded value needs a SNOMED CT code`);
    if (scale !== undefined && scale !== 'Ord') issues.push(`${where}: a coded value under a ${scale} code (LOINC ${entry?.loinc})`);
  } else if (type === 'ST' && scale === 'Qn') {
    issues.push(`${where}: text under a quantitative code (LOINC ${entry?.loinc})`);
  }
  checkSite(obx, where, issues);
}

/** OBX-20, when present: a coded site names its code system, or it is original text alone. */
function checkSite(obx: Hl7Segment, where: string, issues: string[]): void {
  if (raw(obx, 20) === '') return;
  const code = comp(obx, 20, 1);
  const system = comp(obx, 20, 3);
  if (code === '' ? comp(obx, 20, 9) === '' : system === '') issues.push(`${where}: OBX-20 (observation site) has a code without its system, or neither code nor text`);
}

/** Every problem a strict receiver would find in `text`; empty when it may be sent. */
function contentIssues(text: string, profile: Hl7Profile, controlId: string): string[] {
  const issues: string[] = [];
  let msg: Hl7Message;
  try {
    msg = Hl7Message.parse(text);
  } catch (err) {
    return [`the message does not parse: ${err instanceof Error ? err.message : String(err)}`];
  }
  checkHeader(msg, profile, controlId, issues);
  const obx = msg.getAllSegments('OBX');
  if (!obx.some((s) => comp(s, 11) === 'F')) issues.push('the message has no result (no OBX with status F)');
  for (const s of obx) checkObx(s, profile, issues);
  return issues;
}

/** @throws HubError EXPORT_CONTENT listing every issue, when the message must not be sent. */
export function assertSendable(text: string, profile: Hl7Profile, controlId: string): void {
  const issues = contentIssues(text, profile, controlId);
  if (issues.length > 0) throw exportContentError(`the HL7 message for this reading cannot be sent`, issues);
}
