import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { Bundle, Observation, OperationOutcomeIssue, Resource, StructureDefinition } from '@medplum/fhirtypes';
import { exportContentError } from '../exporter.ts';
import { catalogIssues } from './catalog-check.ts';
import { OBSERVATION_CATEGORY_SYSTEM } from './codes.ts';
import { fhirDefinitions } from './definitions.ts';

/**
 * The content gate in front of every FHIR export: Medplum's structural validator (base R4 for
 * every resource, plus the R4 `vitalsigns` profile for vital signs: never `bp`, which Medplum
 * wrongly fails, docs/export.md §10) and the project's catalog table. A bundle that fails here is
 * never sent: resending it unchanged could not help.
 */

function issueText(i: OperationOutcomeIssue): string {
  const at = i.expression?.join(', ') ?? '';
  const text = i.details?.text ?? i.diagnostics ?? i.code;
  return at ? `${text} (at ${at})` : text;
}

function validationIssues(resource: Resource, profile?: StructureDefinition): string[] {
  try {
    validateResource(resource, profile ? { profile } : undefined);
    return [];
  } catch (e) {
    if (e instanceof OperationOutcomeError) return (e.outcome.issue ?? []).filter((i) => i.severity === 'error' || i.severity === 'fatal').map(issueText);
    throw e;
  }
}

export function isVitalSign(obs: Observation): boolean {
  return (obs.category ?? []).some((cat) => cat.coding?.some((c) => c.system === OBSERVATION_CATEGORY_SYSTEM && c.code === 'vital-signs'));
}

/** @throws HubError EXPORT_CONTENT listing every problem found, each prefixed with where it is. */
export function validateFhirBundle(bundle: Bundle): void {
  const { vitalSigns } = fhirDefinitions();
  const issues: string[] = [];
  const resources = (bundle.entry ?? []).flatMap((e, i) => (e.resource ? [{ where: `entry[${i}] ${e.resource.resourceType}`, resource: e.resource }] : []));
  if (bundle.type !== 'transaction') issues.push('the bundle is not a transaction');
  if (!resources.some((r) => r.resource.resourceType === 'Observation')) issues.push('the bundle has no Observation');
  issues.push(...validationIssues({ ...bundle, entry: [] }).map((t) => `Bundle: ${t}`));
  (bundle.entry ?? []).forEach((e, i) => {
    if (!e.fullUrl?.startsWith('urn:uuid:')) issues.push(`entry[${i}]: fullUrl must be a urn:uuid placeholder`);
    if (e.request?.method !== 'POST' || !e.request.ifNoneExist) issues.push(`entry[${i}]: must be a conditional create (POST with ifNoneExist)`);
  });
  for (const { where, resource } of resources) {
    issues.push(...validationIssues(resource).map((t) => `${where}: ${t}`));
    if (resource.resourceType === 'Observation' && isVitalSign(resource)) {
      issues.push(...validationIssues(resource, vitalSigns).map((t) => `${where} (vital-signs profile): ${t}`));
    }
  }
  issues.push(...catalogIssues(resources));
  if (issues.length > 0) throw exportContentError('The FHIR bundle is not valid', issues);
}
