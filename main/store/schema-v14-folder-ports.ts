/**
 * Schema version 14: the `folder` port kind (docs/architecture.md §6) — a meter mounted as a disk
 * (or its report folder), named by absolute path and read through the file link
 * (main/transports/folder.ts). SQLite cannot change a CHECK constraint, so the table is rebuilt
 * with the same columns and rows, as versions 11 and 13 did. Applied in one transaction with its
 * version row. Never edit this once released.
 */
export const V14_FOLDER_PORTS = `
CREATE TABLE ports_v14 (
  id            TEXT PRIMARY KEY,
  transport     TEXT NOT NULL CHECK (transport IN ('serial', 'hid', 'tcp', 'listen', 'http', 'usb', 'folder')),
  path          TEXT NOT NULL,
  origin        TEXT NOT NULL CHECK (origin IN ('discovered', 'manual')),
  usb_vendor_id  INTEGER,
  usb_product_id INTEGER,
  usb_serial     TEXT,
  driver_id     TEXT,
  settings_json TEXT CHECK (settings_json IS NULL OR json_valid(settings_json)),
  options_json  TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(options_json) AND json_type(options_json) = 'object'),
  auto_connect  INTEGER NOT NULL DEFAULT 1 CHECK (auto_connect IN (0, 1)),
  assigned_by   TEXT CHECK (assigned_by IN ('discovery', 'person')),
  updated_at    TEXT NOT NULL,
  role          TEXT CHECK (role IS NULL OR role IN ('bedside', 'shared', 'memory')),
  CHECK ((driver_id IS NULL) = (assigned_by IS NULL)),
  CHECK (driver_id IS NOT NULL OR settings_json IS NULL)
) STRICT;
INSERT INTO ports_v14 (id, transport, path, origin, usb_vendor_id, usb_product_id, usb_serial, driver_id, settings_json, options_json, auto_connect, assigned_by, updated_at, role)
  SELECT id, transport, path, origin, usb_vendor_id, usb_product_id, usb_serial, driver_id, settings_json, options_json, auto_connect, assigned_by, updated_at, role FROM ports;
DROP TABLE ports;
ALTER TABLE ports_v14 RENAME TO ports;
CREATE INDEX ports_usb_serial ON ports (usb_vendor_id, usb_product_id, usb_serial);
`;
