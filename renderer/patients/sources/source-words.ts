import type { PatientSource } from '../../../shared/patients/patient-sources.ts';

/** A source's kind in words. */
export const SOURCE_KIND_TEXT: Readonly<Record<PatientSource['kind'], string>> = { fhir: 'FHIR', 'hl7-adt': 'HL7 ADT' };

/** Where a source is reached (FHIR) or listens (ADT), in one line. */
export function sourceAddressText(s: PatientSource): string {
  if (s.kind === 'hl7-adt') return `listens on ${s.listen}${s.senders?.length ? ` (from ${s.senders.join(', ')})` : ''}`;
  return `${s.baseUrl} (authentication: ${s.auth.type})`;
}
