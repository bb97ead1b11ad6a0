import type { CodeableConcept, Observation as FhirObservation, Quantity, Resource } from '@medplum/fhirtypes';
import { entriesForLoinc, type CatalogEntry } from '../../../shared/catalog.ts';
import { LOINC_SYSTEM, MDC_SYSTEM, OBSERVATION_CATEGORY_SYSTEM, UCUM_SYSTEM } from './codes.ts';

/**
 * The project's own table check (docs/export.md §10): Medplum's validator does not enforce
 * required unit bindings, so every LOINC code must be a catalog code, every quantity must carry
 * a UCUM unit the catalog allows for that code, quantities never sit on ordinal/nominal codes,
 * and the vital-signs category is used exactly for catalog vital signs.
 */

interface Coded {
  readonly code?: CodeableConcept;
  readonly valueQuantity?: Quantity;
  readonly valueCodeableConcept?: CodeableConcept;
}

function checkCoded(where: string, item: Coded, issues: string[]): CatalogEntry[] {
  const codings = item.code?.coding ?? [];
  const loincs = codings.filter((c) => c.system === LOINC_SYSTEM).map((c) => c.code ?? '');
  const entries: CatalogEntry[] = [];
  for (const code of loincs) {
    const found = entriesForLoinc(code);
    if (found.length === 0) issues.push(`${where}: LOINC ${code} is not in the catalog`);
    entries.push(...found);
  }
  for (const c of codings) {
    if (c.system !== LOINC_SYSTEM && c.system !== MDC_SYSTEM) issues.push(`${where}: unexpected code system ${c.system ?? '(none)'}`);
    if (c.system === MDC_SYSTEM && !entries.some((e) => String(e.mdc?.code) === c.code)) issues.push(`${where}: MDC ${c.code ?? ''} does not belong to its LOINC code`);
  }
  const q = item.valueQuantity;
  if (q) {
    if (entries.length === 0) issues.push(`${where}: a quantity needs a catalog LOINC code`);
    if (q.system !== UCUM_SYSTEM) issues.push(`${where}: quantity system must be ${UCUM_SYSTEM}`);
    const allowed = new Set<string>(entries.flatMap((e) => (e.scale === 'Qn' ? [...e.units] : [])));
    if (entries.length > 0 && !allowed.has(q.code ?? '')) {
      issues.push(`${where}: unit ${q.code ?? '(none)'} is not allowed for ${loincs.join(', ')} (allowed: ${[...allowed].join(', ') || 'none'})`);
    }
  }
  if (item.valueCodeableConcept?.coding?.length && entries.some((e) => e.scale === 'Qn')) {
    issues.push(`${where}: a coded value on quantitative code ${loincs.join(', ')}`);
  }
  return entries;
}

function checkObservation(where: string, obs: FhirObservation, issues: string[]): void {
  const entries = checkCoded(where, obs, issues);
  (obs.component ?? []).forEach((c, i) => checkCoded(`${where}.component[${i}]`, c, issues));
  const vital = (obs.category ?? []).some((cat) => cat.coding?.some((c) => c.system === OBSERVATION_CATEGORY_SYSTEM && c.code === 'vital-signs'));
  const catalogVital = entries.length > 0 && entries.every((e) => e.category === 'vital-signs');
  if (vital !== catalogVital && entries.length > 0) {
    issues.push(`${where}: category ${vital ? 'vital-signs' : 'other'} does not match the catalog (${entries[0]?.category ?? ''})`);
  }
}

/** Issues found in the resources of a bundle (empty when all is well). */
export function catalogIssues(resources: readonly { readonly where: string; readonly resource: Resource }[]): string[] {
  const issues: string[] = [];
  for (const { where, resource } of resources) {
    if (resource.resourceType === 'Observation') checkObservation(where, resource, issues);
  }
  return issues;
}
