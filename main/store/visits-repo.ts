import type Database from 'better-sqlite3';
import { z } from 'zod';
import { HubError } from '../../shared/errors.ts';
import { VISIT_STATES, type Visit } from '../../shared/patients/patient-sources.ts';

const RowSchema = z.object({
  id: z.string(),
  source_id: z.string(),
  mrn: z.string(),
  state: z.enum(VISIT_STATES),
  start: z.string().nullable(),
  encounter_id: z.string().nullable(),
  appointment_id: z.string().nullable(),
  visit_number: z.string().nullable(),
  location: z.string().nullable(),
  room: z.string().nullable(),
  updated_at: z.string(),
});
const COLUMNS = 'id, source_id, mrn, state, start, encounter_id, appointment_id, visit_number, location, room, updated_at';

function toVisit(raw: unknown): Visit {
  const parsed = RowSchema.safeParse(raw);
  if (!parsed.success) throw new HubError('STORE_FAILED', `A stored visit is damaged or from a newer version: ${z.prettifyError(parsed.error)}`);
  const r = parsed.data;
  return {
    id: r.id,
    sourceId: r.source_id,
    mrn: r.mrn,
    state: r.state,
    ...(r.start === null ? {} : { start: r.start }),
    ...(r.encounter_id === null ? {} : { encounterId: r.encounter_id }),
    ...(r.appointment_id === null ? {} : { appointmentId: r.appointment_id }),
    ...(r.visit_number === null ? {} : { visitNumber: r.visit_number }),
    ...(r.location === null ? {} : { location: r.location }),
    ...(r.room === null ? {} : { room: r.room }),
    updatedAt: r.updated_at,
  };
}

/** An ISO 8601 date-time with any offset as the same instant in UTC; refused when it is not one. */
function utcInstant(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms) || !/[zZ]|[+-]\d\d:?\d\d$/.test(iso)) throw new HubError('INPUT_INVALID', `"${iso}" is not a date and time with its offset.`);
  return new Date(ms).toISOString();
}

/** The `visits` table: today's visits and appointments as the patient sources told them. */
export class VisitsRepo {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      byId: db.prepare<[string], unknown>(`SELECT ${COLUMNS} FROM visits WHERE id = ?`),
      between: db.prepare<[string, string], unknown>(`SELECT ${COLUMNS} FROM visits WHERE start >= ? AND start < ? ORDER BY start, id`),
      ofPatient: db.prepare<[string], unknown>(`SELECT ${COLUMNS} FROM visits WHERE mrn = ? ORDER BY start DESC, id`),
      upsert: db.prepare<Record<string, string | null>>(`
        INSERT INTO visits (${COLUMNS}) VALUES (@id, @sourceId, @mrn, @state, @start, @encounterId, @appointmentId, @visitNumber, @location, @room, @updatedAt)
        ON CONFLICT (id) DO UPDATE SET source_id = @sourceId, mrn = @mrn, state = @state, start = @start, encounter_id = @encounterId,
          appointment_id = @appointmentId, visit_number = @visitNumber, location = @location, room = @room, updated_at = @updatedAt`),
      moveMrn: db.prepare<[string, string]>('UPDATE visits SET mrn = ? WHERE mrn = ?'),
      // A visit a reading was taken in stays: its export (perhaps days later, the EHR down) names it.
      olderThan: db.prepare<[string]>('DELETE FROM visits WHERE updated_at < ? AND NOT EXISTS (SELECT 1 FROM reviews WHERE reviews.visit_id = visits.id)'),
    };
  }

  get(id: string): Visit | undefined {
    const row = this.q.byId.get(id);
    return row === undefined ? undefined : toVisit(row);
  }

  /** Visits starting in [from, to) (ISO instants, any offset), earliest first. */
  between(from: string, to: string): Visit[] {
    return this.q.between.all(utcInstant(from), utcInstant(to)).map(toVisit);
  }

  ofPatient(mrn: string): Visit[] {
    return this.q.ofPatient.all(mrn).map(toVisit);
  }

  /**
   * Store a visit. Its start is kept as a UTC instant (`…Z`): sources give it with their own
   * offset, and `between` compares the text, which is only right when every row uses the same one.
   */
  save(visit: Visit): void {
    this.q.upsert.run({
      id: visit.id,
      sourceId: visit.sourceId,
      mrn: visit.mrn,
      state: visit.state,
      start: visit.start === undefined ? null : utcInstant(visit.start),
      encounterId: visit.encounterId ?? null,
      appointmentId: visit.appointmentId ?? null,
      visitNumber: visit.visitNumber ?? null,
      location: visit.location ?? null,
      room: visit.room ?? null,
      updatedAt: visit.updatedAt,
    });
  }

  /** A merge (ADT A40): the merged-away MRN's visits belong to the surviving patient. */
  moveToPatient(from: string, to: string): number {
    return this.q.moveMrn.run(to, from).changes;
  }

  /** Cache expiry: forget visits not refreshed since `before` that no reading was taken in. */
  expire(before: string): number {
    return this.q.olderThan.run(before).changes;
  }
}
