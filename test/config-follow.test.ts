import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_FORMAT } from '../shared/config/workstation-config.ts';
import type { FollowStatus } from '../shared/config/follow-model.ts';
import { openStore } from '../main/store/open-store.ts';
import { storeFile } from '../main/paths.ts';
import { runCli, startCli } from './helpers/cli.ts';
import { makeSigningKeys, makeTestPki, startFollowServer, type FollowServer, type TestPki } from './helpers/follow-server.ts';
import { tempDir } from './helpers/store-fixtures.ts';

/**
 * `pochub config follow` against a real HTTPS server whose certificate comes from a CA the test
 * made with openssl, serving a file signed by `pochub config sign` (docs/architecture.md §6,
 * fleet configuration). Every step is a real `pochub` process on a real data folder.
 */
let tmp: ReturnType<typeof tempDir>;
let pki: TestPki;
let server: FollowServer;
let keys: { privateKey: string; publicKey: string };
let otherKeys: { privateKey: string; publicKey: string };

beforeAll(async () => {
  tmp = tempDir();
  pki = makeTestPki(tmp.dir);
  keys = makeSigningKeys(tmp.dir, 'fleet');
  otherKeys = makeSigningKeys(tmp.dir, 'intruder');
  server = await startFollowServer(pki);
}, 60_000);
afterAll(async () => {
  await server.close();
  tmp.cleanup();
});

const LOCAL = {
  format: CONFIG_FORMAT,
  version: 1,
  ports: [{ transport: 'serial', path: '/dev/ttyUSB0', driverId: 'lifescan-onetouch-ultraeasy', autoConnect: true }],
};

