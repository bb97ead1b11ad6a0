import type { OrdinalCode } from '../observation.ts';

/**
 * SNOMED CT qualifier values for the normalized ordinal grades (docs/export.md §9), used by every
 * exporter: FHIR `valueCodeableConcept` and HL7 v2 CWE values. The strip's printed label always
 * goes along as text, so the code never replaces what the reader printed.
 */
export const SNOMED_SYSTEM = 'http://snomed.info/sct';

export const ORDINAL_SNOMED: Readonly<Record<OrdinalCode, { readonly code: string; readonly display: string }>> = {
  neg: { code: '260385009', display: 'Negative' },
  normal: { code: '17621005', display: 'Normal' },
  trace: { code: '260405006', display: 'Trace' },
  small: { code: '255507004', display: 'Small' },
  moderate: { code: '255508009', display: 'Medium' },
  large: { code: '255509001', display: 'Large' },
  pos: { code: '10828004', display: 'Positive' },
  '1+': { code: '260347006', display: '+' },
  '2+': { code: '260348001', display: '++' },
  '3+': { code: '260349009', display: '+++' },
  '4+': { code: '260350009', display: '++++' },
};
