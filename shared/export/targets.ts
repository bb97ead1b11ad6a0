import { z } from 'zod';
import { INPUT_LIMITS } from '../api/input-limits.ts';

/**
 * Export targets (docs/export.md §1): where confirmed readings go. Defined in shared/ because
 * the admin's settings screen edits them and main validates them at every trust boundary (API,
 * CLI, config file). Secrets never appear here in the clear after saving: the API accepts them
 * write-only (`secret`) and answers with `hasSecret`; main keeps them in its secret store, and
 * the SMART private key stays in a file outside the database.
 */
export const TARGET_KINDS = ['fhir', 'hl7', 'file'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export const TargetIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a target id is 1–40 lower-case letters, digits and dashes, starting with a letter or digit');

/** Plain http is allowed only to this machine (the test peers, a local interface engine). */
const SECURE_OR_LOOPBACK = /^(https:\/\/|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$))/i;

/** An EHR's URL: https, or plain http only to this machine (a token never crosses a network in the clear). */
export const SecureHttpUrl = z.url({ protocol: /^https?$/ }).max(INPUT_LIMITS.url).refine((u) => SECURE_OR_LOOPBACK.test(u), {
  message: 'use https: plain http is allowed only to this machine (127.0.0.1 / localhost)',
});

const RetrySchema = z
  .object({
    /** First back-off, doubled on every failure up to maxMs, with jitter. */
    baseMs: z.number().int().min(100).max(600_000).default(2_000),
    maxMs: z.number().int().min(1_000).max(86_400_000).default(300_000),
  })
  .strict()
  .refine((r) => r.maxMs >= r.baseMs, { message: 'maxMs must be at least baseMs' });

const Common = {
  id: TargetIdSchema,
  name: z.string().trim().min(1).max(INPUT_LIMITS.targetName),
  enabled: z.boolean().default(true),
  retry: RetrySchema.default({ baseMs: 2_000, maxMs: 300_000 }),
};

export const FhirAuthSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }).strict(),
  /** A static bearer token; the token itself is the target's secret. */
  z.object({ type: z.literal('bearer') }).strict(),
  /**
   * SMART Backend Services: client credentials with a signed JWT assertion. The private key is a
   * PEM file on this workstation (never in the database); `tokenUrl` defaults to the one in the
   * server's /.well-known/smart-configuration.
   */
  z
    .object({
      type: z.literal('smart'),
      clientId: z.string().trim().min(1).max(INPUT_LIMITS.targetText),
      privateKeyFile: z.string().min(1).max(INPUT_LIMITS.filePath),
      keyId: z.string().trim().min(1).max(INPUT_LIMITS.targetText),
      alg: z.enum(['RS384', 'ES384']).default('RS384'),
      scope: z.string().trim().min(1).max(INPUT_LIMITS.scope).default('system/Observation.c system/Provenance.c system/Device.cru'),
      tokenUrl: SecureHttpUrl.optional(),
    })
    .strict(),
]);
export type FhirAuth = z.infer<typeof FhirAuthSchema>;

export const FhirTargetSchema = z
  .object({
    ...Common,
    kind: z.literal('fhir'),
    baseUrl: SecureHttpUrl,
    /** The system of the EHR's patient identifier (the MRN), e.g. `urn:oid:…` or `https://hospital.example/mrn`. */
    patientIdentifierSystem: z.string().trim().min(1).max(INPUT_LIMITS.targetSystem),
    auth: FhirAuthSchema.default({ type: 'none' }),
    /** A PEM file with extra CA certificates (a hospital's own CA). Verification is never turned off. */
    caFile: z.string().min(1).max(INPUT_LIMITS.filePath).optional(),
    timeoutMs: z.number().int().min(1_000).max(300_000).default(30_000),
  })
  .strict();

export const HL7_PROFILES = ['oru-r01-2.5.1', 'pcd-01'] as const;
export type Hl7Profile = (typeof HL7_PROFILES)[number];

const Hl7Name = z.string().trim().min(1).max(INPUT_LIMITS.hl7Name).regex(/^[^|^~\\&\r\n]*$/, 'no HL7 delimiters (| ^ ~ \\ &) or line breaks');

export const Hl7TargetSchema = z
  .object({
    ...Common,
    kind: z.literal('hl7'),
    host: z.string().trim().min(1).max(INPUT_LIMITS.targetHost),
    port: z.number().int().min(1).max(65_535),
    profile: z.enum(HL7_PROFILES).default('oru-r01-2.5.1'),
    sendingApplication: Hl7Name.default('POCHUB'),
    sendingFacility: Hl7Name.default('CLINIC'),
    receivingApplication: Hl7Name.default('EHR'),
    receivingFacility: Hl7Name.default('HOSP'),
    /** MSH-11: P production, T training, D debugging. */
    processingId: z.enum(['P', 'T', 'D']).default('P'),
    /** PID-3.4: the assigning authority of the MRN. */
    patientAssigningAuthority: Hl7Name.default('HOSP'),
    /** How long to wait for the ACK before closing the connection and retrying the same message. */
    ackTimeoutMs: z.number().int().min(500).max(300_000).default(10_000),
  })
  .strict();

export const FILE_FORMATS = ['ndjson', 'csv', 'fhir-bundle'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

export const FileTargetSchema = z
  .object({
    ...Common,
    kind: z.literal('file'),
    directory: z.string().min(1).max(INPUT_LIMITS.filePath),
    format: z.enum(FILE_FORMATS).default('ndjson'),
    /** For the fhir-bundle format: the system of the patient identifier. */
    patientIdentifierSystem: z.string().trim().min(1).max(INPUT_LIMITS.targetSystem).default('urn:pochub:mrn'),
  })
  .strict();

/** A target as stored and as main uses it (no secret inside). */
export const ExportTargetSchema = z.discriminatedUnion('kind', [FhirTargetSchema, Hl7TargetSchema, FileTargetSchema]);
export type ExportTarget = z.infer<typeof ExportTargetSchema>;
export type ExportTargetInput = z.input<typeof ExportTargetSchema>;
export type FhirTarget = Extract<ExportTarget, { kind: 'fhir' }>;
export type Hl7Target = Extract<ExportTarget, { kind: 'hl7' }>;
export type FileTarget = Extract<ExportTarget, { kind: 'file' }>;

/**
 * What the admin sends to save a target: the target plus, write-only, its secret (the bearer
 * token). `secret: null` removes a stored secret; leaving it out keeps the one stored.
 */
export const SaveTargetInputSchema = z
  .object({
    target: ExportTargetSchema,
    secret: z.string().min(1).max(INPUT_LIMITS.secret).nullable().optional(),
  })
  .strict();

/** A target as the API shows it: never the secret, only whether one is stored. */
export const ExportTargetViewSchema = z.object({
  target: ExportTargetSchema,
  hasSecret: z.boolean(),
  updatedAt: z.string(),
});
export type ExportTargetView = z.infer<typeof ExportTargetViewSchema>;

/** Outbox row states (docs/export.md §3): pending → sending → done | failed (will retry) | dead (needs a person). */
export const OUTBOX_STATES = ['pending', 'sending', 'done', 'failed', 'dead'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];
