/**
 * Schema version 15: following a central configuration (docs/architecture.md §6, fleet
 * configuration). One row: the subscription (URL, pinned Ed25519 public key, extra CA, interval),
 * what the last check found, and the last good version's exact bytes and hash, so a workstation
 * can always say which signed file it runs on. Self-contained; never edit this once released.
 */
export const V15_CONFIG_FOLLOW = `
CREATE TABLE config_follow (
  id                 INTEGER PRIMARY KEY CHECK (id = 1),
  url                TEXT NOT NULL,
  public_key_pem     TEXT NOT NULL,
  ca_pem             TEXT,
  interval_seconds   INTEGER NOT NULL CHECK (interval_seconds >= 30),
  etag               TEXT,
  last_check_at      TEXT,
  last_check_outcome TEXT CHECK (last_check_outcome IS NULL OR last_check_outcome IN ('applied', 'unchanged', 'refused', 'unreachable')),
  last_check_message TEXT,
  good_bytes         BLOB,
  good_sha256        TEXT,
  good_etag          TEXT,
  applied_at         TEXT,
  refused_sha256     TEXT,
  refused_reason     TEXT,
  refused_at         TEXT,
  overrides_json     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(overrides_json) AND json_type(overrides_json) = 'array'),
  updated_at         TEXT NOT NULL
) STRICT;
`;
