import { existsSync, mkdirSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiResult } from '../shared/api/client.ts';
import type { HubState, Operator } from '../shared/api/model.ts';
import { HubError } from '../shared/errors.ts';
import { ExportTargetSchema } from '../shared/export/targets.ts';
import { DRIVERS } from '../drivers/index.ts';
import { systemClock, type Clock, type Link } from '../drivers/kit/index.ts';
import { EventBus } from './api/event-bus.ts';
import { bugLine } from './bug-report.ts';
import { seedDemoPatients } from './demo-patients.ts';
import { callMethod, createHandlers, hubState, type CallAccess, type CallContext, type HandlerDeps, type Handlers } from './api/handlers.ts';
import { BiomedService } from './devices/biomed-service.ts';
import { ConfigService } from './config/config-service.ts';
import { ConfigFollower } from './config/follow-service.ts';
import { startFollowing } from './config/follow-loop.ts';
import { startDemo } from './devices/demo.ts';
import { Discovery } from './devices/discovery/discovery.ts';
import { hidLister, serialLister, type PortLister } from './devices/discovery/listers.ts';
import { usbBulkIds, usbLister } from './devices/discovery/usb-lister.ts';
import { PortManager } from './devices/ports/port-manager.ts';
import { createSimulatorService } from './devices/simulators/simulator-host.ts';
import { createTraceService } from './devices/trace/trace-hub.ts';
import { listenTcpLink, openLink as openTransportLink, type LinkSpec, type TcpListener } from './transports/index.ts';
import { DeviceManager } from './devices/device-manager.ts';
import { ExportService } from './export/export-service.ts';
import { TodayService } from './workflow/today-service.ts';
import { createExporter } from './export/exporters.ts';
import { FileSecretStore, MemorySecretStore, type SecretStore } from './export/secret-store.ts';
import { acquireWorkerLock } from './export/worker-lock.ts';
import { storeFile } from './paths.ts';
import { MEMORY, openStore, type HubDatabase } from './store/index.ts';
import { ADT_SYNC_MS, AdtListeners, adtMessageLine } from './patients/adt/adt-listeners.ts';
import { startCacheExpiry } from './patients/cache-expiry.ts';
import { HubWorkflow } from './workflow/hub-workflow.ts';
import { PatientSourceService } from './patients/patient-source-service.ts';
import { INTERNAL_SESSION } from './workflow/work-sessions.ts';

/** Operators of a demo store, so a newcomer can sign in (printed by `pochub serve --demo`). */
export const DEMO_OPERATORS = [
  { badgeId: '1001', pin: '1234', role: 'assistant', name: 'Alex Assistant' },
  { badgeId: '2001', pin: '2345', role: 'biomed', name: 'Blake Biomed' },
  { badgeId: '9001', pin: '9999', role: 'admin', name: 'Avery Admin' },
] as const satisfies readonly { badgeId: string; pin: string; role: Operator['role']; name: string }[];

interface HubOptions {
  /** The folder of the store (`--data`, or the hub's default). */
  dataDir: string;
  /** Demo mode: every driver's simulator plays its device; demo operators are added. */
  demo: boolean;
  /** This workstation's name in the header and the audit log (default: the host name). */
  workstation?: string;
  /** Where the hub's own messages go (default: standard error). */
  log?: (line: string) => void;
  /** The devices' clock (default: the system clock); tests may speed it up. */
  clock?: Clock;
  /** Inactivity after which a signed-in session locks (default: docs/architecture.md §8, 5 minutes). */
  lockAfterMs?: number;
  /** The workflow's clock (epoch ms; default Date.now); tests of the lock pass a fake one. */
  now?: () => number;
  /**
   * Run the export workers in this process (default true). Only one process per data folder
   * exports; when another holds the lock, this one says so and leaves the sending to it.
   */
  exportWorkers?: boolean;
  /** Where export secrets live (default: an encrypted file in `<data>/secrets`; Electron passes the OS keychain). */
  secrets?: SecretStore;
  /** Poll for USB serial ports and HID devices and connect single matches (default: on, except in demo mode). */
  discovery?: boolean;
  /** How ports are listed and opened (default: the real transports); tests pass fakes. */
  ports?: {
    listers?: readonly PortLister[];
    openLink?: (spec: LinkSpec) => Promise<Link>;
    listen?: (port: number, host: string) => Promise<TcpListener>;
    pathExists?: (path: string) => boolean;
  };
}

