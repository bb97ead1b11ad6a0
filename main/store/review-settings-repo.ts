import type Database from 'better-sqlite3';

/** This workstation's review rules as stored (see schema-v5-limits.ts). */
export interface ReviewSettings {
  /** Results older than this many minutes need a second confirmation. */
  resultAgeMinutes: number;
}

/** The default when no configuration set one: an hour covers a visit, not a meter's memory. */
export const DEFAULT_REVIEW_SETTINGS: ReviewSettings = { resultAgeMinutes: 60 };

/** The `review_settings` table: one row. */
export class ReviewSettingsRepo {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      get: db.prepare<[], { result_age_minutes: number }>('SELECT result_age_minutes FROM review_settings WHERE id = 1'),
      set: db.prepare<{ minutes: number; now: string }>(`
        INSERT INTO review_settings (id, result_age_minutes, updated_at) VALUES (1, @minutes, @now)
        ON CONFLICT (id) DO UPDATE SET result_age_minutes = excluded.result_age_minutes, updated_at = excluded.updated_at`),
    };
  }

  get(): ReviewSettings {
    const row = this.q.get.get();
    return row === undefined ? { ...DEFAULT_REVIEW_SETTINGS } : { resultAgeMinutes: row.result_age_minutes };
  }

  /** Set the rules; call inside the transaction that writes its audit row. */
  set(settings: ReviewSettings, now: string): void {
    this.q.set.run({ minutes: settings.resultAgeMinutes, now });
  }
}
