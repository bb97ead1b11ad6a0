import type Database from 'better-sqlite3';
import { z } from 'zod';
import { HubError } from '../../shared/errors.ts';
import { REJECT_REASONS, type RejectReason } from '../../shared/api/model.ts';
import { READING_KINDS, type Reading, type ReadingKind } from '../../shared/reading.ts';
import { DEVICE_ROLES, type DeviceRole } from '../../shared/device-role.ts';
import { guardStore } from './store-errors.ts';
import { toStoredReading, type ReadingState } from './stored-reading.ts';

const ASSIGNED_VIA = ['arrival', 'operator', 'manual'] as const;
export type AssignedVia = (typeof ASSIGNED_VIA)[number];

/** A reading with what people decided about it: one `reviews` row joined with its reading. */
export interface ReviewRecord {
  readingId: string;
  reading: Reading;
  kind: ReadingKind;
  state: ReadingState;
  deviceKey: string;
  deviceLabel: string;
  patient?: { mrn: string; name?: string; birthDate?: string };
  assignedBy?: string;
  assignedAt?: string;
  assignedVia?: AssignedVia;
  decidedBy?: { id: string; name: string };
  decidedAt?: string;
  rejectReason?: RejectReason;
  rejectNote?: string;
  manual: boolean;
  replaces?: string;
  /** The device's role when the reading arrived (schema v5); absent for older rows and manual entries. */
  deviceRole?: DeviceRole;
  /** Memory results: waiting for an import, or imported (schema v5). */
  memoryState?: MemoryState;
  /** The visit (encounter) selected with the patient when it was assigned (schema v12). */
  visitId?: string;
}

const MEMORY_STATES = ['not-imported', 'imported'] as const;
/** Where a memory result stands: kept out of the review list until imported. */
export type MemoryState = (typeof MEMORY_STATES)[number];

/** How many memory results of one device wait for an import. */
export interface MemoryCount {
  deviceKey: string;
  deviceLabel: string;
  count: number;
}

/** A new review row; a manual entry is inserted already confirmed. */
interface ReviewInsert {
  readingId: string;
  deviceKey: string;
  deviceLabel: string;
  patientMrn: string | null;
  assignedBy: string | null;
  assignedAt: string | null;
  assignedVia: AssignedVia | null;
  decision: 'confirmed' | null;
  decidedBy: string | null;
  decidedAt: string | null;
  manual: boolean;
  replaces: string | null;
  /** Absent for manual entries. */
  deviceRole?: DeviceRole;
  memoryState?: MemoryState;
  /** The encounter selected with the patient, when one was. */
  visitId?: string;
}

/** A decision on a pending row. */
export interface ReviewDecision {
  decision: 'confirmed' | 'rejected';
  by: string;
  at: string;
  reason?: RejectReason;
  note?: string;
}

const nul = <T extends z.ZodType>(t: T) => t.nullable().transform((v) => v ?? undefined);
const RowSchema = z.object({
  reading_id: z.string(),
  device_key: z.string(),
  device_label: z.string(),
  patient_mrn: nul(z.string()),
  patient_name: nul(z.string()),
  patient_birth_date: nul(z.string()),
  assigned_by: nul(z.string()),
  assigned_at: nul(z.string()),
  assigned_via: nul(z.enum(ASSIGNED_VIA)),
  decided_by: nul(z.string()),
  decided_by_name: nul(z.string()),
  decided_at: nul(z.string()),
  reject_reason: nul(z.enum(REJECT_REASONS)),
  reject_note: nul(z.string()),
  manual: z.union([z.literal(0), z.literal(1)]),
  replaces_reading_id: nul(z.string()),
  device_role: nul(z.enum(DEVICE_ROLES)),
  memory_state: nul(z.enum(MEMORY_STATES)),
  visit_id: nul(z.string()),
  kind: z.enum(READING_KINDS),
  state: z.string(),
  session_id: z.string().nullable(),
  reading_json: z.string(),
  stored_at: z.string(),
});

/** Rows are re-validated on the way out: a damaged row is reported, never shown as a reading. */
function toRecord(raw: unknown): ReviewRecord {
  const parsed = RowSchema.safeParse(raw);
  if (!parsed.success) throw new HubError('STORE_FAILED', 'A stored review row is damaged.', { cause: parsed.error });
  const r = parsed.data;
  const stored = toStoredReading({ id: r.reading_id, state: r.state, session_id: r.session_id, reading_json: r.reading_json, stored_at: r.stored_at });
  const patient =
    r.patient_mrn === undefined
      ? undefined
      : { mrn: r.patient_mrn, ...(r.patient_name === undefined ? {} : { name: r.patient_name }), ...(r.patient_birth_date === undefined ? {} : { birthDate: r.patient_birth_date }) };
  const optional = {
    patient,
    assignedBy: r.assigned_by,
    assignedAt: r.assigned_at,
    assignedVia: r.assigned_via,
    decidedBy: r.decided_by === undefined ? undefined : { id: r.decided_by, name: r.decided_by_name ?? r.decided_by },
    decidedAt: r.decided_at,
    rejectReason: r.reject_reason,
    rejectNote: r.reject_note,
    replaces: r.replaces_reading_id,
    deviceRole: r.device_role,
    memoryState: r.memory_state,
    visitId: r.visit_id,
  };
  const present = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined));
  return { readingId: r.reading_id, reading: stored.reading, kind: r.kind, state: stored.state, deviceKey: r.device_key, deviceLabel: r.device_label, manual: r.manual === 1, ...present };
}

