/**
 * Schema version 16: central driver defaults (docs/architecture.md §6, fleet configuration). One
 * row per driver: the option values and the device role a configuration file sets for every port
 * of that driver on this workstation, whatever its path. A port's own value wins over these.
 * Self-contained; never edit this once released.
 */
export const V16_DRIVER_DEFAULTS = `
CREATE TABLE driver_defaults (
  driver_id    TEXT PRIMARY KEY,
  options_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(options_json) AND json_type(options_json) = 'object'),
  role         TEXT CHECK (role IS NULL OR role IN ('bedside', 'shared', 'memory')),
  updated_at   TEXT NOT NULL
) STRICT;
`;
