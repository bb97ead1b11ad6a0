import type { CodeableConcept, Coding } from '@medplum/fhirtypes';
import { CATALOG, entriesForLoinc, type CatalogEntry } from '../../../shared/catalog.ts';
import type { Interpretation, Observation } from '../../../shared/observation.ts';

/**
 * Codes and code systems, all taken from the one catalog (shared/catalog.ts): this file never
 * spells a LOINC number, so a catalog fix reaches the FHIR output unchanged.
 */

export const LOINC_SYSTEM = 'http://loinc.org';
export const MDC_SYSTEM = 'urn:iso:std:iso:11073:10101';
export const UCUM_SYSTEM = 'http://unitsofmeasure.org';
export const OBSERVATION_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';
const INTERPRETATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

const INTERPRETATION_DISPLAY: Readonly<Record<Interpretation, string>> = {
  N: 'Normal',
  A: 'Abnormal',
  H: 'High',
  L: 'Low',
  HH: 'Critical high',
  LL: 'Critical low',
};

/**
 * The catalog entry of an observation's code. Several entries can share one LOINC code (8867-4
 * for pulse from a monitor, an oximeter or a cuff): the observation's MDC code tells them apart.
 */
export function catalogEntry(obs: Pick<Observation, 'code' | 'mdc'>): CatalogEntry | undefined {
  if (obs.code === undefined) return undefined;
  const entries = entriesForLoinc(obs.code).filter((e) => e.loinc === obs.code);
  return entries.find((e) => obs.mdc !== undefined && e.mdc?.code === obs.mdc) ?? entries[0];
}

/** The urine dipstick panel and the LOINC codes of its members (catalog keys `urine…`). */
export const URINE_PANEL: CatalogEntry = CATALOG.urinePanel;
const URINE_MEMBER_CODES: ReadonlySet<string> = new Set(
  Object.entries(CATALOG)
    .filter(([key, e]) => key.startsWith('urine') && e.loinc !== CATALOG.urinePanel.loinc)
    .map(([, e]) => e.loinc),
);

export function isUrineMember(obs: Pick<Observation, 'code'>): boolean {
  return obs.code !== undefined && URINE_MEMBER_CODES.has(obs.code);
}

/** `code` of an Observation or component: LOINC (plus `alsoLoinc`), MDC where known, and a text. */
export function observationCode(obs: Observation): CodeableConcept {
  const entry = catalogEntry(obs);
  const unmappedLabel = obs.value?.kind === 'unmapped' ? obs.value.label : undefined;
  if (!entry) {
    // No catalog code (or a code the catalog does not know): the device's own label is all we have.
    return { text: unmappedLabel ?? obs.display ?? obs.code ?? 'Unnamed result' };
  }
  const coding: Coding[] = [{ system: LOINC_SYSTEM, code: entry.loinc, display: entry.display }];
  for (const also of entry.alsoLoinc ?? []) {
    const alsoEntry = entriesForLoinc(also).find((e) => e.loinc === also);
    coding.push(alsoEntry ? { system: LOINC_SYSTEM, code: also, display: alsoEntry.display } : { system: LOINC_SYSTEM, code: also });
  }
  const mdc = obs.mdc !== undefined ? entriesForLoinc(entry.loinc).find((e) => e.mdc?.code === obs.mdc)?.mdc ?? { code: obs.mdc } : entry.mdc;
  if (mdc) coding.push({ system: MDC_SYSTEM, code: String(mdc.code), ...('refId' in mdc ? { display: mdc.refId } : {}) });
  return { coding, text: unmappedLabel ?? entry.display };
}

export function categoryConcept(category: CatalogEntry['category']): CodeableConcept {
  const display = category === 'vital-signs' ? 'Vital Signs' : 'Laboratory';
  return { coding: [{ system: OBSERVATION_CATEGORY_SYSTEM, code: category, display }] };
}

export function interpretationConcept(code: Interpretation): CodeableConcept {
  return { coding: [{ system: INTERPRETATION_SYSTEM, code, display: INTERPRETATION_DISPLAY[code] }] };
}
