import type Database from 'better-sqlite3';
import { z } from 'zod';
import { HubError } from '../../shared/errors.ts';
import { ROLES } from '../../shared/api/model.ts';
import { guardStore } from './store-errors.ts';

/** An operator as stored, with the PIN's hash (never the PIN). Only main/workflow sees this. */
export interface OperatorRecord {
  id: string;
  name: string;
  badgeId: string;
  role: (typeof ROLES)[number];
  pinHash: string;
  createdAt: string;
  active: boolean;
}

const OperatorRowSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    badge_id: z.string(),
    role: z.enum(ROLES),
    pin_hash: z.string(),
    created_at: z.string(),
    active: z.union([z.literal(0), z.literal(1)]),
  })
  .transform((r): OperatorRecord => ({
    id: r.id,
    name: r.name,
    badgeId: r.badge_id,
    role: r.role,
    pinHash: r.pin_hash,
    createdAt: r.created_at,
    active: r.active === 1,
  }));

const COLUMNS = 'id, name, badge_id, role, pin_hash, created_at, active';

/** Rows are re-validated on the way out: a damaged row is reported, never used to sign someone in. */
function toRecord(row: unknown): OperatorRecord {
  const parsed = OperatorRowSchema.safeParse(row);
  if (!parsed.success) throw new HubError('STORE_FAILED', 'A stored operator row is damaged.', { cause: parsed.error });
  return parsed.data;
}

/** The `operators` table (schema v2). */
export class OperatorsRepo {
  private readonly insertRow: Database.Statement<[string, string, string, string, string, string]>;
  private readonly byBadge: Database.Statement<[string], unknown>;
  private readonly byId: Database.Statement<[string], unknown>;
  private readonly all: Database.Statement<[], unknown>;

  constructor(db: Database.Database) {
    this.insertRow = db.prepare(`INSERT INTO operators (id, name, badge_id, role, pin_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)`);
    this.byBadge = db.prepare(`SELECT ${COLUMNS} FROM operators WHERE badge_id = ?`);
    this.byId = db.prepare(`SELECT ${COLUMNS} FROM operators WHERE id = ?`);
    this.all = db.prepare(`SELECT ${COLUMNS} FROM operators ORDER BY name COLLATE NOCASE, created_at`);
  }

  /** @throws HubError `CONFLICT` when the badge id is taken (two processes may add at once). */
  insert(r: Omit<OperatorRecord, 'active'>): void {
    guardStore('add the operator', () => {
      try {
        this.insertRow.run(r.id, r.name, r.badgeId, r.role, r.pinHash, r.createdAt);
      } catch (e) {
        if ((e as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new HubError('CONFLICT', `Badge ${r.badgeId} is already in use.`, { cause: e, details: { badgeId: r.badgeId } });
        }
        throw e;
      }
    });
  }

  findByBadge(badgeId: string): OperatorRecord | undefined {
    const row = guardStore('look up the badge', () => this.byBadge.get(badgeId));
    return row === undefined ? undefined : toRecord(row);
  }

  findById(id: string): OperatorRecord | undefined {
    const row = guardStore('look up the operator', () => this.byId.get(id));
    return row === undefined ? undefined : toRecord(row);
  }

  /** Every operator, active or not, by name. */
  list(): OperatorRecord[] {
    return guardStore('list operators', () => this.all.all()).map(toRecord);
  }
}
