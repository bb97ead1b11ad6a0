import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_FORMAT } from '../shared/config/workstation-config.ts';
import { addOperatorByCli, runCli } from './helpers/cli.ts';
import { makeSigningKeys, makeTestPki, startFollowServer, type FollowServer, type TestPki } from './helpers/follow-server.ts';
import { openHubPage, signIn, type HubPage } from './helpers/hub-page.ts';
import { tempDir } from './helpers/store-fixtures.ts';
import { screenshotFolder } from './helpers/screenshots.ts';

/**
 * The admin's Central configuration panel in Chromium against `pochub serve` (from the build:
 * `npm run build:cli` and `npm run build:ui`): following an HTTPS server whose file was changed
 * after signing shows the refusal reason; a correctly signed version is then applied by Check now.
 */
let tmp: ReturnType<typeof tempDir>;
let pki: TestPki;
let server: FollowServer;
let keys: { privateKey: string; publicKey: string };
let hub: HubPage;
/** Screenshots go to a temp folder unless `npm run screenshots` asks for docs/screenshots/. */
const shots = screenshotFolder();
const ADMIN = { name: 'Avery Admin', badge: '9001', role: 'admin' as const, pin: '9999' };

const FILE = (lockAfterMinutes: number): string =>
  `${JSON.stringify({ format: CONFIG_FORMAT, version: 1, sessions: { lockAfterMinutes }, exportTargets: [{ id: 'csv', name: 'Nightly CSV', kind: 'file', directory: '/srv/exports', format: 'csv' }] })}\n`;

async function publish(signed: string, served = signed): Promise<string> {
  const file = join(tmp.dir, 'pochub.json');
  writeFileSync(file, signed);
  expect((await runCli(['config', 'sign', '--key', keys.privateKey, '--file', file])).code).toBe(0);
  server.put('/pochub.json', served);
  server.put('/pochub.json.sig', readFileSync(`${file}.sig`));
  return createHash('sha256').update(served).digest('hex');
}

beforeAll(async () => {
  tmp = tempDir();
  pki = makeTestPki(tmp.dir);
  keys = makeSigningKeys(tmp.dir);
  server = await startFollowServer(pki);
  const data = join(tmp.dir, 'data');
  await addOperatorByCli(data, ADMIN);
  hub = await openHubPage({ serve: ['--data', data] });
}, 120_000);

afterAll(async () => {
  await hub?.close();
  await server?.close();
  tmp?.cleanup();
  shots.cleanup();
});

describe('the Central configuration panel', () => {
  // safety: SR-CONFIG-1
  it('shows an admin why a tampered version was refused, then applies a good one on Check now', { timeout: 240_000 }, async () => {
    const { page } = hub;
    const byTest = (id: string) => page.getByTestId(id);
    await signIn(page, ADMIN);
    await byTest('nav-devices').click();
    await byTest('config-follow').waitFor({ timeout: 60_000 });
    expect(await byTest('follow-status').textContent()).toContain('follows no central configuration');

    // Changed after signing: the panel says why it was refused.
    await publish(FILE(7), FILE(8));
    await byTest('follow-url-input').fill(server.url('/pochub.json'));
    await byTest('follow-key-input').fill(readFileSync(keys.publicKey, 'utf8'));
    await byTest('follow-ca-input').fill(readFileSync(pki.caCertFile, 'utf8'));
    await byTest('follow-interval-input').fill('60');
    await byTest('follow-submit').click();
    await expect.poll(() => byTest('follow-refusal').textContent(), { timeout: 90_000 }).toContain('the signature does not match the file and the pinned key');
    expect(await byTest('follow-applied').textContent()).toBe('none yet');
    expect(await byTest('follow-fingerprint').textContent()).toMatch(/^[0-9a-f]{64}$/);
    await byTest('config-follow').screenshot({ path: join(shots.dir, 'central-configuration-refused.png') });

    // A correctly signed version: Check now applies it and shows its hash.
    const sha = await publish(FILE(9));
    await byTest('follow-check').click();
    await expect.poll(() => byTest('follow-applied').textContent(), { timeout: 90_000 }).toContain(sha);
    expect(await byTest('follow-last-check').textContent()).toContain('applied a new version');
  });
});
