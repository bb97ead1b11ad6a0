import type { Annotation, BundleEntry, CodeableConcept, Device, Encounter, Identifier, Observation as FhirObservation, ObservationComponent, Patient, Reference } from '@medplum/fhirtypes';
import type { Observation } from '../../../shared/observation.ts';
import { URINE_PANEL, LOINC_SYSTEM, catalogEntry, categoryConcept, interpretationConcept, observationCode } from './codes.ts';
import { URI_SYSTEM, placeholderFor, tokenQuery, urnUuid } from './ids.ts';
import { unmappedNote } from './notes.ts';
import { fhirValue, referenceRange } from './value.ts';

/** What every Observation of one reading shares. */
export interface ObservationContext {
  /**
   * `Patient/<id>` when a patient source gave the EHR's id, else a logical reference by the MRN
   * (docs/export.md §5).
   */
  readonly subject: Reference<Patient>;
  /** `Encounter/<id>` of the visit selected with the patient, when the EHR gave one. */
  readonly encounter?: Reference<Encounter>;
  readonly effectiveDateTime: string;
  /** When the operator confirmed the reading: the moment the result became final. */
  readonly issued: string;
  /** The meter's placeholder; absent for values entered by hand. */
  readonly device?: Reference<Device>;
  /** How the sample was measured, as the device named it (e.g. the strip brand). */
  readonly method?: string;
  /** The reading's id (`urn:pochub:reading`), on every Observation of the reading. */
  readonly reading: Identifier;
}

/**
 * Conditional create on the Observation's own identifier: a replay finds it and creates nothing.
 * The second identifier names the reading it belongs to (shared by all its Observations).
 */
function observationEntry(uuid: string, resource: FhirObservation, reading: Identifier): BundleEntry<FhirObservation> {
  const urn = urnUuid(uuid);
  const { resourceType, ...rest } = resource;
  return {
    // The placeholder must differ from the identifier value: a server rewrites every string
    // equal to a fullUrl into the new reference, identifier values included (seen with fhir-router).
    fullUrl: placeholderFor(urn),
    resource: { resourceType, identifier: [{ system: URI_SYSTEM, value: urn }, reading], ...rest },
    request: { method: 'POST', url: 'Observation', ifNoneExist: tokenQuery('identifier', URI_SYSTEM, urn) },
  };
}

function common(ctx: ObservationContext, code: CodeableConcept, category: CodeableConcept | undefined, notes: Annotation[]): FhirObservation {
  return {
    resourceType: 'Observation',
    status: 'final',
    ...(category ? { category: [category] } : {}),
    code,
    subject: ctx.subject,
    ...(ctx.encounter ? { encounter: ctx.encounter } : {}),
    effectiveDateTime: ctx.effectiveDateTime,
    issued: ctx.issued,
    ...(ctx.device ? { device: ctx.device } : {}),
    ...(ctx.method ? { method: { text: ctx.method } } : {}),
    ...(notes.length > 0 ? { note: notes } : {}),
  };
}

/** value, interpretation and referenceRange: the parts an Observation and a component share. */
function resultParts(obs: Observation): Pick<FhirObservation, 'valueQuantity' | 'valueCodeableConcept' | 'valueString' | 'interpretation' | 'referenceRange'> {
  const range = referenceRange(obs);
  return {
    ...(obs.value ? fhirValue(obs.value) : {}),
    ...(obs.interpretation ? { interpretation: [interpretationConcept(obs.interpretation)] } : {}),
    ...(range ? { referenceRange: range } : {}),
  };
}

function component(obs: Observation): ObservationComponent {
  return { code: observationCode(obs), ...resultParts(obs) };
}

/**
 * One result of a reading as an Observation entry. Unmapped results are exported too, as text
 * with a note saying so: dropping them would silently lose what the device reported.
 * `readingNotes` go on top-level results only (not on panel members) to avoid repeating them.
 */
export function observationEntryFor(obs: Observation, uuid: string, ctx: ObservationContext, readingNotes: Annotation[]): BundleEntry<FhirObservation> {
  const entry = catalogEntry(obs);
  const notes = [...readingNotes];
  if (obs.value?.kind === 'unmapped') notes.push(unmappedNote(obs.value.label, obs.value.text));
  const resource = common(ctx, observationCode(obs), entry ? categoryConcept(entry.category) : undefined, notes);
  Object.assign(resource, resultParts(obs));
  if (obs.bodySite) resource.bodySite = { coding: [{ ...obs.bodySite }], text: obs.bodySite.display };
  if (obs.components && obs.components.length > 0) resource.component = obs.components.map(component);
  return observationEntry(uuid, resource, ctx.reading);
}

/** The urine dipstick panel: no value of its own, `hasMember` → every result of the strip. */
export function urinePanelEntry(uuid: string, memberUrls: readonly string[], ctx: ObservationContext, readingNotes: Annotation[]): BundleEntry<FhirObservation> {
  const code: CodeableConcept = { coding: [{ system: LOINC_SYSTEM, code: URINE_PANEL.loinc, display: URINE_PANEL.display }], text: URINE_PANEL.display };
  const resource = common(ctx, code, categoryConcept(URINE_PANEL.category), readingNotes);
  resource.hasMember = memberUrls.map((reference) => ({ reference }));
  return observationEntry(uuid, resource, ctx.reading);
}
