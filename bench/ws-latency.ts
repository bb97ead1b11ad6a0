import type { WebSocket } from 'ws';
import { fromLatin1 } from '../drivers/kit/index.ts';
import { streamRecord } from '../drivers/devices/siemens-clinitek-status/simulator.ts';
import type { ReviewItem } from '../shared/api/model.ts';
import { addPtyDevices, closePtyDevices, connectEvents, processCpuMs, startBenchHub, type PtyDevice } from './bench-hub.ts';
import { summarize, type LatencySummary } from './stats.ts';

/** A reading not on the event socket this long after its last byte counts as missed. */
const READING_TIMEOUT_MS = 10_000;
const DRIVER = 'siemens-clinitek-status';

export interface ScreenLatencyOptions {
  devices: number;
  readingsPerDevice: number;
  /** Readings per device made first and not counted (JIT, SQLite page cache). */
  warmup: number;
  /**
   * Each device starts a reading this often (random phase), or as soon as its previous one
   * arrived if that took longer. 0: back to back (closed loop, the hub saturated).
   */
  periodMs: number;
}

export interface ScreenLatencyResult {
  devices: number;
  readingsPerDevice: number;
  periodMs: number;
  /** From `await write()` resolved (the last byte drained into the pty) to the `review` event parsed by the client. */
  latency: LatencySummary;
  /** From just before the write() call to the event: an upper bound (see bench/pty-latency.ts). */
  fromWriteCall: LatencySummary;
  missed: number;
  wallMs: number;
  readingsPerS: number;
  /**
   * CPU time (user + system, all threads) of the hub process per reading over the measured
   * phase: the hot path's cost, hardly affected by other work on the machine (latency is).
   */
  hubCpuMsPerReading: number;
}

/**
 * Byte → screen: the last byte of a Clinitek record written on a socat pty to the `review` event
 * of that reading received and parsed by a WebSocket client of a real `pochub serve` child process
 * (what the page's event socket gets). Each device is a port added, assigned and connected
 * through the API. A device writes a record every `periodMs`, and never before its previous
 * record has reached the client (or timed out).
 */
export async function measureScreenLatency(opts: ScreenLatencyOptions): Promise<ScreenLatencyResult> {
  const hub = await startBenchHub(process.env["BENCH_HUB_PROF"] ? { nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${process.env["BENCH_HUB_PROF"]}`] } : {});
  const waiters = new Map<string, (at: number) => void>();
  let ws: WebSocket | undefined;
  let devices: PtyDevice[] = [];
  const samples: number[] = [];
  const fromCall: number[] = [];
  let missed = 0;
  try {
    ws = await connectEvents(hub.url, (e, at) => {
      if (e.event !== 'review') return;
      const sequence = (e.payload as ReviewItem).reading.context?.sequence;
      if (sequence === undefined) return;
      const waiter = waiters.get(sequence);
      waiters.delete(sequence);
      waiter?.(at);
    });
    devices = await addPtyDevices(hub, opts.devices, () => DRIVER);
    let serial = 0;
    const cycle = async (d: PtyDevice, count: boolean): Promise<void> => {
      const n = ++serial;
      const sequence = String(n);
      const arrived = new Promise<number | undefined>((resolve) => {
        const timer = setTimeout(() => {
          waiters.delete(sequence);
          resolve(undefined);
        }, READING_TIMEOUT_MS);
        waiters.set(sequence, (at) => {
          clearTimeout(timer);
          resolve(at);
        });
      });
      const bytes = fromLatin1(`${streamRecord(n, Date.now())}\r`);
      const callAt = performance.now();
      await d.device.write(bytes);
      const writtenAt = performance.now();
      const at = await arrived;
      if (!count) return;
      if (at === undefined) {
        missed++;
        return;
      }
      samples.push(at - writtenAt);
      fromCall.push(at - callAt);
    };
    const paced = async (d: PtyDevice, cycles: number, count: boolean): Promise<void> => {
      // Random phase, so devices do not all send in the same millisecond.
      let next = performance.now() + Math.random() * opts.periodMs;
      for (let i = 0; i < cycles; i++) {
        const wait = next - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        next = Math.max(next + opts.periodMs, performance.now());
        await cycle(d, count);
      }
    };
    await Promise.all(devices.map((d) => paced(d, opts.warmup, false)));
    const t0 = performance.now();
    const cpu0 = processCpuMs(hub.child.pid);
    await Promise.all(devices.map((d) => paced(d, opts.readingsPerDevice, true)));
    const wallMs = performance.now() - t0;
    const hubCpuMs = processCpuMs(hub.child.pid) - cpu0;
    return {
      devices: opts.devices,
      readingsPerDevice: opts.readingsPerDevice,
      periodMs: opts.periodMs,
      latency: summarize(samples),
      fromWriteCall: summarize(fromCall),
      missed,
      wallMs,
      readingsPerS: samples.length / (wallMs / 1000),
      hubCpuMsPerReading: hubCpuMs / Math.max(1, samples.length),
    };
  } finally {
    ws?.close();
    await closePtyDevices(devices);
    await hub.stop();
  }
}
