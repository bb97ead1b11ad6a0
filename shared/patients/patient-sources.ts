import { z } from 'zod';
import { INPUT_LIMITS } from '../api/input-limits.ts';
import { FhirAuthSchema, SecureHttpUrl } from '../export/targets.ts';

/**
 * Where the hub learns who a patient is (docs/architecture.md §8, "Patient context"): sources are
 * configured like export targets — validated here, secrets (a bearer token) outside the database,
 * every change audited — one or more per workstation.
 */
const SourceId = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes, at most 40');

const Common = {
  id: SourceId,
  name: z.string().trim().min(1).max(INPUT_LIMITS.targetName),
  enabled: z.boolean().default(true),
};

/**
 * A FHIR R4 server asked on demand: a patient by identifier (`Patient?identifier=system|value`),
 * and today's schedule for `location` (Appointments with their patients included, and Encounters
 * where the server has them). Same auth options as the FHIR export target.
 */
export const FhirPatientSourceSchema = z
  .object({
    ...Common,
    kind: z.literal('fhir'),
    // The bearer token and patients' identities travel to it: https, or http to this machine only.
    baseUrl: SecureHttpUrl,
    /** The system of the MRN, e.g. `urn:oid:…`; when set, look-ups are qualified by it. */
    identifierSystem: z.string().trim().min(1).max(INPUT_LIMITS.targetSystem).optional(),
    /** Today's schedule is for this `Location/<id>` (or `Practitioner/<id>`, `Organization/<id>`). */
    location: z
      .string()
      .trim()
      .regex(/^(Location|Practitioner|PractitionerRole|Organization|HealthcareService)\/[A-Za-z0-9\-.]{1,64}$/, 'a reference such as Location/123')
      .optional(),
    auth: FhirAuthSchema.default({ type: 'none' }),
    caFile: z.string().min(1).max(INPUT_LIMITS.filePath).optional(),
    timeoutMs: z.number().int().min(1_000).max(120_000).default(10_000),
  })
  .strict();

/**
 * HL7 v2 ADT pushed to the hub over MLLP: the hub listens on `listen` (host:port; loopback unless
 * a ward interface is configured) and keeps a local, audited patient and visit cache from
 * A01/A04/A08/A11/A03/A40. `senders`, when given, are the only MSH-3^MSH-4 accepted.
 */
export const AdtPatientSourceSchema = z
  .object({
    ...Common,
    kind: z.literal('hl7-adt'),
    listen: z
      .string()
      .trim()
      .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'host:port, e.g. 127.0.0.1:2576'),
    senders: z.array(z.string().trim().min(1).max(200)).max(20).optional(),
  })
  .strict();

export const PatientSourceSchema = z.discriminatedUnion('kind', [FhirPatientSourceSchema, AdtPatientSourceSchema]);
export type PatientSource = z.infer<typeof PatientSourceSchema>;
export type FhirPatientSource = z.infer<typeof FhirPatientSourceSchema>;
export type AdtPatientSource = z.infer<typeof AdtPatientSourceSchema>;

/** How long the cache keeps a patient or visit it learnt from a source (privacy: only what the workflow needs). */
export const CACHE_LIMITS = { defaultHours: 72, minHours: 1, maxHours: 24 * 30 } as const;

export const PatientSexSchema = z.enum(['male', 'female', 'other', 'unknown']);
export type PatientSex = z.infer<typeof PatientSexSchema>;

/** One identifier of a patient as the EHR gave it. */
export const PatientIdentifierSchema = z.object({ system: z.string().max(500).optional(), value: z.string().min(1).max(200) });
export type PatientIdentifier = z.infer<typeof PatientIdentifierSchema>;

/**
 * A patient as a source vouches for them. `fhirId` is the server's logical id when the source is
 * FHIR (the export then references `Patient/<fhirId>`); `mergedInto` names the surviving MRN of a
 * patient merged away (ADT A40).
 */
export const SourcePatientSchema = z.object({
  mrn: z.string().min(1).max(INPUT_LIMITS.mrn),
  identifiers: z.array(PatientIdentifierSchema),
  name: z.string().max(INPUT_LIMITS.patientName).optional(),
  birthDate: z.iso.date().optional(),
  sex: PatientSexSchema.optional(),
  fhirId: z.string().max(64).optional(),
  sourceId: z.string(),
  verifiedAt: z.string(),
  mergedInto: z.string().optional(),
});
export type SourcePatient = z.infer<typeof SourcePatientSchema>;

export const VISIT_STATES = ['planned', 'arrived', 'in-progress', 'finished', 'cancelled'] as const;

/**
 * A visit (encounter) or booked appointment of a patient today, from a source. `encounterId` is
 * the FHIR Encounter's logical id (export: `Encounter/<id>`); `visitNumber` is HL7 PV1-19.
 */
export const VisitSchema = z.object({
  /** `<sourceId>:<its own id for the visit>`: stable across refreshes of the same source. */
  id: z.string().min(1).max(300),
  sourceId: z.string(),
  mrn: z.string().min(1).max(INPUT_LIMITS.mrn),
  state: z.enum(VISIT_STATES),
  /** Scheduled or arrival time, ISO 8601 with offset. */
  start: z.string().optional(),
  encounterId: z.string().max(64).optional(),
  appointmentId: z.string().max(64).optional(),
  visitNumber: z.string().max(100).optional(),
  location: z.string().max(200).optional(),
  room: z.string().max(100).optional(),
  updatedAt: z.string(),
});
export type Visit = z.infer<typeof VisitSchema>;
