import { HubError } from '../../shared/errors.ts';
import { WorkstationConfigSchema, type WorkstationConfig } from '../../shared/config/workstation-config.ts';
import { driverTakesPort, driverTransportsWords, folderPathProblem, TRANSPORT_WORDS } from '../../shared/port-transports.ts';
import { isLoopbackHttpUrl, manifestTransports, resolveOptions, type DriverManifest } from '../../drivers/kit/index.ts';
import { unknownDriverError } from '../../drivers/index.ts';
import { parseHostPort } from '../devices/ports/port-links.ts';
import { folderPortPath } from '../devices/ports/folder-port.ts';
import { CATALOG } from '../../shared/catalog.ts';

/** `ports[1].driverId`: a field path as a person reads it in the file. */
function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
  return out === '' ? '(the file)' : out;
}

function refuse(path: readonly PropertyKey[], message: string): never {
  throw new HubError('CONFIG_INVALID', `${fieldPath(path)}: ${message}`, { details: { field: fieldPath(path) } });
}

/**
 * Check a configuration file in full before anything is applied: its shape (the schema), then
 * what the schema cannot know — the drivers exist on this build, settings and options fit them,
 * addresses are addresses, nothing is listed twice. The first problem refuses the whole file,
 * naming its field.
 *
 * @param existingKinds the kind of each export target already on this workstation (a target's
 * kind never changes: rows already queued were built for it).
 * @param sourceKinds the kind of each patient source already on this workstation (nor does a source's).
 */
export function validateConfig(
  raw: unknown,
  manifests: readonly DriverManifest[],
  existingKinds: ReadonlyMap<string, string>,
  sourceKinds: ReadonlyMap<string, string> = new Map(),
): WorkstationConfig {
  const parsed = WorkstationConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    refuse(issue?.path ?? [], issue?.message ?? 'not a POC Hub workstation configuration');
  }
  const config = parsed.data;
  const seen = new Map<string, number>();
  config.ports.forEach((port, i) => {
    const manifest = manifests.find((m) => m.id === port.driverId);
    if (!manifest) throw unknownDriverError(port.driverId, manifests.map((m) => m.id), fieldPath(['ports', i, 'driverId']));
    if (!driverTakesPort(port.transport, manifestTransports(manifest))) {
      refuse(['ports', i, 'transport'], `${manifest.name} is ${driverTransportsWords(manifestTransports(manifest))}; ${TRANSPORT_WORDS[port.transport]} cannot reach it`);
    }
    if (port.settings && port.transport !== 'serial') refuse(['ports', i, 'settings'], 'line settings apply to serial ports only');
    try {
      resolveOptions(manifest, port.options ?? {});
    } catch (e) {
      refuse(['ports', i, 'options'], e instanceof Error ? e.message : String(e));
    }
    if ((port.transport === 'tcp' || port.transport === 'listen') && !parseHostPort(port.path)) refuse(['ports', i, 'path'], `"${port.path}" is not host:port`);
    if (port.transport === 'http' && !isLoopbackHttpUrl(port.path)) refuse(['ports', i, 'path'], `"${port.path}" is not a local web service (http://127.0.0.1:<port>)`);
    const folderProblem = port.transport === 'folder' ? folderPathProblem(port.path) : undefined;
    if (folderProblem) refuse(['ports', i, 'path'], folderProblem);
    const key = `${port.transport}:${port.transport === 'folder' ? folderPortPath(port.path) : port.path}`;
    const twin = seen.get(key);
    if (twin !== undefined) refuse(['ports', i, 'path'], `${port.path} is listed twice (also ports[${twin}])`);
    seen.set(key, i);
  });
  const drivers = new Map<string, number>();
  (config.drivers ?? []).forEach((entry, i) => {
    const manifest = manifests.find((m) => m.id === entry.driverId);
    if (!manifest) throw unknownDriverError(entry.driverId, manifests.map((m) => m.id), fieldPath(['drivers', i, 'driverId']));
    const twin = drivers.get(entry.driverId);
    if (twin !== undefined) refuse(['drivers', i, 'driverId'], `driver ${entry.driverId} is listed twice (also drivers[${twin}])`);
    drivers.set(entry.driverId, i);
    try {
      resolveOptions(manifest, entry.options ?? {});
    } catch (e) {
      // Name the option itself (drivers[0].options.averagingSeconds): the file may set several.
      const option = e instanceof HubError && typeof e.details?.['option'] === 'string' ? [e.details['option']] : [];
      refuse(['drivers', i, 'options', ...option], e instanceof Error ? e.message : String(e));
    }
  });
  const ids = new Map<string, number>();
  config.exportTargets.forEach((target, i) => {
    const twin = ids.get(target.id);
    if (twin !== undefined) refuse(['exportTargets', i, 'id'], `target "${target.id}" is listed twice (also exportTargets[${twin}])`);
    ids.set(target.id, i);
    const kind = existingKinds.get(target.id);
    if (kind !== undefined && kind !== target.kind) {
      refuse(['exportTargets', i, 'kind'], `target "${target.id}" is a ${kind} target on this workstation; give the ${target.kind} target another id`);
    }
  });
  const sourceIds = new Map<string, number>();
  (config.patientSources ?? []).forEach((source, i) => {
    const twin = sourceIds.get(source.id);
    if (twin !== undefined) refuse(['patientSources', i, 'id'], `patient source "${source.id}" is listed twice (also patientSources[${twin}])`);
    sourceIds.set(source.id, i);
    const kind = sourceKinds.get(source.id);
    if (kind !== undefined && kind !== source.kind) refuse(['patientSources', i, 'kind'], `patient source "${source.id}" is a ${kind} source on this workstation; give the ${source.kind} source another id`);
  });
  const lots = new Map<string, number>();
  (config.qcLots ?? []).forEach((lot, i) => {
    // The rules an admin's lot form follows (main/workflow/qc-lots.ts), so a file cannot do more.
    const entry = CATALOG[lot.analyte];
    if (entry.scale !== 'Qn' || !(entry.units as readonly string[]).includes(lot.unit)) refuse(['qcLots', i, 'unit'], `${entry.display} is not measured in ${lot.unit}`);
    const names = lot.levels.map((l) => l.level.toLowerCase());
    if (new Set(names).size !== names.length) refuse(['qcLots', i, 'levels'], 'each level of a lot needs its own name');
    const key = `${lot.analyte}\u0000${lot.lotNumber}`;
    const twin = lots.get(key);
    if (twin !== undefined) refuse(['qcLots', i, 'lotNumber'], `lot ${lot.lotNumber} of ${lot.analyte} is listed twice (also qcLots[${twin}])`);
    lots.set(key, i);
  });
  return config;
}
