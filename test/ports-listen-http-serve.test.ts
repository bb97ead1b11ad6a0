/**
 * The two port kinds that are not a device file, through a real `pochub serve` and its API as the
 * Devices screen uses it: a port the hub listens on (simulated IHE PCD-01 monitors, `pochub
 * simulate --connect`, connect to it — one device per connection, several connections, each NIBP
 * result one reading even when resent) and a vendor's local web service (`pochub simulate --http`).
 * Demo mode only for its sign-in operators: its own devices play too, so every check here is by
 * this port's device key.
 */
import { createServer } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReviewItem } from '../shared/api/model.ts';
import type { Port, TraceEntry } from '../shared/api/ports-model.ts';
import { type Call, serveScope, signedIn, until } from './helpers/serve-api.ts';
import { freePort } from './helpers/free-port.ts';

const scope = serveScope('pochub-port-kinds-');
const start = scope.start;
let biomed: Call;
let assistant: Call;

const portNow = async (id: string): Promise<Port | undefined> => ((await biomed('listPorts')).value as Port[]).find((p) => p.id === id);

/** Blood pressure of this device's pending readings as `sys/dia (mean)`, in arrival order. */
async function pressures(deviceKey: string): Promise<string[]> {
  const items = (await assistant('listReview')).value as ReviewItem[];
  return items
    .filter((i) => i.deviceKey === deviceKey)
    .flatMap((i) => i.reading.observations.filter((o) => o.code === '85354-9'))
    .map((panel) => {
      const [sys, dia, mean] = (panel.components ?? []).map((c) => (c.value?.kind === 'quantity' ? c.value.value : NaN));
      return `${sys}/${dia} (${mean})`;
    });
}

beforeAll(async () => {
  const { base } = await scope.serveDemo();
  biomed = await signedIn(base, '2001', '2345');
  assistant = await signedIn(base, '1001', '1234');
}, 60_000);

