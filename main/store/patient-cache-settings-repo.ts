import type Database from 'better-sqlite3';
import { CACHE_LIMITS } from '../../shared/patients/patient-sources.ts';
import { guardStore } from './store-errors.ts';

/** The `patient_cache_settings` row (schema v12): how long the cache keeps what sources told it. */
export class PatientCacheSettingsRepo {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = { hours: db.prepare<[], { expire_hours: number }>('SELECT expire_hours FROM patient_cache_settings WHERE id = 1') };
  }

  /** Hours after which an unused patient or visit from a source is forgotten (default {@link CACHE_LIMITS}.defaultHours). */
  expireHours(): number {
    return guardStore('read the patient cache settings', () => this.q.hours.get()?.expire_hours ?? CACHE_LIMITS.defaultHours);
  }
}
