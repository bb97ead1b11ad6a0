import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { transportFor, type Link } from '../drivers/kit/index.ts';
import { requireDriver } from '../drivers/index.ts';
import { openSerialLink } from '../main/transports/index.ts';
import { addOperatorByCli, ROOT } from '../test/helpers/cli.ts';
import { hubApi, type HubApi } from '../test/helpers/hub-api.ts';
import { createPtyPair, type PtyPair } from '../test/helpers/pty-pair.ts';

const BIN = join(ROOT, 'bin', 'pochub.mjs');
/** The benchmark's biomed operator (ports are set up through the API, as biomed staff would). */
const BADGE = '7001';
const PIN = '7001';
/** How long `pochub serve` may take to print its address, and a port to connect, on a busy machine. */
const START_TIMEOUT_MS = 60_000;
const CONNECT_TIMEOUT_MS = 30_000;

/** A hub event as the WebSocket carries it. */
export interface WireEvent {
  event: string;
  payload: unknown;
}

/** A real `pochub serve` child process with its own data folder, signed in as biomed staff. */
export interface BenchHub {
  child: ChildProcess;
  dataDir: string;
  url: string;
  api: HubApi;
  stderr(): string;
  /** SIGTERM, wait for the exit, remove the data folder. */
  stop(): Promise<void>;
}

export interface StartHubOptions {
  /** Extra node flags before the entry point (e.g. `--import` of a probe). */
  nodeArgs?: string[];
  /** Give the child an IPC channel (process.send) for a probe. */
  ipc?: boolean;
}

/** Start `node bin/pochub.mjs serve --port 0` on a new data folder, and sign in through its API. */
export async function startBenchHub(opts: StartHubOptions = {}): Promise<BenchHub> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pochub-bench-hub-'));
  await addOperatorByCli(dataDir, { name: 'Bench Biomed', badge: BADGE, role: 'biomed', pin: PIN });
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), BIN, 'serve', '--port', '0', '--data', dataDir], {
    cwd: ROOT,
    env: { ...process.env, TZ: 'UTC' },
    stdio: ['ignore', 'pipe', 'pipe', ...(opts.ipc ? (['ipc'] as const) : [])],
  });
  let out = '';
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (err += s.length > 100_000 ? '' : s));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pochub serve printed no address within ${START_TIMEOUT_MS} ms:\n${err}`)), START_TIMEOUT_MS);
    child.stdout?.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      const m = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    void exited.then(() => reject(new Error(`pochub serve exited before printing its address:\n${err}`)));
  });
  const api = hubApi(url);
  await api.call('signIn', { badgeId: BADGE, pin: PIN });
  return {
    child,
    dataDir,
    url,
    api,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A WebSocket client of the hub's event socket that hands every event to `onEvent`. */
export async function connectEvents(url: string, onEvent: (e: WireEvent, at: number) => void): Promise<WebSocket> {
  const address = new URL(url);
  const ws = new WebSocket(`ws://${address.host}/api/events?token=${address.searchParams.get('token') ?? ''}`);
  ws.on('message', (data: Buffer) => {
    const at = performance.now();
    onEvent(JSON.parse(data.toString('utf8')) as WireEvent, at);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

/** A simulated device on a socat pty pair: the hub has the port, the benchmark writes on `device`. */
export interface PtyDevice {
  index: number;
  driverId: string;
  pty: PtyPair;
  device: Link;
  portId: string;
}

/**
 * `count` pty pairs, each added to the hub as a serial port with `driverFor(i)` assigned and
 * connected through the API (as biomed staff do on the Ports screen); resolves once every port
 * is connected.
 */
export async function addPtyDevices(hub: BenchHub, count: number, driverFor: (i: number) => string): Promise<PtyDevice[]> {
  // createPtyPair adds one process 'exit' listener per pair (to kill socat if we die).
  process.setMaxListeners(Math.max(process.getMaxListeners(), count + 20));
  const devices: PtyDevice[] = [];
  for (let i = 0; i < count; i++) {
    const driverId = driverFor(i);
    const transport = transportFor(requireDriver(driverId).manifest, 'serial');
    if (!transport) throw new Error(`${driverId} is not a serial driver`);
    const pty = await createPtyPair();
    let device: Link;
    try {
      device = await openSerialLink(pty.a, transport.serial);
    } catch (e) {
      await pty.close();
      throw e;
    }
    const port = await hub.api.call<{ id: string }>('addPort', { transport: 'serial', path: pty.b });
    devices.push({ index: i, driverId, pty, device, portId: port.id });
    await hub.api.call('assignPort', { portId: port.id, driverId, autoConnect: false });
    await hub.api.call('connectPort', { portId: port.id });
  }
  const deadline = Date.now() + CONNECT_TIMEOUT_MS;
  for (;;) {
    const ports = await hub.api.call<{ id: string; state: string }[]>('listPorts');
    const connected = new Set(ports.filter((p) => p.state === 'connected').map((p) => p.id));
    if (devices.every((d) => connected.has(d.portId))) return devices;
    if (Date.now() > deadline) throw new Error(`only ${connected.size} of ${count} ports connected within ${CONNECT_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Close the device ends and kill socat (the hub sees its ports unplugged). */
export async function closePtyDevices(devices: readonly PtyDevice[]): Promise<void> {
  await Promise.all(devices.map((d) => d.device.close().catch(() => undefined)));
  await Promise.all(devices.map((d) => d.pty.close()));
}

/** User + system CPU time (all threads) a process has used so far, from /proc/<pid>/stat; NaN without /proc. */
export function processCpuMs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in ticks of 10 ms.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}