describe('a port the hub listens on', () => {
  it('reads each monitor that connects on its own connection, one reading per NIBP result, with health and live trace', async () => {
    const tcp = await freePort();
    const added = await biomed('addPort', { transport: 'listen', path: `127.0.0.1:${tcp}` });
    expect(added).toMatchObject({ ok: true, value: { id: `listen:127.0.0.1:${tcp}`, transport: 'listen', present: true, state: 'idle', match: { kind: 'none' } } });
    const id = `listen:127.0.0.1:${tcp}`;

    // Only a driver whose devices connect to the hub can be read here; the refusal says why.
    const wrong = await biomed('assignPort', { portId: id, driverId: 'masimo-rad8' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(wrong.error?.message).toMatch(/serial device .*listens on for devices that connect/);

    // Test checks what the hub controls before any device connects: the address can be listened on.
    expect((await biomed('assignPort', { portId: id, driverId: 'mindray-hl7', autoConnect: false })).ok).toBe(true);
    expect(await biomed('testPort', { portId: id })).toMatchObject({ ok: true, value: { ok: true, message: expect.stringContaining(`port ${tcp}`) } });

    expect((await biomed('connectPort', { portId: id })).ok).toBe(true);
    await until('the port listening', async () => ((await portNow(id))?.connections === 0 ? true : undefined));
    expect((await portNow(id))?.state).toBe('connected');

    // Two monitors at once, the second losing its first acknowledgement (it resends the NIBP message).
    const first = start(['simulate', '--driver', 'mindray-hl7', '--scenario', 'pcd01', '--connect', `127.0.0.1:${tcp}`]);
    const second = start(['simulate', '--driver', 'mindray-hl7', '--scenario', 'pcd01-lost-ack', '--connect', `127.0.0.1:${tcp}`]);
    // A simulated monitor stays connected after its scenario, as a real one does; then it is switched off.
    await Promise.all([first.waitForStderr('scenario finished'), second.waitForStderr('scenario finished')]);
    await until('two devices connected', async () => ((await portNow(id))?.connections === 2 ? true : undefined));
    for (const monitor of [first, second]) monitor.child.kill('SIGTERM');
    await Promise.all([first.done, second.done]);

    const port = await until('both sessions counted', async () => {
      const p = await portNow(id);
      return p && p.health.sessions >= 2 && p.health.readings >= 2 && p.connections === 0 ? p : undefined;
    });
    expect(port.health.sessions).toBe(2);
    expect(port.health.readings).toBe(2);
    expect(port.state).toBe('connected');
    expect(port.deviceKey).toBeDefined();

    // Each simulated monitor reports its own identity; both NIBP results are pending, once each.
    const items = ((await assistant('listReview')).value as ReviewItem[]).filter((i) => i.reading.driver === 'mindray-hl7' && i.reading.observations.some((o) => o.code === '85354-9'));
    const keys = [...new Set(items.map((i) => i.deviceKey))];
    const all = (await Promise.all(keys.map(pressures))).flat().sort();
    expect(all).toEqual(expect.arrayContaining(['118/76 (90)', '122/78 (93)']));
    expect(all.filter((p) => p === '122/78 (93)')).toHaveLength(1);
    expect(all.filter((p) => p === '118/76 (90)')).toHaveLength(1);

    // The live trace shows the monitors' messages and the hub's acknowledgements.
    const trace = (await biomed('getTrace', { portId: id, limit: 5000 })).value as TraceEntry[];
    expect(trace.some((e) => e.direction === 'in')).toBe(true);
    expect(trace.some((e) => e.direction === 'out')).toBe(true);

    // Disconnect stops listening: the address is free again (Test can listen on it).
    expect((await biomed('disconnectPort', { portId: id })).ok).toBe(true);
    expect((await portNow(id))?.state).toBe('idle');
    expect((await portNow(id))?.connections).toBeUndefined();
    expect(await biomed('testPort', { portId: id })).toMatchObject({ ok: true, value: { ok: true } });
  }, 120_000);

  it('refuses an address that is not host:port, and an address already in use is the port error, not a crash', async () => {
    const bad = await biomed('addPort', { transport: 'listen', path: '3000' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(bad.error?.message).toMatch(/host:port, e\.g\. 0\.0\.0\.0:3000/);

    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const taken = (busy.address() as { port: number }).port;
    try {
      const id = `listen:127.0.0.1:${taken}`;
      expect((await biomed('addPort', { transport: 'listen', path: `127.0.0.1:${taken}` })).ok).toBe(true);
      expect((await biomed('assignPort', { portId: id, driverId: 'mindray-hl7' })).ok).toBe(true);
      const failed = await until('the port error', async () => {
        const p = await portNow(id);
        return p?.state === 'error' ? p : undefined;
      });
      expect(failed.health.lastError).toMatch(/already in use/);
      expect(await biomed('testPort', { portId: id })).toMatchObject({ ok: true, value: { ok: false, message: expect.stringMatching(/cannot be listened on/) } });
    } finally {
      busy.close();
    }
  }, 60_000);
});

describe("a vendor's local web service", () => {
  it('reads the Welch Allyn service through an http port, and refuses an address off this workstation', async () => {
    const remote = await biomed('addPort', { transport: 'http', path: 'http://10.0.0.8:9233' });
    expect(remote).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(remote.error?.message).toMatch(/not a local web service/);

    const service = start(['simulate', '--driver', 'welch-allyn-connex-sdk', '--http', '0']);
    await service.waitForStderr(/serving HTTP on http:\/\/127\.0\.0\.1:\d+/);
    const url = /serving HTTP on (http:\/\/127\.0\.0\.1:\d+)/.exec(service.stderr())?.[1] ?? '';
    const added = await biomed('addPort', { transport: 'http', path: `${url}/` });
    expect(added).toMatchObject({ ok: true, value: { id: `http:${url}`, path: url, transport: 'http', present: true } });
    const id = `http:${url}`;
    expect(await biomed('assignPort', { portId: id, driverId: 'ge-dinamap' })).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect((await biomed('assignPort', { portId: id, driverId: 'welch-allyn-connex-sdk', options: { pollSeconds: 1 } })).ok).toBe(true);

    const port = await until('readings from the service', async () => {
      const p = await portNow(id);
      return p && p.health.readings >= 1 && p.deviceKey ? p : undefined;
    });
    expect(port.state).toBe('connected');
    const items = ((await assistant('listReview')).value as ReviewItem[]).filter((i) => i.deviceKey === port.deviceKey);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.reading.driver === 'welch-allyn-connex-sdk')).toBe(true);
  }, 60_000);
});
