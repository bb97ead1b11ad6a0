import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listSerialPorts, scanSysfs } from './serial-list.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const moduleUrl = new URL('./serial-list.ts', import.meta.url).href;

/** What the child prints: the result, flattened (HubError's message is not enumerable). */
interface ChildReport {
  ok: boolean;
  code?: string;
  message?: string;
  ports: { path: string }[];
}

/**
 * Run listSerialPorts() in a fresh node whose PATH is only `binDir`, the way the app would run on
 * a machine without udev. A crash would show as a non-zero exit and no report.
 */
function listInChild(binDir: string): Promise<{ exitCode: number; report: ChildReport; stderr: string }> {
  const script = `
    const { listSerialPorts } = await import(${JSON.stringify(moduleUrl)});
    const r = await listSerialPorts();
    process.stdout.write(JSON.stringify(r.ok ? r : { ok: false, code: r.error.code, message: r.error.message, ports: r.ports }));`;
  return new Promise((resolve, reject) => {
    execFile(
      join(binDir, 'node'),
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: repoRoot, env: { PATH: binDir } },
      (error, stdout, stderr) => {
        const exitCode = error ? Number(error.code ?? 1) : 0;
        try {
          resolve({ exitCode, report: JSON.parse(stdout) as ChildReport, stderr });
        } catch {
          reject(new Error(`child printed no report (exit ${exitCode}):\n${stderr}`));
        }
      },
    );
  });
}

describe('listSerialPorts without a working udevadm', () => {
  let binDir: string;
  beforeEach(async () => {
    binDir = await mkdtemp(join(tmpdir(), 'pochub-bin-'));
    await symlink(process.execPath, join(binDir, 'node'));
  });
  afterEach(async () => {
    await rm(binDir, { recursive: true, force: true });
  });

  it('survives udevadm missing from PATH and says to install udev', async () => {
    const { exitCode, report, stderr } = await listInChild(binDir);
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    expect(report.ok).toBe(false);
    expect(report.code).toBe('TRANSPORT_LIST_FAILED');
    expect(report.message).toMatch(/udev is missing/);
    expect(report.message).toMatch(/apt-get install udev/);
    for (const port of report.ports) expect(port.path).toMatch(/^\/dev\/(tty|rfcomm)/);
  });

  it('survives udevadm that cannot start (spawn fails inside SerialPort.list)', async () => {
    // Executable, so our PATH check passes, but exec fails: serialport's spawn rejects with ENOENT.
    await writeFile(join(binDir, 'udevadm'), '#!/nonexistent/interpreter\n');
    await chmod(join(binDir, 'udevadm'), 0o755);
    const { exitCode, report } = await listInChild(binDir);
    expect(exitCode).toBe(0);
    expect(report).toMatchObject({ ok: false, code: 'TRANSPORT_LIST_FAILED' });
    expect(report.message).toMatch(/udevadm failed \(spawn udevadm ENOENT\)/);
  });
});

/** A fake /dev and /sys/class/tty with the shapes the kernel gives. */
async function fakeKernel(root: string): Promise<{ dev: string; sys: string }> {
  const dev = join(root, 'dev');
  const sys = join(root, 'sys');
  await mkdir(dev);
  await mkdir(sys);
  const ttys: [name: string, hasDevice: boolean, type?: string][] = [
    ['ttyUSB0', true],
    ['ttyS0', true, '4'], // a real 16550A
    ['ttyS1', true, '0'], // an 8250 slot with nothing behind it
    ['ttyS10', true, '4'],
    ['ttyS2', true, '4'],
    ['ttyACM0', false], // has a /dev node but no device: not a port we can use
    ['tty5', false], // virtual console
  ];
  for (const [name, hasDevice, type] of ttys) {
    await writeFile(join(dev, name), '');
    await mkdir(join(sys, name));
    if (hasDevice) await mkdir(join(sys, name, 'device'));
    if (type !== undefined) await writeFile(join(sys, name, 'type'), `${type}\n`);
  }
  return { dev, sys };
}

/** serialport spawns `udevadm` through PATH; point it at a fake for the duration of `run`. */
async function withPath<T>(dir: string, run: () => Promise<T>): Promise<T> {
  const saved = process.env['PATH'];
  process.env['PATH'] = dir;
  try {
    return await run();
  } finally {
    process.env['PATH'] = saved;
  }
}

describe('the sysfs fallback and the udev answer', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'pochub-sys-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('keeps ttys backed by a device, skips empty 8250 slots, and orders them as people count', async () => {
    const { dev, sys } = await fakeKernel(root);
    const ports = await scanSysfs(dev, sys);
    expect(ports.map((p) => p.path)).toEqual(['ttyS0', 'ttyS2', 'ttyS10', 'ttyUSB0'].map((n) => join(dev, n)));
    expect(ports.every((p) => p.vendorId === undefined)).toBe(true);
  });

  it('gives USB ids as numbers, with serial number and manufacturer, from the udev database', async () => {
    const { dev, sys } = await fakeKernel(root);
    const bin = join(root, 'bin');
    await mkdir(bin);
    // The lines `udevadm info -e` prints for an FTDI cable; serialport parses them itself.
    const entry = [
      'P: /devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/ttyUSB0/tty/ttyUSB0',
      'N: ttyUSB0',
      'E: DEVNAME=/dev/ttyUSB0',
      'E: ID_VENDOR_ID=0403',
      'E: ID_MODEL_ID=6001',
      'E: ID_SERIAL_SHORT=A700eXyz',
      'E: ID_VENDOR_ENC=FTDI\\x20Ltd',
      '',
    ].join('\n');
    // printf is a shell builtin: PATH holds nothing but this fake.
    await writeFile(join(bin, 'udevadm'), `#!/bin/sh\nprintf '%s' '${entry}'\n`);
    await chmod(join(bin, 'udevadm'), 0o755);
    const result = await withPath(bin, () => listSerialPorts({ devDir: dev, sysClassTtyDir: sys }));
    expect(result).toEqual({
      ok: true,
      ports: [{ path: '/dev/ttyUSB0', vendorId: 0x0403, productId: 0x6001, serialNumber: 'A700eXyz', manufacturer: 'FTDI Ltd' }],
    });
  });

  it('distrusts an empty udev answer that the kernel contradicts (udevadm exited with an error)', async () => {
    const { dev, sys } = await fakeKernel(root);
    const bin = join(root, 'bin');
    await mkdir(bin);
    // serialport resolves [] when udevadm prints nothing and exits non-zero: it ignores the code.
    await writeFile(join(bin, 'udevadm'), '#!/bin/sh\necho "Failed to enumerate devices" >&2\nexit 1\n');
    await chmod(join(bin, 'udevadm'), 0o755);
    const result = await withPath(bin, () => listSerialPorts({ devDir: dev, sysClassTtyDir: sys }));
    expect(result.ok).toBe(false);
    expect(result.ports).toHaveLength(4);
    if (!result.ok) {
      expect(result.error.code).toBe('TRANSPORT_LIST_FAILED');
      expect(result.error.message).toMatch(/udevadm listed no serial ports although the kernel has 4/);
    }
  });
});
