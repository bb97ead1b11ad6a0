import type { EventPayload } from '../../shared/api/contract.ts';
import type { DeviceStatus, StorageTrouble } from '../../shared/api/model.ts';
import { CancelledError, HubError, type ErrorCode } from '../../shared/errors.ts';
import type { DeviceIdentity, Reading } from '../../shared/reading.ts';
import { defaultRole, type DeviceRole } from '../../shared/device-role.ts';
import { systemClock, runSession, type Clock, type DeviceCommandReply, type Driver, type DriverSession, type Link, type SessionEvent, type SessionResult } from '../../drivers/kit/index.ts';
import { failureText, isBug } from '../bug-report.ts';
import type { IngestResult, ReadingsRepo } from '../store/readings-repo.ts';
import type { SessionsRepo } from '../store/sessions-repo.ts';
import type { ArrivalDevice, Workflow } from '../workflow/workflow.ts';
import { LiveThrottle } from './live-throttle.ts';
import { isStorageError, StorageGuard } from './storage-guard.ts';

/** Live values reach the UI about once a second (docs/architecture.md §6: at most once a second). */
const LIVE_INTERVAL_MS = 1000;

export interface DeviceManagerDeps {
  /** Where each device session is recorded. */
  sessions: Pick<SessionsRepo, 'beginSession' | 'endSession'>;
  /** Where readings are stored (with their raw frames) before anyone is told of them. */
  readings: Pick<ReadingsRepo, 'ingest'>;
  /**
   * Offers each new reading for review. Its `onReviewChange` announces the new item (the `review`
   * event), so the manager does not announce it a second time.
   */
  workflow: Pick<Workflow, 'readingArrived'>;
  /** Live values go out here, about once a second per device (the hub sends them as `live` events). */
  onLive: (live: EventPayload<'live'>) => void;
  /** Run `fn` in one store transaction (nested writes become part of it); default: just run it. */
  atomically?: <T>(fn: () => T) => T;
  clock?: Clock;
  liveIntervalMs?: number;
  /** The device list changed (a device appeared, identified itself, connected or went away). */
  onDevicesChanged?: () => void;
  /** Storing readings began or stopped failing (disk full, read-only folder); default: onDevicesChanged. */
  onStorageChanged?: () => void;
  /** How often readings held while the store refuses them are retried (default: storage-guard.ts). */
  storeRetryMs?: number;
  /** Whether the store would take a write now; lets the trouble end when nothing is held (see StorageGuard). */
  storageProbe?: () => boolean;
  /** Expected trouble worth a line in the hub's log (a session failed, the store refused). */
  log: (line: string) => void;
  /** A bug: logged loudly. */
  reportBug: (where: string, error: unknown) => void;
}

/** What Capture did: nothing (no valid values now), or the reading it stored or found again. */
type CaptureOutcome = { captured: false } | { captured: true; readingId: string; isNew: boolean };

interface RunOptions {
  /** How the device is reached, e.g. `serial /dev/ttyUSB0 9600 8N1` or the demo's memory link. */
  description: string;
  /** A built-in simulator (demo mode) rather than a real device. */
  simulated: boolean;
  /** Stops the session (a normal end). The manager's own close() stops it too. */
  signal?: AbortSignal;
  options?: Record<string, unknown>;
  /**
   * Told of every session event after the manager has handled it, with the device key as it
   * stands then: the port manager keeps a port's health and device key from these.
   */
  onEvent?: (event: SessionEvent, deviceKey: string) => void;
  /**
   * The device's role as biomed staff set it for the port, asked at each reading (a change
   * applies at once). Absent: the driver's default (a demo device, `pochub read`).
   */
  role?: () => DeviceRole;
}

