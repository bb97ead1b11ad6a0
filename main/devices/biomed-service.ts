import type { DriverInfo, MethodName } from '../../shared/api/contract.ts';
import type { MethodHandlers, MethodParsedInput } from '../../shared/api/handlers.ts';
import type { DiscoveryStatus, Port } from '../../shared/api/ports-model.ts';
import { HubError } from '../../shared/errors.ts';
import { requireDriver } from '../../drivers/index.ts';
import { transportFor, type Driver } from '../../drivers/kit/index.ts';
import type { ConfigService } from '../config/config-service.ts';
import type { CheckResult, ConfigFollower } from '../config/follow-service.ts';
import type { FollowStatus } from '../../shared/config/follow-model.ts';

/** What a check answers through the API: its outcome and the status after it. */
type FollowCheck = Pick<CheckResult, 'outcome' | 'message'> & { status: FollowStatus };
import type { DiscoverySettings } from '../store/ports-repo.ts';
import type { SimulatorService, TraceService } from './biomed-interfaces.ts';
import type { Discovery } from './discovery/discovery.ts';
import type { PortManager } from './ports/port-manager.ts';

interface BiomedServiceDeps {
  ports: PortManager;
  trace: TraceService;
  simulators: SimulatorService;
  drivers: readonly Driver[];
  config: ConfigService;
  /** The central configuration this workstation follows. */
  follower: ConfigFollower;
  /** The audit log: every change a person makes to the device setup is written there. */
  audit: (action: string, subject: string | undefined, details: Record<string, unknown>) => void;
  /** A configuration file set new discovery options (the poll interval). */
  onDiscoverySettings?: (settings: DiscoverySettings) => void;
  /** Port listing: its status, and a listing now. */
  discovery: Pick<Discovery, 'status' | 'scan'>;
}

/**
 * The contract methods the biomed console's back end implements; main/api binds exactly these
 * to the service. A new biomed method: add it to the contract, here, and implement it below.
 */
export const BIOMED_METHODS = [
  'listPorts',
  'getDiscovery',
  'scanPorts',
  'listDrivers',
  'addPort',
  'assignPort',
  'unassignPort',
  'removePort',
  'connectPort',
  'disconnectPort',
  'testPort',
  'getTrace',
  'startRecording',
  'stopRecording',
  'replayTrace',
  'listSimulators',
  'startSimulator',
  'stopSimulator',
  'exportConfig',
  'importConfig',
  'setPortRole',
  'getConfigFollow',
  'followConfig',
  'checkConfigFollow',
  'unfollowConfig',
] as const satisfies readonly MethodName[];

/** One of {@link BIOMED_METHODS}. */
export type BiomedMethod = (typeof BIOMED_METHODS)[number];

/** A driver as the biomed console shows it. */
function driverInfo(driver: Driver): DriverInfo {
  const m = driver.manifest;
  const serial = transportFor(m, 'serial');
  const tcpRole = transportFor(m, 'tcp')?.role ?? serial?.role;
  return {
    id: m.id,
    name: m.name,
    manufacturer: m.manufacturer,
    models: [...m.models],
    category: m.category,
    kind: m.kind,
    transport: m.transport.type,
    ...(m.otherTransports ? { otherTransports: m.otherTransports.map((t) => t.type) } : {}),
    ...(serial ? { defaults: serial.serial } : {}),
    ...(tcpRole ? { tcpRole } : {}),
    usb: m.usb.map((u) => ({ ...u })),
    scenarios: driver.simulator.scenarios.map((s) => s.name),
    hints: [...m.hints],
    options: m.options.map((o) => ({ ...o })),
  };
}

/**
 * The biomed console's back end (docs/architecture.md §6): ports and their drivers, the live trace and trace
 * files, the simulators and the configuration file. Each method is the contract's handler of
 * the same name, taking the input its schema parsed.
 */
export class BiomedService implements MethodHandlers<BiomedMethod> {
  constructor(private readonly deps: BiomedServiceDeps) {}

  listPorts(): Port[] {
    return this.deps.ports.list();
  }

  getDiscovery(): DiscoveryStatus {
    return this.deps.discovery.status();
  }

  /** List now; the ports that came or went are announced by the port manager as usual. */
  async scanPorts(): Promise<DiscoveryStatus> {
    await this.deps.discovery.scan();
    return this.deps.discovery.status();
  }

  listDrivers(): DriverInfo[] {
    return this.deps.drivers.map(driverInfo);
  }

  addPort(input: MethodParsedInput<'addPort'>): Port {
    const port = this.deps.ports.addPort(input.transport, input.path);
    this.deps.audit('port.add', port.id, { transport: port.transport, path: port.path });
    return port;
  }

  async assignPort(input: MethodParsedInput<'assignPort'>): Promise<Port> {
    const before = this.deps.ports.get(input.portId).assignment;
    const port = await this.deps.ports.assign(input.portId, {
      driverId: input.driverId,
      ...(input.settings ? { settings: input.settings } : {}),
      ...(input.options ? { options: input.options } : {}),
      ...(input.autoConnect === undefined ? {} : { autoConnect: input.autoConnect }),
    });
    this.deps.audit('port.assign', port.id, { before: before ?? null, after: port.assignment ?? null });
    return port;
  }

