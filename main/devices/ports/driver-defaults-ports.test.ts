import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CONFIG_FORMAT } from '../../../shared/config/workstation-config.ts';
import { DRIVERS } from '../../../drivers/index.ts';
import { ConfigService } from '../../config/config-service.ts';
import { ConfigFollower } from '../../config/follow-service.ts';
import type { FetchResult } from '../../config/follow-fetch.ts';
import { signConfigBytes } from '../../config/follow-signature.ts';
import { usePortRigs, driver, simulatedDevice } from '../../../test/helpers/ports-fixtures.ts';

/**
 * Central driver defaults at the point of use (docs/architecture.md §6, fleet configuration): a
 * followed file's option values and roles reach the sessions the port manager runs against the
 * drivers' simulators, over a real store; a port's own value wins and is listed.
 */
const rigs = usePortRigs();

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const PUB = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const PRIV = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const URL_ = 'https://it.example/pochub.json';

function configService() {
  return new ConfigService({ manifests: DRIVERS.map((d) => d.manifest), tables: rigs.store, audit: () => undefined, workstation: 'ws' });
}

const roles = (): string[] => rigs.store.db.prepare<[], { device_role: string }>('SELECT device_role FROM reviews ORDER BY rowid').all().map((r) => r.device_role);

describe('central driver defaults reach the sessions', () => {
  // safety: SR-CONFIG-1
  it('a followed option (no automatic capture) applies to every Rad-8 port without its own value; a port setting it keeps its own, listed', async () => {
    const rig = rigs.start();
    const rad8 = driver('masimo-rad8');
    for (const path of ['/tmp/pochub-pty-a', '/tmp/pochub-pty-b']) {
      rig.files.add(path);
      rig.behind.set(path, simulatedDevice(rad8, 'spot-check', rig.clock));
      rig.ports.addPort('serial', path);
    }
    await rig.ports.assign('serial:/tmp/pochub-pty-a', { driverId: 'masimo-rad8', autoConnect: false });
    await rig.ports.assign('serial:/tmp/pochub-pty-b', { driverId: 'masimo-rad8', autoConnect: false, options: { autoCapture: true } });

    const bytes = Buffer.from(JSON.stringify({ format: CONFIG_FORMAT, version: 1, drivers: [{ driverId: 'masimo-rad8', options: { autoCapture: false } }] }));
    const answers = new Map<string, FetchResult>([
      [URL_, { status: 'ok', bytes, etag: '"v1"' }],
      [`${URL_}.sig`, { status: 'ok', bytes: Buffer.from(signConfigBytes(PRIV, bytes)) }],
    ]);
    const follower = new ConfigFollower({ config: configService(), tables: rigs.store, audit: () => undefined, fetch: (url) => Promise.resolve(answers.get(url) ?? { status: 'unreachable', reason: 'down' }) });
    expect(await follower.follow({ url: URL_, publicKeyPem: PUB })).toMatchObject({ outcome: 'applied' });
    expect(follower.status().localOverrides).toEqual([
      { field: 'drivers[0].options.autoCapture /tmp/pochub-pty-b', central: 'masimo-rad8 autoCapture false', local: 'autoCapture true' },
    ]);
    // The Devices screen says where the value in force comes from.
    expect(rig.port('serial:/tmp/pochub-pty-a').assignment?.centralOptions).toEqual({ autoCapture: false });
    expect(rig.port('serial:/tmp/pochub-pty-b').assignment).toMatchObject({ options: { autoCapture: true }, centralOptions: { autoCapture: false } });

    rig.ports.connect('serial:/tmp/pochub-pty-a');
    rig.ports.connect('serial:/tmp/pochub-pty-b');
    await rig.clock.runUntilIdle(120_000);
    await expect.poll(() => rig.port('serial:/tmp/pochub-pty-b').health.sessions).toBe(1);
    // The same spot check: captured on the port that kept automatic capture, not on the central one.
    expect(rig.port('serial:/tmp/pochub-pty-b').health.readings).toBe(2);
    expect(rig.port('serial:/tmp/pochub-pty-a').health.sessions).toBe(1);
    expect(rig.port('serial:/tmp/pochub-pty-a').health.readings).toBe(0);
    expect(rig.arrivals).toHaveLength(2);
  });

  // safety: SR-CONFIG-1
  it('a central role reaches the review items of a port without its own; a port’s own role is kept and listed', async () => {
    const rig = rigs.start();
    const analyzer = driver('siemens-clinitek-status');
    // Other results behind each port (the same results twice would be one reading, deduplicated).
    for (const [path, scenario] of [['/tmp/pochub-pty-c', 'results'], ['/tmp/pochub-pty-d', 'twelve-hour']] as const) {
      rig.files.add(path);
      rig.behind.set(path, simulatedDevice(analyzer, scenario, rig.clock));
      rig.ports.addPort('serial', path);
      await rig.ports.assign(`serial:${path}`, { driverId: 'siemens-clinitek-status', autoConnect: false });
    }
    rig.ports.setRole('serial:/tmp/pochub-pty-d', 'shared');
    // One urine analyzer per room here: IT makes every Clinitek a bedside device (its default is shared).
    const central = { format: CONFIG_FORMAT, version: 1, drivers: [{ driverId: 'siemens-clinitek-status', role: 'bedside' }] };
    const { overrides } = configService().applyFollowed(central, { url: URL_, bytes: Buffer.from(JSON.stringify(central)), sha256: 'b'.repeat(64) });
    expect(overrides).toEqual([{ field: 'drivers[0].role /tmp/pochub-pty-d', central: 'siemens-clinitek-status role bedside', local: 'role shared' }]);
    expect(rig.port('serial:/tmp/pochub-pty-c').assignment).toMatchObject({ role: 'bedside', roleChosen: false, roleFromCentral: true });
    expect(rig.port('serial:/tmp/pochub-pty-d').assignment).toMatchObject({ role: 'shared', roleChosen: true });
    expect(rig.port('serial:/tmp/pochub-pty-d').assignment?.roleFromCentral).toBeUndefined();

    rig.ports.connect('serial:/tmp/pochub-pty-c');
    await rig.clock.runUntilIdle(30_000);
    await expect.poll(() => rig.arrivals.length).toBe(3);
    expect(roles()).toEqual(['bedside', 'bedside', 'bedside']);

    rig.ports.connect('serial:/tmp/pochub-pty-d');
    await rig.clock.runUntilIdle(30_000);
    await expect.poll(() => rig.arrivals.length).toBe(7);
    expect(roles()).toEqual(['bedside', 'bedside', 'bedside', 'shared', 'shared', 'shared', 'shared']);

    // A later file without the role: the driver's own default again.
    const next = { format: CONFIG_FORMAT, version: 1, drivers: [] };
    configService().applyFollowed(next, { url: URL_, bytes: Buffer.from(JSON.stringify(next)), sha256: 'c'.repeat(64) });
    expect(rig.port('serial:/tmp/pochub-pty-c').assignment).toMatchObject({ role: 'shared', roleChosen: false });
    expect(rig.port('serial:/tmp/pochub-pty-c').assignment?.roleFromCentral).toBeUndefined();
  });
});