/** One device the hub knows, across its sessions (a demo device restarts; a meter is replugged). */
interface Slot {
  readonly driver: Driver;
  readonly link: string;
  connection: DeviceStatus['connection'];
  identity?: DeviceIdentity;
  serial?: string;
  session?: DriverSession;
  /** Set while Capture runs: told of the reading it stored (new, or the same one again). */
  onStored?: (stored: IngestResult) => void;
  live?: NonNullable<DeviceStatus['live']>;
  lastSeen?: string;
  throttle?: LiveThrottle<NonNullable<DeviceStatus['live']>>;
  reported: Set<ErrorCode>;
  /** The role of the port it runs on (see RunOptions.role). */
  role?: () => DeviceRole;
}

/**
 * The device side of the hub (docs/architecture.md §3): runs driver sessions and, for every reading, stores
 * it (raw frames, reading, observations) and has the workflow offer it for review, in one
 * transaction — persist before anything is shown. Continuous devices' live values go out as `live`
 * events; the assistant's Capture reaches the running session.
 */
export class DeviceManager {
  private readonly slots = new Map<string, Slot>();
  private readonly running = new Set<Promise<unknown>>();
  private readonly stopAll = new AbortController();
  private readonly clock: Clock;
  private readonly storage: StorageGuard;

  constructor(private readonly deps: DeviceManagerDeps) {
    this.clock = deps.clock ?? systemClock;
    this.storage = new StorageGuard({
      clock: this.clock,
      onChange: () => (deps.onStorageChanged ?? deps.onDevicesChanged)?.(),
      log: deps.log,
      reportBug: deps.reportBug,
      ...(deps.storeRetryMs === undefined ? {} : { retryMs: deps.storeRetryMs }),
      ...(deps.storageProbe === undefined ? {} : { probe: deps.storageProbe }),
    });
  }

  /**
   * Another part of the hub (an API call: a confirmation, a sign-in) was refused by the store
   * for room or permission: the page's banner shows it too, until the store takes writes again.
   */
  storageFailed(error: HubError): void {
    if (isStorageError(error)) this.storage.failed(error);
  }

  /** Set while readings cannot be stored (the page's red banner), with how many wait in memory. */
  storageTrouble(): StorageTrouble | undefined {
    return this.storage.trouble();
  }

  /** Make a device known before its first session, so the device list shows it at once. */
  declare(driver: Driver, description: string, simulated: boolean): void {
    this.slotFor(driver, description, simulated);
  }

  /**
   * Run one driver session on `link` until it ends (download done, link ended, aborted). Never
   * throws: the result says how it ended. The link is the caller's to close.
   */
  async run(driver: Driver, link: Link, opts: RunOptions): Promise<SessionResult> {
    if (this.stopAll.signal.aborted) throw new CancelledError('the device manager is closed');
    const slot = this.slotFor(driver, opts.description, opts.simulated);
    if (opts.role) slot.role = opts.role;
    slot.connection = opts.simulated ? 'simulated' : 'connected';
    slot.reported.clear();
    this.changed();
    const work = this.session(slot, link, opts);
    this.running.add(work);
    try {
      return await work;
    } finally {
      this.running.delete(work);
    }
  }

  listDevices(): DeviceStatus[] {
    return [...this.slots.values()].map((slot) => ({
      key: keyOf(slot),
      driverId: slot.driver.manifest.id,
      label: labelOf(slot),
      kind: slot.driver.manifest.kind,
      connection: slot.connection,
      role: roleOf(slot),
      ...(slot.lastSeen ? { lastSeen: slot.lastSeen } : {}),
      ...(slot.live ? { live: slot.live } : {}),
      ...(slot.driver.manifest.commands?.length ? { commands: slot.driver.manifest.commands.map(({ id, label }) => ({ id, label })) } : {}),
    }));
  }

