import { HubError } from '../../../shared/errors.ts';
import type { PortTransport } from '../../../shared/port-transports.ts';
import { platformSupportError, type Clock, type Driver, type Link } from '../../../drivers/kit/index.ts';
import type { LinkSpec, TcpListener } from '../../transports/index.ts';
import type { PortRecord, PortsRepo } from '../../store/ports-repo.ts';
import type { TraceTap } from '../biomed-interfaces.ts';
import type { DeviceManager } from '../device-manager.ts';
import type { SeenPort } from '../discovery/listers.ts';
import type { PortHealth } from './port-health.ts';
import { countingLink, describeLink, linkSpecFor } from './port-links.ts';
import { runListeningPort, type ListeningState } from './listening-port.ts';
import { effectiveAssignment, type DriverDefaultsSource } from './effective-assignment.ts';

/** What the hub knows of a port while it runs (everything stored is in the repo). */
export interface Runtime {
  seen?: SeenPort;
  state: 'idle' | 'connecting' | 'connected' | 'error';
  deviceKey?: string;
  health: PortHealth;
  session?: { driverId: string; controller: AbortController; done: Promise<void> };
  /** The device hung up (unplugged): shown absent until discovery lists the port again. */
  hungUp: boolean;
  /** No automatic connect until the port is replugged or a person connects it (a download done, a failure). */
  hold: boolean;
  /** A `folder` port: was its folder there at the last listing (undefined: not looked yet)? */
  folderThere?: boolean;
  /** A `listen` port: listening now, and the devices connected to it. */
  listening?: ListeningState;
}

/** Ports that exist without a device file: reachable or not, only connecting tells. */
export const NO_DEVICE_FILE: ReadonlySet<PortTransport> = new Set(['tcp', 'listen', 'http']);

/** What a port's session needs of the port manager. */
export interface SessionContext {
  readonly deps: {
    readonly repo: Pick<PortsRepo, 'get'>;
    readonly devices: Pick<DeviceManager, 'run'>;
    readonly trace: TraceTap;
    readonly openLink: (spec: LinkSpec) => Promise<Link>;
    readonly listen: (port: number, host: string) => Promise<TcpListener>;
    readonly clock: Clock;
    readonly log: (line: string) => void;
    /** Central option values and roles per driver (a port's own value wins). */
    readonly driverDefaults?: DriverDefaultsSource;
  };
  /** The port list changed (`urgent`: announce it now rather than batched with health counters). */
  changed(urgent: boolean): void;
}

/**
 * Run one port's session to its end (docs/architecture.md §6): open the link, tap it for the
 * trace, count its bytes for the health view, run the driver in the device manager, and leave the
 * runtime saying what happened (idle, error, hung up, held until replug). A `listen` port instead
 * listens and runs a session per device that connects.
 */
export async function runPortSession(ctx: SessionContext, id: string, rt: Runtime, record: PortRecord, driver: Driver, signal: AbortSignal): Promise<void> {
  if (record.transport === 'listen') return runListening(ctx, id, rt, record, driver, signal);
  const { manifest } = driver;
  const { clock } = ctx.deps;
  let link: Link;
  try {
    // A driver that cannot run on this OS yet says why instead of failing obscurely in the transport.
    const unsupported = platformSupportError(manifest, process.platform);
    if (unsupported) throw unsupported;
    link = await ctx.deps.openLink(linkSpecFor(record, manifest));
  } catch (e) {
    const error = e instanceof HubError ? e : new HubError('TRANSPORT_OPEN_FAILED', e instanceof Error ? e.message : String(e), { cause: e });
    rt.state = 'error';
    rt.hold = true;
    rt.health.failed(error);
    ctx.deps.log(`${record.path}: ${error.message}`);
    return;
  }
  if (signal.aborted) {
    await link.close().catch(() => undefined);
    rt.state = 'idle';
    return;
  }
  const tapped = ctx.deps.trace.tap(id, manifest.id, link);
  const counted = countingLink(tapped, (n) => {
    rt.health.bytes(n, clock.now());
    ctx.changed(false);
  });
  rt.state = 'connected';
  rt.health.beginSession(clock.now());
  ctx.changed(true);
  try {
    const result = await ctx.deps.devices.run(driver, counted, {
      description: describeLink(record, manifest),
      simulated: false,
      options: effectiveAssignment(manifest, record.assignment, ctx.deps.driverDefaults).options,
      signal,
      // Read at each reading, so a role biomed staff (or a central file) change applies to the running session.
      role: () => effectiveAssignment(manifest, ctx.deps.repo.get(id)?.assignment, ctx.deps.driverDefaults).role,
      onEvent: (event, deviceKey) => {
        rt.health.event(event);
        const urgent = rt.deviceKey !== deviceKey;
        rt.deviceKey = deviceKey;
        ctx.changed(urgent);
      },
    });
    rt.health.endSession(result, manifest.kind === 'download');
    if (result.error?.code === 'TRANSPORT_CLOSED') {
      // Unplugged: discovery will see it again, and then it reconnects by itself.
      rt.hungUp = record.origin === 'discovered' || record.transport === 'hid' || record.transport === 'usb';
      rt.state = 'idle';
      rt.hold = !rt.hungUp;
    } else {
      rt.state = result.end === 'failed' ? 'error' : 'idle';
      // A download done, a failure or a person's disconnect: no automatic retry until replug.
      rt.hold = true;
    }
  } finally {
    await tapped.close().catch(() => undefined);
    await link.close().catch(() => undefined);
  }
}

/** A `listen` port: connected while it listens; each device that connects runs its own session. */
async function runListening(ctx: SessionContext, id: string, rt: Runtime, record: PortRecord, driver: Driver, signal: AbortSignal): Promise<void> {
  const { clock } = ctx.deps;
  const state: ListeningState = { listening: false, connections: 0 };
  rt.listening = state;
  try {
    const listening = runListeningPort(record.path, driver, {
      listen: ctx.deps.listen,
      tap: (link) => ctx.deps.trace.tap(id, driver.manifest.id, link),
      run: (link, description, onEvent) =>
        ctx.deps.devices.run(driver, link, {
          description,
          simulated: false,
          options: effectiveAssignment(driver.manifest, record.assignment, ctx.deps.driverDefaults).options,
          signal,
          role: () => effectiveAssignment(driver.manifest, ctx.deps.repo.get(id)?.assignment, ctx.deps.driverDefaults).role,
          onEvent,
        }),
      health: rt.health,
      now: () => clock.now(),
      changed: (urgent) => {
        if (state.deviceKey) rt.deviceKey = state.deviceKey;
        if (state.listening && rt.state === 'connecting') rt.state = 'connected';
        ctx.changed(urgent);
      },
      log: ctx.deps.log,
    }, state, signal);
    await listening;
    rt.state = 'idle';
  } catch (e) {
    const error = e instanceof HubError ? e : new HubError('TRANSPORT_OPEN_FAILED', e instanceof Error ? e.message : String(e), { cause: e });
    rt.state = 'error';
    rt.health.failed(error);
    ctx.deps.log(`${record.path}: ${error.message}`);
  } finally {
    rt.hold = true;
    rt.listening = undefined;
  }
}
