import type Database from 'better-sqlite3';
import { DEFAULT_MEMORY_WINDOW_MINUTES } from '../../shared/device-role.ts';
import { guardStore } from './store-errors.ts';

/** The `memory_import_settings` table (schema v5): how recent a memory result must be to be pre-selected. */
export class MemoryImportSettingsRepo {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      get: db.prepare<[], { recent_window_minutes: number }>('SELECT recent_window_minutes FROM memory_import_settings WHERE id = 1'),
      set: db.prepare<{ minutes: number; now: string }>(`
        INSERT INTO memory_import_settings (id, recent_window_minutes, updated_at) VALUES (1, @minutes, @now)
        ON CONFLICT (id) DO UPDATE SET recent_window_minutes = @minutes, updated_at = @now`),
    };
  }

  /** The recent window in minutes (the default until a configuration file sets one). */
  recentWindowMinutes(): number {
    return guardStore('read the import settings', () => this.q.get.get()?.recent_window_minutes ?? DEFAULT_MEMORY_WINDOW_MINUTES);
  }

  setRecentWindowMinutes(minutes: number, now: string): void {
    guardStore('save the import settings', () => this.q.set.run({ minutes, now }));
  }
}