  /**
   * The assistant's Capture: ask the running session of a continuous device for a reading now.
   * The driver emits the reading synchronously, so it is stored before this returns, and the
   * outcome says which reading it is: the newest values may be the very line the stability rule
   * captured a moment ago, and that reading may already be decided — the assistant must be told,
   * not promised a pending reading that never appears.
   */
  capture(deviceKey: string): CaptureOutcome {
    const slot = [...this.slots.values()].find((s) => keyOf(s) === deviceKey);
    if (!slot) throw new HubError('NOT_FOUND', `There is no device "${deviceKey}".`, { details: { deviceKey } });
    if (slot.driver.manifest.kind !== 'continuous') throw new HubError('CONFLICT', `${labelOf(slot)} sends finished results; there is nothing to capture.`, { details: { deviceKey } });
    const session = slot.session;
    if (!session?.capture) throw new HubError('CONFLICT', `${labelOf(slot)} is not connected right now.`, { details: { deviceKey } });
    let stored: IngestResult | undefined;
    slot.onStored = (s) => (stored = s);
    let captured: boolean;
    try {
      captured = session.capture();
    } finally {
      slot.onStored = undefined;
    }
    if (!captured) return { captured: false };
    // The disk is full or read-only: say that, not "see the log" (the values wait in memory).
    const trouble = this.storage.trouble();
    if (!stored && trouble) throw new HubError(trouble.code, trouble.message, { details: { deviceKey } });
    // The driver had values but the store refused them; the reason is in the hub's log.
    if (!stored) throw new HubError('STORE_FAILED', `The values of ${labelOf(slot)} could not be stored; see the hub's log.`, { details: { deviceKey } });
    return { captured: true, readingId: stored.id, isNew: stored.isNew };
  }

  /**
   * A person's device command (Start BP …): sent by the running session between two polls; the
   * device's reply comes back. NOT_FOUND for an unknown device, INPUT_INVALID for a command its
   * manifest does not list, CONFLICT when the device is not connected.
   */
  async command(deviceKey: string, id: string): Promise<DeviceCommandReply> {
    const slot = [...this.slots.values()].find((s) => keyOf(s) === deviceKey);
    if (!slot) throw new HubError('NOT_FOUND', `There is no device "${deviceKey}".`, { details: { deviceKey } });
    const known = slot.driver.manifest.commands ?? [];
    if (!known.some((c) => c.id === id)) {
      throw new HubError('INPUT_INVALID', `${labelOf(slot)} has no command "${id}"${known.length > 0 ? ` (it has: ${known.map((c) => c.id).join(', ')})` : ''}.`, { details: { deviceKey } });
    }
    const session = slot.session;
    if (!session?.command) throw new HubError('CONFLICT', `${labelOf(slot)} is not connected right now.`, { details: { deviceKey } });
    return session.command(id, new AbortController().signal);
  }

  /** Stop every session and wait for each to end (timers cancelled, session rows closed). */
  async close(): Promise<void> {
    this.stopAll.abort();
    await Promise.allSettled([...this.running]);
    this.storage.close();
    for (const slot of this.slots.values()) slot.throttle?.cancel();
  }

