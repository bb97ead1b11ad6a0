import { randomUUID } from 'node:crypto';
import { CONFIG_FORMAT, WorkstationConfigSchema, type ConfiguredPort, type WorkstationConfig } from '../../shared/config/workstation-config.ts';
import type { DriverManifest } from '../../drivers/kit/index.ts';
import { hidPortId, serialPortId } from '../devices/discovery/listers.ts';
import { folderPortPath } from '../devices/ports/folder-port.ts';
import type { PortRecord } from '../store/ports-repo.ts';
import type { HubDatabase } from '../store/hub-database.ts';
import { validateConfig } from './validate-config.ts';
import { driverOverrides, mergePorts } from './follow-merge.ts';
import type { LocalOverride } from '../../shared/config/follow-model.ts';
import { DEFAULT_LOCK_AFTER_MS } from '../workflow/work-sessions.ts';

interface ConfigServiceDeps {
  manifests: readonly DriverManifest[];
  tables: Pick<HubDatabase, 'ports' | 'targets' | 'patientSources' | 'patientCache' | 'signInFailures' | 'reviewSettings' | 'memoryImport' | 'qc' | 'configFollow' | 'driverDefaults' | 'transaction'>;
  /** Apply a new inactivity lock time to the running sessions (after the import committed). */
  onLockAfter?: (ms: number) => void;
  /** The audit log (the change and its row commit together: called inside the transaction). */
  audit: (action: string, subject: string | undefined, details: Record<string, unknown>) => void;
  workstation: string;
  now?: () => Date;
}

/**
 * One workstation's configuration as a file (docs/architecture.md §6): export what is set up here, import a file
 * made on another workstation. Secrets never travel: a target's token is entered on each
 * workstation, and one already stored here is kept.
 */
export class ConfigService {
  constructor(private readonly deps: ConfigServiceDeps) {}

  exportConfig(): WorkstationConfig {
    const { tables } = this.deps;
    const ports = tables.ports
      .list()
      .flatMap((r): ConfiguredPort[] => {
        const a = r.assignment;
        if (!a) return [];
        return [
          {
            transport: r.transport,
            path: r.path,
            driverId: a.driverId,
            ...(a.settings ? { settings: a.settings } : {}),
            ...(Object.keys(a.options).length > 0 ? { options: a.options } : {}),
            autoConnect: a.autoConnect,
            ...(a.role ? { role: a.role } : {}),
          },
        ];
      });
    return {
      format: CONFIG_FORMAT,
      version: 1,
      exportedAt: this.now().toISOString(),
      exportedFrom: this.deps.workstation.slice(0, 200),
      discovery: tables.ports.discovery(),
      sessions: { lockAfterMinutes: (tables.signInFailures.lockAfterMs() ?? DEFAULT_LOCK_AFTER_MS) / 60_000 },
      review: tables.reviewSettings.get(),
      ports,
      memoryImport: { recentWindowMinutes: tables.memoryImport.recentWindowMinutes() },
      exportTargets: tables.targets.list().map((t) => t.target),
      ...patientSourcesOf(tables),
      patientCache: { expireHours: tables.patientCache.expireHours() },
      ...qcLotsOf(tables),
      ...driversOf(tables),
    };
  }

  /**
   * Validate a file in full, then apply it in one transaction: the ports and their assignments
   * replace this workstation's, the discovery options are set, the targets are added or changed.
   *
   * @throws HubError `CONFIG_INVALID` naming the field of the first problem; nothing is changed.
   */
  importConfig(raw: unknown): { ports: number; exportTargets: number; config: WorkstationConfig } {
    const { tables } = this.deps;
    const config = this.validate(raw);
    const existing = new Map(tables.ports.list().map((r) => [r.id, r]));
    const records = config.ports.map((p) => toRecord(p, existing));
    const now = this.now().toISOString();
    this.apply(config, () => {
      tables.ports.replaceAll(records, now);
      this.deps.audit('config.import', config.exportedFrom, { ports: config.ports, ...auditSummary(config) });
    });
    return { ports: records.length, exportTargets: config.exportTargets.length, config };
  }

