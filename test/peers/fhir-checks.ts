import { createRequire } from 'node:module';
import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { Fhir } from 'fhir';
import { entriesForLoinc } from '../../shared/catalog.ts';
import { isUcumCode } from '../../shared/units.ts';
import { fhirDefinitions } from '../../main/export/fhir/definitions.ts';
import { isVitalSign } from '../../main/export/fhir/validate.ts';

/**
 * Three independent opinions on a resource the peer stored (docs/architecture.md §12, docs/export.md §10): Medplum's validator
 * (structure, vital-signs profile), the `fhir` package (required bindings, unexpected
 * properties) and the project's own LOINC/UCUM table with ucum-lhc. Each returns the problems
 * it found; an empty list means the resource passed.
 */

// ucum-lhc is CommonJS; load it the Node way.
const ucum = createRequire(import.meta.url)('@lhncbc/ucum-lhc') as {
  UcumLhcUtils: { getInstance(): { validateUnitString(unit: string, suggest?: boolean): { status: string } } };
};

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const MDC = 'urn:iso:std:iso:11073:10101';

/** (a) Medplum: base R4 for every resource, plus `vitalsigns` for vital signs (never `bp`, §5a). */
export function medplumIssues(resource: Resource): string[] {
  const { vitalSigns } = fhirDefinitions();
  const run = (profileName: string, fn: () => void): string[] => {
    try {
      fn();
      return [];
    } catch (e) {
      if (!(e instanceof OperationOutcomeError)) throw e;
      return (e.outcome.issue ?? []).map((i) => `medplum ${profileName}: ${i.details?.text ?? i.diagnostics ?? i.code} ${i.expression?.join(',') ?? ''}`);
    }
  };
  const issues = run('base', () => validateResource(resource));
  if (resource.resourceType === 'Observation' && isVitalSign(resource)) issues.push(...run('vitalsigns', () => validateResource(resource, { profile: vitalSigns })));
  return issues;
}

let fhirJs: Fhir | undefined;
/**
 * Noise of the `fhir` package (§5d): it cannot expand the example-bound `observation-codes` and
 * similar value sets, so every LOINC code "is not found". Those bindings are examples, not rules.
 */
const NOISE = /could not be found|not found in value set/i;

/** (b) The `fhir` 4.12 validator with unexpected properties as errors. */
export function fhirJsIssues(resource: Resource): string[] {
  fhirJs ??= new Fhir();
  const res = fhirJs.validate(resource, { errorOnUnexpected: true });
  return res.messages
    .filter((m) => m.severity !== 'info' && !(m.severity === 'warning' && NOISE.test(m.message ?? '')))
    .map((m) => `fhir ${m.severity ?? ''}: ${m.message ?? ''} at ${m.location ?? ''}`);
}

interface CodingLike {
  readonly system?: unknown;
  readonly code?: unknown;
}
interface QuantityLike extends CodingLike {
  readonly value?: unknown;
}
interface CodedLike {
  readonly code?: { readonly coding?: readonly CodingLike[] };
  readonly valueQuantity?: QuantityLike;
  readonly component?: readonly CodedLike[];
}

/** Every object reachable from `value`, with its path. */
function* walk(value: unknown, path: string): Generator<[string, Record<string, unknown>]> {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) yield* walk(v, `${path}[${i}]`);
  } else if (typeof value === 'object' && value !== null) {
    yield [path, value as Record<string, unknown>];
    for (const [k, v] of Object.entries(value)) yield* walk(v, `${path}.${k}`);
  }
}

function unitsAllowed(coded: CodedLike, where: string, issues: string[]): void {
  const q = coded.valueQuantity;
  if (!q) return;
  const loincs = (coded.code?.coding ?? []).filter((c) => c.system === LOINC).map((c) => String(c.code));
  const allowed = new Set<string>(loincs.flatMap((l) => entriesForLoinc(l).flatMap((e) => [...e.units])));
  if (!allowed.has(String(q.code))) issues.push(`table: unit ${String(q.code)} not allowed for ${loincs.join(',') || '(no LOINC)'} at ${where}`);
}

/** (c) The project's table: catalog LOINC/MDC codes, catalog units allowed per code, valid UCUM. */
export function tableIssues(resource: Resource): string[] {
  const utils = ucum.UcumLhcUtils.getInstance();
  const issues: string[] = [];
  for (const [path, obj] of walk(resource, resource.resourceType)) {
    const code = typeof obj.code === 'string' ? obj.code : undefined;
    if (obj.system === LOINC && (code === undefined || entriesForLoinc(code).length === 0)) issues.push(`table: LOINC ${String(code)} not in the catalog at ${path}`);
    if (obj.system === UCUM) {
      if (code === undefined || !isUcumCode(code)) issues.push(`table: UCUM ${String(code)} is not a catalog unit at ${path}`);
      else if (utils.validateUnitString(code, true).status !== 'valid') issues.push(`table: ucum-lhc rejects ${code} at ${path}`);
    }
  }
  if (resource.resourceType === 'Observation') {
    const obs = resource as CodedLike;
    unitsAllowed(obs, 'Observation', issues);
    (obs.component ?? []).forEach((c, i) => unitsAllowed(c, `Observation.component[${i}]`, issues));
    // MDC codings must belong to the LOINC code they sit beside.
    for (const coded of [obs, ...(obs.component ?? [])]) {
      const codings = coded.code?.coding ?? [];
      const loincs = codings.filter((c) => c.system === LOINC).map((c) => String(c.code));
      for (const mdc of codings.filter((c) => c.system === MDC)) {
        if (!loincs.some((l) => entriesForLoinc(l).some((e) => String(e.mdc?.code) === mdc.code))) issues.push(`table: MDC ${String(mdc.code)} does not belong to ${loincs.join(',')}`);
      }
    }
  }
  return issues;
}

/** All three checks; empty when the resource passes every one. */
export function checkStoredResource(resource: Resource): string[] {
  return [...medplumIssues(resource), ...fhirJsIssues(resource), ...tableIssues(resource)];
}