  private async session(slot: Slot, link: Link, opts: RunOptions): Promise<SessionResult> {
    const { sessions } = this.deps;
    const driverId = slot.driver.manifest.id;
    let sessionId: string | undefined;
    try {
      sessionId = sessions.beginSession({ driverId, transport: opts.description });
    } catch (e) {
      if (!isStorageError(e)) throw e;
      this.storage.failed(e);
      // A meter keeps its results: do not download what cannot be stored. A streaming device's
      // readings are held in memory instead, without a session row to point at.
      if (slot.driver.manifest.kind === 'download') return this.refused(slot, e, opts.simulated);
    }
    const signal = opts.signal ? AbortSignal.any([opts.signal, this.stopAll.signal]) : this.stopAll.signal;
    // Keep hold of the session the runner creates: Capture has to reach it.
    const driver: Driver = {
      manifest: slot.driver.manifest,
      simulator: slot.driver.simulator,
      createSession: (context) => (slot.session = slot.driver.createSession(context)),
    };
    slot.throttle = new LiveThrottle(this.clock, this.deps.liveIntervalMs ?? LIVE_INTERVAL_MS, (live) => this.deps.onLive({ deviceKey: keyOf(slot), live }));
    let result: SessionResult;
    try {
      const onEvent = (event: SessionEvent): void => {
        this.onEvent(slot, sessionId, event);
        opts.onEvent?.(event, keyOf(slot));
      };
      // Each reading is stored from onEvent; the session need not keep them all (it may run for weeks).
      result = await runSession({ driver, link, clock: this.clock, signal, options: opts.options, onEvent, keepReadings: false });
    } finally {
      slot.session = undefined;
      slot.live = undefined;
      slot.throttle.cancel();
      if (!opts.simulated) slot.connection = 'disconnected';
    }
    const error = result.error;
    const reason = error ? (error.code === 'TRANSPORT_CLOSED' ? 'disconnected' : 'failed') : result.end === 'aborted' ? 'cancelled' : 'completed';
    try {
      if (sessionId !== undefined) sessions.endSession(sessionId, { reason, ...(error ? { errorCode: error.code, errorMessage: error.message } : {}) });
    } catch (e) {
      this.deps.log(`could not record the end of a ${driverId} session: ${failureText(e)}`);
    }
    if (error && isBug(error)) this.deps.reportBug(`the session of ${labelOf(slot)}`, error);
    else if (error && result.end === 'failed') this.deps.log(`${labelOf(slot)}: ${error.message}`);
    this.changed();
    return result;
  }

  private onEvent(slot: Slot, sessionId: string | undefined, event: SessionEvent): void {
    switch (event.type) {
      case 'reading':
        this.reading(slot, sessionId, event.reading, event.raw);
        return;
      case 'identity': {
        const before = `${keyOf(slot)}|${labelOf(slot)}`;
        slot.identity = event.device;
        if (event.device.serial) slot.serial = event.device.serial;
        if (`${keyOf(slot)}|${labelOf(slot)}` !== before) this.changed();
        return;
      }
      case 'live': {
        const at = new Date(event.at).toISOString();
        slot.live = { at, observations: event.observations, flags: event.flags, valid: event.valid };
        slot.lastSeen = at;
        slot.throttle?.push(slot.live);
        return;
      }
      case 'problem':
        // Noise on a line is counted by the session; say it once per session so the log stays readable.
        if (!slot.reported.has(event.code)) {
          slot.reported.add(event.code);
          this.deps.log(`${labelOf(slot)}: ${event.message} (further ${event.code} problems of this session are not logged)`);
        }
        return;
      default:
        return;
    }
  }

  private reading(slot: Slot, sessionId: string | undefined, reading: Reading, raw: Uint8Array[]): void {
    const frames = raw.map((bytes) => ({ direction: 'in' as const, bytes, at: reading.receivedAt }));
    if (!slot.serial && reading.device.serial) {
      slot.serial = reading.device.serial;
      this.changed();
    }
    slot.lastSeen = reading.receivedAt;
    // Stored later, it tells no Capture of itself: the Capture running then asked for other values.
    const saveLater = (): void => this.store(slot, sessionId, reading, frames, undefined);
    // Readings held while the store refused them go first: a newer one never overtakes them.
    if (this.storage.holding && !this.storage.flush()) {
      this.refuseOrHold(slot, reading, saveLater);
      return;
    }
    try {
      this.store(slot, sessionId, reading, frames, slot.onStored);
    } catch (e) {
      if (!isStorageError(e)) throw e;
      this.storage.failed(e);
      this.refuseOrHold(slot, reading, saveLater);
      return;
    }
    this.storage.succeeded();
  }

