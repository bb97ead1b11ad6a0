import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fromLatin1, type Link } from '../drivers/kit/index.ts';
import { openStore } from '../main/store/index.ts';
import { openSerialLink } from '../main/transports/index.ts';
import { ndjson, runCli, startCli, type CliProcess } from './helpers/cli.ts';
import { createPtyPair, type PtyPair } from './helpers/pty-pair.ts';

/**
 * Serial end to end with the real serialport over a socat pty pair: `pochub read` on one end,
 * `pochub simulate` (or bytes written by the test) on the other.
 */
const SERIAL_9600 = { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' } as const;
const CLINITEK_LINES = [
  '1822,24-12-2021, 5:33PM,,2756,,,,,Multistix 10 SG,Not Entered,Not Entered,GLU,Negative,,BIL,Negative,,KET,Negative,,SG ,1.020,,BLD,Trace-intact,,pH ,7.0,,PRO,Negative,,UBG,3.2 umol/L,,NIT,Negative,,LEU,Negative,\r',
  '1596,18-06-2018,15:25,06178,,,,,,Multistix 10 SG,Amarillo,Claro,GLU,500 mg/dL,*,BIL,Alto,*,CET,15 mg/dL,*,DEN,1.020,,SAN,Apr 200 Hem/uL,*,pH ,7.0,,PRO,>=300 mg/dL,*,URO,4.0 E.U./dL,*,NIT,Positivo,*,LEU,Apr 500 Leu/uL,*\r',
];

let pty: PtyPair | undefined;
const running: CliProcess[] = [];
const links: Link[] = [];
/** Data folders made by `dataDir`, removed after each test once its processes are gone. */
const dirs: string[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  for (const l of links.splice(0)) await l.close().catch(() => undefined);
  await pty?.close();
  pty = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const dataDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'pochub-e2e-'));
  dirs.push(dir);
  return dir;
};
const start = (args: string[]): CliProcess => {
  const p = startCli(args);
  running.push(p);
  return p;
};
/** Wait until `pochub read` has opened its end: bytes written before would be flushed on open. */
const opened = (p: CliProcess): Promise<void> => p.waitForStderr(/^reading .* on serial /m);

