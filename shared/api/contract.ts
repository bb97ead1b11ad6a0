import { z } from 'zod';
import { CATALOG } from '../catalog.ts';
import { UNITS } from '../units.ts';
import {
  AuditEntrySchema,
  BirthDateSchema,
  DeviceStatusSchema,
  HubStateSchema,
  OperatorSchema,
  PatientSchema,
  REJECT_REASONS,
  ACKNOWLEDGEMENTS,
  ExportAttemptSchema,
  OutboxRowSchema,
  OutboxSummarySchema,
  ReviewItemSchema,
} from './model.ts';
import { EvaluateQcInputSchema, QC_LIMITS, QcLotSchema, QcPolicySchema, SaveQcLotInputSchema, SetQcPolicyInputSchema } from './qc-model.ts';
import { ExportTargetViewSchema, OUTBOX_STATES, SaveTargetInputSchema, TargetIdSchema } from '../export/targets.ts';
import { DiscoveryStatusSchema, PortSchema, PortSettingsSchema, ReplayResultSchema, SimulatorSchema, TraceEntrySchema } from './ports-model.ts';
import { WorkstationConfigSchema } from '../config/workstation-config.ts';
import { FOLLOW_OUTCOMES, FollowInputSchema, FollowStatusSchema } from '../config/follow-model.ts';
import { DeviceIdentitySchema } from '../reading.ts';
import { DriverOptionSpecSchema, DriverOptionValuesSchema } from '../driver-options.ts';
import { INPUT_LIMITS } from './input-limits.ts';
import { DeviceRoleSchema } from '../device-role.ts';
import { ADDABLE_TRANSPORTS, folderPathProblem } from '../port-transports.ts';
import { TodayListSchema } from './today-model.ts';
import { PatientSourceViewSchema, SavePatientSourceInputSchema } from '../patients/patient-lookup.ts';

/**
 * The one API contract (docs/architecture.md §10): every query and command with its input and output
 * schema, and every event. Main implements it once (main/api); the Electron preload and the
 * HTTP/WebSocket binding are derived from it; the renderer calls it through one typed client.
 */
const query = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O, roles?: readonly Role[]) => ({ kind: 'query' as const, input, output, roles });
const command = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O, roles?: readonly Role[]) => ({ kind: 'command' as const, input, output, roles });
type Role = z.infer<typeof OperatorSchema>['role'];

const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });
/** What to do with the previous patient's pending readings when the patient changes. */
export const PENDING_ACTIONS = ['keep-with-previous', 'unassign'] as const;
const ReadingId = z.string().min(1).max(100);

const BIOMED = ['biomed', 'admin'] as const satisfies readonly Role[];
const PortId = z.string().min(1).max(600);

/** What one check of the followed configuration did, and the status after it. */
const FollowCheckSchema = z.object({ outcome: z.enum(FOLLOW_OUTCOMES), message: z.string(), status: FollowStatusSchema });

/** One memory result offered for import: the item, when it was measured and how old it is. */
export const MemoryResultSchema = z.object({
  item: ReviewItemSchema,
  /** When it was measured (the device's time; the received time when the device gave none). */
  measuredAt: z.string(),
  ageMinutes: z.number().int(),
  /** Measured within the recent window: pre-selected; older ones need `acknowledgeOld`. */
  recent: z.boolean(),
});
export type MemoryResult = z.infer<typeof MemoryResultSchema>;

/** The device memory: counts per device, and the results of one device (or all) to import. */
export const MemoryListSchema = z.object({
  recentWindowMinutes: z.number().int(),
  devices: z.array(z.object({ deviceKey: z.string(), deviceLabel: z.string(), count: z.number().int() })),
  results: z.array(MemoryResultSchema),
});
export type MemoryList = z.infer<typeof MemoryListSchema>;

/** A driver as the biomed console shows it. */
export const DriverInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  manufacturer: z.string(),
  models: z.array(z.string()),
  category: z.enum(['vitals', 'glucose', 'urine']),
  kind: z.enum(['discrete', 'download', 'continuous']),
  /** The primary link kind. */
  transport: z.enum(['serial', 'hid', 'http', 'tcp', 'usb', 'folder']),
  /** Further link kinds the same driver takes (its manifest's `otherTransports`); absent: none. */
  otherTransports: z.array(z.enum(['serial', 'hid', 'http', 'tcp', 'usb', 'folder'])).optional(),
  /** TCP drivers: who opens the connection (the hub, the device, or either by dialect). */
  tcpRole: z.enum(['connect', 'listen', 'both']).optional(),
  /** Drivers that take a serial link: the line settings the device uses by default. */
  defaults: PortSettingsSchema.optional(),
  usb: z.array(z.object({ vendorId: z.number().int(), productId: z.number().int(), note: z.string() })),
  scenarios: z.array(z.string()),
  hints: z.array(z.string()),
  /** Settings of the driver itself (e.g. the oximeter's stability window), each with its default. */
  options: z.array(DriverOptionSpecSchema),
});
export type DriverInfo = z.infer<typeof DriverInfoSchema>;

