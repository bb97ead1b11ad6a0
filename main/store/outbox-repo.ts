import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { ExportAttempt, OutboxRow, OutboxSummary, ReadingExport } from '../../shared/api/model.ts';
import { HubError } from '../../shared/errors.ts';
import { OUTBOX_STATES, TARGET_KINDS, type OutboxState } from '../../shared/export/targets.ts';
import { summarizeObservations } from '../../shared/observation-summary.ts';
import { ReadingSchema, type Reading } from '../../shared/reading.ts';
import { mintControlId } from './control-id.ts';
import { PatientIdentifierSchema, PatientSexSchema, type PatientIdentifier, type PatientSex } from '../../shared/patients/patient-sources.ts';

/** Receivers' answers are kept, but not without bound. */
const RESPONSE_LIMIT = 4000;

const clip = (s: string): string => (s.length > RESPONSE_LIMIT ? `${s.slice(0, RESPONSE_LIMIT - 1)}…` : s);

/** The head of one target's queue as the worker sees it. */
interface QueueHead {
  id: number;
  readingId: string;
  controlId: string;
  state: Extract<OutboxState, 'pending' | 'sending' | 'failed'>;
  attempts: number;
  nextAttemptAt?: string;
  payload?: { body: string; contentType: string };
}

/** What an exporter needs of one row (see main/export/exporter.ts ExportItem). */
interface OutboxItemData {
  outboxId: number;
  readingId: string;
  controlId: string;
  reading: Reading;
  patient: { mrn: string; name?: string; birthDate?: string; sex?: PatientSex; fhirId?: string; identifiers?: PatientIdentifier[] };
  /** The encounter selected with the patient when the reading was assigned, as far as it is known. */
  visit?: { encounterId?: string; visitNumber?: string };
  confirmedBy: { id: string; name: string };
  confirmedAt: string;
  manual: boolean;
  deviceLabel: string;
}

interface AttemptRecord {
  startedAt: string;
  endedAt: string;
  outcome: 'done' | 'retry' | 'dead';
  status: string;
  response: string;
  /** For a retry: when the next attempt may start. */
  nextAttemptAt?: string;
  /** For retry and dead: the one-line reason shown to people. */
  message?: string;
}

export interface OutboxQuery {
  targetId?: string;
  states?: readonly OutboxState[];
  limit?: number;
}

const nul = <T extends z.ZodType>(t: T) => t.nullable().transform((v) => v ?? undefined);
const StateSchema = z.enum(OUTBOX_STATES);

const HeadSchema = z.object({
  id: z.number(),
  reading_id: z.string(),
  control_id: z.string(),
  state: z.enum(['pending', 'sending', 'failed']),
  attempts: z.number(),
  next_attempt_at: nul(z.string()),
  payload: nul(z.string()),
  content_type: nul(z.string()),
});

const ListRowSchema = z.object({
  id: z.number(),
  target_id: z.string(),
  target_name: z.string(),
  reading_id: z.string(),
  control_id: z.string(),
  state: StateSchema,
  attempts: z.number(),
  next_attempt_at: nul(z.string()),
  last_status: nul(z.string()),
  last_message: nul(z.string()),
  patient_mrn: z.string(),
  reading_json: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  done_at: nul(z.string()),
});

const ItemRowSchema = z.object({
  id: z.number(),
  reading_id: z.string(),
  control_id: z.string(),
  reading_json: z.string(),
  patient_mrn: z.string(),
  patient_name: nul(z.string()),
  patient_birth_date: nul(z.string()),
  patient_sex: nul(PatientSexSchema),
  patient_fhir_id: nul(z.string()),
  patient_identifiers: nul(z.string()),
  visit_id: nul(z.string()),
  encounter_id: nul(z.string()),
  visit_number: nul(z.string()),
  decided_by: z.string(),
  decided_by_name: nul(z.string()),
  decided_at: z.string(),
  manual: z.union([z.literal(0), z.literal(1)]),
  device_label: z.string(),
});

function parseReading(json: string): Reading {
  const parsed = ReadingSchema.safeParse(JSON.parse(json));
  if (!parsed.success) throw new HubError('STORE_FAILED', 'A stored reading is damaged and cannot be exported.', { cause: parsed.error });
  return parsed.data;
}

/** The identifiers a source gave, as stored; a damaged list is left out rather than exported. */
function identifiersOf(json: string | undefined): PatientIdentifier[] | undefined {
  if (json === undefined) return undefined;
  const parsed = z.array(PatientIdentifierSchema).safeParse(JSON.parse(json));
  return parsed.success && parsed.data.length > 0 ? parsed.data : undefined;
}

