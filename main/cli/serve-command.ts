import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DEMO_OPERATORS, createHub, type Hub } from '../app.ts';
import { DEMO_PATIENTS } from '../demo-patients.ts';
import { startHttpServer, type HttpServer } from '../api/http-server.ts';
import { isUsableToken } from '../api/http-guard.ts';
import { createHubMetrics } from '../api/metrics.ts';
import { MetricsAddressSchema, isLoopback, startMetricsServer, type MetricsServer } from '../api/metrics-server.ts';
import { MetricsQueries } from '../store/metrics-queries.ts';
import { AuditLog } from '../workflow/audit-log.ts';
import { runDataDir, storeFile } from '../paths.ts';
import { parseArgs } from './args.ts';
import type { Io } from './io.ts';
import { commandFailure, commandFailureOf, errorLine } from './output.ts';

/** Browser mode's port unless `--port` says otherwise (Vite's preview port: free on most machines). */
const DEFAULT_PORT = 4173;
/** The built renderer (Vite output), served as the UI. */
const RENDERER_DIST = join(import.meta.dirname, '..', '..', 'renderer', 'dist');
/**
 * A fixed token instead of a fresh one per run, for a supervised restart whose open pages must
 * reconnect (and for tests of exactly that). Unset, every run makes its own.
 */
const TOKEN_ENV = 'POCHUB_TOKEN';
/** A screen left signed in longer than a shift is not a lock setting: refused. */
const MAX_LOCK_AFTER_MINUTES = 12 * 60;

const ServeArgs = z.object({
  port: z
    .string()
    .regex(/^\d{1,5}$/, '--port takes a port number (0: any free port)')
    .transform(Number)
    .refine((n) => n <= 65535, '--port takes a port number up to 65535')
    .optional(),
  data: z.string().min(1).optional(),
  demo: z.boolean().optional(),
  /** Minutes without activity before a signed-in screen locks (decimals: a test may use seconds). */
  lockAfter: z
    .string()
    .regex(/^\d+(\.\d+)?$/, '--lock-after takes minutes, e.g. 5 or 0.5')
    .transform(Number)
    .refine((n) => n > 0 && n <= MAX_LOCK_AFTER_MINUTES, `--lock-after takes more than 0 and at most ${MAX_LOCK_AFTER_MINUTES} minutes`)
    .optional(),
  /** Prometheus endpoint (docs/monitoring.md): a port alone listens on loopback. */
  metrics: MetricsAddressSchema.optional(),
});

/**
 * `pochub serve`: the hub with its web UI in browser mode, on 127.0.0.1 only. Prints the address
 * to open (with this run's token) and runs until Ctrl-C / SIGTERM, then stops cleanly: the event
 * sockets are closed, the device sessions end, the store is closed.
 */
export async function serveCommand(raw: Record<string, unknown>, io: Io, stop: AbortSignal, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const args = parseArgs(ServeArgs, raw);
  const token = env[TOKEN_ENV];
  if (token !== undefined && !isUsableToken(token)) throw commandFailure('INPUT_INVALID', `${TOKEN_ENV} must be at least 32 characters of A–Z, a–z, 0–9, - and _`);
  const demo = Boolean(args.demo);
  const folder = runDataDir({ ...(args.data === undefined ? {} : { data: args.data }), demo }, env);
  if ('refused' in folder) throw commandFailure('INPUT_INVALID', folder.refused);
  const dataDir = folder.dir;
  const port = args.port ?? DEFAULT_PORT;

  let hub: Hub;
  try {
    hub = createHub({ dataDir, demo, log: (line) => io.err(line), ...(args.lockAfter === undefined ? {} : { lockAfterMs: Math.round(args.lockAfter * 60_000) }) });
  } catch (e) {
    throw commandFailureOf(e, { code: 'STORE_FAILED' });
  }
  // A hub that cannot store a reading must not look ready: a full disk is refused at start.
  try {
    hub.store.assertRoomToStore();
  } catch (e) {
    await hub.close();
    throw commandFailureOf(e, { code: 'STORE_FAILED' });
  }
  let server: HttpServer;
  try {
    server = await startHttpServer({
      port,
      call: (method, input, ctx) => hub.call(method, input, ctx),
      bus: hub.bus,
      staticDir: RENDERER_DIST,
      ...(token ? { token } : {}),
      greeting: (session) => [{ event: 'state', payload: hub.stateOf(session) }],
      stateOf: (session) => ({ event: 'state', payload: hub.stateOf(session) }),
      sessions: hub.workflow.sessions.sessions,
      log: (line) => io.err(line),
    });
  } catch (e) {
    await hub.close();
    const inUse = e instanceof Error && 'code' in e && e.code === 'EADDRINUSE';
    throw commandFailureOf(e, { code: 'TRANSPORT_OPEN_FAILED', message: inUse ? `port ${port} is in use: choose another with --port (0: any free port)` : `cannot listen on 127.0.0.1:${port}: ${errorLine(e)}` });
  }

  let metrics: MetricsServer | undefined;
  if (args.metrics !== undefined) {
    try {
      metrics = await startMetricsServer(args.metrics, hubMetrics(hub, dataDir), (line) => io.err(line));
    } catch (e) {
      await server.close();
      await hub.close();
      throw commandFailureOf(e, { code: 'TRANSPORT_OPEN_FAILED', message: `cannot serve metrics on ${args.metrics.host}:${args.metrics.port}: ${errorLine(e)}` });
    }
  }

  io.out(`POC Hub is running: open ${server.url}`);
  if (metrics) io.out(`Prometheus metrics: ${metrics.url}`);
  if (args.metrics !== undefined && !isLoopback(args.metrics.host)) io.err(`note: the metrics are open to anyone who reaches ${args.metrics.host}:${args.metrics.port} (no token): allow only the Prometheus server in the firewall`);
  io.err(`store: ${storeFile(dataDir)}`);
  if (!existsSync(join(RENDERER_DIST, 'index.html'))) io.err('note: the UI is not built: run npm run build:ui');
  if (demo) {
    io.out("Demo mode: every driver's simulator plays its device. Demo operators (badge / PIN):");
    for (const o of DEMO_OPERATORS) io.out(`  ${o.badgeId} / ${o.pin}  ${o.name} (${o.role})`);
    io.out('Demo patients on file (MRN / date of birth / name):');
    for (const p of DEMO_PATIENTS) io.out(`  ${p.mrn} / ${p.birthDate} / ${p.name}`);
  } else if (hub.devices.listDevices().length === 0) {
    io.err('No devices are configured. To try the hub with simulated devices: pochub serve --demo');
  }
  io.err('Ctrl-C to stop');

  await new Promise<void>((resolve) => (stop.aborted ? resolve() : stop.addEventListener('abort', () => resolve(), { once: true })));
  io.err('stopping…');
  try {
    await metrics?.close();
    await server.close();
  } finally {
    await hub.close();
  }
  io.err('stopped');
  return 0;
}

/** The registry over this hub: the store, its devices and ports, its QC and its audit chain. */
function hubMetrics(hub: Hub, dataDir: string): ReturnType<typeof createHubMetrics> {
  const audit = new AuditLog(hub.store, hub.workstation, Date.now);
  return createHubMetrics({
    queries: new MetricsQueries(hub.store.db),
    storeFile: storeFile(dataDir),
    listDevices: () => hub.devices.listDevices(),
    listPorts: () => hub.ports.list(),
    qcLockOf: (key, label) => hub.workflow.qcLockOf(key, label),
    verifyAudit: () => audit.verify(),
    now: Date.now,
  });
}
