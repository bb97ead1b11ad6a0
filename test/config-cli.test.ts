import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_FORMAT } from '../shared/config/workstation-config.ts';
import { runCli } from './helpers/cli.ts';
import { tempDir } from './helpers/store-fixtures.ts';

/** `pochub config export|import` as clinic IT runs it: one workstation's file rolled out to another. */
let tmp: ReturnType<typeof tempDir>;
beforeAll(() => (tmp = tempDir()));
afterAll(() => tmp.cleanup());

const FILE = {
  format: CONFIG_FORMAT,
  version: 1,
  discovery: { autoConnect: true, pollMs: 3_000 },
  ports: [
    { transport: 'serial', path: '/dev/ttyUSB0', driverId: 'lifescan-onetouch-ultraeasy', autoConnect: true },
    { transport: 'tcp', path: '10.1.2.3:4001', driverId: 'masimo-rad8', options: { autoCapture: false }, autoConnect: false },
  ],
  exportTargets: [{ id: 'csv', name: 'Nightly CSV', kind: 'file', directory: '/srv/exports', format: 'csv' }],
};

describe('pochub config', () => {
  it('imports a file, exports the same setup, and a second workstation imports that export', async () => {
    const source = join(tmp.dir, 'source.json');
    writeFileSync(source, JSON.stringify(FILE));
    const imported = await runCli(['config', 'import', '--file', source, '--data', join(tmp.dir, 'ws-1')]);
    expect(imported).toMatchObject({ code: 0, stdout: `imported ${source}: 2 port(s), 1 export target(s)\n` });

    const exported = join(tmp.dir, 'ws-1.json');
    const run = await runCli(['config', 'export', '--data', join(tmp.dir, 'ws-1'), '--out', exported]);
    expect(run.code).toBe(0);
    const file = JSON.parse(readFileSync(exported, 'utf8')) as Record<string, unknown>;
    expect(file).toMatchObject({ format: CONFIG_FORMAT, discovery: FILE.discovery, exportTargets: [expect.objectContaining(FILE.exportTargets[0])] });
    expect(file['ports']).toEqual(FILE.ports);

    expect((await runCli(['config', 'import', '--file', exported, '--data', join(tmp.dir, 'ws-2')])).code).toBe(0);
    const second = await runCli(['config', 'export', '--data', join(tmp.dir, 'ws-2')]);
    const again = JSON.parse(second.stdout) as Record<string, unknown>;
    expect({ ...again, exportedAt: undefined }).toEqual({ ...file, exportedAt: undefined });
  });

  it('refuses a bad file with exit 1, naming the field', async () => {
    const bad = join(tmp.dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...FILE, ports: [FILE.ports[0], { ...FILE.ports[1], driverId: 'acme-x' }] }));
    const run = await runCli(['config', 'import', '--file', bad, '--data', join(tmp.dir, 'ws-3')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/ports\[1\]\.driverId: unknown driver "acme-x" \(known drivers: .*\) \[DRIVER_UNKNOWN\]/);
  });
});
