import type { Port, PortSettings } from '../../../shared/api/ports-model.ts';
import { HubError } from '../../../shared/errors.ts';
import type { DeviceRole } from '../../../shared/device-role.ts';
import { manifestTransports, resolveOptions, transportFor, type Clock, type Timer, type Driver, type Link } from '../../../drivers/kit/index.ts';
import { findDriver, requireDriver } from '../../../drivers/index.ts';
import type { LinkSpec, TcpListener } from '../../transports/index.ts';
import { isLoopbackHttpUrl } from '../../../drivers/kit/index.ts';
import { driverTakesPort, driverTransportsWords, TRANSPORT_WORDS, type AddableTransport, type PortTransport } from '../../../shared/port-transports.ts';
import type { PortRecord, PortsRepo } from '../../store/ports-repo.ts';
import type { TraceTap } from '../biomed-interfaces.ts';
import type { DeviceManager } from '../device-manager.ts';
import type { DiscoveryChange } from '../discovery/discovery.ts';
import { serialPortId, type SeenPort } from '../discovery/listers.ts';
import { matchPort } from '../discovery/matcher.ts';
import { checkedFolderPath, folderPortId, folderProblem, withProblem } from './folder-port.ts';
import { PortHealth } from './port-health.ts';
import { seenRecord, usbOf } from './port-records.ts';
import { linkSpecFor, parseHostPort, settingsFor } from './port-links.ts';
import { testDevice, testListening, type PortTestResult } from './port-test.ts';
import { NO_DEVICE_FILE, runPortSession, type Runtime } from './port-session.ts';
import { effectiveAssignment, type DriverDefaultsSource } from './effective-assignment.ts';

/** Health counters change with every reading; the port list goes out at most this often for them, in ms. */
const HEALTH_EMIT_MS = 250;

interface PortManagerDeps {
  drivers: readonly Driver[];
  repo: Pick<PortsRepo, 'list' | 'get' | 'save' | 'remove' | 'discovery'>;
  devices: Pick<DeviceManager, 'run'>;
  trace: TraceTap;
  openLink: (spec: LinkSpec) => Promise<Link>;
  /** Listen for devices that connect to the hub (a `listen` port). */
  listen: (port: number, host: string) => Promise<TcpListener>;
  /** Does a device path exist (a pty added by hand)? */
  pathExists: (path: string) => boolean;
  /** Why a `folder` port's folder cannot be read now (undefined: it can); default: the file system (folder-port.ts). */
  folderProblem?: (path: string) => string | undefined;
  /** Paths a simulator plays on right now (their ports show the `simulator` state). */
  simulatorPaths?: () => readonly string[];
  clock: Clock;
  /** The port list changed. */
  onChange: () => void;
  log: (line: string) => void;
  /** Central option values and roles per driver (docs/architecture.md §6); absent: none. */
  driverDefaults?: DriverDefaultsSource;
}


/**
 * The ports of this workstation (docs/architecture.md §6): discovered ∪ added by hand ∪ configured, each with
 * its driver assignment (stored), state, device key and health (in memory). It connects a
 * port's driver through the transports and the trace tap and runs it in the device manager;
 * unplug and replug are normal events, recovered from without a person.
 */
export class PortManager {
  private readonly runtimes = new Map<string, Runtime>();
  private readonly manifests;
  private emitTimer: Timer | undefined;
  private closed = false;

  constructor(private readonly deps: PortManagerDeps) {
    this.manifests = deps.drivers.map((d) => d.manifest);
  }

  list(): Port[] {
    const records = new Map(this.deps.repo.list().map((r) => [r.id, r]));
    const ids = new Set([...records.keys(), ...[...this.runtimes].filter(([, rt]) => rt.seen).map(([id]) => id)]);
    const simulated = new Set(this.deps.simulatorPaths?.() ?? []);
    return [...ids].sort().map((id) => this.view(id, records.get(id), simulated));
  }

  get(id: string): Port {
    const port = this.list().find((p) => p.id === id);
    if (!port) throw new HubError('NOT_FOUND', `There is no port "${id}".`, { details: { portId: id } });
    return port;
  }

  /**
   * At start-up: connect the stored ports that auto-connect. Discovery only reports what its
   * listers see, so without this a port added by hand (a pty, a TCP box) would stay disconnected
   * after every restart of the hub until a person connected it. Discovered ports still wait
   * for discovery to list them (it knows whether the device is plugged in).
   */
  connectStored(): void {
    for (const record of this.deps.repo.list()) this.maybeConnect(record.id);
  }