/** The hub core of one workstation, bound together; the bindings (HTTP, Electron IPC) sit on top. */
export interface Hub {
  /** The one open database (every repository); services get only their part of it, tests may look in. */
  readonly store: HubDatabase;
  readonly workflow: HubWorkflow;
  readonly devices: DeviceManager;
  readonly exports: ExportService;
  /** The patient sources: settings, look-up at selection, today's schedule (docs/patient-sources.md). */
  readonly patients: PatientSourceService;
  /** The biomed console's back end: ports, discovery, trace, simulators, configuration file. */
  readonly biomed: BiomedService;
  /** The central configuration this workstation follows (docs/architecture.md §6, fleet configuration). */
  readonly follower: ConfigFollower;
  /** The HL7 ADT listeners of the enabled hl7-adt patient sources; `sync()` after a source is saved. */
  readonly adt: AdtListeners;
  readonly ports: PortManager;
  readonly discovery: Discovery;
  readonly bus: EventBus;
  readonly handlers: Handlers;
  readonly demo: boolean;
  readonly workstation: string;
  /** Call one contract method (validation, access, errors as data): what every binding uses. */
  call(method: string, input: unknown, ctx: CallContext): Promise<ApiResult<unknown>>;
  /** Everything the header shows, for the hub's own session. */
  state(): HubState;
  /** Everything the header of one client's session shows (who is signed in there, locked). */
  stateOf(session: string): HubState;
  /** Stop the devices (sessions aborted, timers cleared), then close the store. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * The composition root (docs/architecture.md §2): open the store, build the workflow, the device manager,
 * the event bus and the contract's handlers, and wire them. Wiring only: behaviour lives in the
 * parts.
 */
export function createHub(opts: HubOptions): Hub {
  const log = opts.log ?? ((line: string) => console.error(line));
  const reportBug = (where: string, error: unknown): void => log(bugLine(where, error));
  const workstation = opts.workstation ?? hostname();
  // The one open database: every repository is built here once and handed to the services that need it.
  const store = openStore(opts.dataDir === MEMORY ? MEMORY : storeFile(opts.dataDir));
  const closers: (() => Promise<void> | void)[] = [() => store.close()];
  try {
    // The serve option wins over the workstation's configuration file, which wins over the default.
    const workflow = new HubWorkflow(store, workstation, opts.now ?? Date.now, opts.lockAfterMs ?? store.signInFailures.lockAfterMs());
    // Demo readings are queued for demo targets only (docs/architecture.md §8, demo mode).
    store.targets.demoOnly = opts.demo;
    if (opts.demo) {
      seedDemoOperators(workflow);
      seedDemoTarget(store, workflow, opts.dataDir);
      seedDemoPatients(store, workflow);
    }
    const bus = new EventBus(reportBug);
    // Microseconds of the start time, then +1 per change: newer than any version a page kept
    // from before a restart, and always growing within one run.
    let stateVersion = Date.now() * 1000;
    const hub = { demo: opts.demo, workstation, stateVersion: () => stateVersion };
    // `devices` is read only when the state is asked for, after it exists.
    // The bus carries the state of the hub's own session; the bindings send each client the
    // state of its session instead (`stateOf`).
    const stateOf = (session: string): HubState => hubState({ workflow, devices, hub }, { session });
    const state = (): HubState => stateOf(INTERNAL_SESSION);
    const announceState = (): void => {
      stateVersion += 1;
      bus.emit('state', state());
    };
    const devices = new DeviceManager({
      sessions: store.sessions,
      readings: store.readings,
      workflow,
      onLive: (live) => bus.emit('live', live),
      ...(opts.clock ? { clock: opts.clock } : {}),
      atomically: store.transaction,
      onDevicesChanged: announceState,
      storageProbe: () => store.canStore(),
      log,
      reportBug,
    });
    const secrets = opts.secrets ?? (opts.dataDir === MEMORY ? new MemorySecretStore() : new FileSecretStore(join(opts.dataDir, 'secrets')));
    const exports = new ExportService({ tables: store, workflow, secrets, createExporter, reportBug, demo: opts.demo });
    const devicesClock = opts.clock ?? systemClock;
    const trace = createTraceService();
    const simulators = createSimulatorService({ clock: devicesClock, log });
    const ports = new PortManager({
      drivers: DRIVERS,
      repo: store.ports,
      devices,
      trace,
      openLink: opts.ports?.openLink ?? openTransportLink,
      listen: opts.ports?.listen ?? listenTcpLink,
      pathExists: opts.ports?.pathExists ?? existsSync,
      simulatorPaths: () => simulators.list().map((s) => s.path),
      clock: devicesClock,
      onChange: () => bus.emit('ports', ports.list()),
      log,
      driverDefaults: store.driverDefaults,
    });
    let lastListProblem = '';
    const discovery = new Discovery({
      listers: opts.ports?.listers ?? [serialLister(), hidLister(DRIVERS.map((d) => d.manifest)), usbLister(usbBulkIds(DRIVERS.map((d) => d.manifest)))],
      clock: devicesClock,
      onChange: (change) => {
        // Say once why listings are incomplete (no udev: no USB ids, so no automatic match).
        const problems = change.problems.join(' ');
        if (problems !== lastListProblem && problems !== '') log(`pochub: ${problems}`);
        lastListProblem = problems;
        ports.applyDiscovery(change);
      },
      reportBug,
    });
    // The interval is known before polling starts, so the biomed screen can say it in demo mode too.
    discovery.setPollMs(store.ports.discovery().pollMs);
    const config = new ConfigService({
      manifests: DRIVERS.map((d) => d.manifest),
      tables: store,
      audit: (...a) => workflow.audit(...a),
      workstation,
      onLockAfter: (ms) => {
        workflow.sessions.sessions.setLockAfterMs(ms);
        announceState();
      },
    });
    const follower = new ConfigFollower({ config, tables: store, audit: (...a) => workflow.audit(...a) });
    // Serve checks on the subscription's interval; the tick only reads one row when nothing is due.
    const stopFollowing = startFollowing(follower, { tickMs: FOLLOW_TICK_MS, log, reportBug, onApplied: (applied) => {
        discovery.setPollMs(applied.discovery.pollMs);
        // Ports the central file added are opened as an import's are.
        void ports.reload().catch((e: unknown) => reportBug('config follow: reload ports', e));
      },
    });
    closers.unshift(stopFollowing);
    const biomed = new BiomedService({
      ports,
      trace,
      simulators,
      drivers: DRIVERS,
      config,
      follower,
      audit: (...a) => store.transaction(() => workflow.audit(...a)),
      onDiscoverySettings: (settings) => discovery.setPollMs(settings.pollMs),
      discovery,
    });
    const offTrace = trace.onEntries((portId, entries) => bus.emit('trace', { portId, entries }));
    // No new ports, then the ports' sessions (before the device manager closes), then the simulators.
    closers.unshift(() => discovery.stop(), () => ports.close(), () => simulators.close(), offTrace);
    if (opts.discovery ?? !opts.demo) discovery.start(store.ports.discovery().pollMs);
    ports.connectStored();
    const patients = new PatientSourceService({ tables: store, audit: (...a) => workflow.audit(...a), secrets, ...(opts.now === undefined ? {} : { now: opts.now }) });
    // Today's list asks the FHIR sources again on demand and every few minutes (TodayService).
    const today = new TodayService(store, { refreshToday: () => patients.refreshToday(), ...(opts.now ? { now: opts.now } : {}) });
    const deps: HandlerDeps = { workflow, devices, exports, biomed, today, patients, hub };
    const handlers = createHandlers(deps);
    const offReview = workflow.onReviewChange((item) => bus.emit('review', item));
    const offContext = workflow.onContextChange(announceState);
    const offOutbox = exports.onOutboxChange((summary) => bus.emit('outbox', summary));
    closers.unshift(offReview, offContext, offOutbox, () => devices.close());
    if (opts.exportWorkers ?? true) {
      const lock = opts.dataDir === MEMORY ? { ok: true as const, lock: { release: () => undefined } } : acquireWorkerLock(opts.dataDir);
      if (lock.ok) {
        exports.start();
        closers.unshift(async () => {
          await exports.stop();
          lock.lock.release();
        });
      } else {
        log(`pochub: another POC Hub process (pid ${lock.holder}) is exporting from this data folder; this one will not send.`);
      }
    }
    if (opts.demo) {
      const demo = startDemo(devices, DRIVERS, {
        ...(opts.clock ? { clock: opts.clock } : {}),
        downloaded: (driverId) => store.readings.countReadings({ driverId }) > 0,
        log,
      });
      closers.unshift(() => demo.stop());
    }
    // Patient context: ADT listeners follow the stored sources (a save, or another process's
    // `pochub patients set-source`, is picked up within ADT_SYNC_MS); the cache expires as configured.
    const adt = new AdtListeners({
      store,
      auditLog: workflow.auditLog,
      now: opts.now ?? Date.now,
      log,
      reportBug,
      onMessage: (e) => {
        if (e.answer.code !== 'AA') log(adtMessageLine(e));
        for (const id of e.movedReadings) workflow.announce(id);
      },
    });
    void adt.sync();
    const adtSync = setInterval(() => void adt.sync(), ADT_SYNC_MS);
    adtSync.unref();
    const stopExpiry = startCacheExpiry(store, opts.now ?? Date.now, log);
    closers.unshift(() => {
      clearInterval(adtSync);
      stopExpiry();
      return adt.close();
    });
    const access: CallAccess = {
      admit: (ctx, activity) => workflow.admit(ctx, activity),
      within: (ctx, fn) => workflow.within(ctx, fn),
      reportBug,
    };
    let closing: Promise<void> | undefined;
    return {
      store,
      workflow,
      devices,
      exports,
      patients,
      biomed,
      follower,
      adt,
      ports,
      discovery,
      bus,
      handlers,
      demo: opts.demo,
      workstation,
      call: async (method, input, ctx) => {
        const answer = await callMethod(handlers, method, input, ctx, access);
        // A write the store refused (full disk, read-only folder) shows in the banner too.
        if (!answer.ok && (answer.error.code === 'STORAGE_FULL' || answer.error.code === 'STORAGE_READONLY')) {
          devices.storageFailed(new HubError(answer.error.code, answer.error.message));
        }
        return answer;
      },
      state,
      stateOf,
      close: () => (closing ??= closeAll(closers)),
    };
  } catch (e) {
    store.close();
    throw e;
  }
}

/**
 * Demo mode exports too, so a newcomer sees the outbox at work: confirmed readings are written
 * as NDJSON files into `<data>/exports`. Added once per store, marked as a demo target (the only
 * kind demo mode sends to), and not when demo mode already made a target here.
 */
function seedDemoTarget(store: Pick<HubDatabase, 'targets' | 'transaction'>, workflow: HubWorkflow, dataDir: string): void {
  if (store.targets.list().some((rec) => rec.demo) || store.targets.get(DEMO_TARGET_ID) !== undefined) return;
  const directory = dataDir === MEMORY ? join(tmpdir(), 'pochub-demo-exports') : join(dataDir, 'exports');
  mkdirSync(directory, { recursive: true });
  const target = ExportTargetSchema.parse({ id: DEMO_TARGET_ID, name: 'Demo files (NDJSON)', kind: 'file', directory, format: 'ndjson' });
  store.transaction(() => {
    store.targets.save(target, false, new Date().toISOString(), true);
    workflow.audit('export.target-add', target.id, { target, secret: 'none', demo: true });
  });
}

/** How often the hub looks whether a check of the followed configuration is due (the interval is at least 30 s). */
const FOLLOW_TICK_MS = 5_000;

/** The export target demo mode creates (its id, shown on the Outbox screen). */
const DEMO_TARGET_ID = 'demo-files';

/** Demo operators, added once per store (a restart finds them there already). */
function seedDemoOperators(workflow: HubWorkflow): void {
  const known = new Set(workflow.operators.list().map((o) => o.badgeId));
  for (const operator of DEMO_OPERATORS) {
    if (known.has(operator.badgeId)) continue;
    try {
      workflow.operators.add(operator);
    } catch (e) {
      if (!(e instanceof HubError && e.code === 'CONFLICT')) throw e;
    }
  }
}

/** Run the closers in order, each even if an earlier one failed; the first failure is rethrown. */
async function closeAll(closers: readonly (() => Promise<void> | void)[]): Promise<void> {
  let failure: unknown;
  for (const close of closers) {
    try {
      await close();
    } catch (e) {
      failure ??= e;
    }
  }
  if (failure !== undefined) throw failure;
}
