/**
 * Schema version 4: the ports of this workstation and the driver assigned to each
 * (docs/architecture.md §6). Applied by migration 4 in one transaction with its version row. Never edit this
 * once released: a fix is a new migration.
 *
 * Only what a person (or discovery, for a single match) decided is stored; what is plugged in
 * right now, states and health are runtime facts and live in memory.
 */
export const V4_PORTS = `
-- One row per port the hub must remember: a port with an assignment, a pty or TCP box added by
-- hand, or a discovered port a person unassigned (a row with no driver tells discovery not to
-- assign it again by itself). id is 'serial:<path>', 'hid:<path>' or 'tcp:<host>:<port>'.
CREATE TABLE ports (
  id            TEXT PRIMARY KEY,
  transport     TEXT NOT NULL CHECK (transport IN ('serial', 'hid', 'tcp')),
  path          TEXT NOT NULL,
  origin        TEXT NOT NULL CHECK (origin IN ('discovered', 'manual')),
  -- USB vendor:product and serial number as last seen, so a device replugged on another path
  -- (ttyUSB0 → ttyUSB1) finds its assignment again.
  usb_vendor_id  INTEGER,
  usb_product_id INTEGER,
  usb_serial     TEXT,
  driver_id     TEXT,
  -- Serial line settings in force (PortSettings JSON); NULL for HID and TCP ports.
  settings_json TEXT CHECK (settings_json IS NULL OR json_valid(settings_json)),
  options_json  TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(options_json) AND json_type(options_json) = 'object'),
  auto_connect  INTEGER NOT NULL DEFAULT 1 CHECK (auto_connect IN (0, 1)),
  assigned_by   TEXT CHECK (assigned_by IN ('discovery', 'person')),
  updated_at    TEXT NOT NULL,
  -- Who chose is known exactly when something was chosen.
  CHECK ((driver_id IS NULL) = (assigned_by IS NULL)),
  CHECK (driver_id IS NOT NULL OR settings_json IS NULL)
) STRICT;
CREATE INDEX ports_usb_serial ON ports (usb_vendor_id, usb_product_id, usb_serial);

-- Discovery options of this workstation: one row, so a configuration file can carry them.
CREATE TABLE discovery_settings (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  auto_connect INTEGER NOT NULL CHECK (auto_connect IN (0, 1)),
  poll_ms      INTEGER NOT NULL CHECK (poll_ms BETWEEN 500 AND 60000),
  updated_at   TEXT NOT NULL
) STRICT;
`;