const SELECT = `
  SELECT v.reading_id, v.device_key, v.device_label, v.patient_mrn, p.name AS patient_name, p.birth_date AS patient_birth_date,
         v.assigned_by, v.assigned_at, v.assigned_via, v.decided_by, o.name AS decided_by_name, v.decided_at,
         v.reject_reason, v.reject_note, v.manual, v.replaces_reading_id, v.device_role, v.memory_state, v.visit_id,
         r.kind, r.state, r.session_id, r.reading_json, r.stored_at
  FROM reviews v
  JOIN readings r ON r.id = v.reading_id
  LEFT JOIN patients p ON p.mrn = v.patient_mrn
  LEFT JOIN operators o ON o.id = v.decided_by`;

function prepare(db: Database.Database) {
  return {
    byId: db.prepare<[string], unknown>(`${SELECT} WHERE v.reading_id = ?`),
    insert: db.prepare<[Omit<ReviewInsert, 'deviceRole' | 'memoryState' | 'visitId'> & { manualInt: number; deviceRole: DeviceRole | null; memoryState: MemoryState | null; visitId: string | null }]>(`
      INSERT INTO reviews (reading_id, device_key, device_label, patient_mrn, assigned_by, assigned_at, assigned_via,
                           decision, decided_by, decided_at, manual, replaces_reading_id, device_role, memory_state, visit_id)
      VALUES (@readingId, @deviceKey, @deviceLabel, @patientMrn, @assignedBy, @assignedAt, @assignedVia,
              @decision, @decidedBy, @decidedAt, @manualInt, @replaces, @deviceRole, @memoryState, @visitId)`),
    assign: db.prepare<[string, string | null, string, AssignedVia, string | null, string]>(
      'UPDATE reviews SET patient_mrn = ?, assigned_by = ?, assigned_at = ?, assigned_via = ?, visit_id = ? WHERE reading_id = ? AND decision IS NULL',
    ),
    pendingIdsOf: db.prepare<[string], { reading_id: string }>('SELECT reading_id FROM reviews WHERE patient_mrn = ? AND decision IS NULL'),
    // A merge moves only undecided readings: a confirmed or rejected one keeps its history.
    movePending: db.prepare<[string, string], { reading_id: string }>('UPDATE reviews SET patient_mrn = ? WHERE patient_mrn = ? AND decision IS NULL RETURNING reading_id'),
    unassign: db.prepare<[string]>(
      'UPDATE reviews SET patient_mrn = NULL, assigned_by = NULL, assigned_at = NULL, assigned_via = NULL, visit_id = NULL WHERE reading_id = ? AND decision IS NULL',
    ),
    decide: db.prepare<[string, string, string, string | null, string | null, string]>(
      'UPDATE reviews SET decision = ?, decided_by = ?, decided_at = ?, reject_reason = ?, reject_note = ? WHERE reading_id = ? AND decision IS NULL',
    ),
    // Memory results wait for an import outside the review list (docs/architecture.md §8).
    pending: db.prepare<[], unknown>(`${SELECT} WHERE v.decision IS NULL AND r.kind = 'patient' AND v.memory_state IS NOT 'not-imported' ORDER BY r.seq`),
    memory: db.prepare<[{ key: string | null; limit: number }], unknown>(
      `${SELECT} WHERE v.memory_state = 'not-imported' AND v.decision IS NULL AND (@key IS NULL OR v.device_key = @key)
       ORDER BY julianday(r.effective_time) DESC, r.seq DESC LIMIT @limit`,
    ),
    memoryCounts: db.prepare<[], { device_key: string; device_label: string; n: number }>(
      `SELECT device_key, max(device_label) AS device_label, count(*) AS n FROM reviews
       WHERE memory_state = 'not-imported' AND decision IS NULL GROUP BY device_key ORDER BY device_key`,
    ),
    imported: db.prepare<[string]>("UPDATE reviews SET memory_state = 'imported' WHERE reading_id = ? AND memory_state = 'not-imported' AND decision IS NULL"),
    pendingOfDevice: db.prepare<[string, string], unknown>(
      `${SELECT} WHERE v.decision IS NULL AND v.device_key = ? AND v.patient_mrn = ? ORDER BY r.seq`,
    ),
    ofPatient: db.prepare<[string, number], unknown>(
      `${SELECT} WHERE v.patient_mrn = ? ORDER BY julianday(r.effective_time) DESC, r.seq DESC LIMIT ?`,
    ),
    qc: db.prepare<[number], unknown>(`${SELECT} WHERE r.kind <> 'patient' ORDER BY r.seq DESC LIMIT ?`),
    replacedBy: db.prepare<[string], { reading_id: string }>('SELECT reading_id FROM reviews WHERE replaces_reading_id = ?'),
  };
}

