import { createHash, generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_FORMAT } from '../../shared/config/workstation-config.ts';
import { DRIVERS } from '../../drivers/index.ts';
import { openStore } from '../store/open-store.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import { HubWorkflow } from '../workflow/hub-workflow.ts';
import { tempDir } from '../../test/helpers/store-fixtures.ts';
import { ConfigService } from './config-service.ts';
import type { FetchOptions, FetchResult } from './follow-fetch.ts';
import { ConfigFollower } from './follow-service.ts';
import { signConfigBytes } from './follow-signature.ts';

/**
 * The follow flow over a real store with the network replaced by a table of answers (the real
 * HTTPS path is test/config-follow.test.ts): each refusal keeps the last good version.
 */
let tmp: ReturnType<typeof tempDir>;
let store: HubDatabase;
beforeEach(() => {
  tmp = tempDir();
  store = openStore(join(tmp.dir, 'hub.sqlite'));
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const PUB = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const PRIV = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const URL_ = 'https://it.example/pochub.json';
const file = (minutes: number): Buffer => Buffer.from(JSON.stringify({ format: CONFIG_FORMAT, version: 1, sessions: { lockAfterMinutes: minutes } }));
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function setup(answers: Map<string, FetchResult>) {
  const workflow = new HubWorkflow(store, 'ws');
  const audit = (...a: Parameters<HubWorkflow['audit']>): void => workflow.audit(...a);
  const config = new ConfigService({ manifests: DRIVERS.map((d) => d.manifest), tables: store, audit, workstation: 'ws' });
  const asked: { url: string; etag?: string }[] = [];
  const fetch = (url: string, opts: FetchOptions): Promise<FetchResult> => {
    asked.push({ url, ...(opts.etag === undefined ? {} : { etag: opts.etag }) });
    const answer = answers.get(url) ?? { status: 'refused', reason: `${url} answered HTTP 404` };
    if (answer.status === 'ok' && opts.etag !== undefined && answer.etag === opts.etag) return Promise.resolve({ status: 'not-modified' });
    return Promise.resolve(answer);
  };
  const follower = new ConfigFollower({ config, tables: store, audit, fetch });
  const rows = (): { action: string; details: Record<string, unknown> }[] =>
    store.db
      .prepare<[], { action: string; details: string }>("SELECT action, details FROM audit_log WHERE action LIKE 'config.follow%' ORDER BY seq")
      .all()
      .map((r) => ({ action: r.action, details: JSON.parse(r.details) as Record<string, unknown> }));
  return { follower, asked, rows };
}

function serve(answers: Map<string, FetchResult>, bytes: Buffer, sig: string | Buffer = signConfigBytes(PRIV, bytes), etag = `"${sha(bytes).slice(0, 8)}"`): void {
  answers.set(URL_, { status: 'ok', bytes, etag });
  answers.set(`${URL_}.sig`, { status: 'ok', bytes: Buffer.isBuffer(sig) ? sig : Buffer.from(sig) });
}

describe('ConfigFollower', () => {
  it('applies a signed version, then refuses a missing signature, a non-JSON file, a 4xx and an unreachable server, keeping the last good one', async () => {
    const answers = new Map<string, FetchResult>();
    const t = setup(answers);
    const good = file(7);
    serve(answers, good);
    expect(await t.follower.follow({ url: URL_, publicKeyPem: PUB })).toMatchObject({ outcome: 'applied', sha256: sha(good) });
    expect(store.signInFailures.lockAfterMs()).toBe(7 * 60_000);

    const v2 = file(8);
    answers.set(URL_, { status: 'ok', bytes: v2, etag: '"v2"' });
    answers.delete(`${URL_}.sig`);
    expect(await t.follower.checkNow()).toMatchObject({ outcome: 'refused', message: expect.stringContaining('no signature:') });

    const notJson = Buffer.from('not json');
    serve(answers, notJson);
    expect(await t.follower.checkNow()).toMatchObject({ outcome: 'refused', message: expect.stringContaining('the signed file is not JSON') });

    answers.set(URL_, { status: 'refused', reason: `${URL_} answered HTTP 403` });
    expect(await t.follower.checkNow()).toMatchObject({ outcome: 'refused', message: expect.stringContaining('HTTP 403') });

    answers.set(URL_, { status: 'unreachable', reason: 'ECONNREFUSED' });
    expect(await t.follower.checkNow()).toMatchObject({ outcome: 'unreachable' });

    expect(store.signInFailures.lockAfterMs()).toBe(7 * 60_000);
    expect(t.follower.status()).toMatchObject({ appliedSha256: sha(good), lastCheckOutcome: 'unreachable', refusedReason: expect.stringContaining('HTTP 403') });
    expect(t.rows().map((r) => r.action)).toEqual(['config.follow.subscribed', 'config.follow.applied', 'config.follow.refused', 'config.follow.refused', 'config.follow.refused']);
  });

  it('asks with the applied ETag; the same bytes under a new ETag are not applied again, and the new ETag is used next', async () => {
    const answers = new Map<string, FetchResult>();
    const t = setup(answers);
    const good = file(7);
    serve(answers, good, undefined, '"a"');
    await t.follower.follow({ url: URL_, publicKeyPem: PUB });
    expect(await t.follower.checkNow()).toMatchObject({ outcome: 'unchanged', message: expect.stringContaining('ETag') });
    serve(answers, good, undefined, '"b"');
    expect(await t.follower.checkNow()).toMatchObject({ outcome: 'unchanged', message: expect.stringContaining('the same version') });
    expect(await t.follower.checkNow()).toMatchObject({ outcome: 'unchanged', message: expect.stringContaining('ETag') });
    expect(t.asked.filter((a) => a.url === URL_).map((a) => a.etag)).toEqual([undefined, '"a"', '"a"', '"b"']);
    expect(t.rows().filter((r) => r.action === 'config.follow.applied')).toHaveLength(1);
  });

  it('is due only after its interval, and forgets the subscription (not the configuration) on unfollow', async () => {
    const answers = new Map<string, FetchResult>();
    let now = new Date('2026-12-07T10:00:00Z');
    const t = setup(answers);
    const follower = new ConfigFollower({
      config: new ConfigService({ manifests: DRIVERS.map((d) => d.manifest), tables: store, audit: () => undefined, workstation: 'ws', now: () => now }),
      tables: store,
      audit: () => undefined,
      now: () => now,
      fetch: (url) => Promise.resolve(answers.get(url) ?? { status: 'unreachable', reason: 'down' }),
    });
    expect(t.follower.due()).toBe(false);
    serve(answers, file(9));
    await follower.follow({ url: URL_, publicKeyPem: PUB, intervalSeconds: 60 });
    expect(follower.due()).toBe(false);
    now = new Date('2026-12-07T10:01:00Z');
    expect(follower.due()).toBe(true);
    expect(follower.unfollow()).toBe(true);
    expect(follower.status()).toEqual({ following: false, localOverrides: [] });
    expect(store.signInFailures.lockAfterMs()).toBe(9 * 60_000);
    await expect(follower.checkNow()).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
