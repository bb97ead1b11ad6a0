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
}

const RowSchema = z.object({ config_json: z.string(), has_secret: z.union([z.literal(0), z.literal(1)]), created_at: z.string(), updated_at: z.string() });

function toRecord(raw: unknown): TargetRecord {
  const row = RowSchema.parse(raw);
  const parsed = ExportTargetSchema.safeParse(JSON.parse(row.config_json));
  // A target written by this code always parses; one that does not was edited by hand or by a
  // newer version: say so instead of exporting with half-understood settings.
  if (!parsed.success) throw new HubError('STORE_FAILED', `A stored export target is damaged or from a newer version: ${z.prettifyError(parsed.error)}`);
  return { target: parsed.data, hasSecret: row.has_secret === 1, createdAt: row.created_at, updatedAt: row.updated_at };
}

/** The `export_targets` table. */
export class ExportTargetsRepo {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      all: db.prepare<[], unknown>('SELECT config_json, has_secret, created_at, updated_at FROM export_targets ORDER BY id'),
      byId: db.prepare<[string], unknown>('SELECT config_json, has_secret, created_at, updated_at FROM export_targets WHERE id = ?'),
      upsert: db.prepare<{ id: string; kind: string; name: string; enabled: number; config: string; hasSecret: number; now: string }>(`
        INSERT INTO export_targets (id, kind, name, enabled, config_json, has_secret, created_at, updated_at)
        VALUES (@id, @kind, @name, @enabled, @config, @hasSecret, @now, @now)
        ON CONFLICT (id) DO UPDATE SET name = @name, enabled = @enabled, config_json = @config, has_secret = @hasSecret, updated_at = @now`),
      kindOf: db.prepare<[string], { kind: string }>('SELECT kind FROM export_targets WHERE id = ?'),
      enabledIds: db.prepare<[], { id: string }>('SELECT id FROM export_targets WHERE enabled = 1 ORDER BY id'),
    };
  }

  list(): TargetRecord[] {
    return this.q.all.all().map(toRecord);
  }

  get(id: string): TargetRecord | undefined {
    const row = this.q.byId.get(id);
    return row === undefined ? undefined : toRecord(row);
  }

  enabledIds(): string[] {
    return this.q.enabledIds.all().map((r) => r.id);
  }

  /**
   * Create or change a target. Its kind never changes: rows already queued were rendered for
   * it, so a different kind is a new target.
   */
  save(target: ExportTarget, hasSecret: boolean, now: string): TargetRecord {
    const existing = this.q.kindOf.get(target.id);
    if (existing !== undefined && existing.kind !== target.kind) {
      throw new HubError('CONFLICT', `Target ${target.id} is a ${existing.kind} target; make a new target for ${target.kind}.`, { details: { targetId: target.id } });
    }
    this.q.upsert.run({ id: target.id, kind: target.kind, name: target.name, enabled: target.enabled ? 1 : 0, config: JSON.stringify(target), hasSecret: hasSecret ? 1 : 0, now });
    const saved = this.get(target.id);
    if (saved === undefined) throw new Error(`target ${target.id} vanished inside its own transaction`);
    return saved;
  }
}