/** The `reviews` table (schema v2) and the review lists the UI shows. */
export class ReviewsRepo {
  private readonly stmts: ReturnType<typeof prepare>;

  constructor(db: Database.Database) {
    this.stmts = prepare(db);
  }

  get(readingId: string): ReviewRecord | undefined {
    const row = guardStore('read the review', () => this.stmts.byId.get(readingId));
    return row === undefined ? undefined : toRecord(row);
  }

  insert(row: ReviewInsert): void {
    guardStore('record the review', () =>
      this.stmts.insert.run({ ...row, manualInt: row.manual ? 1 : 0, deviceRole: row.deviceRole ?? null, memoryState: row.memoryState ?? null, visitId: row.visitId ?? null }),
    );
  }

  /**
   * Give a pending reading its patient, and the encounter selected with them (none: no visit).
   * Returns false when it was decided meanwhile.
   */
  assign(readingId: string, mrn: string, by: string | null, at: string, via: AssignedVia, visitId?: string): boolean {
    return guardStore('assign the reading', () => this.stmts.assign.run(mrn, by, at, via, visitId ?? null, readingId).changes === 1);
  }

  /** Ids of the patient's readings still waiting for a decision. */
  pendingIdsOf(mrn: string): string[] {
    return guardStore('count pending readings', () => this.stmts.pendingIdsOf.all(mrn).map((r) => r.reading_id));
  }

  /**
   * A merge (ADT A40): re-point the prior patient's readings still waiting for a decision to the
   * surviving patient; decided ones stay where they were. Returns the ids moved, in id order.
   */
  movePendingToPatient(from: string, to: string): string[] {
    return guardStore('move the pending readings', () => this.stmts.movePending.all(to, from).map((r) => r.reading_id)).sort();
  }

  /** Return a pending reading to "unassigned". */
  unassign(readingId: string): void {
    guardStore('unassign the reading', () => this.stmts.unassign.run(readingId));
  }

  /**
   * Record a decision on a pending reading; the reading's state follows in the same statement
   * (trigger). Returns false when the row was not pending (decided meanwhile).
   */
  decide(readingId: string, d: ReviewDecision): boolean {
    return guardStore('record the decision', () => this.stmts.decide.run(d.decision, d.by, d.at, d.reason ?? null, d.note ?? null, readingId).changes === 1);
  }

  /** Patient readings waiting for a decision (assigned or not), oldest first. */
  listPending(): ReviewRecord[] {
    return guardStore('list pending readings', () => this.stmts.pending.all()).map(toRecord);
  }

  /** Memory results waiting for an import (of one device, or all), newest measurement first. */
  listMemory(deviceKey: string | undefined, limit: number): ReviewRecord[] {
    return guardStore('list the device memory', () => this.stmts.memory.all({ key: deviceKey ?? null, limit })).map(toRecord);
  }

  /** How many memory results wait for an import, per device. */
  memoryCounts(): MemoryCount[] {
    return guardStore('count the device memory', () => this.stmts.memoryCounts.all()).map((r) => ({ deviceKey: r.device_key, deviceLabel: r.device_label, count: r.n }));
  }

  /** Mark a memory result imported (it joins the review list). False when it was not waiting. */
  markImported(readingId: string): boolean {
    return guardStore('import the reading', () => this.stmts.imported.run(readingId).changes === 1);
  }

  /** One device's pending readings assigned to one patient, oldest first. */
  listPendingOfDevice(deviceKey: string, mrn: string): ReviewRecord[] {
    return guardStore('list the device batch', () => this.stmts.pendingOfDevice.all(deviceKey, mrn)).map(toRecord);
  }

  /** A patient's readings in every state, newest effective time first. */
  listOfPatient(mrn: string, limit: number): ReviewRecord[] {
    return guardStore('list the patient history', () => this.stmts.ofPatient.all(mrn, limit)).map(toRecord);
  }

  /** Control and calibration results, newest first. */
  listQc(limit: number): ReviewRecord[] {
    return guardStore('list the QC log', () => this.stmts.qc.all(limit)).map(toRecord);
  }

  /** The manual entry that replaced this rejected reading, if any. */
  replacedBy(readingId: string): string | undefined {
    return guardStore('look up the replacement', () => this.stmts.replacedBy.get(readingId)?.reading_id);
  }
}
