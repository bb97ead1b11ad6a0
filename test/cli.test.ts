import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.ts';

const tmp = mkdtempSync(join(tmpdir(), 'pochub-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const fixture = (driver: string, name: string): string => join(ROOT, 'drivers', 'devices', driver, 'fixtures', name);

describe('pochub command line', () => {
  it('--help works straight from the sources (no build step) and lists every command', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const command of ['drivers', 'replay', 'read', 'simulate']) expect(r.stdout).toContain(command);
  });

  it('every command has --help', async () => {
    for (const command of ['drivers', 'replay', 'read', 'simulate']) {
      const r = await runCli([command, '--help']);
      expect(r.code, command).toBe(0);
      expect(r.stdout).toContain(`pochub ${command}`);
    }
  });

  it('drivers --json lists both drivers with their serial settings and options', async () => {
    const r = await runCli(['drivers', '--json']);
    expect(r.code).toBe(0);
    const drivers = JSON.parse(r.stdout) as { id: string; kind: string; transport: { type: string; serial?: { baudRate: number; flowControl: string } }; options: { key: string }[] }[];
    const byId = new Map(drivers.map((d) => [d.id, d]));
    expect(byId.get('masimo-rad8')).toMatchObject({ kind: 'continuous', transport: { type: 'serial', serial: { baudRate: 9600 } } });
    expect(byId.get('masimo-rad8')?.options.map((o) => o.key)).toContain('stabilityWindowSeconds');
    expect(byId.get('siemens-clinitek-status')).toMatchObject({ kind: 'discrete', transport: { type: 'serial', serial: { baudRate: 9600, flowControl: 'xonxoff' } } });
  });

  it('a malformed trace file: one clear line naming the line number, exit 1', async () => {
    const bad = join(tmp, 'bad.trace');
    writeFileSync(bad, '# pochub-trace 1\n0.1 < "ok\\r\\n"\n0.2 < 0G 11\n');
    const r = await runCli(['replay', '--driver', 'masimo-rad8', '--trace', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('trace line 3');
  });

  it('a missing trace file, an unknown driver and bad arguments each give one line and a non-zero exit', async () => {
    const missing = await runCli(['replay', '--driver', 'masimo-rad8', '--trace', join(tmp, 'nope.trace')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read trace .*no such file/);
    const unknown = await runCli(['replay', '--driver', 'acme-nothing', '--trace', fixture('masimo-rad8', 'rad8-capture.trace')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown driver "acme-nothing"');
    const baud = await runCli(['read', '--driver', 'masimo-rad8', '--port', '/dev/null', '--baud', 'fast']);
    expect(baud.code).toBe(2);
    expect(baud.stderr).toContain('--baud');
    const two = await runCli(['read', '--driver', 'masimo-rad8', '--port', '/dev/null', '--tcp', 'x:1']);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('exactly one of --port, --hid, --usb, --tcp, --url, --listen or --folder');
  });

  it('a port that does not exist: one clear line, exit 1', async () => {
    const r = await runCli(['read', '--driver', 'siemens-clinitek-status', '--port', '/dev/ttyNOPE0', '--timeout', '1', '--data', tmp]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('/dev/ttyNOPE0');
  });

  it('replay prints pretty reading JSON without --json and NDJSON with it', async () => {
    const trace = fixture('masimo-rad8', 'rad8-capture.trace');
    const pretty = await runCli(['replay', '--driver', 'masimo-rad8', '--trace', trace, '--idle', '0.2']);
    const lines = await runCli(['replay', '--driver', 'masimo-rad8', '--trace', trace, '--idle', '0.2', '--json']);
    expect(pretty.code).toBe(0);
    expect(lines.code).toBe(0);
    const compact = lines.stdout.trim().split('\n');
    expect(compact.length).toBeGreaterThan(0);
    expect(pretty.stdout.split('\n').length).toBeGreaterThan(compact.length * 5);
    expect(JSON.parse(compact[0] ?? '{}')).toMatchObject({ driver: 'masimo-rad8', device: { serial: '0000056661' } });
  });
});