const present = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/**
 * The `outbox` and `export_attempts` tables. Every method is meant to run inside the caller's
 * transaction (`HubDatabase.transaction`), so a state change and its attempt row commit
 * together.
 */
export class OutboxRepo {
  private readonly q;

  constructor(db: Database.Database) {
    const LIST = `
      SELECT o.id, o.target_id, t.name AS target_name, o.reading_id, o.control_id, o.state, o.attempts, o.next_attempt_at,
             o.last_status, o.last_message, v.patient_mrn, r.reading_json, o.created_at, o.updated_at, o.done_at
      FROM outbox o JOIN export_targets t ON t.id = o.target_id JOIN reviews v ON v.reading_id = o.reading_id JOIN readings r ON r.id = o.reading_id`;
    this.q = {
      insert: db.prepare<[string, string, string, string, string]>(
        "INSERT INTO outbox (target_id, reading_id, control_id, state, created_at, updated_at) VALUES (?, ?, ?, 'pending', ?, ?) ON CONFLICT (reading_id, target_id) DO NOTHING",
      ),
      // Confirmed since a time and not yet queued for this target, in the order they were confirmed.
      missing: db.prepare<[string, string], { reading_id: string }>(
        `SELECT v.reading_id FROM reviews v
         WHERE v.decision = 'confirmed' AND v.decided_at >= ?
           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.reading_id = v.reading_id AND o.target_id = ?)
         ORDER BY v.decided_at, v.reading_id`,
      ),
      head: db.prepare<[string], unknown>(
        "SELECT id, reading_id, control_id, state, attempts, next_attempt_at, payload, content_type FROM outbox WHERE target_id = ? AND state IN ('pending', 'sending', 'failed') ORDER BY id LIMIT 1",
      ),
      setPayload: db.prepare<[string, string, string, number]>(
        "UPDATE outbox SET payload = ?, content_type = ?, updated_at = ? WHERE id = ? AND state IN ('pending', 'failed') AND payload IS NULL",
      ),
      toSending: db.prepare<[string, number]>("UPDATE outbox SET state = 'sending', updated_at = ? WHERE id = ? AND state IN ('pending', 'sending', 'failed')"),
      finish: db.prepare<{ id: number; state: string; status: string; message: string | null; next: string | null; now: string; done: string | null }>(
        `UPDATE outbox SET state = @state, attempts = attempts + 1, last_status = @status, last_message = @message,
                next_attempt_at = @next, updated_at = @now, done_at = @done
         WHERE id = @id AND state = 'sending'`,
      ),
      invalid: db.prepare<[string, string, number]>(
        "UPDATE outbox SET state = 'dead', last_status = 'invalid', last_message = ?, next_attempt_at = NULL, updated_at = ? WHERE id = ? AND state IN ('pending', 'failed')",
      ),
      attempt: db.prepare<[number, string, string, string, string, string]>(
        'INSERT INTO export_attempts (outbox_id, started_at, ended_at, outcome, status, response) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      attemptsOf: db.prepare<[number], { started_at: string; ended_at: string; outcome: 'done' | 'retry' | 'dead'; status: string; response: string }>(
        'SELECT started_at, ended_at, outcome, status, response FROM export_attempts WHERE outbox_id = ? ORDER BY id',
      ),
      retryAllOf: db.prepare<[string, string, string]>("UPDATE outbox SET next_attempt_at = ?, updated_at = ? WHERE target_id = ? AND state = 'failed'"),
      retryOne: db.prepare<[string, string, number]>("UPDATE outbox SET next_attempt_at = ?, updated_at = ? WHERE id = ? AND state = 'failed'"),
      requeue: db.prepare<[string, string, number]>(
        `UPDATE outbox SET state = 'pending', attempts = 0, payload = NULL, content_type = NULL, control_id = ?, next_attempt_at = NULL,
                last_status = NULL, last_message = NULL, updated_at = ? WHERE id = ? AND state = 'dead'`,
      ),
      item: db.prepare<[number], unknown>(`
        SELECT o.id, o.reading_id, o.control_id, r.reading_json, v.patient_mrn, p.name AS patient_name, p.birth_date AS patient_birth_date,
               p.sex AS patient_sex, p.fhir_id AS patient_fhir_id, p.identifiers_json AS patient_identifiers,
               v.visit_id, vi.encounter_id, vi.visit_number,
               v.decided_by, op.name AS decided_by_name, v.decided_at, v.manual, v.device_label
        FROM outbox o JOIN readings r ON r.id = o.reading_id JOIN reviews v ON v.reading_id = o.reading_id
        LEFT JOIN patients p ON p.mrn = v.patient_mrn LEFT JOIN operators op ON op.id = v.decided_by
        LEFT JOIN visits vi ON vi.id = v.visit_id
        WHERE o.id = ?`),
      one: db.prepare<[number], unknown>(`${LIST} WHERE o.id = ?`),
      counts: db.prepare<[], { target_id: string; state: string; n: number }>('SELECT target_id, state, count(*) AS n FROM outbox GROUP BY target_id, state'),
      oldest: db.prepare<[], { target_id: string; at: string }>(
        "SELECT target_id, min(created_at) AS at FROM outbox WHERE state IN ('pending', 'sending', 'failed') GROUP BY target_id",
      ),
      ofReading: db.prepare<[string], { id: number; target_id: string; name: string; state: string; last_message: string | null; done_at: string | null }>(
        'SELECT o.id, o.target_id, t.name, o.state, o.last_message, o.done_at FROM outbox o JOIN export_targets t ON t.id = o.target_id WHERE o.reading_id = ? ORDER BY o.target_id',
      ),
      targets: db.prepare<[], { id: string; name: string; kind: string; enabled: number }>('SELECT id, name, kind, enabled FROM export_targets ORDER BY id'),
      db,
      LIST,
    };
  }

