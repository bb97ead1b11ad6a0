import type Database from 'better-sqlite3';
import { guardStore } from './store-errors.ts';

/** A patient seen on this workstation: the MRN and whichever second identifiers are known. */
export interface PatientRecord {
  mrn: string;
  name?: string;
  birthDate?: string;
  firstSeen: string;
  lastSeen: string;
}

interface PatientRow {
  mrn: string;
  name: string | null;
  birth_date: string | null;
  first_seen: string;
  last_seen: string;
}

const toRecord = (r: PatientRow): PatientRecord => ({
  mrn: r.mrn,
  ...(r.name === null ? {} : { name: r.name }),
  ...(r.birth_date === null ? {} : { birthDate: r.birth_date }),
  firstSeen: r.first_seen,
  lastSeen: r.last_seen,
});

/** The `patients` table (schema v2). */
export class PatientsRepo {
  private readonly byMrn: Database.Statement<[string], PatientRow>;
  private readonly upsertRow: Database.Statement<{ mrn: string; name: string | null; birth_date: string | null; seen: string }>;

  constructor(db: Database.Database) {
    this.byMrn = db.prepare('SELECT mrn, name, birth_date, first_seen, last_seen FROM patients WHERE mrn = ?');
    // An identifier already on file is never overwritten here: a different one is a conflict the
    // workflow reports before it gets this far. A missing one is filled in (first seen by name,
    // later by date of birth).
    this.upsertRow = db.prepare(`
      INSERT INTO patients (mrn, name, birth_date, first_seen, last_seen) VALUES (@mrn, @name, @birth_date, @seen, @seen)
      ON CONFLICT (mrn) DO UPDATE SET
        name = coalesce(patients.name, excluded.name),
        birth_date = coalesce(patients.birth_date, excluded.birth_date),
        last_seen = excluded.last_seen`);
  }

  get(mrn: string): PatientRecord | undefined {
    const row = guardStore('look up the patient', () => this.byMrn.get(mrn));
    return row === undefined ? undefined : toRecord(row);
  }

  /** Record that the patient was seen now; returns the patient as now on file. */
  upsert(p: { mrn: string; name?: string; birthDate?: string }, seen: string): PatientRecord {
    guardStore('record the patient', () => this.upsertRow.run({ mrn: p.mrn, name: p.name ?? null, birth_date: p.birthDate ?? null, seen }));
    const stored = this.get(p.mrn);
    if (stored === undefined) throw new Error(`patient ${p.mrn} vanished after upsert`);
    return stored;
  }
}
