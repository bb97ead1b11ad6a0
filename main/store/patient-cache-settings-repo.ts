import type Database from 'better-sqlite3';
import { CACHE_LIMITS } from '../../shared/patients/patient-sources.ts';
import { guardStore } from './store-errors.ts';

/** The `patient_cache_settings` row (schema v12): how long the cache keeps what sources told it. */
export class PatientCacheSettingsRepo {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      hours: db.prepare<[], { expire_hours: number }>('SELECT expire_hours FROM patient_cache_settings WHERE id = 1'),
      set: db.prepare<{ hours: number; now: string }>(
        'INSERT INTO patient_cache_settings (id, expire_hours, updated_at) VALUES (1, @hours, @now) ON CONFLICT (id) DO UPDATE SET expire_hours = @hours, updated_at = @now',
      ),
    };
  }

  /** Hours after which an unused patient or visit from a source is forgotten (default {@link CACHE_LIMITS}.defaultHours). */
  expireHours(): number {
    return guardStore('read the patient cache settings', () => this.q.hours.get()?.expire_hours ?? CACHE_LIMITS.defaultHours);
  }

  /** Set how long the cache keeps what sources told it (the caller validated the range). */
  setExpireHours(hours: number, now: string): void {
    guardStore('save the patient cache settings', () => this.q.set.run({ hours, now }));
  }
}
