import type Database from 'better-sqlite3';
import { DriverOptionValuesSchema } from '../../shared/driver-options.ts';
import type { DeviceRole } from '../../shared/device-role.ts';
import type { DriverDefault } from '../../shared/config/driver-defaults.ts';
import { guardStore } from './store-errors.ts';

/** A `driver_defaults` row as SQLite returns it. */
interface Row {
  driver_id: string;
  options_json: string;
  role: DeviceRole | null;
}

function toDefault(row: Row): DriverDefault {
  // Written only by replaceAll from a validated file (the column's CHECK keeps it a JSON object): parsed as ports-repo parses its options.
  const options = DriverOptionValuesSchema.parse(JSON.parse(row.options_json) as unknown);
  return {
    driverId: row.driver_id,
    ...(Object.keys(options).length > 0 ? { options } : {}),
    ...(row.role === null ? {} : { role: row.role }),
  };
}

/** The `driver_defaults` table (schema v16): central option values and roles per driver. */
export class DriverDefaultsRepo {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      list: db.prepare<[], Row>('SELECT driver_id, options_json, role FROM driver_defaults ORDER BY driver_id'),
      get: db.prepare<[string], Row>('SELECT driver_id, options_json, role FROM driver_defaults WHERE driver_id = ?'),
      clear: db.prepare('DELETE FROM driver_defaults'),
      insert: db.prepare<{ driverId: string; options: string; role: string | null; now: string }>(
        'INSERT INTO driver_defaults (driver_id, options_json, role, updated_at) VALUES (@driverId, @options, @role, @now)',
      ),
    };
  }

  list(): DriverDefault[] {
    return guardStore('read the driver defaults', () => this.q.list.all().map(toDefault));
  }

  /** The central default of one driver, or undefined when the configuration sets none. */
  get(driverId: string): DriverDefault | undefined {
    return guardStore('read the driver defaults', () => {
      const row = this.q.get.get(driverId);
      return row === undefined ? undefined : toDefault(row);
    });
  }

  /**
   * Replace every driver default with a file's (a driver the file no longer names falls back to
   * its manifest's defaults). Call inside the transaction that applies the file.
   */
  replaceAll(entries: readonly DriverDefault[], now: string): void {
    guardStore('save the driver defaults', () => {
      this.q.clear.run();
      for (const e of entries) this.q.insert.run({ driverId: e.driverId, options: JSON.stringify(e.options ?? {}), role: e.role ?? null, now });
    });
  }
}

