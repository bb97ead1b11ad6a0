import type { Annotation, Bundle, BundleEntry, Observation as FhirObservation } from '@medplum/fhirtypes';
import type { Observation } from '../../../shared/observation.ts';
import { exportContentError, readingKey, type ExportItem } from '../exporter.ts';
import { isUrineMember } from './codes.ts';
import { hubDeviceEntry, meterDeviceEntry } from './device.ts';
import { READING_SYSTEM, memberUuid, urnUuid } from './ids.ts';
import { readingNotes } from './notes.ts';
import { observationEntryFor, urinePanelEntry, type ObservationContext } from './observation.ts';
import { provenanceEntry } from './provenance.ts';

interface FhirBundleOptions {
  /** The system of the EHR's patient identifier (the MRN). */
  readonly patientIdentifierSystem: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function memberKey(obs: Observation): string {
  return obs.code ?? (obs.value?.kind === 'unmapped' ? `unmapped:${obs.value.label}` : 'uncoded');
}

/**
 * One confirmed reading as one FHIR R4 `transaction` Bundle: the meter and hub Devices, the
 * Observation(s) and a Provenance, each a conditional create, so the same bundle can be sent any
 * number of times and the EHR holds each resource once (docs/export.md §2 rule 4, §5). Pure: the same item
 * always gives the same bundle, which is what lets the outbox store and resend it byte for byte.
 * @throws HubError EXPORT_CONTENT when the reading has nothing to export or no usable identity.
 */
export function buildFhirBundle(item: ExportItem, opts: FhirBundleOptions): Bundle {
  const { reading } = item;
  if (!UUID.test(item.readingId)) throw exportContentError('The reading id is not a UUID', [item.readingId]);
  if (reading.observations.length === 0) throw exportContentError('The reading has no observations to export');

  const meter = item.manual ? undefined : meterDeviceEntry(reading.device);
  const hub = hubDeviceEntry(item.workstation);
  // The key that matches this reading's FHIR and HL7 copies (OBR-3 carries the same text).
  const readingIdentifier = { system: READING_SYSTEM, value: readingKey(item.readingId) };
  const ctx: ObservationContext = {
    reading: readingIdentifier,
    // A literal reference when the EHR gave its Patient id; else the MRN as a logical reference.
    subject:
      item.patient.fhirId === undefined
        ? { identifier: { system: opts.patientIdentifierSystem, value: item.patient.mrn } }
        : { reference: `Patient/${item.patient.fhirId}` },
    ...(item.visit?.encounterId === undefined ? {} : { encounter: { reference: `Encounter/${item.visit.encounterId}` } }),
    effectiveDateTime: reading.effectiveTime,
    issued: item.confirmedAt,
    ...(meter?.fullUrl ? { device: { reference: meter.fullUrl, display: item.deviceLabel } } : {}),
    ...(reading.context?.method ? { method: reading.context.method } : {}),
  };
  const notes: Annotation[] = readingNotes(reading, item.manual);

  const observations: BundleEntry<FhirObservation>[] = [];
  const isStrip = reading.observations.some(isUrineMember);
  if (isStrip) {
    // A strip is one panel (it carries the reading's own UUID) with every result as a member.
    const members = reading.observations.map((o, i) => observationEntryFor(o, memberUuid(item.readingId, i, memberKey(o)), ctx, []));
    observations.push(urinePanelEntry(item.readingId, members.map((m) => m.fullUrl ?? ''), ctx, notes), ...members);
  } else if (reading.observations.length === 1 && reading.observations[0]) {
    observations.push(observationEntryFor(reading.observations[0], item.readingId, ctx, notes));
  } else {
    reading.observations.forEach((o, i) => observations.push(observationEntryFor(o, memberUuid(item.readingId, i, memberKey(o)), ctx, notes)));
  }

  const [first, ...rest] = observations.map((o) => o.fullUrl ?? '');
  const provenance = provenanceEntry({
    readingId: item.readingId,
    reading: readingIdentifier,
    targets: [first ?? urnUuid(item.readingId), ...rest],
    recorded: item.confirmedAt,
    ...(meter?.fullUrl ? { meter: { url: meter.fullUrl, label: item.deviceLabel } } : {}),
    hub: { url: hub.fullUrl ?? '', label: `POC Hub on ${item.workstation}` },
    verifier: item.confirmedBy,
  });

  return { resourceType: 'Bundle', type: 'transaction', entry: [...(meter ? [meter] : []), hub, ...observations, provenance] };
}