  /** A new listing from discovery: note what came and went, assign single matches, (re)connect. */
  applyDiscovery(change: DiscoveryChange): void {
    for (const gone of change.unplugged) {
      const rt = this.runtime(gone.id);
      rt.seen = undefined;
      // The device is gone: a running session would only wait for its deadlines.
      rt.session?.controller.abort();
      rt.hold = false;
    }
    for (const port of change.present) {
      const rt = this.runtime(port.id);
      rt.seen = port;
      if (rt.hungUp) {
        rt.hungUp = false;
        rt.hold = false;
      }
    }
    for (const port of change.plugged) this.followBySerialNumber(port);
    const discovery = this.deps.repo.discovery();
    for (const port of change.present) {
      if (discovery.autoConnect) this.autoAssign(port);
      this.maybeConnect(port.id);
    }
    const folders = this.checkFolders();
    if (change.plugged.length > 0 || change.unplugged.length > 0 || folders) this.changed(true);
  }

  /**
   * Folder ports have no lister: at each listing, see which folders came or went. A folder back
   * is a meter plugged in again (its disk mounted): read again when it connects on its own.
   */
  private checkFolders(): boolean {
    let changed = false;
    for (const record of this.deps.repo.list()) {
      if (record.transport !== 'folder') continue;
      const rt = this.runtime(record.id);
      const there = this.folderProblem(record.path) === undefined;
      if (there === rt.folderThere) continue;
      if (there && rt.folderThere === false) rt.hold = false;
      rt.folderThere = there;
      changed = true;
      this.maybeConnect(record.id);
    }
    return changed;
  }

  /**
   * Add a port discovery cannot see: a pty or serial port by path, a network device or box the
   * hub connects to (`tcp`, host:port), an address the hub listens on for devices that connect
   * (`listen`, host:port), a local web service (`http`, its loopback URL) or a meter's mounted
   * folder (`folder`, an absolute path; it need not be there yet — the meter may be unplugged).
   */
  addPort(transport: AddableTransport, path: string): Port {
    let id: string;
    if (transport === 'tcp' || transport === 'listen') {
      const target = parseHostPort(path);
      if (!target) {
        const example = transport === 'tcp' ? '10.0.0.7:4001' : '0.0.0.0:3000 (every network interface) or 10.0.0.5:3000';
        throw new HubError('INPUT_INVALID', `"${path}" is not a network address: write it as host:port, e.g. ${example}.`);
      }
      path = target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
      id = `${transport}:${path}`;
    } else if (transport === 'http') {
      path = path.trim().replace(/\/+$/, '');
      // The service speaks for devices on this workstation: never a remote address (docs/architecture.md §6).
      if (!isLoopbackHttpUrl(path)) throw new HubError('INPUT_INVALID', `"${path}" is not a local web service: write it as http://127.0.0.1:<port>, e.g. http://127.0.0.1:9233.`);
      id = `http:${path}`;
    } else if (transport === 'folder') {
      path = checkedFolderPath(path);
      id = folderPortId(path);
    } else {
      if (!this.deps.pathExists(path)) throw new HubError('INPUT_INVALID', `There is no serial port ${path} on this workstation: check the path.`, { details: { path } });
      id = serialPortId(path);
    }
    if (!this.deps.repo.get(id) && !this.runtimes.get(id)?.seen) this.deps.repo.save({ id, transport, path, origin: 'manual' }, this.isoNow());
    this.changed(true);
    return this.get(id);
  }

