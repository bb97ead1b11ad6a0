import type Database from 'better-sqlite3';
import { z } from 'zod';
import { HubError } from '../../shared/errors.ts';
import { PatientSourceSchema, type PatientSource } from '../../shared/patients/patient-sources.ts';

/** A stored patient source: the validated settings (never a secret) and whether a secret is stored. */
export interface SourceRecord {
  source: PatientSource;
  hasSecret: boolean;
  createdAt: string;
  updatedAt: string;
}

const Bit = z.union([z.literal(0), z.literal(1)]);
const RowSchema = z.object({ config_json: z.string(), has_secret: Bit, created_at: z.string(), updated_at: z.string() });
const COLUMNS = 'config_json, has_secret, created_at, updated_at';

function toRecord(raw: unknown): SourceRecord {
  const row = RowSchema.parse(raw);
  const parsed = PatientSourceSchema.safeParse(JSON.parse(row.config_json));
  // Written by this code it always parses; otherwise it was edited by hand or by a newer version.
  if (!parsed.success) throw new HubError('STORE_FAILED', `A stored patient source is damaged or from a newer version: ${z.prettifyError(parsed.error)}`);
  return { source: parsed.data, hasSecret: row.has_secret === 1, createdAt: row.created_at, updatedAt: row.updated_at };
}

/** The `patient_sources` table (docs/architecture.md §8, "Patient context"). */
export class PatientSourcesRepo {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      all: db.prepare<[], unknown>(`SELECT ${COLUMNS} FROM patient_sources ORDER BY id`),
      byId: db.prepare<[string], unknown>(`SELECT ${COLUMNS} FROM patient_sources WHERE id = ?`),
      upsert: db.prepare<{ id: string; kind: string; name: string; enabled: number; config: string; hasSecret: number; now: string }>(`
        INSERT INTO patient_sources (id, kind, name, enabled, config_json, has_secret, created_at, updated_at)
        VALUES (@id, @kind, @name, @enabled, @config, @hasSecret, @now, @now)
        ON CONFLICT (id) DO UPDATE SET name = @name, enabled = @enabled, config_json = @config, has_secret = @hasSecret, updated_at = @now`),
      kindOf: db.prepare<[string], { kind: string }>('SELECT kind FROM patient_sources WHERE id = ?'),
      remove: db.prepare<[string]>('DELETE FROM patient_sources WHERE id = ?'),
    };
  }

  list(): SourceRecord[] {
    return this.q.all.all().map(toRecord);
  }

  get(id: string): SourceRecord | undefined {
    const row = this.q.byId.get(id);
    return row === undefined ? undefined : toRecord(row);
  }

  /** Create or change a source; its kind never changes (another kind is another source). */
  save(source: PatientSource, hasSecret: boolean, now: string): SourceRecord {
    const existing = this.q.kindOf.get(source.id);
    if (existing !== undefined && existing.kind !== source.kind) {
      throw new HubError('CONFLICT', `Patient source ${source.id} is a ${existing.kind} source; make a new source for ${source.kind}.`, { details: { sourceId: source.id } });
    }
    this.q.upsert.run({ id: source.id, kind: source.kind, name: source.name, enabled: source.enabled ? 1 : 0, config: JSON.stringify(source), hasSecret: hasSecret ? 1 : 0, now });
    const saved = this.get(source.id);
    if (saved === undefined) throw new Error(`patient source ${source.id} vanished inside its own transaction`);
    return saved;
  }

  /** Remove a source; true when there was one. What it told the cache stays until it expires. */
  remove(id: string): boolean {
    return this.q.remove.run(id).changes > 0;
  }
}
