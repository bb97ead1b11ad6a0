import type Database from 'better-sqlite3';
import { z } from 'zod';
import { QcLotSchema, type QcLot, type QcPolicy, type SaveQcLotInput } from '../../shared/api/qc-model.ts';
import { HubError } from '../../shared/errors.ts';
import { guardStore } from './store-errors.ts';

/** A stored evaluation of one control result (schema v5 `qc_evaluations`). */
export interface QcEvaluationRecord {
  readingId: string;
  deviceKey: string;
  effectiveTime: string;
  lotId: string;
  lotNumber: string;
  level: string;
  low: number;
  high: number;
  unit: string;
  value: string;
  verdict: 'pass' | 'fail';
  reason?: string;
  evaluatedBy?: { id: string; name: string };
  evaluatedAt: string;
}

const LotRowSchema = z.object({
  id: z.string(),
  lot_number: z.string(),
  analyte: z.string(),
  unit: z.string(),
  expires_on: z.string(),
  levels_json: z.string(),
  retired: z.union([z.literal(0), z.literal(1)]),
  updated_at: z.string(),
});

const EvalRowSchema = z.object({
  reading_id: z.string(),
  device_key: z.string(),
  effective_time: z.string(),
  lot_id: z.string(),
  lot_number: z.string(),
  level: z.string(),
  low: z.number(),
  high: z.number(),
  unit: z.string(),
  value: z.string(),
  verdict: z.enum(['pass', 'fail']),
  reason: z.string().nullable(),
  evaluated_by: z.string().nullable(),
  evaluated_by_name: z.string().nullable(),
  evaluated_at: z.string(),
});

/** Rows are re-validated on the way out: a damaged lot is reported, never used to judge a control. */
function toLot(raw: unknown): QcLot {
  const row = LotRowSchema.safeParse(raw);
  if (!row.success) throw new HubError('STORE_FAILED', 'A stored QC lot is damaged.', { cause: row.error });
  const r = row.data;
  const lot = QcLotSchema.safeParse({
    id: r.id,
    lotNumber: r.lot_number,
    analyte: r.analyte,
    unit: r.unit,
    expiresOn: r.expires_on,
    levels: JSON.parse(r.levels_json) as unknown,
    retired: r.retired === 1,
    updatedAt: r.updated_at,
  });
  if (!lot.success) throw new HubError('STORE_FAILED', `Stored QC lot ${r.lot_number} is damaged.`, { cause: lot.error });
  return lot.data;
}

function toEvaluation(raw: unknown): QcEvaluationRecord {
  const row = EvalRowSchema.safeParse(raw);
  if (!row.success) throw new HubError('STORE_FAILED', 'A stored QC evaluation is damaged.', { cause: row.error });
  const r = row.data;
  return {
    readingId: r.reading_id,
    deviceKey: r.device_key,
    effectiveTime: r.effective_time,
    lotId: r.lot_id,
    lotNumber: r.lot_number,
    level: r.level,
    low: r.low,
    high: r.high,
    unit: r.unit,
    value: r.value,
    verdict: r.verdict,
    ...(r.reason === null ? {} : { reason: r.reason }),
    ...(r.evaluated_by === null ? {} : { evaluatedBy: { id: r.evaluated_by, name: r.evaluated_by_name ?? r.evaluated_by } }),
    evaluatedAt: r.evaluated_at,
  };
}

const SELECT_EVAL = `SELECT e.*, o.name AS evaluated_by_name FROM qc_evaluations e LEFT JOIN operators o ON o.id = e.evaluated_by`;

