import type { AuditEntry } from '../../shared/api/model.ts';
import { UNITS } from '../../shared/units.ts';
import { catalogKeyOf, SHORT_NAMES, tidyPrinted } from './observations.ts';
import { mrnText, REJECT_REASON_TEXT } from './words.ts';

/** What the audit screen knows beside the rows: names for the MRNs and device keys it has seen. */
export interface AuditLookup {
  readonly patientName?: (mrn: string) => string | undefined;
  readonly deviceLabel?: (key: string) => string | undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * One value of an audit row (`59408-5 97 %`, written by code so the log stands without the
 * catalog) in the screen's words: `SpO₂ 97 %`; `[pH]` is dropped after pH, UCUM units shown as
 * people write them.
 */
export function auditValueText(entry: string): string {
  const m = /^(\S+) (.*)$/.exec(entry);
  if (!m) return entry;
  const [, code = '', rest = ''] = m;
  const key = catalogKeyOf(code);
  const name = key === undefined ? code : SHORT_NAMES[key];
  const q = /^([<>]=?)?(-?[\d.]+) (\S+)$/.exec(rest);
  if (q && Object.hasOwn(UNITS, q[3] ?? '')) {
    const unit = UNITS[q[3] as keyof typeof UNITS].display;
    const shown = unit === '' || unit.toLowerCase() === name.toLowerCase() ? '' : ` ${unit}`;
    return `${name} ${q[1] ?? ''}${q[2] ?? ''}${shown}`;
  }
  const printed = tidyPrinted(rest);
  return `${name} ${printed.value}${printed.unit ? ` ${printed.unit}` : ''}`;
}

/**
 * A stored one-line value (`8480-6 142 mm[Hg]` by code, or `Systolic blood pressure 142 mm[Hg]`
 * by display name, as the outbox keeps them) in people's words: catalog short name for a code,
 * the unit as written (`mmHg`), no unit repeating the name (`pH … 7.5`, never `7.5 pH`).
 */
export function storedValueText(entry: string): string {
  const byCode = /^(\S+) /.exec(entry);
  if (byCode && catalogKeyOf(byCode[1]) !== undefined) return auditValueText(entry);
  const m = /^(.*\S) ([<>]=?)?(-?[\d.]+) (\S+)$/.exec(entry);
  if (!m || !Object.hasOwn(UNITS, m[4] ?? '')) return entry;
  const [, name = '', comparator = '', value = ''] = m;
  const unit = UNITS[m[4] as keyof typeof UNITS].display;
  const repeats = unit === '' || name.split(' ')[0]?.toLowerCase() === unit.toLowerCase();
  return `${name} ${comparator}${value}${repeats ? '' : ` ${unit}`}`;
}

function valuesText(v: unknown): string {
  if (!Array.isArray(v)) return 'a reading';
  const parts = v.filter((x): x is string => typeof x === 'string').map(auditValueText);
  return parts.length > 0 ? parts.join(', ') : 'a reading';
}

/**
 * One audit row as a sentence for people ("Ana Lee confirmed SpO₂ 97 % for MRN-20418 (Jane
 * Doe)"). The row's code stays on screen beside it; an action this screen does not know yet
 * still reads as words, built from its code.
 */
export function auditSentence(row: AuditEntry, lookup: AuditLookup = {}): string {
  const d = row.details;
  const who = row.operator ?? 'The hub';
  const patient = (mrn: unknown): string => {
    const m = str(mrn);
    if (m === undefined) return 'no patient';
    const name = lookup.patientName?.(m);
    return name ? `${mrnText(m)} (${name})` : mrnText(m);
  };
  const device = (key: unknown): string => {
    const k = str(key);
    return k === undefined ? 'a device' : (lookup.deviceLabel?.(k) ?? k);
  };
  switch (row.action) {
    case 'operator.sign-in':
      return `${str(d.name) ?? who} signed in${str(d.role) ? ` as ${str(d.role)}` : ''}.`;
    case 'operator.sign-out': {
      const reason = str(d.reason);
      const kept = num(d.pendingKeptWithPatient) ?? 0;
      return `${who} signed out${reason && reason !== 'signed out' ? ` (${reason})` : ''}${kept > 0 ? `; ${plural(kept, 'pending reading')} stay with ${patient(d.patient)}` : ''}.`;
    }
    case 'operator.sign-in-failed': {
      const reason = str(d.reason);
      const why = reason === 'locked' ? 'the badge is locked' : reason === 'wrong-pin' ? 'wrong PIN' : reason === 'unknown-badge' ? 'unknown badge' : reason === 'inactive' ? 'the operator is inactive' : (reason ?? 'refused');
      return `Sign-in refused for badge ${row.subject ?? '?'}: ${why}${d.locked === true ? '; the badge is now locked' : ''}.`;
    }
    case 'operator.add':
      return `${who} added operator ${str(d.name) ?? row.subject ?? ''}${str(d.role) ? ` (${str(d.role)})` : ''}.`;
    case 'patient.select': {
      const kept = num(d.previousPending) ?? 0;
      const what = d.pendingAction === 'unassign' ? 'returned to unassigned' : 'kept with that patient';
      const extra = kept > 0 ? `; ${plural(kept, 'pending reading')} of ${patient(d.previous)} ${what}` : '';
      return `${who} selected ${d.newPatient === true ? 'new patient' : 'patient'} ${patient(row.subject)}${extra}.`;
    }
    case 'patient.clear':
      return `${who} finished with patient ${patient(row.subject)}.`;
    case 'reading.arrived':
      return `A reading arrived from ${device(d.device)}: ${valuesText(d.values)}${str(d.assignedTo) ? `, for ${patient(d.assignedTo)}` : ', unassigned'}.`;
    case 'reading.qc':
      return `A control result arrived from ${device(d.device)}: ${valuesText(d.values)}.`;
    case 'reading.assign':
      return `${who} assigned a reading from ${device(d.device)} to ${patient(d.mrn)}.`;
    case 'reading.unassign':
      return `${who} returned a reading of ${patient(d.from)} to unassigned.`;
    case 'reading.confirm':
      return `${who} confirmed ${valuesText(d.values)} for ${patient(d.mrn)}${str(d.batch) ? ` (all of ${device(d.batch)})` : ''}.`;
    case 'reading.reject': {
      const reason = str(d.reason);
      const because = reason !== undefined && Object.hasOwn(REJECT_REASON_TEXT, reason) ? REJECT_REASON_TEXT[reason as keyof typeof REJECT_REASON_TEXT].replace(/ \(.*\)$/, '') : reason;
      return `${who} rejected ${valuesText(d.values)}${str(d.mrn) ? ` for ${patient(d.mrn)}` : ''}: ${because?.toLowerCase() ?? 'no reason'}${str(d.note) ? ` ("${str(d.note)}")` : ''}.`;
    }
    case 'reading.manual':
      return `${who} entered ${auditValueText(`${str(d.code) ?? '?'} ${String(d.value)} ${str(d.unit) ?? ''}`.trim())} by hand for ${patient(d.mrn)}${str(d.replaces) ? ', replacing a rejected reading' : ''}.`;
    case 'capture':
      return d.captured === true ? `${who} captured the values of ${device(row.subject)}.` : `${who} pressed Capture on ${device(row.subject)}; it had no valid values.`;
    case 'export.retry':
      return `${who} asked to send ${plural(num(d.count) ?? 0, 'export')} again.`;
    case 'export.requeue':
      return `${who} rebuilt ${plural(num(d.count) ?? 0, 'export')} and queued them again.`;
    case 'export.backfill':
      return `${who} queued ${plural(num(d.count) ?? 0, 'earlier reading')} for ${row.subject ?? 'a target'}.`;
    case 'export.target-add':
      return `${who} added export target ${row.subject ?? ''}.`;
    case 'export.target-change':
      return `${who} changed export target ${row.subject ?? ''}.`;
    case 'config.import':
      return `${who} imported a workstation configuration${row.subject ? ` from ${row.subject}` : ''}.`;
    case 'config.follow.subscribed':
      return `${who} set this workstation to follow the central configuration at ${str(d.url) ?? row.subject ?? ''}.`;
    case 'config.follow.unsubscribed':
      return `${who} stopped following the central configuration at ${str(d.url) ?? row.subject ?? ''}.`;
    case 'config.follow.applied':
      return `The central configuration from ${str(d.url) ?? row.subject ?? ''} was applied (version ${(str(d.sha256) ?? '').slice(0, 12)}).`;
    case 'config.follow.refused':
      return `A central configuration from ${str(d.url) ?? row.subject ?? ''} was refused: ${str(d.reason) ?? 'no reason given'}. The last good configuration stays.`;
    case 'port.add':
      return `${who} added port ${str(d.path) ?? row.subject ?? ''}.`;
    case 'port.assign':
      return `${who} set the driver of port ${row.subject ?? ''}.`;
    case 'port.unassign':
      return `${who} removed the driver from port ${row.subject ?? ''}.`;
    case 'port.remove':
      return `${who} removed port ${str(d.path) ?? row.subject ?? ''}.`;
    case 'simulator.start':
      return `${who} started a simulator of ${str(d.driverId) ?? 'a device'}${str(d.scenario) ? ` (${str(d.scenario)})` : ''}.`;
    case 'simulator.stop':
      return `${who} stopped simulator ${row.subject ?? ''}.`;
    case 'session.lock':
      return `The screen of ${who} locked after ${plural(Math.round((num(d.idleSeconds) ?? 0) / 60), 'minute')} without activity.`;
    case 'session.unlock':
      return `${who} unlocked the screen${d.by === 'badge' ? ' with a badge scan' : ' with the PIN'}.`;
    case 'operator.switch':
      return `${str(d.name) ?? who} took over the locked screen of ${str(d.fromName) ?? 'another operator'}${str(d.patientCleared) ? `; patient ${patient(d.patientCleared)} was deselected` : ''}.`;
    case 'patient.create-local':
      return `${who} added local patient ${patient(row.subject)} (not verified against the EHR).`;
    case 'patient.add-name':
      return `${who} added a name to patient ${patient(row.subject)}, confirmed by the date of birth.`;
    case 'reading.import':
      return `${who} imported a result from ${device(d.device)}'s memory for ${patient(d.mrn)} (measured ${plural(num(d.ageMinutes) ?? 0, 'minute')} before${d.acknowledgedOld === true ? ', its age acknowledged' : ''}).`;
    case 'reading.accept-proposal':
      return `${who} accepted ${device(d.device)}'s proposal: sample ${str(d.sampleId) ?? '?'} is ${patient(d.mrn)}.`;
    case 'port.role':
      return `${who} set the role of port ${row.subject ?? ''} to ${str(d.after) ?? '?'}.`;
    case 'qc.lot-add':
      return `${who} added control lot ${str(d.lotNumber) ?? row.subject ?? ''}.`;
    case 'qc.lot-change':
      return `${who} changed control lot ${str(d.lotNumber) ?? row.subject ?? ''}.`;
    case 'qc.lot-retire':
      return `${who} retired control lot ${str(d.lotNumber) ?? row.subject ?? ''}.`;
    case 'qc.pass':
    case 'qc.fail':
      return `A control on ${device(d.device)} ${row.action === 'qc.pass' ? 'passed' : 'FAILED'}: lot ${str(d.lot) ?? '?'} level ${str(d.level) ?? '?'}, ${String(d.value)} ${str(d.unit) ?? ''} (expected ${String(d.low)}–${String(d.high)})${str(d.reason) ? `, ${str(d.reason)}` : ''}.`;
    case 'qc.interval':
      return d.intervalHours === null ? `${who} removed the QC interval of ${device(row.subject)}.` : `${who} set the QC interval of ${device(row.subject)} to every ${String(d.intervalHours)} h.`;
    default:
      return `${who}: ${row.action.replace(/[.\-_]/g, ' ')}${row.subject ? ` (${row.subject})` : ''}.`;
  }
}
