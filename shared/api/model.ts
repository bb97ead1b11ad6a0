import { z } from 'zod';
import { OUTBOX_STATES, TARGET_KINDS } from '../export/targets.ts';
import { ERROR_CODES } from '../errors.ts';
import { ObservationSchema } from '../observation.ts';
import { ReadingSchema } from '../reading.ts';
import { QcEvaluationSchema, QcLockSchema } from './qc-model.ts';
import { INPUT_LIMITS } from './input-limits.ts';
import { DeviceRoleSchema } from '../device-role.ts';

/** An error as it crosses the API: data, never a thrown object (docs/architecture.md §10). */
export const ApiErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

export const ROLES = ['assistant', 'biomed', 'admin'] as const;
export const OperatorSchema = z.object({
  id: z.string(),
  name: z.string().min(1),
  badgeId: z.string().min(1),
  role: z.enum(ROLES),
});
export type Operator = z.infer<typeof OperatorSchema>;

/** `YYYY-MM-DD`, a real calendar date. */
export const BirthDateSchema = z.iso.date();

/**
 * The encounter (visit) chosen with the patient, e.g. picked from the Today list: readings
 * assigned while it is selected carry it into the export (FHIR Observation.encounter, HL7 PV1-19).
 */
export const PatientEncounterSchema = z.object({
  /** The visit's id in the store (`<sourceId>:<its id>`). */
  visitId: z.string().min(1).max(300),
  visitNumber: z.string().optional(),
  encounterId: z.string().optional(),
  room: z.string().optional(),
  location: z.string().optional(),
  /** Scheduled or arrival time, ISO 8601. */
  start: z.string().optional(),
});
export type PatientEncounter = z.infer<typeof PatientEncounterSchema>;

/**
 * A patient positively identified by two identifiers (docs/architecture.md §8): the MRN and the date of
 * birth, or the MRN and the name.
 */
export const PatientSchema = z
  .object({
    mrn: z.string().trim().min(1).max(INPUT_LIMITS.mrn),
    name: z.string().trim().min(1).max(INPUT_LIMITS.patientName).optional(),
    birthDate: BirthDateSchema.optional(),
    /**
     * False for a patient created on this workstation (a new local patient), not checked against
     * the EHR; the banner says so. Absent where the record is not known (e.g. a review item's patient).
     */
    verified: z.boolean().optional(),
    /** The selected encounter, when one was chosen with the patient (absent otherwise). */
    encounter: PatientEncounterSchema.optional(),
    /**
     * How selection checked the patient against the patient sources (docs/patient-sources.md):
     * `verified` by `sourceName` at `at`; `not-in-ehr` (a source answered, it does not know the
     * MRN); `unreachable` (no source answered: the local cache was used, `reason` says why).
     * Absent outside the selected patient, and when no patient source is configured.
     */
    verification: z
      .object({
        state: z.enum(['verified', 'not-in-ehr', 'unreachable']),
        sourceName: z.string().max(200).optional(),
        at: z.string().optional(),
        reason: z.string().max(500).optional(),
      })
      .optional(),
  })
  .refine((p) => p.name !== undefined || p.birthDate !== undefined, { message: 'a patient needs a second identifier: date of birth or name' });
export type Patient = z.infer<typeof PatientSchema>;

const REVIEW_STATES = ['pending', 'confirmed', 'rejected'] as const;
export const REJECT_REASONS = ['wrong-patient', 'measurement-error', 'device-error', 'duplicate', 'test-or-training', 'other'] as const;
/** Why a reading was rejected (one of {@link REJECT_REASONS}). */
export type RejectReason = (typeof REJECT_REASONS)[number];

/** What a confirmation may acknowledge explicitly: a critical value, a result older than the limit. */
export const ACKNOWLEDGEMENTS = ['critical', 'old'] as const;
export type Acknowledgement = (typeof ACKNOWLEDGEMENTS)[number];

/**
 * What the workflow found about a reading's values and age (docs/architecture.md §8), as
 * sentences a person reads, e.g. "SpO₂ 250 % is outside what can be measured (0–100 %)".
 */