  /**
   * Queue a just-confirmed reading for the given targets (the enabled ones; call inside the
   * confirmation's transaction). The control id is minted here, before anything is sent.
   * Idempotent. @returns how many rows were added.
   */
  enqueue(readingId: string, targetIds: readonly string[], now: string): number {
    let added = 0;
    for (const id of targetIds) added += this.q.insert.run(id, readingId, mintControlId(), now, now).changes;
    return added;
  }

  /**
   * Back-fill: queue for `targetId` every reading confirmed since `sinceIso` that is not queued
   * for it yet (a target added after they were confirmed). Call inside a transaction. The
   * (reading, target) key keeps it exactly once however often it runs. @returns rows added.
   */
  backfill(targetId: string, sinceIso: string, now: string): number {
    const ids = this.q.missing.all(sinceIso, targetId).map((r) => r.reading_id);
    return ids.reduce((n, id) => n + this.enqueue(id, [targetId], now), 0);
  }

  /** The first row of a target's queue still to deliver (in id order), or undefined. */
  head(targetId: string): QueueHead | undefined {
    const raw = this.q.head.get(targetId);
    if (raw === undefined) return undefined;
    const r = HeadSchema.parse(raw);
    return present({
      id: r.id,
      readingId: r.reading_id,
      controlId: r.control_id,
      state: r.state,
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at,
      payload: r.payload === undefined ? undefined : { body: r.payload, contentType: r.content_type ?? 'application/octet-stream' },
    });
  }

  /** What the exporter needs to render a row. */
  item(outboxId: number): OutboxItemData {
    const raw = this.q.item.get(outboxId);
    if (raw === undefined) throw new HubError('NOT_FOUND', `There is no outbox row ${outboxId}.`);
    const r = ItemRowSchema.parse(raw);
    return {
      outboxId: r.id,
      readingId: r.reading_id,
      controlId: r.control_id,
      reading: parseReading(r.reading_json),
      // What the sources vouched for (sex, the EHR's id and identifiers) rides along; a local
      // patient's identifiers are those typed at selection.
      patient: present({
        mrn: r.patient_mrn,
        name: r.patient_name,
        birthDate: r.patient_birth_date,
        sex: r.patient_sex,
        fhirId: r.patient_fhir_id,
        identifiers: identifiersOf(r.patient_identifiers),
      }),
      ...(r.visit_id === undefined ? {} : { visit: present({ encounterId: r.encounter_id, visitNumber: r.visit_number }) }),
      confirmedBy: { id: r.decided_by, name: r.decided_by_name ?? r.decided_by },
      confirmedAt: r.decided_at,
      manual: r.manual === 1,
      deviceLabel: r.device_label,
    };
  }

  /** Store the rendered payload (once) and mark the row as being sent. */
  startSending(id: number, now: string, payload?: { body: string; contentType: string }): void {
    if (payload !== undefined && this.q.setPayload.run(payload.body, payload.contentType, now, id).changes !== 1) {
      throw new Error(`outbox row ${id} already had a payload or was not waiting`);
    }
    if (this.q.toSending.run(now, id).changes !== 1) throw new Error(`outbox row ${id} was not waiting to be sent`);
  }

