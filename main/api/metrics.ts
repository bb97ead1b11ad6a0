import { statSync } from 'node:fs';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { DeviceStatus } from '../../shared/api/model.ts';
import type { QcLock } from '../../shared/api/qc-model.ts';
import type { Port } from '../../shared/api/ports-model.ts';
import { OUTBOX_ROW_STATES, type MetricsQueries } from '../store/metrics-queries.ts';

/** What the metrics read from a running hub: all of it at scrape time, nothing kept in between. */
export interface MetricsSource {
  /** The store's counts (plain SELECTs: never block the hub's writes). */
  readonly queries: MetricsQueries;
  /** The SQLite file (its -wal beside it is counted too), or undefined for an in-memory store. */
  readonly storeFile: string | undefined;
  listDevices(): DeviceStatus[];
  listPorts(): Port[];
  qcLockOf(deviceKey: string, label: string): QcLock | undefined;
  /** The audit chain check (AuditLog.verify). */
  verifyAudit(): { ok: boolean; rows: number };
  now(): number;
}

/** The audit chain is re-hashed at most this often: a scrape every 15 s must not hash the whole log each time. */
const AUDIT_CHECK_EVERY_MS = 5 * 60_000;
/** A broken chain is checked again this often, so its repair shows within a scrape or two. */
const AUDIT_RECHECK_BROKEN_MS = 10_000;
/** Default process metrics left out (see createHubMetrics). */
const LINT_FAILING_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

function ageSeconds(iso: string | undefined, now: number): number | undefined {
  if (iso === undefined) return undefined;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? undefined : Math.max(0, (now - at) / 1000);
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // no -wal file between checkpoints
  }
}

/**
 * The hub's Prometheus registry (docs/monitoring.md lists every metric). Values are read from the
 * store and the device manager when Prometheus scrapes, so a metric can never drift from what the
 * screens show, and counters come from append-only tables (export_attempts, readings), so they
 * survive a restart without going backwards.
 */
export function createHubMetrics(src: MetricsSource): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'pochub_' });
  // prom-client names these gauges *_total, which promtool's lint (rightly) refuses for a
  // non-counter; the handle and request counts tell an operator nothing the others do not.
  for (const name of LINT_FAILING_DEFAULTS) registry.removeSingleMetric(`pochub_${name}`);
  const q = src.queries;

  new Gauge({
    name: 'pochub_outbox_rows',
    help: 'Outbox rows per export target and state (pending, sending, done, failed, dead).',
    labelNames: ['target', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of q.targetIds()) for (const s of OUTBOX_ROW_STATES) this.set({ target: t, state: s }, 0);
      for (const r of q.outboxCounts()) this.set({ target: r.target, state: r.state }, r.n);
    },
  });
  new Gauge({
    name: 'pochub_outbox_dead_rows',
    help: 'Outbox rows given up on (dead): each needs a person to look at it.',
    registers: [registry],
    collect() {
      this.set(q.deadRows());
    },
  });
  new Gauge({
    name: 'pochub_outbox_oldest_waiting_age_seconds',
    help: 'Age of the oldest outbox row not yet delivered (pending, sending or failed); 0 when none waits.',
    labelNames: ['target'],
    registers: [registry],
    collect() {
      this.reset();
      const now = src.now();
      for (const t of q.targetIds()) this.set({ target: t }, 0);
      for (const r of q.oldestWaiting()) this.set({ target: r.target }, ageSeconds(r.oldest, now) ?? 0);
    },
  });
  new Counter({
    name: 'pochub_export_attempts_total',
    help: 'Export attempts per target and outcome (done, retry, dead), from the append-only attempt log.',
    labelNames: ['target', 'outcome'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of q.attemptCounts()) this.inc({ target: r.target, outcome: r.outcome }, r.n);
    },
  });
  new Counter({
    name: 'pochub_export_failures_total',
    help: 'Export attempts that did not deliver (outcome retry or dead), per target.',
    labelNames: ['target'],
    registers: [registry],
    collect() {
      this.reset();
      const failed = new Map<string, number>();
      for (const r of q.attemptCounts()) if (r.outcome !== 'done') failed.set(r.target, (failed.get(r.target) ?? 0) + r.n);
      for (const [target, n] of failed) this.inc({ target }, n);
    },
  });
  new Counter({
    name: 'pochub_readings_total',
    help: 'Readings stored (arrived), confirmed and rejected, by their review state.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.reset();
      const byState = q.readingsByState();
      const arrived = [...byState.values()].reduce((a, b) => a + b, 0);
      this.inc({ state: 'arrived' }, arrived);
      this.inc({ state: 'confirmed' }, byState.get('confirmed') ?? 0);
      this.inc({ state: 'rejected' }, byState.get('rejected') ?? 0);
    },
  });
  new Gauge({
    name: 'pochub_readings_pending',
    help: 'Readings waiting for a person to confirm or reject them.',
    registers: [registry],
    collect() {
      this.set(q.readingsByState().get('pending') ?? 0);
    },
  });
  registerDeviceMetrics(registry, src);
  registerStoreMetrics(registry, src);
  return registry;
}