/** Write `text` in odd-sized chunks with small pauses, as a slow UART would deliver it. */
async function writeInChunks(link: Link, bytes: Uint8Array, sizes = [1, 7, 3, 64, 2, 13]): Promise<void> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const n = sizes[i % sizes.length] ?? 1;
    await link.write(bytes.subarray(at, at + n));
    at += n;
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('serial end to end over a pty pair, and TCP', () => {
  it('pochub simulate (Clinitek) → pochub read: the readings arrive, coded, and are stored', async () => {
    pty = await createPtyPair();
    const data = dataDir();
    const reader = start(['read', '--driver', 'siemens-clinitek-status', '--port', pty.b, '--timeout', '12', '--json', '--data', data]);
    await opened(reader);
    start(['simulate', '--driver', 'siemens-clinitek-status', '--port', pty.a, '--scenario', 'results', '--speed', '10']);
    const r = await reader.done;
    expect(r.code, r.stderr).toBe(0);
    const readings = ndjson(r.stdout);
    expect(readings).toHaveLength(3);
    for (const reading of readings) {
      expect(reading).toMatchObject({ driver: 'siemens-clinitek-status', kind: 'patient' });
      expect((reading['observations'] as unknown[]).length).toBeGreaterThanOrEqual(10);
    }
    const store = openStore(join(data, 'pochub.db'));
    expect(store.readings.countReadings()).toBe(3);
    store.close();
  });

  it('pochub simulate (Masimo, continuous) → pochub read: one reading per spot check', async () => {
    pty = await createPtyPair();
    const reader = start(['read', '--driver', 'masimo-rad8', '--port', pty.b, '--timeout', '12', '--json', '--data', dataDir()]);
    await opened(reader);
    start(['simulate', '--driver', 'masimo-rad8', '--port', pty.a, '--scenario', 'spot-check', '--speed', '10']);
    const r = await reader.done;
    expect(r.code, r.stderr).toBe(0);
    const readings = ndjson(r.stdout);
    expect(readings).toHaveLength(2);
    const spo2 = readings.map((x) => (x['observations'] as { code?: string; value?: { value?: number } }[]).find((o) => o.code === '59408-5')?.value?.value);
    expect(spo2[0]).toBeGreaterThanOrEqual(97);
    expect(spo2[1]).toBe(95);
  });

  it('bytes written by the test in odd chunks, with line noise between records: readings right, noise counted on stderr', async () => {
    pty = await createPtyPair();
    const reader = start(['read', '--driver', 'siemens-clinitek-status', '--port', pty.b, '--timeout', '5', '--json', '--data', dataDir()]);
    await opened(reader);
    const device = await openSerialLink(pty.a, SERIAL_9600);
    links.push(device);
    const noise = Uint8Array.of(0xff, 0x00, 0x9c, 0x13, 0x0d);
    await writeInChunks(device, fromLatin1(CLINITEK_LINES[0] ?? ''));
    await device.write(noise);
    await writeInChunks(device, fromLatin1(CLINITEK_LINES[1] ?? ''), [5, 1, 1, 31]);
    const r = await reader.done;
    expect(r.code, r.stderr).toBe(0);
    const readings = ndjson(r.stdout);
    expect(readings.map((x) => (x['context'] as { sequence?: string }).sequence)).toEqual(['1822', '1596']);
    expect(r.stderr).toMatch(/warning: skipped 1 noise/);
  });

  it('the pty vanishes mid-stream: one clear error, non-zero exit, and what arrived before is stored', async () => {
    pty = await createPtyPair();
    const data = dataDir();
    const reader = start(['read', '--driver', 'siemens-clinitek-status', '--port', pty.b, '--json', '--data', data]);
    await opened(reader);
    const device = await openSerialLink(pty.a, SERIAL_9600);
    links.push(device);
    await device.write(fromLatin1(CLINITEK_LINES[0] ?? ''));
    await reader.waitForStdout('"1822"');
    await device.write(fromLatin1('1596,18-06-2018,15:25,06178,,,,,,Multis'));
    await pty.close();
    pty = undefined;
    const r = await reader.done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/pochub: .*disconnected.*1 reading\(s\) received before that are stored/);
    const store = openStore(join(data, 'pochub.db'));
    expect(store.readings.countReadings()).toBe(1);
    store.close();
  });

  it('a wrong baud rate (bytes arrive as noise): no readings, exit 3 and a hint, not a crash', async () => {
    pty = await createPtyPair();
    const reader = start(['read', '--driver', 'siemens-clinitek-status', '--port', pty.b, '--timeout', '3', '--data', dataDir()]);
    await opened(reader);
    const device = await openSerialLink(pty.a, SERIAL_9600);
    links.push(device);
    // What a 9600-baud receiver makes of a 2400-baud sender: framing errors as high bytes, the odd CR.
    const mojibake = Uint8Array.from({ length: 400 }, (_, i) => (i % 37 === 36 ? 0x0d : 0x80 | ((i * 73) & 0x7f)));
    await device.write(mojibake);
    const r = await reader.done;
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no readings arrived');
    expect(r.stderr).toContain('hint: data arrived but could not be read: is the baud rate right?');
  });

  it('read --record writes a trace that replays to the same readings; a second read does not print them again', async () => {
    pty = await createPtyPair();
    const data = dataDir();
    const traceFile = join(data, 'session.trace');
    const reader = start(['read', '--driver', 'siemens-clinitek-status', '--port', pty.b, '--timeout', '4', '--json', '--data', data, '--record', traceFile]);
    await opened(reader);
    const device = await openSerialLink(pty.a, SERIAL_9600);
    links.push(device);
    await writeInChunks(device, fromLatin1(CLINITEK_LINES.join('')));
    const r = await reader.done;
    expect(r.code, r.stderr).toBe(0);
    const live = ndjson(r.stdout);
    expect(readFileSync(traceFile, 'utf8')).toMatch(/^# pochub-trace 1\n# driver: siemens-clinitek-status\n# transport: serial 9600 8N1\n# recorded: /);
    const replayed = await runCli(['replay', '--driver', 'siemens-clinitek-status', '--trace', traceFile, '--json', '--idle', '0.2']);
    expect(replayed.code).toBe(0);
    const strip = (x: Record<string, unknown>): unknown => ({ ...x, receivedAt: undefined, effectiveTime: undefined, clock: undefined, flags: undefined });
    expect(ndjson(replayed.stdout).map(strip)).toEqual(live.map(strip));

    // The same results sent again (a device that resends its memory) are recognised, not printed twice.
    const again = start(['read', '--driver', 'siemens-clinitek-status', '--port', pty.b, '--timeout', '4', '--json', '--data', data]);
    await opened(again);
    await writeInChunks(device, fromLatin1(CLINITEK_LINES.join('')));
    const second = await again.done;
    expect(second.code, second.stderr).toBe(3);
    expect(second.stdout).toBe('');
    expect(second.stderr, second.stderr).toContain('2 reading(s) were already in the store');
  });

  it('over TCP (a serial-to-Ethernet box): pochub simulate --tcp → pochub read --tcp', async () => {
    const device = start(['simulate', '--driver', 'siemens-clinitek-status', '--tcp', '0', '--scenario', 'results', '--speed', '10']);
    await device.waitForStderr(/listening on 127\.0\.0\.1:\d+/);
    const port = /listening on 127\.0\.0\.1:(\d+)/.exec(device.stderr())?.[1];
    const r = await runCli(['read', '--driver', 'siemens-clinitek-status', '--tcp', `127.0.0.1:${port}`, '--timeout', '6', '--json', '--data', dataDir()]);
    expect(r.code, r.stderr).toBe(0);
    expect(ndjson(r.stdout)).toHaveLength(3);
  });
});