  /** The content could not be built or failed validation: dead, nothing was sent. */
  markInvalid(id: number, message: string, now: string): void {
    if (this.q.invalid.run(clip(message), now, id).changes !== 1) throw new Error(`outbox row ${id} was not waiting`);
    this.q.attempt.run(id, now, now, 'dead', 'invalid', clip(message));
  }

  /** Record one attempt and move the row on: done, failed (with its next time) or dead. */
  finish(id: number, a: AttemptRecord): void {
    const state = a.outcome === 'done' ? 'done' : a.outcome === 'retry' ? 'failed' : 'dead';
    const changed = this.q.finish.run({
      id,
      state,
      status: a.status,
      message: a.message === undefined ? null : clip(a.message),
      next: a.outcome === 'retry' ? (a.nextAttemptAt ?? a.endedAt) : null,
      now: a.endedAt,
      done: a.outcome === 'done' ? a.endedAt : null,
    }).changes;
    if (changed !== 1) throw new Error(`outbox row ${id} was not being sent`);
    this.q.attempt.run(id, a.startedAt, a.endedAt, a.outcome, a.status, clip(a.response));
  }

  /** Failed rows: try now instead of after their back-off. */
  retryNow(target: { targetId: string } | { ids: readonly number[] }, now: string): number {
    if ('targetId' in target) return this.q.retryAllOf.run(now, now, target.targetId).changes;
    return target.ids.reduce((n, id) => n + this.q.retryOne.run(now, now, id).changes, 0);
  }

  /** Dead rows back to pending, to be rendered again with a new control id. */
  requeue(ids: readonly number[], now: string): number {
    return ids.reduce((n, id) => n + this.q.requeue.run(mintControlId(), now, id).changes, 0);
  }

  attempts(id: number): ExportAttempt[] {
    return this.q.attemptsOf.all(id).map((a) => ({ startedAt: a.started_at, endedAt: a.ended_at, outcome: a.outcome, status: a.status, response: a.response }));
  }

  get(id: number): OutboxRow | undefined {
    const raw = this.q.one.get(id);
    return raw === undefined ? undefined : toRow(raw);
  }

  /** Rows newest first, filtered by target and state. */
  list(query: OutboxQuery = {}): OutboxRow[] {
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (query.targetId !== undefined) {
      where.push('o.target_id = ?');
      params.push(query.targetId);
    }
    if (query.states !== undefined && query.states.length > 0) {
      where.push(`o.state IN (${query.states.map(() => '?').join(', ')})`);
      params.push(...query.states);
    }
    const sql = `${this.q.LIST}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY o.id DESC LIMIT ?`;
    params.push(Math.min(query.limit ?? 200, 1000));
    return this.q.db.prepare<Array<string | number>, unknown>(sql).all(...params).map(toRow);
  }

  /** Counts per state for every target (targets with no rows included). */
  summary(): OutboxSummary[] {
    const counts = this.q.counts.all();
    const oldest = new Map(this.q.oldest.all().map((r) => [r.target_id, r.at]));
    return this.q.targets.all().map((t) => {
      const c = Object.fromEntries(OUTBOX_STATES.map((s) => [s, 0])) as Record<OutboxState, number>;
      for (const row of counts) if (row.target_id === t.id) c[StateSchema.parse(row.state)] = row.n;
      return present({
        targetId: t.id,
        targetName: t.name,
        kind: z.enum(TARGET_KINDS).parse(t.kind),
        enabled: t.enabled === 1,
        counts: c,
        oldestWaitingAt: oldest.get(t.id),
      });
    });
  }

  /** The export state of one reading, per target, for History. */
  exportsOf(readingId: string): ReadingExport[] {
    return this.q.ofReading.all(readingId).map((r) =>
      present({
        outboxId: r.id,
        targetId: r.target_id,
        target: r.name,
        state: StateSchema.parse(r.state),
        message: r.last_message ?? undefined,
        doneAt: r.done_at ?? undefined,
      }),
    );
  }
}

function toRow(raw: unknown): OutboxRow {
  const r = ListRowSchema.parse(raw);
  const reading = parseReading(r.reading_json);
  return present({
    id: r.id,
    targetId: r.target_id,
    targetName: r.target_name,
    readingId: r.reading_id,
    controlId: r.control_id,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastStatus: r.last_status,
    lastMessage: r.last_message,
    patientMrn: r.patient_mrn,
    summary: summarizeObservations(reading.observations, 'display'),
    effectiveTime: reading.effectiveTime,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    doneAt: r.done_at,
  });
}
