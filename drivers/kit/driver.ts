import type { ErrorCode } from '../../shared/errors.ts';
import type { Observation } from '../../shared/observation.ts';
import type { DeviceIdentity, Reading, ReadingKind } from '../../shared/reading.ts';
import type { Clock } from './clock.ts';
import type { Link } from './link.ts';
import type { DriverManifest, DriverOptionValues } from './manifest.ts';
import type { Simulator } from './simulator.ts';
import type { TraceAnnotator } from './trace-annotator.ts';

/**
 * What a driver produces for one measurement event, before the session stamps it with the
 * driver id, received time and effective time (see `finishReading`).
 */
export interface ReadingDraft {
  device: DeviceIdentity;
  kind: ReadingKind;
  /** Local time as the device stated it (`YYYY-MM-DDTHH:MM:SS`), when it stated one. */
  deviceTime?: string;
  /**
   * `live`: the device just measured (discrete, continuous); its clock is compared with ours.
   * `stored`: a result from memory (download); `deviceClockSkewMs` was measured at session start.
   */
  timeBasis: 'live' | 'stored';
  /** Workstation minus device clock, measured by reading the device clock (downloads). */
  deviceClockSkewMs?: number;
  observations: Observation[];
  flags: string[];
  context?: Reading['context'];
  /** The bytes of every frame this reading was made from, kept and linked in the store. */
  raw: Uint8Array[];
}

/** Everything a driver tells the world while it runs. */
export type DriverEvent =
  | { type: 'reading'; draft: ReadingDraft }
  | { type: 'live'; at: number; observations: Observation[]; flags: string[]; valid: boolean }
  | { type: 'progress'; done: number; total?: number }
  | { type: 'identity'; device: DeviceIdentity }
  /**
   * The device's clock, read at the start of a download and compared with ours:
   * `skewMs` = workstation minus device. `canSet`: the protocol can set it (never done silently).
   */
  | { type: 'device-clock'; deviceTime: string; skewMs: number; canSet: boolean }
  /** Something wrong with the input: counted, reported, skipped. Never thrown. */
  | { type: 'problem'; code: ErrorCode; message: string; raw?: Uint8Array };

export interface DriverContext {
  readonly link: Link;
  readonly clock: Clock;
  /** Aborted when the session is cancelled; every wait inside the driver honours it. */
  readonly signal: AbortSignal;
  readonly options: DriverOptionValues;
  emit(event: DriverEvent): void;
}

/**
 * One conversation with one device. The session runner calls the steps in order, each under
 * the manifest's deadline and an AbortSignal: probe? → open → identify → acquire → close.
 */
export interface DriverSession {
  /** Does a device of this family answer on the link? Used by discovery and "test connection". */
  probe(signal: AbortSignal): Promise<boolean>;
  open(signal: AbortSignal): Promise<void>;
  identify(signal: AbortSignal): Promise<DeviceIdentity>;
  /**
   * Collect readings. A download resolves when the memory has been read; discrete and continuous
   * devices resolve when the link ends or the signal is aborted (both are normal ends).
   */
  acquire(signal: AbortSignal): Promise<void>;
  /** Release the device (say goodbye where the protocol has a goodbye) and cancel every timer. */
  close(): Promise<void>;
  /** Continuous devices: make a reading now from the live values (the assistant's Capture). */
  capture?(): boolean;
  /**
   * Set the device clock to `epochMs` (workstation local time), where the protocol allows it.
   * Only ever called on a person's explicit request, after acquire.
   */
  setClock?(epochMs: number, signal: AbortSignal): Promise<void>;
  /**
   * Send one of the manifest's `commands` while acquire runs, and answer with the device's reply.
   * Rejects with INPUT_INVALID for an id the manifest does not list.
   */
  command?(id: string, signal: AbortSignal): Promise<DeviceCommandReply>;
}

/** The device's answer to a command (docs/adding-a-driver.md §3). */
export interface DeviceCommandReply {
  /** The device acknowledged the command (its reply echoed it). */
  accepted: boolean;
  /** The device's reply as printable text, or why there was none, for the person who asked. */
  reply: string;
}

export interface Driver {
  readonly manifest: DriverManifest;
  createSession(context: DriverContext): DriverSession;
  readonly simulator: Simulator;
  /** How the live trace frames this driver's traffic and masks it; absent: raw chunks only. */
  readonly traceAnnotator?: TraceAnnotator;
  /**
   * The driver's decoding of device-to-host traffic without a session, link or clock: framer →
   * decode → normalize over the chunks (HID: reports) given, in order. The fuzzer feeds it
   * mutated fixtures at speed (docs/fuzzing.md); like the driver, it must never throw on any input.
   * Returns how many records it decoded.
   */
  readonly decodeProbe?: (chunks: readonly Uint8Array[]) => number;
}
