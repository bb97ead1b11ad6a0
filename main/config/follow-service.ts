import { createHash, X509Certificate } from 'node:crypto';
import { FOLLOW_LIMITS, FollowInputSchema, type FollowInput, type FollowOutcome, type FollowStatus, type LocalOverride } from '../../shared/config/follow-model.ts';
import type { WorkstationConfig } from '../../shared/config/workstation-config.ts';
import { HubError, isHubError } from '../../shared/errors.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import type { ConfigService } from './config-service.ts';
import { fetchFile, signatureUrl, type FetchOptions, type FetchResult } from './follow-fetch.ts';
import { keyFingerprint, signatureProblem } from './follow-signature.ts';

/** What one check of the central file did. */
export interface CheckResult {
  outcome: FollowOutcome;
  /** One line for a person: what was applied, or why nothing was. */
  message: string;
  sha256?: string;
  overrides?: LocalOverride[];
  config?: WorkstationConfig;
}

interface ConfigFollowerDeps {
  config: ConfigService;
  tables: Pick<HubDatabase, 'configFollow' | 'transaction'>;
  /** The audit log (called inside the transaction of the change it records). */
  audit: (action: string, subject: string | undefined, details: Record<string, unknown>) => void;
  now?: () => Date;
  /** How files are fetched (default: node:https); kept injectable for unit tests of the flow. */
  fetch?: (url: string, opts: FetchOptions) => Promise<FetchResult>;
}

/**
 * Follow a central configuration (docs/architecture.md §6, fleet configuration): fetch the file
 * and its detached signature, verify the signature with the pinned Ed25519 key, validate and apply
 * it as `config import` does. Anything short of that (server down, bad signature, invalid file,
 * too big) changes nothing: the last good version stays applied, the reason is stored for the
 * admin screen and audited once per distinct refusal.
 */
export class ConfigFollower {
  private running: Promise<CheckResult> | undefined;

  constructor(private readonly deps: ConfigFollowerDeps) {}