  /**
   * Apply a central file this workstation follows (docs/architecture.md §6, fleet configuration):
   * validated exactly as {@link importConfig}, then applied in one transaction with its
   * `config.follow.applied` audit row and the stored last good version — except the ports, which
   * are this workstation's own: local assignments are kept (and listed when the file differs),
   * central ports not assigned here are added.
   *
   * @throws HubError `CONFIG_INVALID` naming the field of the first problem; nothing is changed.
   */
  applyFollowed(raw: unknown, source: { url: string; bytes: Buffer; sha256: string; etag?: string }): { config: WorkstationConfig; overrides: LocalOverride[] } {
    const { tables } = this.deps;
    const config = this.validate(raw);
    const local = tables.ports.list();
    const existing = new Map(local.map((r) => [r.id, r]));
    const merge = mergePorts(config.ports, local, (p) => portIdOf(p), this.previousCentralPorts());
    // Ports the file adds take its values; the ones kept here may differ from a driver default.
    const added = new Set(merge.add.map((p) => portIdOf(p)));
    merge.overrides.push(...driverOverrides(config.drivers ?? [], local.filter((r) => !added.has(r.id))));
    const now = this.now().toISOString();
    this.apply(config, () => {
      for (const port of merge.add) tables.ports.save(toRecord(port, existing), now);
      tables.configFollow.applied(now, source, merge.overrides);
      this.deps.audit('config.follow.applied', source.url, {
        url: source.url,
        sha256: source.sha256,
        ...(source.etag === undefined ? {} : { etag: source.etag }),
        ...auditSummary(config),
        portsSet: merge.add.map((p) => p.path),
        localOverrides: merge.overrides,
      });
    });
    return { config, overrides: merge.overrides };
  }

  /** The ports of the central version applied last (what this workstation has not changed since is still central). */
  private previousCentralPorts(): ConfiguredPort[] {
    const good = this.deps.tables.configFollow.get()?.good;
    if (good === undefined) return [];
    try {
      const parsed = WorkstationConfigSchema.safeParse(JSON.parse(good.bytes.toString('utf8')));
      return parsed.success ? parsed.data.ports : [];
    } catch {
      return [];
    }
  }

  private validate(raw: unknown): WorkstationConfig {
    const { tables, manifests } = this.deps;
    const kinds = new Map(tables.targets.list().map((t) => [t.target.id, t.target.kind]));
    const sourceKinds = new Map(tables.patientSources.list().map((rec) => [rec.source.id, rec.source.kind]));
    return validateConfig(raw, manifests, kinds, sourceKinds);
  }

