import type Database from 'better-sqlite3';
import { z } from 'zod';
import { PortSettingsSchema, type PortSettings } from '../../shared/api/ports-model.ts';
import { DriverOptionValuesSchema } from '../../shared/driver-options.ts';
import { HubError } from '../../shared/errors.ts';
import { DEVICE_ROLES, type DeviceRole } from '../../shared/device-role.ts';
import { PORT_TRANSPORTS, type PortTransport } from '../../shared/port-transports.ts';

/** What the hub remembers of one port (schema v4 `ports`). */
export interface PortRecord {
  id: string;
  transport: PortTransport;
  path: string;
  origin: 'discovered' | 'manual';
  usb?: { vendorId: number; productId: number; serialNumber?: string };
  /** Absent: known port without a driver (added by hand, or unassigned by a person). */
  assignment?: PortAssignmentRecord;
}

export interface PortAssignmentRecord {
  driverId: string;
  settings?: PortSettings;
  options: Record<string, number | boolean | string>;
  autoConnect: boolean;
  by: 'discovery' | 'person';
  /** The role biomed staff chose (schema v5); absent: the driver's default (shared/device-role.ts). */
  role?: DeviceRole;
}

export interface DiscoverySettings {
  autoConnect: boolean;
  pollMs: number;
}

/** Defaults of the configuration file's `discovery` block (shared/config/workstation-config.ts). */
const DEFAULT_DISCOVERY: DiscoverySettings = { autoConnect: true, pollMs: 2_000 };

const RowSchema = z.object({
  id: z.string(),
  transport: z.enum(PORT_TRANSPORTS),
  path: z.string(),
  origin: z.enum(['discovered', 'manual']),
  usb_vendor_id: z.number().int().nullable(),
  usb_product_id: z.number().int().nullable(),
  usb_serial: z.string().nullable(),
  driver_id: z.string().nullable(),
  settings_json: z.string().nullable(),
  options_json: z.string(),
  auto_connect: z.union([z.literal(0), z.literal(1)]),
  assigned_by: z.enum(['discovery', 'person']).nullable(),
  role: z.enum(DEVICE_ROLES).nullable(),
});

/** Rows are validated on the way out: a row edited by hand must not connect with half-understood settings. */
function toRecord(raw: unknown): PortRecord {
  const parsed = RowSchema.safeParse(raw);
  if (!parsed.success) throw new HubError('STORE_FAILED', `A stored port is damaged or from a newer version: ${z.prettifyError(parsed.error)}`);
  const row = parsed.data;
  const record: PortRecord = { id: row.id, transport: row.transport, path: row.path, origin: row.origin };
  if (row.usb_vendor_id !== null && row.usb_product_id !== null) {
    record.usb = { vendorId: row.usb_vendor_id, productId: row.usb_product_id, ...(row.usb_serial === null ? {} : { serialNumber: row.usb_serial }) };
  }
  if (row.driver_id !== null && row.assigned_by !== null) {
    const settings = row.settings_json === null ? undefined : PortSettingsSchema.parse(JSON.parse(row.settings_json));
    record.assignment = {
      driverId: row.driver_id,
      ...(settings ? { settings } : {}),
      options: DriverOptionValuesSchema.parse(JSON.parse(row.options_json)),
      autoConnect: row.auto_connect === 1,
      by: row.assigned_by,
      ...(row.role === null ? {} : { role: row.role }),
    };
  }
  return record;
}

/** The `ports` and `discovery_settings` tables. */
export class PortsRepo {
  private readonly q;

  constructor(db: Database.Database) {
    const columns = 'id, transport, path, origin, usb_vendor_id, usb_product_id, usb_serial, driver_id, settings_json, options_json, auto_connect, assigned_by, role';
    this.q = {
      all: db.prepare<[], unknown>(`SELECT ${columns} FROM ports ORDER BY id`),
      byId: db.prepare<[string], unknown>(`SELECT ${columns} FROM ports WHERE id = ?`),
      upsert: db.prepare(`
        INSERT INTO ports (${columns}, updated_at)
        VALUES (@id, @transport, @path, @origin, @vendorId, @productId, @usbSerial, @driverId, @settings, @options, @autoConnect, @by, @role, @now)
        ON CONFLICT (id) DO UPDATE SET transport = @transport, path = @path, origin = @origin, usb_vendor_id = @vendorId,
          usb_product_id = @productId, usb_serial = @usbSerial, driver_id = @driverId, settings_json = @settings,
          options_json = @options, auto_connect = @autoConnect, assigned_by = @by, role = @role, updated_at = @now`),
      remove: db.prepare<[string]>('DELETE FROM ports WHERE id = ?'),
      removeAll: db.prepare('DELETE FROM ports'),
      discovery: db.prepare<[], { auto_connect: number; poll_ms: number }>('SELECT auto_connect, poll_ms FROM discovery_settings WHERE id = 1'),
      setDiscovery: db.prepare<{ autoConnect: number; pollMs: number; now: string }>(`
        INSERT INTO discovery_settings (id, auto_connect, poll_ms, updated_at) VALUES (1, @autoConnect, @pollMs, @now)
        ON CONFLICT (id) DO UPDATE SET auto_connect = @autoConnect, poll_ms = @pollMs, updated_at = @now`),
    };
  }

  list(): PortRecord[] {
    return this.q.all.all().map(toRecord);
  }

  get(id: string): PortRecord | undefined {
    const row = this.q.byId.get(id);
    return row === undefined ? undefined : toRecord(row);
  }

  save(record: PortRecord, now: string): void {
    const a = record.assignment;
    this.q.upsert.run({
      id: record.id,
      transport: record.transport,
      path: record.path,
      origin: record.origin,
      vendorId: record.usb?.vendorId ?? null,
      productId: record.usb?.productId ?? null,
      usbSerial: record.usb?.serialNumber ?? null,
      driverId: a?.driverId ?? null,
      settings: a?.settings ? JSON.stringify(a.settings) : null,
      options: JSON.stringify(a?.options ?? {}),
      autoConnect: (a?.autoConnect ?? true) ? 1 : 0,
      by: a?.by ?? null,
      role: a?.role ?? null,
      now,
    });
  }

  remove(id: string): void {
    this.q.remove.run(id);
  }

  /** Replace every port at once (a configuration file is applied as a whole); call inside a transaction. */
  replaceAll(records: readonly PortRecord[], now: string): void {
    this.q.removeAll.run();
    for (const record of records) this.save(record, now);
  }

  discovery(): DiscoverySettings {
    const row = this.q.discovery.get();
    return row === undefined ? { ...DEFAULT_DISCOVERY } : { autoConnect: row.auto_connect === 1, pollMs: row.poll_ms };
  }

  setDiscovery(settings: DiscoverySettings, now: string): void {
    this.q.setDiscovery.run({ autoConnect: settings.autoConnect ? 1 : 0, pollMs: settings.pollMs, now });
  }
}