  /** A person's assignment: settings default to the driver's; connects when autoConnect and present. */
  async assign(id: string, input: { driverId: string; settings?: PortSettings; autoConnect?: boolean; options?: Record<string, number | boolean | string> }): Promise<Port> {
    const port = this.get(id);
    const driver = this.driver(input.driverId);
    // The serial settings of a serial port: the driver's serial link's, whichever link is its primary.
    const serial = port.transport === 'serial' ? transportFor(driver.manifest, 'serial')?.serial : undefined;
    if (!driverTakesPort(port.transport, manifestTransports(driver.manifest))) {
      throw new HubError('INPUT_INVALID', `${driver.manifest.name} is ${driverTransportsWords(manifestTransports(driver.manifest))} and cannot be read on ${port.path} (${TRANSPORT_WORDS[port.transport]}).`);
    }
    if (input.settings && !serial) {
      throw new HubError('INPUT_INVALID', 'Line settings apply to serial ports only; a network box keeps its own settings.');
    }
    // Options kept from before belong to the driver assigned before; another driver starts from its defaults.
    const previous = this.deps.repo.get(id)?.assignment;
    const options = input.options ?? (previous?.driverId === driver.manifest.id ? previous.options : {});
    try {
      resolveOptions(driver.manifest, options);
    } catch (e) {
      throw new HubError('INPUT_INVALID', `${driver.manifest.name}: ${e instanceof Error ? e.message : String(e)}.`, { details: { field: 'options' } });
    }
    await this.disconnect(id);
    const record: PortRecord = {
      ...this.recordOf(port),
      assignment: {
        driverId: driver.manifest.id,
        ...(serial ? { settings: input.settings ?? serial } : {}),
        options: { ...options },
        autoConnect: input.autoConnect ?? true,
        by: 'person',
        // A role chosen for this driver stays with it; another driver starts from its own default.
        ...(previous?.driverId === driver.manifest.id && previous.role ? { role: previous.role } : {}),
      },
    };
    this.deps.repo.save(record, this.isoNow());
    const rt = this.runtime(id);
    rt.hold = false;
    this.maybeConnect(id);
    this.changed(true);
    return this.get(id);
  }

  /**
   * Biomed staff choose where the device's results may go. Takes effect with the next reading,
   * without reconnecting: the session asks for the role each time (see runSession).
   */
  setRole(id: string, role: DeviceRole): Port {
    const record = this.requireRecord(id);
    if (!record.assignment) throw new HubError('CONFLICT', `Choose a driver for ${record.path} first: the role belongs to its device.`);
    this.deps.repo.save({ ...record, assignment: { ...record.assignment, role } }, this.isoNow());
    this.changed(true);
    return this.get(id);
  }

  /** Remove the driver; the port is remembered without one so discovery does not assign it again. */
  async unassign(id: string): Promise<Port> {
    const port = this.get(id);
    await this.disconnect(id);
    this.deps.repo.save(this.recordOf(port), this.isoNow());
    this.changed(true);
    return this.get(id);
  }

  /**
   * Forget a port: stop its session and delete what the hub remembers of it (driver, settings,
   * auto-connect). A port added by hand leaves the list. One that discovery still sees stays
   * listed as newly seen — its next listing may assign a single match again — but it is not
   * connected until it is replugged or a person connects it.
   */
  async forget(id: string): Promise<void> {
    this.get(id);
    await this.disconnect(id);
    this.deps.repo.remove(id);
    const rt = this.runtimes.get(id);
    if (rt && !rt.seen && !rt.session) this.runtimes.delete(id);
    this.changed(true);
  }

  /** A person's Connect: clears any hold and starts a session (the state says how it goes). */
  connect(id: string): Port {
    const port = this.get(id);
    if (!port.assignment) throw new HubError('CONFLICT', `Choose a driver for ${port.path} first.`);
    if (!port.present) throw new HubError('CONFLICT', port.transport === 'folder' ? (port.health.hints[0] ?? `${port.path} is not there.`) : `${port.path} is not plugged in.`);
    const rt = this.runtime(id);
    rt.hold = false;
    if (!rt.session) this.startSession(id);
    return this.get(id);
  }

  /** Stop the port's session (if any) and wait for it to end; no automatic reconnect until replug. */
  async disconnect(id: string): Promise<Port> {
    const rt = this.runtimes.get(id);
    if (rt) {
      rt.hold = true;
      rt.session?.controller.abort();
      await rt.session?.done;
    }
    return this.get(id);
  }

  /** Probe and identify the device with the assigned driver, without keeping a session. */
  async test(id: string): Promise<PortTestResult> {
    const port = this.get(id);
    if (!port.assignment) throw new HubError('CONFLICT', `Choose a driver for ${port.path} first.`);
    if (this.runtimes.get(id)?.session) throw new HubError('CONFLICT', `${port.path} is connected: disconnect it first, then test.`);
    const record = this.requireRecord(id);
    const driver = this.driver(port.assignment.driverId);
    if (record.transport === 'listen') return testListening(record.path, this.deps.listen);
    let link: Link;
    try {
      link = await this.deps.openLink(linkSpecFor(record, driver.manifest));
    } catch (e) {
      return { ok: false, message: `${port.path} could not be opened: ${e instanceof Error ? e.message : String(e)}` };
    }
    const settings = settingsFor(record, driver.manifest);
    try {
      return await testDevice(driver, this.deps.trace.tap(id, driver.manifest.id, link), {
        clock: this.deps.clock,
        options: effectiveAssignment(driver.manifest, record.assignment, this.deps.driverDefaults).options,
        ...(settings ? { settings } : {}),
      });
    } finally {
      await link.close().catch(() => undefined);
    }
  }