  /** Where the port's device may send results (docs/architecture.md §8, "Device roles"). */
  setPortRole({ portId, role }: MethodParsedInput<'setPortRole'>): Port {
    const before = this.deps.ports.get(portId).assignment?.role ?? null;
    const port = this.deps.ports.setRole(portId, role);
    this.deps.audit('port.role', port.id, { before, after: role });
    return port;
  }

  async unassignPort({ portId }: MethodParsedInput<'unassignPort'>): Promise<Port> {
    const before = this.deps.ports.get(portId).assignment;
    const port = await this.deps.ports.unassign(portId);
    this.deps.audit('port.unassign', port.id, { before: before ?? null });
    return port;
  }

  /** Forget a port (see PortManager.forget); answers with the port list as it is now. */
  async removePort({ portId }: MethodParsedInput<'removePort'>): Promise<Port[]> {
    const before = this.deps.ports.get(portId);
    await this.deps.ports.forget(portId);
    this.deps.audit('port.remove', portId, { path: before.path, origin: before.origin, assignment: before.assignment ?? null });
    return this.deps.ports.list();
  }

  connectPort({ portId }: MethodParsedInput<'connectPort'>): Port {
    return this.deps.ports.connect(portId);
  }

  disconnectPort({ portId }: MethodParsedInput<'disconnectPort'>): Promise<Port> {
    return this.deps.ports.disconnect(portId);
  }

  testPort({ portId }: MethodParsedInput<'testPort'>): ReturnType<PortManager['test']> {
    return this.deps.ports.test(portId);
  }

  getTrace(input: MethodParsedInput<'getTrace'>): ReturnType<TraceService['entries']> {
    return this.deps.trace.entries(input.portId, input.afterSeq, input.limit);
  }

  startRecording(input: MethodParsedInput<'startRecording'>): Port {
    const port = this.deps.ports.get(input.portId);
    if (!port.assignment) throw new HubError('CONFLICT', `Choose a driver for ${port.path} first: the trace file names the driver.`);
    this.deps.trace.startRecording(port.id, port.assignment.driverId, input.maskPatientIds);
    this.deps.ports.refresh();
    return this.deps.ports.get(port.id);
  }

  stopRecording({ portId }: MethodParsedInput<'stopRecording'>): ReturnType<TraceService['stopRecording']> {
    const file = this.deps.trace.stopRecording(portId);
    this.deps.ports.refresh();
    return file;
  }

  replayTrace(input: MethodParsedInput<'replayTrace'>): ReturnType<TraceService['replay']> {
    this.requireDriver(input.driverId);
    return this.deps.trace.replay(input.driverId, input.trace);
  }

  listSimulators(): ReturnType<SimulatorService['list']> {
    return this.deps.simulators.list();
  }

  async startSimulator(input: MethodParsedInput<'startSimulator'>): ReturnType<SimulatorService['start']> {
    this.requireDriver(input.driverId);
    const sim = await this.deps.simulators.start(input.driverId, input.path, input.scenario);
    this.deps.audit('simulator.start', sim.id, { driverId: sim.driverId, path: sim.path, scenario: sim.scenario });
    this.deps.ports.refresh();
    return sim;
  }

  async stopSimulator({ id }: MethodParsedInput<'stopSimulator'>): Promise<{ ok: true }> {
    await this.deps.simulators.stop(id);
    this.deps.audit('simulator.stop', id, {});
    this.deps.ports.refresh();
    return { ok: true };
  }

  exportConfig(): ReturnType<ConfigService['exportConfig']> {
    return this.deps.config.exportConfig();
  }

  async importConfig({ config }: MethodParsedInput<'importConfig'>): Promise<{ ports: number; exportTargets: number }> {
    // The import writes its own audit row inside its transaction.
    const result = this.deps.config.importConfig(config);
    this.deps.onDiscoverySettings?.(result.config.discovery);
    await this.deps.ports.reload();
    return { ports: result.ports, exportTargets: result.exportTargets };
  }

  getConfigFollow(): FollowStatus {
    return this.deps.follower.status();
  }

  async followConfig(input: MethodParsedInput<'followConfig'>): Promise<FollowCheck> {
    return this.afterCheck(await this.deps.follower.follow(input));
  }

  async checkConfigFollow(): Promise<FollowCheck> {
    return this.afterCheck(await this.deps.follower.checkNow());
  }

  unfollowConfig(): FollowStatus {
    this.deps.follower.unfollow();
    return this.deps.follower.status();
  }

  /** An applied version takes effect here as an import does (discovery interval, port assignments). */
  private async afterCheck(result: CheckResult): Promise<FollowCheck> {
    if (result.config !== undefined) {
      this.deps.onDiscoverySettings?.(result.config.discovery);
      await this.deps.ports.reload();
    }
    return { outcome: result.outcome, message: result.message, status: this.deps.follower.status() };
  }

  private requireDriver(driverId: string): Driver {
    return requireDriver(driverId, this.deps.drivers);
  }
}