  /**
   * Store a subscription (replacing any), audited, then check once now.
   * @throws HubError `INPUT_INVALID` for a URL, key or CA that cannot be used (nothing stored).
   */
  async follow(input: FollowInput): Promise<CheckResult> {
    const parsed = FollowInputSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new HubError('INPUT_INVALID', `${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`);
    }
    const sub = parsed.data;
    const fingerprint = keyFingerprint(sub.publicKeyPem);
    if (sub.caPem !== undefined) {
      try {
        new X509Certificate(sub.caPem);
      } catch (e) {
        throw new HubError('INPUT_INVALID', `the CA file is not a PEM certificate: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
    }
    const { tables } = this.deps;
    tables.transaction(() => {
      tables.configFollow.subscribe(sub, this.nowIso());
      this.deps.audit('config.follow.subscribed', sub.url, { url: sub.url, keyFingerprint: fingerprint, intervalSeconds: sub.intervalSeconds, extraCa: sub.caPem !== undefined });
    });
    return this.checkNow();
  }

  /** Stop following; what was applied stays. Returns false when nothing was followed. */
  unfollow(): boolean {
    const { tables } = this.deps;
    return tables.transaction(() => {
      const before = tables.configFollow.get();
      if (before === undefined) return false;
      tables.configFollow.unsubscribe();
      this.deps.audit('config.follow.unsubscribed', before.url, { url: before.url });
      return true;
    });
  }

  status(): FollowStatus {
    const rec = this.deps.tables.configFollow.get();
    if (rec === undefined) return { following: false, localOverrides: [] };
    return {
      following: true,
      url: rec.url,
      keyFingerprint: keyFingerprint(rec.publicKeyPem),
      hasCa: rec.caPem !== undefined,
      intervalSeconds: rec.intervalSeconds,
      ...(rec.lastCheckAt === undefined ? {} : { lastCheckAt: rec.lastCheckAt }),
      ...(rec.lastCheckOutcome === undefined ? {} : { lastCheckOutcome: rec.lastCheckOutcome }),
      ...(rec.lastCheckMessage === undefined ? {} : { lastCheckMessage: rec.lastCheckMessage }),
      ...(rec.good === undefined ? {} : { appliedSha256: rec.good.sha256, appliedAt: rec.good.appliedAt, ...(rec.good.etag === undefined ? {} : { appliedEtag: rec.good.etag }) }),
      ...(rec.refused === undefined ? {} : { refusedReason: rec.refused.reason, refusedAt: rec.refused.at, ...(rec.refused.sha256 === undefined ? {} : { refusedSha256: rec.refused.sha256 }) }),
      localOverrides: rec.overrides,
    };
  }

  /** Whether a check is due (following, and the interval has passed since the last one). */
  due(): boolean {
    const rec = this.deps.tables.configFollow.get();
    if (rec === undefined) return false;
    if (rec.lastCheckAt === undefined) return true;
    return this.now().getTime() - Date.parse(rec.lastCheckAt) >= rec.intervalSeconds * 1000;
  }

  /**
   * Check the central file now (one check at a time: a second call joins the running one).
   * @throws HubError `NOT_FOUND` when this workstation follows nothing.
   */
  checkNow(): Promise<CheckResult> {
    this.running ??= this.check().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async check(): Promise<CheckResult> {
    const { tables } = this.deps;
    const rec = tables.configFollow.get();
    if (rec === undefined) throw new HubError('NOT_FOUND', 'This workstation follows no central configuration (pochub config follow --url …).');
    const fetch = this.deps.fetch ?? fetchFile;
    const tls = rec.caPem === undefined ? {} : { caPem: rec.caPem };
    const file = await fetch(rec.url, { ...tls, ...(rec.etag === undefined ? {} : { etag: rec.etag }), maxBytes: FOLLOW_LIMITS.maxConfigBytes });
    if (file.status === 'not-modified') return this.unchanged('not modified since the last check (ETag)');
    if (file.status === 'unreachable') return this.unreachable(file.reason);
    if (file.status === 'refused') return this.refuse(rec.url, file.reason);
    const sha256 = createHash('sha256').update(file.bytes).digest('hex');
    if (sha256 === rec.good?.sha256) {
      if (file.etag !== undefined && file.etag !== rec.etag) tables.configFollow.sameVersionEtag(file.etag);
      return this.unchanged(`the same version as applied (sha256 ${sha256.slice(0, 12)}…)`);
    }
    const sig = await fetch(signatureUrl(rec.url), { ...tls, maxBytes: FOLLOW_LIMITS.maxSignatureBytes });
    if (sig.status === 'unreachable') return this.unreachable(sig.reason);
    if (sig.status !== 'ok') return this.refuse(rec.url, `no signature: ${sig.status === 'refused' ? sig.reason : 'not modified'}`, sha256);
    const badSignature = signatureProblem(rec.publicKeyPem, file.bytes, sig.bytes);
    if (badSignature !== undefined) return this.refuse(rec.url, badSignature, sha256);
    let json: unknown;
    try {
      json = JSON.parse(file.bytes.toString('utf8'));
    } catch (e) {
      return this.refuse(rec.url, `the signed file is not JSON: ${e instanceof Error ? e.message : String(e)}`, sha256);
    }
    try {
      const applied = this.deps.config.applyFollowed(json, { url: rec.url, bytes: file.bytes, sha256, ...(file.etag === undefined ? {} : { etag: file.etag }) });
      const kept = applied.overrides.length === 0 ? '' : `; ${applied.overrides.length} local override(s) kept`;
      return { outcome: 'applied', message: `applied ${rec.url} (sha256 ${sha256})${kept}`, sha256, overrides: applied.overrides, config: applied.config };
    } catch (e) {
      if (isHubError(e, 'CONFIG_INVALID')) return this.refuse(rec.url, `the signed file is not a valid configuration: ${e.message}`, sha256);
      throw e;
    }
  }

  private unchanged(message: string): CheckResult {
    this.deps.tables.configFollow.checked(this.nowIso(), 'unchanged', message);
    return { outcome: 'unchanged', message };
  }

  private unreachable(reason: string): CheckResult {
    // Not audited: a server down for an hour would write a row every interval; the status says it.
    const message = `the server did not answer; the last good configuration stays (${reason})`;
    this.deps.tables.configFollow.checked(this.nowIso(), 'unreachable', message);
    return { outcome: 'unreachable', message };
  }

  private refuse(url: string, reason: string, sha256?: string): CheckResult {
    const { tables } = this.deps;
    tables.transaction(() => {
      const before = tables.configFollow.get()?.refused;
      tables.configFollow.refused(this.nowIso(), reason, sha256);
      // One audit row per distinct refusal, not one per interval while IT fixes it.
      if (before?.reason !== reason || before.sha256 !== sha256) this.deps.audit('config.follow.refused', url, { url, reason, ...(sha256 === undefined ? {} : { sha256 }) });
    });
    return { outcome: 'refused', message: `refused: ${reason}; the last good configuration stays`, ...(sha256 === undefined ? {} : { sha256 }) };
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  private nowIso(): string {
    return this.now().toISOString();
  }
}