export const METHODS = {
  /** Who is signed in, which patient is selected, the devices: everything the header shows. */
  getState: query(Empty, HubStateSchema),
  /** Readings waiting for a decision on this workstation (assigned or not), oldest first. */
  listReview: query(Empty, z.array(ReviewItemSchema)),
  /** A patient's readings, newest first, with their state. */
  getHistory: query(z.object({ mrn: z.string().min(1) }).strict(), z.array(ReviewItemSchema)),
  /** Control / QC results: never a patient's readings. */
  listQc: query(Empty, z.array(ReviewItemSchema)),
  // `who: 'people'`: only rows a person did (an operator is named), without device events such as
  // arrivals, which on a busy cart outnumber everything else.
  listAudit: query(z.object({ limit: z.number().int().min(1).max(1000).optional(), who: z.enum(['all', 'people']).optional() }).strict(), z.array(AuditEntrySchema)),
  listDevices: query(Empty, z.array(DeviceStatusSchema)),

  /** Sign in by badge scan (or typed badge id) and PIN. */
  signIn: command(
    z.object({ badgeId: z.string().trim().min(1).max(INPUT_LIMITS.badgeId), pin: z.string().min(INPUT_LIMITS.pinMin).max(INPUT_LIMITS.pinMax) }).strict(),
    OperatorSchema,
  ),
  signOut: command(Empty, Ok),
  /**
   * Select (or scan) the patient by two identifiers. When readings of the previous patient are
   * still pending, the call fails with PENDING_DECISION_REQUIRED until `pending` says what to do.
   */
  // Identification: an MRN not on file is refused (NOT_FOUND, details.unknown) unless
  // `createLocal` (MRN + date of birth + name: a new local patient, not verified against the EHR);
  // a name for a patient on file without one is refused (CONFLICT, details.nameMissing) unless `addName`.
  selectPatient: command(
    z
      .object({
        mrn: z.string().trim().min(1).max(INPUT_LIMITS.mrn),
        birthDate: BirthDateSchema.optional(),
        name: z.string().trim().min(1).max(INPUT_LIMITS.patientName).optional(),
        pending: z.enum(PENDING_ACTIONS).optional(),
        createLocal: z.boolean().optional(),
        addName: z.boolean().optional(),
        /** The encounter picked with the patient (Today list): it must exist and be this MRN's. */
        visitId: z.string().trim().min(1).max(300).optional(),
      })
      .strict(),
    PatientSchema,
  ),
  clearPatient: command(z.object({ pending: z.enum(PENDING_ACTIONS).optional() }).strict(), Ok),
  /** Assign readings that arrived with no patient selected to the current patient (explicitly). */
  assignReadings: command(z.object({ readingIds: z.array(ReadingId).min(1).max(500) }).strict(), z.array(ReviewItemSchema)),
  // Plausibility and age of results (docs/architecture.md §8 rule 12).
  /**
   * Confirm one reading. A critical value or a result older than the workstation's limit needs
   * its explicit acknowledgement (`critical`, `old`); an impossible value is never confirmed.
   */
  confirmReading: command(z.object({ readingId: ReadingId, acknowledge: z.array(z.enum(ACKNOWLEDGEMENTS)).max(ACKNOWLEDGEMENTS.length).optional() }).strict(), ReviewItemSchema),
  /** Confirm one device's pending batch for the current patient. */
  confirmDevice: command(z.object({ deviceKey: z.string().min(1) }).strict(), z.array(ReviewItemSchema)),
  rejectReading: command(z.object({ readingId: ReadingId, reason: z.enum(REJECT_REASONS), note: z.string().max(INPUT_LIMITS.rejectNote).optional() }).strict(), ReviewItemSchema),
  /**
   * A value entered by hand (marked manual), e.g. after rejecting a wrong device value: stored
   * pending for the current patient and confirmed like any other; outside hard limits it is refused.
   */
  enterManual: command(
    z
      .object({
        code: z.enum(Object.keys(CATALOG) as [keyof typeof CATALOG, ...(keyof typeof CATALOG)[]]),
        // No clinical value needs more than 7 significant digits: a longer number is a typing accident.
        value: z
          .number({ message: 'Type the value as a number.' })
          .finite({ message: 'Type the value as a number.' })
          .min(-1_000_000, { message: 'The value has more digits than any measurement: check it and type it again.' })
          .max(1_000_000, { message: 'The value has more digits than any measurement: check it and type it again.' }),
        unit: z.enum(Object.keys(UNITS) as [keyof typeof UNITS, ...(keyof typeof UNITS)[]]),
        replacesReadingId: ReadingId.optional(),
      })
      .strict(),
    ReviewItemSchema,
  ),
  /** Continuous devices: make a reading now from the live values. */
  capture: command(
    z.object({ deviceKey: z.string().min(1) }).strict(),
    // `reading`: what Capture stored, or the reading of those same values stored before (isNew
    // false) — perhaps already confirmed or rejected, which the assistant must be told.
    z.object({ captured: z.boolean(), isNew: z.boolean().optional(), reading: ReviewItemSchema.optional() }),
  ),
  /**
   * Send one of the device's commands (its driver manifest's `commands`, e.g. `start-bp`) and get
   * the device's reply; audited as `device.command`. Assistants and biomed staff only.
   */
  deviceCommand: command(
    z.object({ deviceKey: z.string().min(1).max(200), command: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(60) }).strict(),
    z.object({ accepted: z.boolean(), reply: z.string() }),
    ['assistant', 'biomed'],
  ),
  /** Export (docs/export.md §3): counts per target and the rows in the given states (newest first). */
  getOutbox: query(
    z.object({ targetId: TargetIdSchema.optional(), states: z.array(z.enum(OUTBOX_STATES)).max(5).optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
    z.object({ summary: z.array(OutboxSummarySchema), rows: z.array(OutboxRowSchema) }),
  ),
  /** One outbox row with every attempt and the receiver's answers. */
  getOutboxRow: query(z.object({ id: z.number().int().min(1) }).strict(), z.object({ row: OutboxRowSchema, attempts: z.array(ExportAttemptSchema) })),
  /** Send failed rows now instead of waiting for their back-off (all failed rows of a target, or the given ids). */
  retryExport: command(z.object({ ids: z.array(z.number().int().min(1)).min(1).max(1000).optional(), targetId: TargetIdSchema.optional() }).strict(), z.object({ count: z.number().int() })),
  /**
   * Put dead rows back in the queue after the cause was fixed: the content is built again from
   * the stored reading (with a new HL7 control id, as the receiver refused the old message).
   */
  requeueExport: command(z.object({ ids: z.array(z.number().int().min(1)).min(1).max(1000) }).strict(), z.object({ count: z.number().int() }), ['admin']),
  listExportTargets: query(Empty, z.array(ExportTargetViewSchema), ['admin', 'biomed']),
  /** Create or change a target; the secret (bearer token) is write-only. */
  saveExportTarget: command(SaveTargetInputSchema, ExportTargetViewSchema, ['admin']),
  /** Check a saved target answers, without exporting anything. */
  testExportTarget: command(z.object({ targetId: TargetIdSchema }).strict(), z.object({ ok: z.boolean(), message: z.string() }), ['admin', 'biomed']),
  // The biomed console (docs/architecture.md §6): ports, drivers, settings, live trace, simulators, config file.
  /** Every port and USB/HID device seen or added, with its match, assignment, state and health. */
  listPorts: query(Empty, z.array(PortSchema), BIOMED),
  /** How port listing is doing (polling, last listing, problems such as udev missing). */
  getDiscovery: query(Empty, DiscoveryStatusSchema, BIOMED),
  /** List ports now (a device just plugged in; a problem just fixed) and answer with the status. */
  scanPorts: command(Empty, DiscoveryStatusSchema, BIOMED),
  /** The registered drivers as the console needs them: defaults to fill the settings form, scenarios for the simulator. */
  listDrivers: query(Empty, z.array(DriverInfoSchema), BIOMED),
  /**
   * Add a port discovery cannot see: a pty (by path), a serial-to-Ethernet box (`host:port`), a
   * listening address, a local web service (URL) or a meter's mounted folder (absolute path).
   */
  addPort: command(
    z
      .object({ transport: z.enum(ADDABLE_TRANSPORTS), path: z.string().trim().min(1).max(INPUT_LIMITS.portPath) })
      .strict()
      .superRefine((input, ctx) => {
        const problem = input.transport === 'folder' ? folderPathProblem(input.path) : undefined;
        if (problem) ctx.addIssue({ code: 'custom', path: ['path'], message: problem });
      }),
    PortSchema,
    BIOMED,
  ),
  /** Assign a driver to a port (settings default to the driver's); connects when autoConnect. */
  assignPort: command(
    z
      .object({ portId: PortId, driverId: z.string().min(1).max(100), settings: PortSettingsSchema.optional(), options: DriverOptionValuesSchema.optional(), autoConnect: z.boolean().optional() })
      .strict(),
    PortSchema,
    BIOMED,
  ),
  unassignPort: command(z.object({ portId: PortId }).strict(), PortSchema, BIOMED),
  /** Forget a port (driver, settings); one added by hand leaves the list. Answers with the list. */
  removePort: command(z.object({ portId: PortId }).strict(), z.array(PortSchema), BIOMED),
  connectPort: command(z.object({ portId: PortId }).strict(), PortSchema, BIOMED),
  disconnectPort: command(z.object({ portId: PortId }).strict(), PortSchema, BIOMED),
  /** Probe and identify the device on a port with its assigned driver, without keeping a session. */
  testPort: command(z.object({ portId: PortId }).strict(), z.object({ ok: z.boolean(), message: z.string(), identity: DeviceIdentitySchema.optional() }), BIOMED),
  /** The newest trace entries of a port (after `afterSeq`), oldest first. */
  getTrace: query(z.object({ portId: PortId, afterSeq: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(5000).optional() }).strict(), z.array(TraceEntrySchema), BIOMED),
  /** Start writing the port's bytes to a trace file (docs/trace-format.md §4.2); patient identifiers masked when asked. */
  startRecording: command(z.object({ portId: PortId, maskPatientIds: z.boolean() }).strict(), PortSchema, BIOMED),
  /** Stop recording: the trace file's name and text (the UI offers it for download). */
  stopRecording: command(z.object({ portId: PortId }).strict(), z.object({ fileName: z.string(), trace: z.string(), frames: z.number().int() }), BIOMED),
  /** Replay a trace file's text against a driver: the readings it gives. */
  replayTrace: command(z.object({ driverId: z.string().min(1).max(100), trace: z.string().min(1).max(5_000_000) }).strict(), ReplayResultSchema, BIOMED),
  listSimulators: query(Empty, z.array(SimulatorSchema), BIOMED),
  /** Play a driver's device simulator on a serial port or pty (the other end of a socat pair). */
  startSimulator: command(z.object({ driverId: z.string().min(1).max(100), path: z.string().trim().min(1).max(500), scenario: z.string().max(100).optional() }).strict(), SimulatorSchema, BIOMED),
  stopSimulator: command(z.object({ id: z.string().min(1).max(100) }).strict(), Ok, BIOMED),
  /** This workstation's configuration as one file (no secrets). */
  exportConfig: query(Empty, WorkstationConfigSchema, BIOMED),
  /** Apply a configuration file; refused as a whole, naming the field, when anything in it is wrong. */
  importConfig: command(z.object({ config: z.unknown() }).strict(), z.object({ ports: z.number().int(), exportTargets: z.number().int() }), ['admin']),
  // A central configuration this workstation follows (docs/architecture.md §6, fleet configuration): admins only.
  /** The subscription, the last check and refusal, the version applied and the local overrides. */
  getConfigFollow: query(Empty, FollowStatusSchema, ['admin']),
  /** Follow a signed central file (replacing any subscription) and check it once now. */
  followConfig: command(FollowInputSchema, FollowCheckSchema, ['admin']),
  /** Check the followed file now. */
  checkConfigFollow: command(Empty, FollowCheckSchema, ['admin']),
  /** Stop following; what was applied stays. */
  unfollowConfig: command(Empty, FollowStatusSchema, ['admin']),
  // Quality control: control lots, control evaluation, QC intervals (docs/architecture.md §8 rule 11).
  /** Control lots, in use first (every operator: the QC log's Evaluate chooses among them). */
  listQcLots: query(Empty, z.array(QcLotSchema)),
  /** Add a lot (no id) or change one; a new lot may not be expired already. */
  saveQcLot: command(SaveQcLotInputSchema, QcLotSchema, ['admin']),
  /** Take a lot out of use; kept, as past evaluations name it. */
  retireQcLot: command(z.object({ id: z.string().min(1).max(QC_LIMITS.lotId) }).strict(), QcLotSchema, ['admin']),
  /** Judge a control result pass/fail against the lot and level a person chose; final once made. */
  evaluateQc: command(EvaluateQcInputSchema, ReviewItemSchema),
  /** Each device's QC interval (devices with none have no QC requirement). */
  listQcPolicies: query(Empty, z.array(QcPolicySchema)),
  /** Require a passing control every `intervalHours` on a device, or (null) no longer. */
  setQcPolicy: command(SetQcPolicyInputSchema, z.array(QcPolicySchema), ['admin']),
  // Sessions: the inactivity lock of a session (docs/architecture.md §8).
  /** Open a session locked after inactivity with its operator's PIN (another badge uses signIn). */
  unlock: command(z.object({ pin: z.string().min(4).max(64) }).strict(), OperatorSchema),
  /** The person is at the screen (keyboard, mouse, touch): postpones this session's lock. */
  keepAlive: command(Empty, Ok),
  // Device roles (docs/architecture.md §8, "Device roles") — where a result may go.
  /** Memory results not imported yet (kept apart from the review list), per device, with their ages. */
  listMemory: query(z.object({ deviceKey: z.string().min(1).max(600).optional() }).strict(), MemoryListSchema),
  /**
   * Import memory results for the selected patient: they become that patient's pending readings.
   * Refused when one was measured before the recent window unless `acknowledgeOld` is true.
   */
  importReadings: command(z.object({ readingIds: z.array(ReadingId).min(1).max(500), acknowledgeOld: z.boolean().optional() }).strict(), z.array(ReviewItemSchema)),
  /** Accept a shared device's proposal: the reading goes to the patient its sample id names, who must be selected. */
  acceptProposal: command(z.object({ readingId: ReadingId }).strict(), ReviewItemSchema),
  /** Set the role of a port's device (biomed staff); the driver's default until set. */
  setPortRole: command(z.object({ portId: PortId, role: DeviceRoleSchema }).strict(), PortSchema, BIOMED),
  // Patient context (docs/architecture.md §8, "Patient context").
  /**
   * Today's patients for this workstation's local day, from the visits the sources gave; `refresh`
   * asks the sources again now (otherwise at most every few minutes).
   */
  listToday: query(z.object({ refresh: z.boolean().optional() }).strict(), TodayListSchema, ['assistant']),
  // Patient sources (docs/patient-sources.md): where the hub checks who a patient is.
  /** The configured patient sources (never a secret, only whether one is stored). */
  listPatientSources: query(Empty, z.array(PatientSourceViewSchema), BIOMED),
  /** Create or change a patient source; the secret (bearer token) is write-only. Audited. */
  savePatientSource: command(SavePatientSourceInputSchema, PatientSourceViewSchema, ['admin']),
  /** Remove a patient source and its secret. Audited. */
  removePatientSource: command(z.object({ sourceId: z.string().trim().min(1).max(40) }).strict(), Ok, ['admin']),
  /** "Test connection": a FHIR source answers (metadata and a search); an ADT source's address can be bound. */
  testPatientSource: command(z.object({ sourceId: z.string().trim().min(1).max(40) }).strict(), z.object({ ok: z.boolean(), message: z.string() }), BIOMED),
  /** Check the audit log's hash chain. */
  verifyAudit: query(Empty, z.object({ ok: z.boolean(), rows: z.number().int(), brokenAt: z.number().int().optional(), message: z.string() }), ['admin', 'biomed']),
} as const;

export type MethodName = keyof typeof METHODS;
export type MethodInput<M extends MethodName> = z.input<(typeof METHODS)[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<(typeof METHODS)[M]['output']>;

/** Events pushed to every connected UI. */
export const EVENTS = {
  /** A review item was added or changed (arrived, assigned, confirmed, rejected). */
  review: ReviewItemSchema,
  /** Header state changed (operator, patient, devices). */
  state: HubStateSchema,
  /** Live values of a continuous device (about once a second). */
  live: z.object({ deviceKey: DeviceStatusSchema.shape.key, live: DeviceStatusSchema.shape.live.unwrap() }),
  /** The outbox counts changed (a row was queued, sent, failed or died). */
  outbox: z.array(OutboxSummarySchema),
  /** The port list changed (plugged, unplugged, assigned, connected, health). */
  ports: z.array(PortSchema),
  /** New protocol trace entries of one port (batched, at most every 100 ms). */
  trace: z.object({ portId: z.string(), entries: z.array(TraceEntrySchema) }),
} as const;
export type EventName = keyof typeof EVENTS;
export type EventPayload<E extends EventName> = z.output<(typeof EVENTS)[E]>;

/** Methods that need no signed-in operator. */
export const PUBLIC_METHODS: ReadonlySet<MethodName> = new Set(['getState', 'signIn', 'unlock']);