  /** Everything but the ports, in one transaction with what `ports` writes (the ports and the audit row). */
  private apply(config: WorkstationConfig, ports: () => void): void {
    const { tables } = this.deps;
    const now = this.now().toISOString();
    const lockAfterMs = config.sessions === undefined ? undefined : Math.max(1000, Math.round(config.sessions.lockAfterMinutes * 60_000));
    tables.transaction(() => {
      tables.ports.setDiscovery(config.discovery, now);
      if (lockAfterMs !== undefined) tables.signInFailures.setLockAfterMs(lockAfterMs, now);
      tables.reviewSettings.set(config.review, now);
      tables.memoryImport.setRecentWindowMinutes(config.memoryImport.recentWindowMinutes, now);
      for (const target of config.exportTargets) tables.targets.save(target, tables.targets.get(target.id)?.hasSecret ?? false, now);
      // A source's token stays where it is (the file never carries one).
      for (const source of config.patientSources ?? []) tables.patientSources.save(source, tables.patientSources.get(source.id)?.hasSecret ?? false, now);
      if (config.drivers !== undefined) tables.driverDefaults.replaceAll(config.drivers, now);
      if (config.patientCache) tables.patientCache.setExpireHours(config.patientCache.expireHours, now);
      for (const lot of config.qcLots ?? []) {
        const before = tables.qc.lotByNumber(lot.lotNumber, lot.analyte);
        // A retired lot stays retired: past evaluations name it, and a file never revives one.
        if (before === undefined) tables.qc.insertLot(randomUUID(), lot, now);
        else if (!before.retired) tables.qc.updateLot(before.id, lot, now);
      }
      ports();
    });
    if (lockAfterMs !== undefined) this.deps.onLockAfter?.(lockAfterMs);
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}

/** The patient sources for the file (never a token); left out when there are none, as files from before. */
function patientSourcesOf(tables: Pick<HubDatabase, 'patientSources'>): Pick<WorkstationConfig, 'patientSources'> {
  const sources = tables.patientSources.list().map((rec) => rec.source);
  return sources.length === 0 ? {} : { patientSources: sources };
}

/** What an audit row of an applied file says (the ports are added by the caller). */
function auditSummary(config: WorkstationConfig): Record<string, unknown> {
  return {
    discovery: config.discovery,
    ...(config.sessions ? { sessions: config.sessions } : {}),
    review: config.review,
    memoryImport: config.memoryImport,
    exportTargets: config.exportTargets.map((t) => t.id),
    ...(config.patientSources === undefined ? {} : { patientSources: config.patientSources.map((s) => s.id) }),
    ...(config.patientCache === undefined ? {} : { patientCache: config.patientCache }),
    ...(config.exportedAt ? { exportedAt: config.exportedAt } : {}),
    ...(config.qcLots === undefined ? {} : { qcLots: config.qcLots.map((l) => `${l.analyte} ${l.lotNumber}`) }),
    ...(config.drivers === undefined ? {} : { drivers: config.drivers }),
  };
}

/** The control lots in use, for the file; left out when there are none, as files from before. */
function qcLotsOf(tables: Pick<HubDatabase, 'qc'>): Pick<WorkstationConfig, 'qcLots'> {
  const lots = tables.qc.lots().filter((l) => !l.retired);
  return lots.length === 0 ? {} : { qcLots: lots.map((l) => ({ lotNumber: l.lotNumber, analyte: l.analyte, unit: l.unit, expiresOn: l.expiresOn, levels: l.levels })) };
}

/** The central driver defaults, for the file; left out when there are none, as files from before. */
function driversOf(tables: Pick<HubDatabase, 'driverDefaults'>): Pick<WorkstationConfig, 'drivers'> {
  const drivers = tables.driverDefaults.list();
  return drivers.length === 0 ? {} : { drivers };
}

/** The store's id of a port named in a file. */
function portIdOf(port: ConfiguredPort): string {
  // A folder is stored as the Devices screen adds it (no trailing separator), so a file naming it
  // with one updates the same port instead of adding a second.
  const path = port.transport === 'folder' ? folderPortPath(port.path) : port.path;
  return port.transport === 'hid' ? hidPortId(path) : port.transport === 'serial' ? serialPortId(path) : `${port.transport}:${path}`;
}

function toRecord(port: ConfiguredPort, existing: ReadonlyMap<string, PortRecord>): PortRecord {
  const path = port.transport === 'folder' ? folderPortPath(port.path) : port.path;
  const id = portIdOf(port);
  const before = existing.get(id);
  return {
    id,
    transport: port.transport,
    path,
    // A TCP box or a path from a file is "added by hand" unless discovery found it here before.
    origin: before?.origin ?? (port.transport === 'hid' || port.transport === 'usb' ? 'discovered' : 'manual'),
    ...(before?.usb ? { usb: before.usb } : {}),
    assignment: {
      driverId: port.driverId,
      ...(port.settings ? { settings: port.settings } : {}),
      options: port.options ?? {},
      autoConnect: port.autoConnect,
      by: 'person',
      ...(port.role ? { role: port.role } : {}),
    },
  };
}
