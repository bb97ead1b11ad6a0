import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HubError } from '../../shared/errors.ts';
import { MIGRATIONS, SCHEMA_VERSION, currentSchemaVersion, migrate, type Migration } from './migrations.ts';
import { openStore } from './open-store.ts';
import { tempDir } from '../../test/helpers/store-fixtures.ts';

const TABLES = ['adt_messages', 'audit_log', 'config_follow', 'devices', 'discovery_settings', 'driver_defaults', 'export_attempts', 'export_targets', 'memory_import_settings', 'observations', 'operators', 'outbox', 'patient_cache_settings', 'patient_sources', 'patients', 'ports', 'qc_evaluations', 'qc_lots', 'qc_policies', 'raw_frames', 'reading_frames', 'readings', 'review_settings', 'reviews', 'schema_version', 'session_settings', 'sessions', 'sign_in_failures', 'visits'];

let tmp: ReturnType<typeof tempDir>;
let file: string;
beforeEach(() => {
  tmp = tempDir();
  file = join(tmp.dir, 'hub.sqlite');
});
afterEach(() => tmp.cleanup());

describe('migrations', () => {
  it('create every table STRICT and record the version', () => {
    const store = openStore(file);
    const tables = store.db
      .prepare<[], { name: string; strict: number }>("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all();
    expect(tables.map((t) => t.name)).toEqual(TABLES);
    expect(tables.every((t) => t.strict === 1)).toBe(true);
    const versions = store.db.prepare<[], { version: number; description: string }>('SELECT version, description FROM schema_version').all();
    expect(versions).toEqual(MIGRATIONS.map((m) => ({ version: m.version, description: m.description })));
    expect(currentSchemaVersion(store.db)).toBe(SCHEMA_VERSION);
    store.close();
  });

  it('version 11 keeps every stored port through the table rebuild and accepts the listening and web-service kinds', () => {
    const raw = new Database(file);
    migrate(raw, MIGRATIONS.slice(0, 10));
    raw
      .prepare("INSERT INTO ports (id, transport, path, origin, driver_id, options_json, auto_connect, assigned_by, updated_at, role) VALUES ('tcp:10.0.0.7:4001', 'tcp', '10.0.0.7:4001', 'manual', 'siemens-clinitek-status', '{\"dateOrder\":\"mdy\"}', 0, 'person', '2026-01-01T00:00:00Z', 'bedside')")
      .run();
    expect(() => raw.prepare("INSERT INTO ports (id, transport, path, origin, updated_at) VALUES ('listen:0.0.0.0:3000', 'listen', '0.0.0.0:3000', 'manual', 'x')").run()).toThrow(/CHECK constraint/);
    expect(migrate(raw)).toEqual({ from: 10, to: SCHEMA_VERSION });
    raw.prepare("INSERT INTO ports (id, transport, path, origin, updated_at) VALUES ('listen:0.0.0.0:3000', 'listen', '0.0.0.0:3000', 'manual', 'x')").run();
    raw.close();
    const store = openStore(file);
    expect(store.ports.get('tcp:10.0.0.7:4001')).toMatchObject({ transport: 'tcp', assignment: { driverId: 'siemens-clinitek-status', options: { dateOrder: 'mdy' }, autoConnect: false, role: 'bedside' } });
    expect(store.ports.get('listen:0.0.0.0:3000')).toMatchObject({ transport: 'listen', path: '0.0.0.0:3000' });
    store.close();
  });

  it('version 13 keeps every stored port through the table rebuild and accepts the USB bulk kind', () => {
    const raw = new Database(file);
    migrate(raw, MIGRATIONS.slice(0, 12));
    raw
      .prepare("INSERT INTO ports (id, transport, path, origin, usb_vendor_id, usb_product_id, usb_serial, driver_id, options_json, auto_connect, assigned_by, updated_at, role) VALUES ('hid:/dev/hidraw2', 'hid', '/dev/hidraw2', 'discovered', 6753, 14416, 'JGGA1', 'abbott-freestyle-neo', '{}', 1, 'discovery', '2026-01-01T00:00:00Z', 'memory')")
      .run();
    const usb = "INSERT INTO ports (id, transport, path, origin, usb_vendor_id, usb_product_id, driver_id, assigned_by, updated_at) VALUES ('usb:1-4.2', 'usb', '1-4.2', 'discovered', 5946, 8661, 'roche-accu-chek-usb', 'discovery', 'x')";
    expect(() => raw.prepare(usb).run()).toThrow(/CHECK constraint/);
    expect(migrate(raw)).toEqual({ from: 12, to: SCHEMA_VERSION });
    raw.prepare(usb).run();
    raw.close();
    const store = openStore(file);
    expect(store.ports.get('hid:/dev/hidraw2')).toMatchObject({ transport: 'hid', usb: { vendorId: 6753, productId: 14416, serialNumber: 'JGGA1' }, assignment: { driverId: 'abbott-freestyle-neo', by: 'discovery', role: 'memory' } });
    expect(store.ports.get('usb:1-4.2')).toMatchObject({ transport: 'usb', path: '1-4.2', usb: { vendorId: 0x173a, productId: 0x21d5 }, assignment: { driverId: 'roche-accu-chek-usb' } });
    store.close();
  });

  it('version 14 keeps every stored port of version 13 (USB, HID, serial, assignment, role) and accepts the folder kind', () => {
    const raw = new Database(file);
    migrate(raw, MIGRATIONS.slice(0, 13));
    raw
      .prepare("INSERT INTO ports (id, transport, path, origin, usb_vendor_id, usb_product_id, usb_serial, driver_id, options_json, auto_connect, assigned_by, updated_at, role) VALUES ('hid:/dev/hidraw2', 'hid', '/dev/hidraw2', 'discovered', 6753, 14416, 'JGGA1', 'abbott-freestyle-neo', '{}', 1, 'discovery', '2026-01-01T00:00:00Z', 'memory')")
      .run();
    raw.prepare("INSERT INTO ports (id, transport, path, origin, usb_vendor_id, usb_product_id, driver_id, assigned_by, updated_at) VALUES ('usb:1-4.2', 'usb', '1-4.2', 'discovered', 5946, 8661, 'roche-accu-chek-usb', 'discovery', 'x')").run();
    raw
      .prepare("INSERT INTO ports (id, transport, path, origin, driver_id, settings_json, options_json, auto_connect, assigned_by, updated_at) VALUES ('serial:/dev/pts/7', 'serial', '/dev/pts/7', 'manual', 'omron-hbp-9030', '{\"baudRate\":9600,\"dataBits\":8,\"parity\":\"none\",\"stopBits\":1,\"flowControl\":\"none\"}', '{}', 0, 'person', 'y')")
      .run();
    const folder = "INSERT INTO ports (id, transport, path, origin, driver_id, assigned_by, updated_at) VALUES ('folder:/media/ACCU-CHEK', 'folder', '/media/ACCU-CHEK', 'manual', 'roche-accu-chek-mobile', 'person', 'z')";
    expect(() => raw.prepare(folder).run()).toThrow(/CHECK constraint/);
    expect(migrate(raw)).toEqual({ from: 13, to: SCHEMA_VERSION });
    raw.prepare(folder).run();
    // The rebuilt table keeps its CHECKs: an unknown kind is still refused.
    expect(() => raw.prepare("INSERT INTO ports (id, transport, path, origin, updated_at) VALUES ('x:1', 'floppy', '1', 'manual', 'z')").run()).toThrow(/CHECK constraint/);
    raw.close();
    const store = openStore(file);
    expect(store.ports.list()).toHaveLength(4);
    expect(store.ports.get('hid:/dev/hidraw2')).toMatchObject({ transport: 'hid', usb: { vendorId: 6753, productId: 14416, serialNumber: 'JGGA1' }, assignment: { driverId: 'abbott-freestyle-neo', by: 'discovery', role: 'memory' } });
    expect(store.ports.get('usb:1-4.2')).toMatchObject({ transport: 'usb', path: '1-4.2', usb: { vendorId: 0x173a, productId: 0x21d5 }, assignment: { driverId: 'roche-accu-chek-usb' } });
    expect(store.ports.get('serial:/dev/pts/7')).toMatchObject({ transport: 'serial', origin: 'manual', assignment: { driverId: 'omron-hbp-9030', autoConnect: false, settings: { baudRate: 9600 } } });
    expect(store.ports.get('folder:/media/ACCU-CHEK')).toMatchObject({ transport: 'folder', path: '/media/ACCU-CHEK', origin: 'manual', assignment: { driverId: 'roche-accu-chek-mobile', by: 'person' } });
    store.close();
  });

  it('version 16 adds the driver defaults beside a version 15 store, refusing a role that is not one and options that are not an object', () => {
    const raw = new Database(file);
    migrate(raw, MIGRATIONS.slice(0, 15));
    raw
      .prepare("INSERT INTO ports (id, transport, path, origin, driver_id, options_json, auto_connect, assigned_by, updated_at, role) VALUES ('serial:/dev/ttyUSB0', 'serial', '/dev/ttyUSB0', 'manual', 'masimo-rad8', '{\"autoCapture\":true}', 1, 'person', 'x', 'shared')")
      .run();
    expect(migrate(raw)).toEqual({ from: 15, to: SCHEMA_VERSION });
    expect(() => raw.prepare("INSERT INTO driver_defaults (driver_id, role, updated_at) VALUES ('masimo-rad8', 'ward', 'x')").run()).toThrow(/CHECK constraint/);
    expect(() => raw.prepare("INSERT INTO driver_defaults (driver_id, options_json, updated_at) VALUES ('masimo-rad8', '[1]', 'x')").run()).toThrow(/CHECK constraint/);
    raw.close();
    const store = openStore(file);
    expect(store.driverDefaults.list()).toEqual([]);
    store.driverDefaults.replaceAll([{ driverId: 'masimo-rad8', options: { autoCapture: false }, role: 'bedside' }, { driverId: 'ascensia-contour-next' }], 'y');
    expect(store.driverDefaults.list()).toEqual([{ driverId: 'ascensia-contour-next' }, { driverId: 'masimo-rad8', options: { autoCapture: false }, role: 'bedside' }]);
    expect(store.ports.get('serial:/dev/ttyUSB0')?.assignment).toMatchObject({ options: { autoCapture: true }, role: 'shared' });
    store.close();
  });

  it('STRICT rejects a value of the wrong type instead of storing it', () => {
    const store = openStore(file);
    const insert = store.db.prepare("INSERT INTO raw_frames (direction, received_at, bytes) VALUES ('in', '2024-01-01T00:00:00Z', ?)");
    expect(() => insert.run('not a blob')).toThrow(/cannot store TEXT value in BLOB column/);
    store.close();
  });

  it('are idempotent when the database is opened again', () => {
    openStore(file).close();
    const store = openStore(file);
    const count = store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM schema_version').get();
    expect(count?.n).toBe(MIGRATIONS.length);
    expect(migrate(store.db)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    store.close();
  });

  it('refuse a database written by a newer version and leave it unchanged', () => {
    openStore(file).close();
    const raw = new Database(file);
    raw.prepare("INSERT INTO schema_version (version, description, applied_at) VALUES (?, 'from the future', '2030-01-01T00:00:00Z')").run(SCHEMA_VERSION + 1);
    raw.close();

    let caught: unknown;
    try {
      openStore(file);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(HubError);
    expect(caught).toMatchObject({ code: 'STORE_FAILED', details: { found: SCHEMA_VERSION + 1, known: SCHEMA_VERSION } });
    expect((caught as HubError).message).toMatch(/newer version of POC Hub/);

    const check = new Database(file, { readonly: true });
    expect(currentSchemaVersion(check)).toBe(SCHEMA_VERSION + 1);
    check.close();
  });

  it('apply a later migration in one transaction with its version row', () => {
    openStore(file).close();
    const db = new Database(file);
    const next = SCHEMA_VERSION + 1;
    const broken: Migration = {
      version: next,
      description: 'fails half-way',
      up: (d) => {
        d.exec('CREATE TABLE review (id INTEGER PRIMARY KEY) STRICT');
        throw new Error('disk on fire');
      },
    };
    expect(() => migrate(db, [...MIGRATIONS, broken])).toThrow('disk on fire');
    expect(currentSchemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'review'").get()).toBeUndefined();

    const good: Migration = { version: next, description: 'review', up: (d) => d.exec('CREATE TABLE review (id INTEGER PRIMARY KEY) STRICT') };
    expect(migrate(db, [...MIGRATIONS, good])).toEqual({ from: SCHEMA_VERSION, to: next });
    expect(currentSchemaVersion(db)).toBe(next);
    db.close();
  });

  it('reject a migration list with a gap (a bug, caught before anything runs)', () => {
    const db = new Database(':memory:');
    const gap: Migration = { version: SCHEMA_VERSION + 2, description: 'gap', up: () => undefined };
    expect(() => migrate(db, [...MIGRATIONS, gap])).toThrow(new RegExp(`expected ${SCHEMA_VERSION + 1}`));
    db.close();
  });
});