function prepare(db: Database.Database) {
  return {
    lots: db.prepare<[], unknown>('SELECT * FROM qc_lots ORDER BY retired, analyte, lot_number'),
    lot: db.prepare<[string], unknown>('SELECT * FROM qc_lots WHERE id = ?'),
    lotByNumber: db.prepare<[string, string], unknown>('SELECT * FROM qc_lots WHERE lot_number = ? AND analyte = ?'),
    insertLot: db.prepare<[string, string, string, string, string, string, string, string]>(
      'INSERT INTO qc_lots (id, lot_number, analyte, unit, expires_on, levels_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    updateLot: db.prepare<[string, string, string, string, string, string, string]>(
      'UPDATE qc_lots SET lot_number = ?, analyte = ?, unit = ?, expires_on = ?, levels_json = ?, updated_at = ? WHERE id = ?',
    ),
    retire: db.prepare<[string, string]>('UPDATE qc_lots SET retired = 1, updated_at = ? WHERE id = ?'),
    evaluation: db.prepare<[string], unknown>(`${SELECT_EVAL} WHERE e.reading_id = ?`),
    insertEval: db.prepare(`
      INSERT INTO qc_evaluations (reading_id, device_key, effective_time, lot_id, lot_number, level, low, high, unit, value,
                                  verdict, reason, evaluated_by, evaluated_at)
      VALUES (@readingId, @deviceKey, @effectiveTime, @lotId, @lotNumber, @level, @low, @high, @unit, @value,
              @verdict, @reason, @evaluatedBy, @evaluatedAt)`),
    // julianday: effective times carry different offsets, so compare instants, not text.
    latestAt: db.prepare<[string, string], unknown>(
      `${SELECT_EVAL} WHERE e.device_key = ? AND julianday(e.effective_time) <= julianday(?) ORDER BY julianday(e.effective_time) DESC, e.evaluated_at DESC LIMIT 1`,
    ),
    policies: db.prepare<[], { device_key: string; interval_hours: number; updated_at: string }>('SELECT * FROM qc_policies ORDER BY device_key'),
    policy: db.prepare<[string], { device_key: string; interval_hours: number; updated_at: string }>('SELECT * FROM qc_policies WHERE device_key = ?'),
    setPolicy: db.prepare<[string, number, string]>(
      'INSERT INTO qc_policies (device_key, interval_hours, updated_at) VALUES (?, ?, ?) ON CONFLICT (device_key) DO UPDATE SET interval_hours = excluded.interval_hours, updated_at = excluded.updated_at',
    ),
    dropPolicy: db.prepare<[string]>('DELETE FROM qc_policies WHERE device_key = ?'),
  };
}

const toPolicy = (r: { device_key: string; interval_hours: number; updated_at: string }): QcPolicy => ({ deviceKey: r.device_key, intervalHours: r.interval_hours, updatedAt: r.updated_at });

/** Control lots, control evaluations and QC intervals (schema v5). */
export class QcRepo {
  private readonly stmts: ReturnType<typeof prepare>;

  constructor(db: Database.Database) {
    this.stmts = prepare(db);
  }

  /** Every lot, in use first. */
  lots(): QcLot[] {
    return guardStore('list the QC lots', () => this.stmts.lots.all()).map(toLot);
  }

  lot(id: string): QcLot | undefined {
    const row = guardStore('read the QC lot', () => this.stmts.lot.get(id));
    return row === undefined ? undefined : toLot(row);
  }

  lotByNumber(lotNumber: string, analyte: string): QcLot | undefined {
    const row = guardStore('read the QC lot', () => this.stmts.lotByNumber.get(lotNumber, analyte));
    return row === undefined ? undefined : toLot(row);
  }

  insertLot(id: string, lot: SaveQcLotInput, at: string): void {
    guardStore('save the QC lot', () => this.stmts.insertLot.run(id, lot.lotNumber, lot.analyte, lot.unit, lot.expiresOn, JSON.stringify(lot.levels), at, at));
  }

  updateLot(id: string, lot: SaveQcLotInput, at: string): void {
    guardStore('save the QC lot', () => this.stmts.updateLot.run(lot.lotNumber, lot.analyte, lot.unit, lot.expiresOn, JSON.stringify(lot.levels), at, id));
  }

  retireLot(id: string, at: string): void {
    guardStore('retire the QC lot', () => this.stmts.retire.run(at, id));
  }

  evaluation(readingId: string): QcEvaluationRecord | undefined {
    const row = guardStore('read the QC evaluation', () => this.stmts.evaluation.get(readingId));
    return row === undefined ? undefined : toEvaluation(row);
  }

  insertEvaluation(e: Omit<QcEvaluationRecord, 'evaluatedBy'> & { evaluatedBy: string | null }): void {
    guardStore('record the QC evaluation', () => this.stmts.insertEval.run({ ...e, reason: e.reason ?? null }));
  }

  /** The device's newest evaluated control measured at or before `at` (an instant). */
  latestEvaluationAt(deviceKey: string, at: string): QcEvaluationRecord | undefined {
    const row = guardStore('read the QC history', () => this.stmts.latestAt.get(deviceKey, at));
    return row === undefined ? undefined : toEvaluation(row);
  }

  policies(): QcPolicy[] {
    return guardStore('list the QC intervals', () => this.stmts.policies.all()).map(toPolicy);
  }

  policy(deviceKey: string): QcPolicy | undefined {
    const row = guardStore('read the QC interval', () => this.stmts.policy.get(deviceKey));
    return row === undefined ? undefined : toPolicy(row);
  }

  /** Set a device's QC interval; null removes the requirement. */
  setPolicy(deviceKey: string, intervalHours: number | null, at: string): void {
    guardStore('save the QC interval', () => (intervalHours === null ? this.stmts.dropPolicy.run(deviceKey) : this.stmts.setPolicy.run(deviceKey, intervalHours, at)));
  }
}