export const ReviewChecksSchema = z.object({
  /** Cannot be a real measurement: never confirmed; reject it (and enter the right value by hand). */
  impossible: z.array(z.string()),
  /** Needs action now: confirmed only with `acknowledge: ['critical']`. */
  critical: z.array(z.string()),
  /** Outside the usual range: shown only. */
  abnormal: z.array(z.string()),
  /** Measured longer ago than the workstation's limit: confirmed only with `acknowledge: ['old']`. */
  old: z.object({ minutes: z.number().int(), age: z.string() }).optional(),
});
export type ReviewChecks = z.infer<typeof ReviewChecksSchema>;

/** A reading as the assistant reviews it: the device's reading plus what people decided. */
export const ReviewItemSchema = z.object({
  id: z.string(),
  reading: ReadingSchema,
  state: z.enum(REVIEW_STATES),
  /** The device this came from, as one key (driver + serial, or driver + port). */
  deviceKey: z.string(),
  deviceLabel: z.string(),
  /** The patient it is assigned to; absent while it waits unassigned. */
  patient: PatientSchema.optional(),
  /** Entered by a person (replacing a rejected device value), not by a device. */
  manual: z.boolean(),
  replaces: z.string().optional(),
  decidedBy: OperatorSchema.pick({ id: true, name: true }).optional(),
  decidedAt: z.string().optional(),
  rejectReason: z.enum(REJECT_REASONS).optional(),
  rejectNote: z.string().optional(),
  /** Plausibility and age of the values (absent only in items built outside the workflow). */
  checks: ReviewChecksSchema.optional(),
  /** Export state per target (confirmed readings only): one outbox row per target. */
  export: z.array(z.lazy(() => ReadingExportSchema)).optional(),
  /** Control results: the pass/fail evaluation against a lot and level, once made. */
  qc: QcEvaluationSchema.optional(),
  /** Pending patient results measured while their device's QC had failed or was overdue: not confirmable. */
  qcLock: QcLockSchema.optional(),
  /** The role of its device when it arrived (docs/architecture.md §8, "Device roles"). */
  deviceRole: DeviceRoleSchema.optional(),
  /**
   * Unassigned results of a shared device whose sample id is the MRN of a patient on file: the
   * patient the device names. A proposal only — the assistant accepts it (acceptProposal).
   */
  proposedPatient: PatientSchema.optional(),
  /** Memory results: `not-imported` ones stay out of the review list until an import (listMemory). */
  memory: z.enum(['not-imported', 'imported']).optional(),
});
export type ReviewItem = z.infer<typeof ReviewItemSchema>;

export const DeviceStatusSchema = z.object({
  key: z.string(),
  driverId: z.string(),
  label: z.string(),
  kind: z.enum(['discrete', 'download', 'continuous']),
  connection: z.enum(['connected', 'disconnected', 'simulated']),
  /** Where its results may go: bedside, shared or memory (set per port on the Devices screen). */
  role: DeviceRoleSchema.optional(),
  lastSeen: z.string().optional(),
  /** Continuous devices: the newest live values, for the Capture button. */
  live: z
    .object({ at: z.string(), observations: z.array(ObservationSchema), flags: z.array(z.string()), valid: z.boolean() })
    .optional(),
  /** Set while the device's QC failed or is overdue: its patient results cannot be confirmed. */
  qcLock: QcLockSchema.optional(),
  /** The commands its driver accepts (Start BP …): buttons on the device card (API `deviceCommand`). */
  commands: z.array(z.object({ id: z.string(), label: z.string() })).optional(),
});
export type DeviceStatus = z.infer<typeof DeviceStatusSchema>;

/**
 * Set while the hub cannot save readings (docs/architecture.md §7, storage trouble): the page
 * shows a red banner until a reading is stored again.
 */