  /**
   * The stored assignments changed as a whole (a configuration file was imported): stop sessions
   * whose driver changed or went, then connect what should be.
   */
  async reload(): Promise<void> {
    const records = new Map(this.deps.repo.list().map((r) => [r.id, r]));
    for (const [id, rt] of this.runtimes) {
      if (rt.session && records.get(id)?.assignment?.driverId !== rt.session.driverId) await this.disconnect(id);
      rt.hold = false;
    }
    for (const id of new Set([...records.keys(), ...this.runtimes.keys()])) this.maybeConnect(id);
    this.changed(true);
  }

  /** Something the ports show changed outside the manager (a simulator, a trace recording): announce the list. */
  refresh(): void {
    this.changed(true);
  }

  /** Stop every session and wait for them. */
  async close(): Promise<void> {
    this.closed = true;
    this.emitTimer?.cancel();
    const running = [...this.runtimes.values()].flatMap((rt) => (rt.session ? [rt.session] : []));
    for (const s of running) s.controller.abort();
    await Promise.allSettled(running.map((s) => s.done));
  }

  private view(id: string, record: PortRecord | undefined, simulated: ReadonlySet<string>): Port {
    const rt = this.runtimes.get(id);
    const seen = rt?.seen;
    const transport = seen?.transport ?? record?.transport ?? 'serial';
    const path = seen?.path ?? record?.path ?? id;
    const origin = seen ? 'discovered' : (record?.origin ?? 'manual');
    const folderTrouble = transport === 'folder' ? this.folderProblem(path) : undefined;
    const present = seen !== undefined || (origin === 'manual' && this.presentByHand(transport, path, folderTrouble));
    const usb = seen?.usb ?? record?.usb;
    const twins = usb ? this.twinsOf(id, usb) : 0;
    const a = record?.assignment;
    const manifest = a ? findDriver(a.driverId, this.deps.drivers)?.manifest : undefined;
    const settings = record && manifest ? settingsFor(record, manifest) : undefined;
    const effective = manifest ? effectiveAssignment(manifest, a, this.deps.driverDefaults) : undefined;
    const state = simulated.has(path) ? 'simulator' : rt?.session ? rt.state : !present || rt?.hungUp ? 'absent' : (rt?.state ?? 'idle');
    return {
      id,
      transport,
      path,
      origin,
      present: present && !rt?.hungUp,
      ...(usb ? { usb } : {}),
      match: matchPort({ transport, ...(usb ? { usb } : {}) }, this.manifests, twins),
      ...(a
        ? {
            assignment: {
              driverId: a.driverId,
              ...(settings ? { settings } : {}),
              ...(Object.keys(a.options).length > 0 ? { options: { ...a.options } } : {}),
              autoConnect: a.autoConnect,
              by: a.by,
              ...(effective ? { role: effective.role, roleChosen: a.role !== undefined } : {}),
              ...(effective?.roleFrom === 'central' ? { roleFromCentral: true } : {}),
              ...(effective && Object.keys(effective.centralOptions).length > 0 ? { centralOptions: effective.centralOptions } : {}),
            },
          }
        : {}),
      state,
      ...(rt?.deviceKey ? { deviceKey: rt.deviceKey } : {}),
      ...(transport === 'listen' && rt?.listening ? { connections: rt.listening.connections } : {}),
      health: withProblem((rt?.health ?? new PortHealth()).view(manifest, settings, this.deps.clock.now()), folderTrouble),
      recording: this.deps.trace.isRecording(id),
    };
  }

  /** A port added by hand is there when its device file or folder is (network ports: only connecting tells). */
  private presentByHand(transport: PortTransport, path: string, folderTrouble = transport === 'folder' ? this.folderProblem(path) : undefined): boolean {
    if (NO_DEVICE_FILE.has(transport)) return true;
    return transport === 'folder' ? folderTrouble === undefined : this.deps.pathExists(path);
  }

  private folderProblem(path: string): string | undefined {
    return (this.deps.folderProblem ?? folderProblem)(path);
  }

  private twinsOf(id: string, usb: { vendorId: number; productId: number }): number {
    let n = 0;
    for (const [other, rt] of this.runtimes) if (other !== id && rt.seen?.usb?.vendorId === usb.vendorId && rt.seen.usb.productId === usb.productId) n++;
    return n;
  }