function central(lockAfterMinutes: number, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify(
    {
      format: CONFIG_FORMAT,
      version: 1,
      exportedFrom: 'clinic IT',
      sessions: { lockAfterMinutes },
      ports: [
        // This workstation set /dev/ttyUSB0 up itself: the central entry must not change it.
        { transport: 'serial', path: '/dev/ttyUSB0', driverId: 'lifescan-onetouch-ultraeasy', autoConnect: false },
        { transport: 'tcp', path: '10.1.2.3:4001', driverId: 'masimo-rad8', options: { autoCapture: false }, autoConnect: false },
      ],
      exportTargets: [{ id: 'csv', name: 'Nightly CSV', kind: 'file', directory: '/srv/exports', format: 'csv' }],
      ...extra,
    },
    null,
    2,
  )}\n`;
}

/** Write `text` as the central file and sign it with `pochub config sign` using `key`. */
async function publish(text: string, key = keys.privateKey): Promise<string> {
  const file = join(tmp.dir, 'pochub.json');
  writeFileSync(file, text);
  const signed = await runCli(['config', 'sign', '--key', key, '--file', file]);
  expect(signed).toMatchObject({ code: 0, stdout: expect.stringContaining(`wrote ${file}.sig`) });
  server.put('/pochub.json', text);
  server.put('/pochub.json.sig', readFileSync(`${file}.sig`));
  return createHash('sha256').update(text).digest('hex');
}

function followRows(data: string): { action: string; details: Record<string, unknown> }[] {
  const store = openStore(storeFile(data));
  try {
    return store.db
      .prepare<[], { action: string; details: string }>("SELECT action, details FROM audit_log WHERE action LIKE 'config.follow%' ORDER BY seq")
      .all()
      .map((r) => ({ action: r.action, details: JSON.parse(r.details) as Record<string, unknown> }));
  } finally {
    store.close();
  }
}

async function status(data: string): Promise<FollowStatus> {
  const run = await runCli(['config', 'follow', '--status', '--json', '--data', data]);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as FollowStatus;
}

async function exported(data: string): Promise<Record<string, unknown>> {
  const run = await runCli(['config', 'export', '--data', data]);
  expect(run.code).toBe(0);
  return { ...(JSON.parse(run.stdout) as Record<string, unknown>), exportedAt: undefined };
}

describe('pochub config follow', () => {
  // safety: SR-CONFIG-1
  it('applies a signed file and audits it, refuses tampered, wrong-key and invalid versions keeping the last good, and changes nothing while the server is down', { timeout: 480_000 }, async () => {
    const data = join(tmp.dir, 'ws-1');
    const localFile = join(tmp.dir, 'local.json');
    writeFileSync(localFile, JSON.stringify(LOCAL));
    expect((await runCli(['config', 'import', '--file', localFile, '--data', data])).code).toBe(0);
    const sha1 = await publish(central(7));

    const follow = await runCli(['config', 'follow', '--url', server.url('/pochub.json'), '--key', keys.publicKey, '--ca', pki.caCertFile, '--interval', '60', '--data', data]);
    expect(follow.stderr).toBe('');
    expect(follow.code).toBe(0);
    expect(follow.stdout).toContain(`applied: applied ${server.url('/pochub.json')} (sha256 ${sha1}); 1 local override(s) kept`);
    expect(follow.stdout).toContain('local override ports[0] /dev/ttyUSB0: central lifescan-onetouch-ultraeasy, no auto-connect; kept lifescan-onetouch-ultraeasy');

    // Applied: the central target, lock time and new port; the local port assignment as it was.
    const after = await exported(data);
    expect(after).toMatchObject({ sessions: { lockAfterMinutes: 7 }, exportTargets: [expect.objectContaining({ id: 'csv' })] });
    expect(after['ports']).toEqual([
      { transport: 'serial', path: '/dev/ttyUSB0', driverId: 'lifescan-onetouch-ultraeasy', autoConnect: true },
      { transport: 'tcp', path: '10.1.2.3:4001', driverId: 'masimo-rad8', options: { autoCapture: false }, autoConnect: false },
    ]);
    const applied = followRows(data).find((r) => r.action === 'config.follow.applied');
    expect(applied?.details).toMatchObject({ url: server.url('/pochub.json'), sha256: sha1, etag: expect.stringMatching(/^".+"$/) });

    // Unchanged ETag: the server answers 304 and nothing is fetched or written.
    const before304 = server.log.length;
    const again = await runCli(['config', 'follow', '--now', '--data', data]);
    expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining('unchanged: not modified since the last check (ETag)') });
    expect(server.log.slice(before304)).toEqual([{ path: '/pochub.json', status: 304 }]);

    // Tampered on the way: the bytes change, the signature is the old one.
    const good = await exported(data);
    server.put('/pochub.json', central(8));
    const tampered = await runCli(['config', 'follow', '--now', '--data', data]);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain('refused: the signature does not match the file and the pinned key');
    expect(await exported(data)).toEqual(good);
    expect(await status(data)).toMatchObject({ appliedSha256: sha1, lastCheckOutcome: 'refused', refusedReason: expect.stringContaining('signature does not match') });

    // Signed, but by another key than the pinned one.
    await publish(central(8), otherKeys.privateKey);
    const wrongKey = await runCli(['config', 'follow', '--now', '--data', data]);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('refused: the signature does not match');
    expect(await exported(data)).toEqual(good);

    // Signed by IT but invalid: refused exactly as config import would, naming the field.
    await publish(central(8, { exportTargets: [{ id: 'csv', name: 'x', kind: 'file', directory: '' }] }));
    const invalid = await runCli(['config', 'follow', '--now', '--data', data]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/refused: the signed file is not a valid configuration: exportTargets\[0\]\./);
    expect(await exported(data)).toEqual(good);
    const refusals = followRows(data).filter((r) => r.action === 'config.follow.refused');
    // The wrong-key version has the same bytes and reason as the tampered one: audited once, not per check.
    expect(refusals.map((r) => r.details['reason'])).toEqual([expect.stringContaining('signature does not match'), expect.stringContaining('not a valid configuration')]);
    expect(refusals[0]?.details).toMatchObject({ url: server.url('/pochub.json'), sha256: createHash('sha256').update(central(8)).digest('hex') });

    // A good new version: applied; the local port assignment survives it again.
    const sha2 = await publish(central(9));
    const update = await runCli(['config', 'follow', '--now', '--data', data]);
    expect(update).toMatchObject({ code: 0, stdout: expect.stringContaining(`(sha256 ${sha2})`) });
    const updated = await exported(data);
    expect(updated).toMatchObject({ sessions: { lockAfterMinutes: 9 } });
    expect((updated['ports'] as unknown[])[0]).toEqual(LOCAL.ports[0]);
    expect(await status(data)).toMatchObject({ appliedSha256: sha2, localOverrides: [expect.objectContaining({ field: 'ports[0] /dev/ttyUSB0' })] });

    // Server down: nothing changes, the status says so.
    const down = await startFollowServer(pki);
    const downUrl = down.url('/pochub.json');
    await down.close();
    const data2 = join(tmp.dir, 'ws-2');
    expect((await runCli(['config', 'follow', '--url', downUrl, '--key', keys.publicKey, '--ca', pki.caCertFile, '--data', data2])).code).toBe(1);
    const unreachable = await runCli(['config', 'follow', '--now', '--data', data2]);
    expect(unreachable).toMatchObject({ code: 1, stderr: expect.stringContaining('unreachable: the server did not answer; the last good configuration stays') });
    await server.close();
    const serverDown = await runCli(['config', 'follow', '--now', '--data', data]);
    expect(serverDown.code).toBe(1);
    expect(serverDown.stderr).toContain('unreachable: the server did not answer');
    expect(await exported(data)).toEqual(updated);
    expect(await status(data)).toMatchObject({ appliedSha256: sha2, lastCheckOutcome: 'unreachable' });
    server = await startFollowServer(pki);
  });

  // safety: SR-CONFIG-1
  it('refuses a server whose certificate is not trusted (no --ca) and applies nothing', { timeout: 120_000 }, async () => {
    await publish(central(7));
    const data = join(tmp.dir, 'ws-3');
    const run = await runCli(['config', 'follow', '--url', server.url('/pochub.json'), '--key', keys.publicKey, '--data', data]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/unreachable: .*certificate/i);
    expect(await status(data)).toMatchObject({ following: true, lastCheckOutcome: 'unreachable' });
    expect(await exported(data)).toMatchObject({ exportTargets: [] });
  });

  it('pochub serve checks on the interval while subscribed and applies a new signed version', { timeout: 240_000 }, async () => {
    const data = join(tmp.dir, 'ws-serve');
    await publish(central(7));
    const follow = await runCli(['config', 'follow', '--url', server.url('/pochub.json'), '--key', keys.publicKey, '--ca', pki.caCertFile, '--interval', '30', '--data', data]);
    expect(follow.code).toBe(0);
    const sha2 = await publish(central(11));
    const hub = startCli(['serve', '--port', '0', '--data', data]);
    try {
      // The interval (30 s, the least allowed) runs from the check `config follow` made.
      await hub.waitForStderr(`pochub: central configuration applied: applied ${server.url('/pochub.json')} (sha256 ${sha2})`);
      expect(await status(data)).toMatchObject({ appliedSha256: sha2, lastCheckOutcome: 'applied' });
      expect(await exported(data)).toMatchObject({ sessions: { lockAfterMinutes: 11 } });
    } finally {
      hub.child.kill('SIGTERM');
      await hub.done;
    }
  });

  // safety: SR-CONFIG-1
  it('driver options and roles arrive for every port of a driver; a port’s own value is kept and listed', { timeout: 240_000 }, async () => {
    const data = join(tmp.dir, 'ws-drivers');
    const localFile = join(tmp.dir, 'local-rad8.json');
    writeFileSync(localFile, JSON.stringify({ format: CONFIG_FORMAT, version: 1, ports: [{ transport: 'serial', path: '/dev/ttyUSB0', driverId: 'masimo-rad8', options: { autoCapture: true }, autoConnect: true }] }));
    expect((await runCli(['config', 'import', '--file', localFile, '--data', data])).code).toBe(0);
    const drivers = [{ driverId: 'masimo-rad8', options: { autoCapture: false, stabilityWindowSeconds: 15 }, role: 'shared' }];
    const sha = await publish(`${JSON.stringify({ format: CONFIG_FORMAT, version: 1, exportedFrom: 'clinic IT', drivers }, null, 2)}\n`);
    const follow = await runCli(['config', 'follow', '--url', server.url('/pochub.json'), '--key', keys.publicKey, '--ca', pki.caCertFile, '--data', data]);
    expect(follow.stderr).toBe('');
    expect(follow.stdout).toContain(`applied: applied ${server.url('/pochub.json')} (sha256 ${sha})`);
    expect(follow.stdout).toContain('local override drivers[0].options.autoCapture /dev/ttyUSB0: central masimo-rad8 autoCapture false; kept autoCapture true');
    const after = await exported(data);
    expect(after['drivers']).toEqual(drivers);
    // The port's own value is untouched: the central one applies where the port sets none.
    expect(after['ports']).toEqual([{ transport: 'serial', path: '/dev/ttyUSB0', driverId: 'masimo-rad8', options: { autoCapture: true }, autoConnect: true }]);
    expect(followRows(data).find((r) => r.action === 'config.follow.applied')?.details).toMatchObject({ sha256: sha, drivers });
  });

  it('refuses plain http to another machine and a key that is not Ed25519, with one line each', { timeout: 120_000 }, async () => {
    const data = join(tmp.dir, 'ws-4');
    const http = await runCli(['config', 'follow', '--url', 'http://config.clinic.example/pochub.json', '--key', keys.publicKey, '--data', data]);
    expect(http.code).not.toBe(0);
    expect(http.stderr).toContain('plain http is refused for config.clinic.example');
    const notKey = await runCli(['config', 'follow', '--url', server.url('/pochub.json'), '--key', pki.caCertFile, '--data', data]);
    expect(notKey.code).not.toBe(0);
    expect(notKey.stderr.trim().split('\n')).toHaveLength(1);
    expect(notKey.stderr).toMatch(/public key/);
  });
});