export const StorageTroubleSchema = z.object({
  code: z.enum(['STORAGE_FULL', 'STORAGE_READONLY']),
  /** The plain sentence: which folder, what is wrong, what to do. */
  message: z.string(),
  since: z.string(),
  /** Readings kept in memory, waiting to be stored (a streaming device cannot send them again). */
  held: z.number().int().nonnegative(),
  /** Readings that did not fit in memory either: lost, and logged one by one. */
  lost: z.number().int().nonnegative(),
});
export type StorageTrouble = z.infer<typeof StorageTroubleSchema>;

export const HubStateSchema = z.object({
  operator: OperatorSchema.optional(),
  patient: PatientSchema.optional(),
  devices: z.array(DeviceStatusSchema),
  demo: z.boolean(),
  /** Workstation name, shown in the header and in the audit log. */
  workstation: z.string(),
  /**
   * Grows with every change of this state. The answer to getState and the `state` event travel
   * different roads (HTTP, WebSocket), so an older one can arrive last; the client keeps the newest.
   */
  version: z.number().int().nonnegative().optional(),
  /** This session is locked after inactivity: `operator` is who must unlock it (no patient shown). */
  locked: z.boolean().optional(),
  /** Inactivity after which a session locks (the page runs its own timer to show the lock screen). */
  lockAfterMs: z.number().int().positive().optional(),
  /** Present while readings cannot be saved (disk full, data folder read-only). */
  storage: StorageTroubleSchema.optional(),
});
export type HubState = z.infer<typeof HubStateSchema>;

export const AuditEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  operator: z.string().optional(),
  action: z.string(),
  subject: z.string().optional(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** Where a confirmed reading stands with one export target. */
export const ReadingExportSchema = z.object({
  outboxId: z.number().int(),
  targetId: z.string(),
  /** The target's name, for people. */
  target: z.string(),
  state: z.enum(OUTBOX_STATES),
  /** Why it failed or died, in the receiver's words where it gave any. */
  message: z.string().optional(),
  doneAt: z.string().optional(),
});
export type ReadingExport = z.infer<typeof ReadingExportSchema>;

/** One outbox row: one confirmed reading on its way to one target. */
export const OutboxRowSchema = z.object({
  id: z.number().int(),
  targetId: z.string(),
  targetName: z.string(),
  readingId: z.string(),
  /** Persisted at confirmation, reused on every retry (HL7 MSH-10). */
  controlId: z.string(),
  state: z.enum(OUTBOX_STATES),
  attempts: z.number().int(),
  nextAttemptAt: z.string().optional(),
  /** Short machine-readable status of the last attempt: `HTTP 201`, `AA`, `AE`, `timeout`, `invalid`. */
  lastStatus: z.string().optional(),
  /** The receiver's message, or why the content could not be sent. */
  lastMessage: z.string().optional(),
  patientMrn: z.string(),
  /** The values, e.g. `8480-6 128 mm[Hg]`, so a person can tell rows apart. */
  summary: z.array(z.string()),
  effectiveTime: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  doneAt: z.string().optional(),
});
export type OutboxRow = z.infer<typeof OutboxRowSchema>;

/** Every delivery attempt of one outbox row, kept with the receiver's answer. */
export const ExportAttemptSchema = z.object({
  startedAt: z.string(),
  endedAt: z.string(),
  outcome: z.enum(['done', 'retry', 'dead']),
  status: z.string(),
  response: z.string(),
});
export type ExportAttempt = z.infer<typeof ExportAttemptSchema>;

/** Counts per state for one target, what the Outbox screen and `pochub export status` show first. */
export const OutboxSummarySchema = z.object({
  targetId: z.string(),
  targetName: z.string(),
  kind: z.enum(TARGET_KINDS),
  enabled: z.boolean(),
  counts: z.object(Object.fromEntries(OUTBOX_STATES.map((s) => [s, z.number().int()])) as Record<(typeof OUTBOX_STATES)[number], z.ZodNumber>),
  /** The oldest row still waiting (pending, sending or failed): how far behind the target is. */
  oldestWaitingAt: z.string().optional(),
  /** The worker's last problem in words, e.g. "Connection refused by 10.0.0.5:2575; next try 10:42:13". */
  lastProblem: z.string().optional(),
});
export type OutboxSummary = z.infer<typeof OutboxSummarySchema>;
