import type Database from 'better-sqlite3';
import { z } from 'zod';
import { PatientIdentifierSchema, PatientSexSchema, type SourcePatient } from '../../shared/patients/patient-sources.ts';
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

interface SourcePatientRow {
  mrn: string;
  name: string | null;
  birth_date: string | null;
  sex: string | null;
  fhir_id: string | null;
  identifiers_json: string | null;
  verified_source: string | null;
  verified_at: string | null;
  merged_into: string | null;
}

interface SourceRow {
  mrn: string;
  name: string | null;
  birth_date: string | null;
  sex: string | null;
  fhir_id: string | null;
  identifiers: string;
  source: string;
  at: string;
}

const sourceRow = (p: SourcePatient): SourceRow => ({
  mrn: p.mrn,
  name: p.name ?? null,
  birth_date: p.birthDate ?? null,
  sex: p.sex ?? null,
  fhir_id: p.fhirId ?? null,
  identifiers: JSON.stringify(p.identifiers),
  source: p.sourceId,
  at: p.verifiedAt,
});

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
  private readonly fromSource: Database.Statement<SourceRow>;
  private readonly sourceByMrn: Database.Statement<[string], SourcePatientRow>;
  private readonly mergedRow: Database.Statement<{ from: string; into: string; at: string }>;
  private readonly expireRows: Database.Statement<{ before: string }>;

  constructor(db: Database.Database) {
    this.byMrn = db.prepare('SELECT mrn, name, birth_date, verified, first_seen, last_seen FROM patients WHERE mrn = ?');
    // A local patient is created with all three identifiers and unverified (docs/architecture.md §8 rule 2).
    this.createRow = db.prepare('INSERT INTO patients (mrn, name, birth_date, verified, first_seen, last_seen) VALUES (@mrn, @name, @birth_date, 0, @seen, @seen)');
    this.seenRow = db.prepare('UPDATE patients SET last_seen = @seen WHERE mrn = @mrn');
    // An identifier on file is never overwritten: a different one is a conflict the workflow
    // reports before it gets here. `IS NULL` makes that hold in SQL too.
    this.nameRow = db.prepare('UPDATE patients SET name = @name WHERE mrn = @mrn AND name IS NULL');
    this.birthDateRow = db.prepare('UPDATE patients SET birth_date = @birth_date WHERE mrn = @mrn AND birth_date IS NULL');
    this.fromSource = db.prepare(`
      INSERT INTO patients (mrn, name, birth_date, verified, first_seen, last_seen, sex, fhir_id, identifiers_json, verified_source, verified_at, source_seen_at)
      VALUES (@mrn, @name, @birth_date, 1, @at, @at, @sex, @fhir_id, @identifiers, @source, @at, @at)
      ON CONFLICT (mrn) DO UPDATE SET name = coalesce(@name, name), birth_date = coalesce(@birth_date, birth_date), verified = 1,
        sex = coalesce(@sex, sex), fhir_id = coalesce(@fhir_id, fhir_id), identifiers_json = @identifiers, verified_source = @source,
        verified_at = @at, source_seen_at = @at`);
    this.sourceByMrn = db.prepare('SELECT mrn, name, birth_date, sex, fhir_id, identifiers_json, verified_source, verified_at, merged_into FROM patients WHERE mrn = ?');
    this.mergedRow = db.prepare('UPDATE patients SET merged_into = @into, source_seen_at = @at WHERE mrn = @from');
    this.expireRows = db.prepare(`
      DELETE FROM patients WHERE verified_source IS NOT NULL AND source_seen_at < @before AND last_seen < @before
        AND NOT EXISTS (SELECT 1 FROM reviews WHERE reviews.patient_mrn = patients.mrn)`);
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

  /**
   * What a patient source vouched for (schema v12): the patient as the EHR has them, stored on
   * the patient row — created when new, the EHR's name, birth date and sex replacing what was
   * typed, and marked verified with the source and time. Returns the patient as now on file.
   */
  saveFromSource(p: SourcePatient): PatientRecord {
    guardStore('record the patient from the EHR', () => this.fromSource.run(sourceRow(p)));
    return this.mustGet(p.mrn);
  }

  /** The patient as a source last vouched for them; undefined when no source ever did. */
  sourcePatient(mrn: string): SourcePatient | undefined {
    const row = guardStore('look up the patient', () => this.sourceByMrn.get(mrn));
    if (row === undefined || row.verified_source === null || row.verified_at === null) return undefined;
    const identifiers = z.array(PatientIdentifierSchema).safeParse(row.identifiers_json === null ? [] : JSON.parse(row.identifiers_json));
    const sex = PatientSexSchema.safeParse(row.sex);
    return {
      mrn: row.mrn,
      identifiers: identifiers.success ? identifiers.data : [],
      ...(row.name === null ? {} : { name: row.name }),
      ...(row.birth_date === null ? {} : { birthDate: row.birth_date }),
      ...(sex.success ? { sex: sex.data } : {}),
      ...(row.fhir_id === null ? {} : { fhirId: row.fhir_id }),
      sourceId: row.verified_source,
      verifiedAt: row.verified_at,
      ...(row.merged_into === null ? {} : { mergedInto: row.merged_into }),
    };
  }

  /** A merge (ADT A40): `from` was merged into `into`; the row stays, so history still resolves. */
  markMerged(from: string, into: string, at: string): void {
    guardStore('record the merge', () => this.mergedRow.run({ from, into, at }));
  }

  /**
   * Cache expiry (privacy): forget what sources told about patients not seen since `before`
   * and no reading refers to — the row goes entirely; rows with readings keep their identifiers.
   */
  expireSourceData(before: string): number {
    return guardStore('expire the patient cache', () => this.expireRows.run({ before }).changes);
  }

  private mustGet(mrn: string): PatientRecord {
    const stored = this.get(mrn);
    if (stored === undefined) throw new Error(`patient ${mrn} vanished after it was written`);
    return stored;
  }
}