/** Devices, ports and QC: what the Devices and biomed screens show, per device key and per port. */
function registerDeviceMetrics(registry: Registry, src: MetricsSource): void {
  new Gauge({
    name: 'pochub_device_connected',
    help: 'Device connection: 1 connected (or simulated), 0 disconnected.',
    labelNames: ['device', 'driver'],
    registers: [registry],
    collect() {
      this.reset();
      for (const d of src.listDevices()) this.set({ device: d.key, driver: d.driverId }, d.connection === 'disconnected' ? 0 : 1);
    },
  });
  new Gauge({
    name: 'pochub_device_last_reading_age_seconds',
    help: 'Seconds since the device last delivered a reading (absent until it has, since the hub started).',
    labelNames: ['device', 'driver'],
    registers: [registry],
    collect() {
      this.reset();
      const now = src.now();
      for (const d of src.listDevices()) {
        const age = ageSeconds(d.lastSeen, now);
        if (age !== undefined) this.set({ device: d.key, driver: d.driverId }, age);
      }
    },
  });
  new Gauge({
    name: 'pochub_port_connected',
    help: 'Port state: 1 while a device session runs on it (connected, or its simulator), 0 otherwise.',
    labelNames: ['port', 'driver', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const p of src.listPorts()) {
        this.set({ port: p.id, driver: p.assignment?.driverId ?? '', state: p.state }, p.state === 'connected' || p.state === 'simulator' ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'pochub_port_last_reading_age_seconds',
    help: 'Seconds since a reading last arrived on the port (absent until one has, since the hub started).',
    labelNames: ['port', 'driver'],
    registers: [registry],
    collect() {
      this.reset();
      const now = src.now();
      for (const p of src.listPorts()) {
        const age = ageSeconds(p.health.lastSeen, now);
        if (age !== undefined) this.set({ port: p.id, driver: p.assignment?.driverId ?? '' }, age);
      }
    },
  });
  new Gauge({
    name: 'pochub_qc_locked',
    help: 'QC lockout per device: 1 while its QC failed or is overdue (its patient results cannot be confirmed).',
    labelNames: ['device', 'driver'],
    registers: [registry],
    collect() {
      this.reset();
      for (const d of src.listDevices()) this.set({ device: d.key, driver: d.driverId }, src.qcLockOf(d.key, d.label) === undefined ? 0 : 1);
    },
  });
}

/** The store file and the audit chain. */
function registerStoreMetrics(registry: Registry, src: MetricsSource): void {
  let audit: { ok: boolean; rows: number; at: number } | undefined;
  const auditNow = (): { ok: boolean; rows: number } => {
    const now = src.now();
    // Both audit gauges of one scrape share one check; a broken chain is looked at again sooner.
    const every = audit?.ok === false ? AUDIT_RECHECK_BROKEN_MS : AUDIT_CHECK_EVERY_MS;
    if (audit === undefined || now - audit.at >= every) audit = { ...src.verifyAudit(), at: now };
    return audit;
  };
  new Gauge({
    name: 'pochub_audit_chain_ok',
    help: 'The audit log hash chain verified intact: 1 ok, 0 broken (checked at most every 5 minutes while ok, every 10 s while broken).',
    registers: [registry],
    collect() {
      this.set(auditNow().ok ? 1 : 0);
    },
  });
  new Gauge({
    name: 'pochub_audit_rows',
    help: 'Rows in the audit log at the last chain check.',
    registers: [registry],
    collect() {
      this.set(auditNow().rows);
    },
  });
  new Gauge({
    name: 'pochub_store_size_bytes',
    help: 'Size of the SQLite store on disk, its write-ahead log included.',
    registers: [registry],
    collect() {
      this.set(src.storeFile === undefined ? 0 : fileSize(src.storeFile) + fileSize(`${src.storeFile}-wal`));
    },
  });
}