  /**
   * The store refuses readings (docs/architecture.md §7, storage trouble). A meter's download
   * stops: the throw ends the driver's acquire before it asks for (or acknowledges) the next
   * record, the session ends failed with the storage error, and the meter keeps its results for
   * a download once there is room, which imports only what is missing. A streaming device cannot
   * send again, so its reading is held in memory (bounded) and stored once there is room.
   */
  private refuseOrHold(slot: Slot, reading: Reading, save: () => void): void {
    const trouble = this.storage.trouble();
    if (slot.driver.manifest.kind === 'download' && trouble) throw new HubError(trouble.code, trouble.message);
    this.storage.hold({ save, label: `${labelOf(slot)}, result of ${reading.effectiveTime}` });
  }

  /**
   * Store a reading and offer it for review, in one transaction.
   * @throws HubError STORAGE_FULL / STORAGE_READONLY when the store refuses it (nothing written).
   */
  private store(
    slot: Slot,
    sessionId: string | undefined,
    reading: Reading,
    frames: { direction: 'in'; bytes: Uint8Array; at: string }[],
    onStored: ((stored: IngestResult) => void) | undefined,
  ): void {
    const { readings, workflow } = this.deps;
    const device = (): ArrivalDevice => ({ key: keyOf(slot), label: labelOf(slot), role: roleOf(slot) });
    const atomically = this.deps.atomically ?? (<T>(fn: () => T): T => fn());
    try {
      // Stored and offered for review in one transaction: a crash between the two would leave a
      // reading stored but never shown, and a download again would not offer it (it is known).
      atomically(() => {
        const stored = readings.ingest(reading, frames, sessionId);
        // A result imported before (a meter downloaded again) is never offered for review again.
        if (stored.isNew) workflow.readingArrived(stored.id, reading, device());
        onStored?.(stored);
      });
    } catch (e) {
      // The disk is full or read-only: the caller holds the reading or stops the download.
      if (isStorageError(e)) throw e;
      // Keep the device's data at least, so nothing received is lost; then say what went wrong.
      try {
        onStored?.(readings.ingest(reading, frames, sessionId));
      } catch (again) {
        if (isStorageError(again)) throw again;
        // The store refuses (file damaged): expected trouble, but this reading is lost.
        this.deps.log(`could not store a reading from ${labelOf(slot)}: ${again instanceof Error ? again.message : String(again)}`);
        return;
      }
      // Stored, but the review step failed: a bug, and the reading waits in the store unreviewed.
      this.deps.reportBug(`review of a reading from ${labelOf(slot)}`, e);
    }
  }

  /** A download session that did not start because the store refuses writes. */
  private refused(slot: Slot, error: HubError, simulated: boolean): SessionResult {
    if (!simulated) slot.connection = 'disconnected';
    this.deps.log(`${labelOf(slot)}: not downloaded: ${error.message}`);
    this.changed();
    return { readings: [], problems: {}, end: 'failed', error };
  }

  private slotFor(driver: Driver, description: string, simulated: boolean): Slot {
    const id = `${driver.manifest.id}\n${description}`;
    let slot = this.slots.get(id);
    if (!slot) {
      slot = { driver, link: description, connection: simulated ? 'simulated' : 'disconnected', reported: new Set() };
      this.slots.set(id, slot);
      this.changed();
    }
    return slot;
  }

  private changed(): void {
    this.deps.onDevicesChanged?.();
  }
}

/** Driver id + serial when the device told it, else driver id + how it is reached. */
function keyOf(slot: Slot): string {
  return slot.serial ? `${slot.driver.manifest.id}:${slot.serial}` : `${slot.driver.manifest.id}@${slot.link}`;
}

/** Where the slot's results may go: the port's role, else the driver's default. */
function roleOf(slot: Slot): DeviceRole {
  return slot.role?.() ?? defaultRole(slot.driver.manifest);
}

function labelOf(slot: Slot): string {
  const name = slot.identity ? `${slot.identity.manufacturer} ${slot.identity.model}` : slot.driver.manifest.name;
  return slot.serial ? `${name} (SN ${slot.serial})` : name;
}
