import type { Hl7Profile, Hl7Target } from '../../../shared/export/targets.ts';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import type { PatientSex } from '../../../shared/patients/patient-sources.ts';
import { readingKey, type ExportItem } from '../exporter.ts';
import { hl7Date, hl7DateTime, hl7Now } from './hl7-time.ts';
import { obxRows, serviceFor, type ObxRow } from './obx-rows.ts';
import { mshSegment, segment, type Component, type Field } from './segment.ts';

/**
 * Builds the ORU^R01 for one confirmed reading (docs/export.md §6). The text is rendered once
 * and stored by the outbox; every retry resends it byte for byte, so MSH-7 is the render time
 * and MSH-10 the outbox row's control id, and a receiver can recognise a repeat.
 */

/** The ER7 content type the exporter reports for what it renders. */
export const HL7_CONTENT_TYPE = 'x-application/hl7-v2+er7';

const PCD01_PROFILE_ID = ['IHE_PCD_001', 'IHE PCD', '1.3.6.1.4.1.19376.1.6.1.1.1', 'ISO'] as const;
/** OBR-4 of a PCD-01 message: the order is "monitoring", the metrics are in the OBX rows. */
const PCD01_SERVICE = ['182777000', 'monitoring of patient', 'SCT'] as const;
/**
 * The device-level row's MDS code: the one docs/export.md §10 calls verified. Specialised device codes
 * (glucometer, scale) exist but are not verified here, and a wrong code is worse than a generic one.
 */
const PCD01_MDS = ['69965', 'MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS', 'MDC'] as const;

export const HL7_VERSION: Readonly<Record<Hl7Profile, string>> = { 'oru-r01-2.5.1': '2.5.1', 'pcd-01': '2.6' };

const EUI64 = /^[0-9A-F]{16}$/i;

/** PID-8, HL7 table 0001 administrative sex. */
const HL7_SEX: Readonly<Record<PatientSex, string>> = { male: 'M', female: 'F', other: 'O', unknown: 'U' };

/** OBX-18: the device's serial as an EI; an EUI-64 is marked as one, anything else is just the serial. */
function equipment(device: DeviceIdentity): readonly Component[] | undefined {
  const serial = device.serial?.trim();
  if (!serial) return undefined;
  return EUI64.test(serial) ? [serial.toUpperCase(), '', serial.toUpperCase(), 'EUI-64'] : [serial, '', device.model];
}

/** PID-5: "Family, Given" when the name has a comma; otherwise the whole name is the family name. */
function patientName(name: string | undefined): readonly Component[] | undefined {
  if (name === undefined || name.trim() === '') return undefined;
  const comma = name.indexOf(',');
  if (comma < 0) return [name.trim()];
  return [name.slice(0, comma).trim(), name.slice(comma + 1).trim()];
}

/** What the EHR should know about the reading as a whole, as notes under the OBR. */
function notes(item: ExportItem): string[] {
  const r = item.reading;
  const out = [`Device: ${item.deviceLabel}; assembled by POC Hub on ${item.workstation}`];
  if (item.manual) out.push('Entered by hand: no device performed this measurement');
  for (const flag of r.flags) out.push(`Flag: ${flag}`);
  if (r.context?.sampleId) out.push(`Device sample id: ${r.context.sampleId}`);
  if (r.context?.method) out.push(`Method: ${r.context.method}`);
  if (r.context?.operatorId) out.push(`Device operator: ${r.context.operatorId}`);
  return out;
}

function obxSegment(setId: number, row: ObxRow, shared: { time: string; observer: Field; device: Field }): string {
  return segment('OBX', [
    String(setId),
    row.valueType,
    row.identifier,
    row.subId,
    row.value,
    row.units,
    row.range,
    row.interpretation,
    undefined,
    undefined,
    'F',
    undefined,
    undefined,
    shared.time,
    undefined,
    shared.observer,
    undefined,
    shared.device,
    undefined,
    row.site,
  ]);
}

/** The ORU^R01 text for `item`, segments separated by CR (no trailing CR; MLLP adds the frame). */
export function buildOru(item: ExportItem, target: Hl7Target, now: Date): string {
  const pcd = target.profile === 'pcd-01';
  const r = item.reading;
  const effective = hl7DateTime(r.effectiveTime);
  const msh = mshSegment([
    target.sendingApplication,
    target.sendingFacility,
    target.receivingApplication,
    target.receivingFacility,
    hl7Now(now),
    undefined,
    ['ORU', 'R01', 'ORU_R01'],
    item.controlId,
    target.processingId,
    HL7_VERSION[target.profile],
    undefined,
    undefined,
    // PCD-01 asks for an accept ack (CA) and no application ack; the generic profile uses original mode.
    pcd ? 'AL' : undefined,
    pcd ? 'NE' : undefined,
    undefined,
    // Names and labels are UTF-8 (the patient's name may not be ASCII): say so.
    'UNICODE UTF-8',
    undefined,
    undefined,
    pcd ? PCD01_PROFILE_ID : undefined,
  ]);
  const pid = segment('PID', [
    '1',
    undefined,
    [item.patient.mrn, '', '', target.patientAssigningAuthority, 'MR'],
    undefined,
    patientName(item.patient.name),
    undefined,
    item.patient.birthDate === undefined ? undefined : hl7Date(item.patient.birthDate),
    item.patient.sex === undefined ? undefined : HL7_SEX[item.patient.sex],
  ]);
  // PV1-2 "O" (outpatient: point-of-care results); PV1-19 the visit number selected with the patient.
  const visitNumber = item.visit?.visitNumber;
  const pv1 = segment('PV1', visitNumber === undefined ? ['1', 'O'] : ['1', 'O', ...Array<undefined>(16), visitNumber]);
  const obr = segment('OBR', [
    '1',
    undefined,
    // OBR-3, the filler number: the reading's own id, a business key that is stable across retries,
    // written as FHIR writes it under urn:pochub:reading (lower case), so both copies match.
    [readingKey(item.readingId), target.sendingApplication],
    pcd ? PCD01_SERVICE : serviceFor(r.observations),
    undefined,
    undefined,
    effective,
    effective,
    ...Array<undefined>(16),
    'F',
  ]);
  const nte = notes(item).map((text, i) => segment('NTE', [String(i + 1), 'L', text]));

  const shared = {
    time: effective,
    observer: [item.confirmedBy.id, item.confirmedBy.name] as const,
    device: equipment(r.device),
  };
  const rows = obxRows(r.observations, target.profile);
  const obx: string[] = [];
  if (pcd) {
    // The device itself, as PCD-01 describes it: no value, status X, identified in OBX-18.
    obx.push(segment('OBX', ['1', undefined, PCD01_MDS, '1.0.0.0', ...Array<undefined>(6), 'X', undefined, undefined, effective, ...Array<undefined>(3), shared.device]));
  }
  for (const row of rows) obx.push(obxSegment(obx.length + 1, row, shared));
  return [msh, pid, pv1, obr, ...nte, ...obx].join('\r');
}
