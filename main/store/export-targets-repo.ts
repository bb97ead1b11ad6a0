import type Database from 'better-sqlite3';
import { z } from 'zod';
import { HubError } from '../../shared/errors.ts';
import { ExportTargetSchema, type ExportTarget } from '../../shared/export/targets.ts';

/** A stored target: the validated settings (never a secret) and whether a secret is stored. */
export interface TargetRecord {
  target: ExportTarget;
  hasSecret: boolean;
  createdAt: string;
  updatedAt: string;
  /** Created while the hub ran in demo mode: the only kind of target demo mode sends to. */
  demo: boolean;
}

const Bit = z.union([z.literal(0), z.literal(1)]);
const RowSchema = z.object({ config_json: z.string(), has_secret: Bit, created_at: z.string(), updated_at: z.string(), demo: Bit });
const COLUMNS = 'config_json, has_secret, created_at, updated_at, demo';

function toRecord(raw: unknown): TargetRecord {
  const row = RowSchema.parse(raw);
  const parsed = ExportTargetSchema.safeParse(JSON.parse(row.config_json));
  // A target written by this code always parses; one that does not was edited by hand or by a
  // newer version: say so instead of exporting with half-understood settings.
  if (!parsed.success) throw new HubError('STORE_FAILED', `A stored export target is damaged or from a newer version: ${z.prettifyError(parsed.error)}`);
  return { target: parsed.data, hasSecret: row.has_secret === 1, createdAt: row.created_at, updatedAt: row.updated_at, demo: row.demo === 1 };
}

/** The `export_targets` table. */
export class ExportTargetsRepo {
  private readonly q;
  /**
   * Set by a hub in demo mode: confirmations queue rows only for targets demo mode created, so
   * demo readings never wait in the outbox of a real target (a later real run would send them).
   */
  demoOnly = false;

  constructor(db: Database.Database) {
    this.q = {
      all: db.prepare<[], unknown>(`SELECT ${COLUMNS} FROM export_targets ORDER BY id`),
      byId: db.prepare<[string], unknown>(`SELECT ${COLUMNS} FROM export_targets WHERE id = ?`),
      // `demo` is set when the target is created and never changed: it says who made it.
      upsert: db.prepare<{ id: string; kind: string; name: string; enabled: number; config: string; hasSecret: number; now: string; demo: number }>(`
        INSERT INTO export_targets (id, kind, name, enabled, config_json, has_secret, created_at, updated_at, demo)
        VALUES (@id, @kind, @name, @enabled, @config, @hasSecret, @now, @now, @demo)
        ON CONFLICT (id) DO UPDATE SET name = @name, enabled = @enabled, config_json = @config, has_secret = @hasSecret, updated_at = @now`),
      kindOf: db.prepare<[string], { kind: string }>('SELECT kind FROM export_targets WHERE id = ?'),
      enabledIds: db.prepare<[], { id: string }>('SELECT id FROM export_targets WHERE enabled = 1 ORDER BY id'),
      enabledDemoIds: db.prepare<[], { id: string }>('SELECT id FROM export_targets WHERE enabled = 1 AND demo = 1 ORDER BY id'),
    };
  }

  list(): TargetRecord[] {
    return this.q.all.all().map(toRecord);
  }

  get(id: string): TargetRecord | undefined {
    const row = this.q.byId.get(id);
    return row === undefined ? undefined : toRecord(row);
  }

  /** The targets a confirmation queues rows for: the enabled ones (in demo mode, demo targets only). */
  enabledIds(): string[] {
    return (this.demoOnly ? this.q.enabledDemoIds : this.q.enabledIds).all().map((r) => r.id);
  }

  /**
   * Create or change a target. Its kind never changes: rows already queued were rendered for
   * it, so a different kind is a new target. `demo` marks a target demo mode creates (kept as
   * it was when an existing target is changed).
   */
  save(target: ExportTarget, hasSecret: boolean, now: string, demo = false): TargetRecord {
    const existing = this.q.kindOf.get(target.id);
    if (existing !== undefined && existing.kind !== target.kind) {
      throw new HubError('CONFLICT', `Target ${target.id} is a ${existing.kind} target; make a new target for ${target.kind}.`, { details: { targetId: target.id } });
    }
    this.q.upsert.run({ id: target.id, kind: target.kind, name: target.name, enabled: target.enabled ? 1 : 0, config: JSON.stringify(target), hasSecret: hasSecret ? 1 : 0, now, demo: demo ? 1 : 0 });
    const saved = this.get(target.id);
    if (saved === undefined) throw new Error(`target ${target.id} vanished inside its own transaction`);
    return saved;
  }
}
