import type Database from 'better-sqlite3';
import { z } from 'zod';
import { LocalOverrideSchema, type FollowOutcome, type LocalOverride } from '../../shared/config/follow-model.ts';
import { guardStore } from './store-errors.ts';

/** The subscription and what the checks found, as stored (schema v15). */
export interface FollowRecord {
  url: string;
  publicKeyPem: string;
  caPem?: string;
  intervalSeconds: number;
  /** The ETag of the version applied last: sent as If-None-Match. */
  etag?: string;
  lastCheckAt?: string;
  lastCheckOutcome?: FollowOutcome;
  lastCheckMessage?: string;
  /** The last good version: its exact bytes, their SHA-256 and ETag, when it was applied. */
  good?: { bytes: Buffer; sha256: string; etag?: string; appliedAt: string };
  refused?: { sha256?: string; reason: string; at: string };
  overrides: LocalOverride[];
}

interface Row {
  url: string;
  public_key_pem: string;
  ca_pem: string | null;
  interval_seconds: number;
  etag: string | null;
  last_check_at: string | null;
  last_check_outcome: FollowOutcome | null;
  last_check_message: string | null;
  good_bytes: Buffer | null;
  good_sha256: string | null;
  good_etag: string | null;
  applied_at: string | null;
  refused_sha256: string | null;
  refused_reason: string | null;
  refused_at: string | null;
  overrides_json: string;
}

const Overrides = z.array(LocalOverrideSchema);

/** The `config_follow` table: at most one row (a workstation follows one central file). */
export class ConfigFollowRepo {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      get: db.prepare<[], Row>('SELECT * FROM config_follow WHERE id = 1'),
      // A new subscription keeps the last good version (it is still what this workstation runs on).
      subscribe: db.prepare<{ url: string; key: string; ca: string | null; interval: number; now: string }>(`
        INSERT INTO config_follow (id, url, public_key_pem, ca_pem, interval_seconds, updated_at) VALUES (1, @url, @key, @ca, @interval, @now)
        ON CONFLICT (id) DO UPDATE SET url = @url, public_key_pem = @key, ca_pem = @ca, interval_seconds = @interval, etag = NULL,
          last_check_at = NULL, last_check_outcome = NULL, last_check_message = NULL, refused_sha256 = NULL, refused_reason = NULL, refused_at = NULL, updated_at = @now`),
      unsubscribe: db.prepare('DELETE FROM config_follow WHERE id = 1'),
      checked: db.prepare<{ at: string; outcome: FollowOutcome; message: string | null }>(
        'UPDATE config_follow SET last_check_at = @at, last_check_outcome = @outcome, last_check_message = @message, updated_at = @at WHERE id = 1',
      ),
      etag: db.prepare<{ etag: string }>('UPDATE config_follow SET etag = @etag, good_etag = @etag WHERE id = 1'),
      applied: db.prepare<{ at: string; bytes: Buffer; sha256: string; etag: string | null; overrides: string }>(`
        UPDATE config_follow SET good_bytes = @bytes, good_sha256 = @sha256, good_etag = @etag, etag = @etag, applied_at = @at, overrides_json = @overrides,
          last_check_at = @at, last_check_outcome = 'applied', last_check_message = NULL, updated_at = @at WHERE id = 1`),
      refused: db.prepare<{ at: string; sha256: string | null; reason: string }>(`
        UPDATE config_follow SET refused_sha256 = @sha256, refused_reason = @reason, refused_at = @at,
          last_check_at = @at, last_check_outcome = 'refused', last_check_message = @reason, updated_at = @at WHERE id = 1`),
    };
  }

  get(): FollowRecord | undefined {
    const row = guardStore('read the configuration subscription', () => this.q.get.get());
    if (row === undefined) return undefined;
    return {
      url: row.url,
      publicKeyPem: row.public_key_pem,
      ...(row.ca_pem === null ? {} : { caPem: row.ca_pem }),
      intervalSeconds: row.interval_seconds,
      ...(row.etag === null ? {} : { etag: row.etag }),
      ...(row.last_check_at === null ? {} : { lastCheckAt: row.last_check_at }),
      ...(row.last_check_outcome === null ? {} : { lastCheckOutcome: row.last_check_outcome }),
      ...(row.last_check_message === null ? {} : { lastCheckMessage: row.last_check_message }),
      ...(row.good_bytes === null || row.good_sha256 === null || row.applied_at === null
        ? {}
        : { good: { bytes: row.good_bytes, sha256: row.good_sha256, appliedAt: row.applied_at, ...(row.good_etag === null ? {} : { etag: row.good_etag }) } }),
      ...(row.refused_reason === null || row.refused_at === null
        ? {}
        : { refused: { reason: row.refused_reason, at: row.refused_at, ...(row.refused_sha256 === null ? {} : { sha256: row.refused_sha256 }) } }),
      overrides: Overrides.parse(JSON.parse(row.overrides_json)),
    };
  }

  /** Store a subscription (replacing any); call inside the transaction that writes its audit row. */
  subscribe(s: { url: string; publicKeyPem: string; caPem?: string; intervalSeconds: number }, now: string): void {
    this.q.subscribe.run({ url: s.url, key: s.publicKeyPem, ca: s.caPem ?? null, interval: s.intervalSeconds, now });
  }

  /** Forget the subscription (the configuration applied stays as it is). */
  unsubscribe(): boolean {
    return this.q.unsubscribe.run().changes > 0;
  }

  /** A check that changed nothing: not modified, or the server was not reachable. */
  checked(at: string, outcome: 'unchanged' | 'unreachable', message?: string): void {
    guardStore('save the check', () => this.q.checked.run({ at, outcome, message: message ?? null }));
  }

  /** The server gave the applied bytes under a new ETag (a restart, another node): ask with that one from now on. */
  sameVersionEtag(etag: string): void {
    guardStore('save the check', () => this.q.etag.run({ etag }));
  }

  /** A version applied; call inside the transaction that applies it. */
  applied(at: string, good: { bytes: Buffer; sha256: string; etag?: string }, overrides: readonly LocalOverride[]): void {
    this.q.applied.run({ at, bytes: good.bytes, sha256: good.sha256, etag: good.etag ?? null, overrides: JSON.stringify(overrides) });
  }

  /** A version refused; the last good one stays. Call inside the transaction that audits it. */
  refused(at: string, reason: string, sha256?: string): void {
    this.q.refused.run({ at, sha256: sha256 ?? null, reason });
  }
}
