import type Database from 'better-sqlite3';
import { guardStore } from './store-errors.ts';

/** A patient seen on this workstation: the MRN and whichever second identifiers are known. */
export interface PatientRecord {
  mrn: string;
  name?: string;
  birthDate?: string;
  /** Checked against the EHR; false for a local patient created on this workstation. */
  verified: boolean;
  firstSeen: string;
  lastSeen: string;
}

interface PatientRow {
  mrn: string;
  name: string | null;
  birth_date: string | null;
  verified: number;
  first_seen: string;
  last_seen: string;
}

const toRecord = (r: PatientRow): PatientRecord => ({
  mrn: r.mrn,
  ...(r.name === null ? {} : { name: r.name }),
  ...(r.birth_date === null ? {} : { birthDate: r.birth_date }),
  verified: r.verified === 1,
  firstSeen: r.first_seen,
  lastSeen: r.last_seen,
});

/** The `patients` table (schema v2). */
export class PatientsRepo {
  private readonly byMrn: Database.Statement<[string], PatientRow>;
  private readonly createRow: Database.Statement<{ mrn: string; name: string; birth_date: string; seen: string }>;
  private readonly seenRow: Database.Statement<{ mrn: string; seen: string }>;
  private readonly nameRow: Database.Statement<{ mrn: string; name: string }>;
  private readonly birthDateRow: Database.Statement<{ mrn: string; birth_date: string }>;

  constructor(db: Database.Database) {
    this.byMrn = db.prepare('SELECT mrn, name, birth_date, verified, first_seen, last_seen FROM patients WHERE mrn = ?');
    // A local patient is created with all three identifiers and unverified (docs/architecture.md §8 rule 2).
    this.createRow = db.prepare('INSERT INTO patients (mrn, name, birth_date, verified, first_seen, last_seen) VALUES (@mrn, @name, @birth_date, 0, @seen, @seen)');
    this.seenRow = db.prepare('UPDATE patients SET last_seen = @seen WHERE mrn = @mrn');
    // An identifier on file is never overwritten: a different one is a conflict the workflow
    // reports before it gets here. `IS NULL` makes that hold in SQL too.
    this.nameRow = db.prepare('UPDATE patients SET name = @name WHERE mrn = @mrn AND name IS NULL');
    this.birthDateRow = db.prepare('UPDATE patients SET birth_date = @birth_date WHERE mrn = @mrn AND birth_date IS NULL');
  }

  get(mrn: string): PatientRecord | undefined {
    const row = guardStore('look up the patient', () => this.byMrn.get(mrn));
    return row === undefined ? undefined : toRecord(row);
  }

  /** Add a new local (unverified) patient; the caller checked the MRN is not on file. */
  createLocal(p: { mrn: string; name: string; birthDate: string }, seen: string): PatientRecord {
    guardStore('add the patient', () => this.createRow.run({ mrn: p.mrn, name: p.name, birth_date: p.birthDate, seen }));
    return this.mustGet(p.mrn);
  }

  /**
   * Record that a patient on file was seen now, filling in a missing identifier the workflow
   * decided to add (a name only after the explicit "add name" step); returns the patient as now on file.
   */
  touch(mrn: string, seen: string, add: { name?: string; birthDate?: string } = {}): PatientRecord {
    guardStore('record the patient', () => {
      if (add.name !== undefined) this.nameRow.run({ mrn, name: add.name });
      if (add.birthDate !== undefined) this.birthDateRow.run({ mrn, birth_date: add.birthDate });
      this.seenRow.run({ mrn, seen });
    });
    return this.mustGet(mrn);
  }

  private mustGet(mrn: string): PatientRecord {
    const stored = this.get(mrn);
    if (stored === undefined) throw new Error(`patient ${mrn} vanished after it was written`);
    return stored;
  }
}
