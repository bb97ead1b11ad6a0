import type { ConfiguredPort } from '../../shared/config/workstation-config.ts';
import type { LocalOverride } from '../../shared/config/follow-model.ts';
import type { DriverDefault } from '../../shared/config/driver-defaults.ts';
import type { PortRecord } from '../store/ports-repo.ts';

/** What a central file does to this workstation's ports. */
export interface PortMerge {
  /**
   * Central ports this workstation has no assignment for, or whose assignment is still exactly
   * what the previous central version gave: they get the central one.
   */
  add: ConfiguredPort[];
  /** Central ports this workstation assigned otherwise: the local assignment is kept, listed here. */
  overrides: LocalOverride[];
}

function describe(p: { driverId: string; options?: Record<string, unknown>; role?: string | undefined; settings?: unknown; autoConnect: boolean }): string {
  const parts = [p.driverId];
  if (p.options !== undefined && Object.keys(p.options).length > 0) parts.push(`options ${JSON.stringify(p.options)}`);
  if (p.role !== undefined) parts.push(`role ${p.role}`);
  if (p.settings !== undefined) parts.push(`settings ${JSON.stringify(p.settings)}`);
  if (!p.autoConnect) parts.push('no auto-connect');
  return parts.join(', ');
}

/**
 * Ports are this workstation's own (docs/architecture.md §6, fleet configuration): the devices
 * plugged in here and how a person set them up. A central file never removes or changes a local
 * assignment; where it says otherwise the local one is kept and listed, so an admin sees the
 * difference instead of losing either silently. A central port not assigned here is added, which
 * is how IT pre-configures a port (a TCP box, a by-id path) for every workstation; while nobody
 * here changes it, it stays central (a later version changes it), and once a person does, theirs
 * is kept as a local one.
 *
 * @param previous the ports of the central version applied before (empty the first time).
 * @param idOf the port id the store uses for a central entry (serial path, HID path, host:port).
 */
export function mergePorts(central: readonly ConfiguredPort[], local: readonly PortRecord[], idOf: (p: ConfiguredPort) => string, previous: readonly ConfiguredPort[] = []): PortMerge {
  const byId = new Map(local.map((r) => [r.id, r]));
  const before = new Map(previous.map((p) => [idOf(p), describe(p)]));
  const add: ConfiguredPort[] = [];
  const overrides: LocalOverride[] = [];
  central.forEach((port, i) => {
    const here = byId.get(idOf(port))?.assignment;
    if (here === undefined) {
      add.push(port);
      return;
    }
    const centralWords = describe(port);
    const localWords = describe({ ...here, role: here.role });
    if (centralWords === localWords) return;
    if (before.get(idOf(port)) === localWords) {
      add.push(port);
      return;
    }
    overrides.push({ field: `ports[${i}] ${port.path}`, central: centralWords, local: localWords });
  });
  return { add, overrides };
}

/**
 * Ports whose own option value or role differs from the central driver default
 * (docs/architecture.md §6, fleet configuration): the port's value wins at the point of use, and
 * is listed here so an admin sees the difference instead of it staying silent.
 */
export function driverOverrides(central: readonly DriverDefault[], local: readonly PortRecord[]): LocalOverride[] {
  const overrides: LocalOverride[] = [];
  central.forEach((entry, i) => {
    for (const port of local) {
      const a = port.assignment;
      if (a?.driverId !== entry.driverId) continue;
      for (const [key, value] of Object.entries(entry.options ?? {})) {
        const own = a.options[key];
        if (own !== undefined && own !== value) overrides.push({ field: `drivers[${i}].options.${key} ${port.path}`, central: `${entry.driverId} ${key} ${JSON.stringify(value)}`, local: `${key} ${JSON.stringify(own)}` });
      }
      if (entry.role !== undefined && a.role !== undefined && a.role !== entry.role) {
        overrides.push({ field: `drivers[${i}].role ${port.path}`, central: `${entry.driverId} role ${entry.role}`, local: `role ${a.role}` });
      }
    }
  });
  return overrides;
}
