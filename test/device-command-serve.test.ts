/**
 * Device commands through a real `pochub serve --demo` at the API level: the demo DINAMAP plays
 * its simulator; an assistant's `deviceCommand start-bp` reaches the running session, the monitor
 * acknowledges it, a BP reading arrives for review, and the audit log names who sent it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditEntry, DeviceStatus, ReviewItem } from '../shared/api/model.ts';
import { startCli, type CliProcess } from './helpers/cli.ts';
import { signedIn, until } from './helpers/serve-api.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'pochub-command-'));
let cli: CliProcess | undefined;
afterAll(() => {
  if (cli?.child.exitCode === null) cli.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('deviceCommand against pochub serve --demo', () => {
  it('Start BP on the demo DINAMAP: accepted, one BP reading for review, audited as device.command', async () => {
    cli = startCli(['serve', '--data', dataDir, '--demo']);
    await cli.waitForStdout(/open http:\/\/\S+/);
    const url = new URL(/open (http:\/\/\S+)/.exec(cli.stdout())?.[1] ?? '');
    const call = await signedIn(url, '1001', '1234');
    const device = await until('the demo DINAMAP', async () => ((await call('listDevices')).value as DeviceStatus[]).find((d) => d.driverId === 'ge-dinamap' && d.live !== undefined));
    expect(device.commands?.map((c) => c.id)).toEqual(['start-bp', 'cancel-bp']);
    const bpReadings = async (): Promise<ReviewItem[]> =>
      ((await call('listReview')).value as ReviewItem[]).filter((i) => i.reading.driver === 'ge-dinamap' && i.reading.observations.some((o) => o.code === '85354-9'));
    expect(await bpReadings()).toEqual([]);

    const answer = await call('deviceCommand', { deviceKey: device.key, command: 'start-bp' });
    expect(answer).toMatchObject({ ok: true, value: { accepted: true } });
    const [bp] = await until('the BP reading', async () => {
      const found = await bpReadings();
      return found.length > 0 ? found : undefined;
    });
    expect(bp?.reading.observations[0]?.components?.map((c) => c.code)).toEqual(['8480-6', '8462-4', '8478-0']);

    expect(await call('deviceCommand', { deviceKey: device.key, command: 'inflate' })).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    const audit = (await call('listAudit', { limit: 1000 })).value as AuditEntry[];
    const sent = audit.filter((e) => e.action === 'device.command');
    expect(sent.map((e) => [e.subject, e.details['command'], e.details['accepted'] ?? 'failed'])).toEqual(expect.arrayContaining([[device.key, 'start-bp', true], [device.key, 'inflate', 'failed']]));
    expect(sent.every((e) => e.operator !== undefined)).toBe(true);
  });
});