  /** A single match, nothing decided for the port yet: assign it (by discovery). */
  private autoAssign(port: SeenPort): void {
    if (this.deps.repo.get(port.id)) return;
    const match = matchPort(port, this.manifests, port.usb ? this.twinsOf(port.id, port.usb) : 0);
    const driver = match.kind === 'one' && match.driverIds[0] !== undefined ? findDriver(match.driverIds[0], this.deps.drivers) : undefined;
    if (!driver) return;
    const settings = port.transport === 'serial' ? transportFor(driver.manifest, 'serial')?.serial : undefined;
    this.deps.repo.save({ ...seenRecord(port), assignment: { driverId: driver.manifest.id, ...(settings ? { settings } : {}), options: {}, autoConnect: true, by: 'discovery' } }, this.isoNow());
    this.deps.log(`${port.path}: ${match.message} Assigned ${driver.manifest.id} and connecting.`);
  }

  /**
   * A device replugged into another socket gets another path (ttyUSB0 → ttyUSB1); its USB serial
   * number says it is the same device, so its stored assignment moves with it.
   */
  private followBySerialNumber(port: SeenPort): void {
    const serial = port.usb?.serialNumber;
    if (!serial || this.deps.repo.get(port.id)) return;
    const previous = this.deps.repo
      .list()
      .find((r) => r.transport === port.transport && r.usb?.serialNumber === serial && r.usb.vendorId === port.usb?.vendorId && r.usb.productId === port.usb.productId && !this.runtimes.get(r.id)?.seen);
    if (!previous) return;
    this.deps.repo.remove(previous.id);
    this.deps.repo.save({ ...previous, id: port.id, path: port.path, ...(port.usb ? { usb: usbOf(port) } : {}) }, this.isoNow());
    const old = this.runtimes.get(previous.id);
    if (old && !old.session) {
      this.runtimes.delete(previous.id);
      this.runtime(port.id).health = old.health;
    }
    this.deps.log(`${port.path}: the device of ${previous.path} (USB serial ${serial}) moved here; its assignment followed it.`);
  }

  private maybeConnect(id: string): void {
    if (this.closed) return;
    const rt = this.runtimes.get(id);
    if (rt?.session || rt?.hold || rt?.hungUp) return;
    const record = this.deps.repo.get(id);
    if (!record?.assignment?.autoConnect) return;
    const present = rt?.seen !== undefined || (record.origin === 'manual' && this.presentByHand(record.transport, record.path));
    if (!present || (this.deps.simulatorPaths?.() ?? []).includes(record.path)) return;
    this.startSession(id);
  }

  private startSession(id: string): void {
    const rt = this.runtime(id);
    const record = this.requireRecord(id);
    const assignment = record.assignment;
    if (!assignment) return;
    const driver = this.driver(assignment.driverId);
    const controller = new AbortController();
    rt.state = 'connecting';
    const done = runPortSession({ deps: this.deps, changed: (urgent) => this.changed(urgent) }, id, rt, record, driver, controller.signal).finally(() => {
      rt.session = undefined;
      this.changed(true);
    });
    rt.session = { driverId: driver.manifest.id, controller, done };
    this.changed(true);
  }

  private changed(urgent: boolean): void {
    if (this.closed) return;
    if (urgent) {
      this.emitTimer?.cancel();
      this.emitTimer = undefined;
      this.deps.onChange();
      return;
    }
    this.emitTimer ??= this.deps.clock.setTimer(HEALTH_EMIT_MS, () => {
      this.emitTimer = undefined;
      this.deps.onChange();
    });
  }

  private runtime(id: string): Runtime {
    let rt = this.runtimes.get(id);
    if (!rt) {
      rt = { state: 'idle', health: new PortHealth(), hungUp: false, hold: false };
      this.runtimes.set(id, rt);
    }
    return rt;
  }

  private recordOf(port: Port): PortRecord {
    const usb = port.usb ? { vendorId: port.usb.vendorId, productId: port.usb.productId, ...(port.usb.serialNumber ? { serialNumber: port.usb.serialNumber } : {}) } : undefined;
    return { id: port.id, transport: port.transport, path: port.path, origin: port.origin, ...(usb ? { usb } : {}) };
  }

  private requireRecord(id: string): PortRecord {
    const record = this.deps.repo.get(id);
    if (!record) throw new HubError('NOT_FOUND', `There is no port "${id}".`);
    return record;
  }

  private driver(driverId: string): Driver {
    return requireDriver(driverId, this.deps.drivers);
  }

  private isoNow(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }
}
