/**
 * One driver session through the real HID transport (main/transports/hid.ts) with a notes-built
 * device emulator behind the fake node-hid device, on a virtual clock. Unlike
 * test/helpers/hid-download.ts, the emulator gets the FakeHidDevice itself, so it sees the
 * feature reports the host sends (a CP2110 bridge moves no byte before its UART is enabled).
 */
import { type Driver, runSession, type SessionEvent, type SessionResult, TrackedClock, VirtualClock } from '../../drivers/kit/index.ts';
import { openHidLink } from '../../main/transports/hid.ts';
import { storeFile } from '../../main/paths.ts';
import { openStore } from '../../main/store/open-store.ts';
import { FakeHidDevice } from '../helpers/fake-hid.ts';

export interface NotesHidRun {
  result: SessionResult;
  events: SessionEvent[];
  /** Each reading's raw frames, in reading order (what the store keeps beside it). */
  raw: Uint8Array[][];
  fake: FakeHidDevice;
  /** Timers left on the clock after the session and the link closed (0 = nothing leaked). */
  timersLeft: number;
}

export interface NotesHidOptions {
  /** Plays the device: called once with the fake, before the host opens it. */
  device: (fake: FakeHidDevice, clock: VirtualClock) => void;
  /** Ask the driver to set the meter clock when it is off. */
  setDeviceClock?: boolean;
}

/** Run one whole session of `driver` against the emulator `opts.device`, starting at `startMs`. */
export async function notesHidSession(driver: Driver, startMs: number, opts: NotesHidOptions): Promise<NotesHidRun> {
  const { transport, usb } = driver.manifest;
  const id = usb[0];
  if (transport.type !== 'hid' || !id) throw new Error(`${driver.manifest.id} is no HID driver`);
  const numberedByDriver = transport.numberedByDriver === true;
  const fake = new FakeHidDevice(transport.reportSize, { numberedByDriver });
  const virtual = new VirtualClock(startMs);
  opts.device(fake, virtual);
  const link = await openHidLink({ vendorId: id.vendorId, productId: id.productId }, { reportSize: transport.reportSize, numberedByDriver, open: async () => fake });
  const clock = new TrackedClock(virtual);
  const events: SessionEvent[] = [];
  const raw: Uint8Array[][] = [];
  const onEvent = (e: SessionEvent): void => {
    events.push(e);
    if (e.type === 'reading') raw.push(e.raw);
  };
  const session = runSession({ driver, link, clock, onEvent, ...(opts.setDeviceClock ? { setDeviceClock: true } : {}) });
  await virtual.runUntilIdle();
  const result = await session;
  await link.close();
  await virtual.runUntilIdle();
  return { result, events, raw, fake, timersLeft: clock.pending };
}

/** Store a run's readings, with their raw frames, in the real SQLite store in `dir`; whether each was new. */
export function ingestRun(dir: string, run: NotesHidRun): boolean[] {
  const store = openStore(storeFile(dir));
  try {
    return run.result.readings.map((reading, i) => store.readings.ingest(reading, (run.raw[i] ?? []).map((bytes) => ({ direction: 'in' as const, bytes, at: reading.receivedAt })), undefined).isNew);
  } finally {
    store.close();
  }
}

/** The driver's probe (what discovery asks of a device with a matching USB id) against `device`; `device` may stay silent. */
export async function notesHidProbe(driver: Driver, startMs: number, device: (fake: FakeHidDevice) => void): Promise<{ found: boolean; timersLeft: number }> {
  const { transport, usb } = driver.manifest;
  const id = usb[0];
  if (transport.type !== 'hid' || !id) throw new Error(`${driver.manifest.id} is no HID driver`);
  const numberedByDriver = transport.numberedByDriver === true;
  const fake = new FakeHidDevice(transport.reportSize, { numberedByDriver });
  device(fake);
  const link = await openHidLink({ vendorId: id.vendorId, productId: id.productId }, { reportSize: transport.reportSize, numberedByDriver, open: async () => fake });
  const virtual = new VirtualClock(startMs);
  const clock = new TrackedClock(virtual);
  const stop = new AbortController();
  const session = driver.createSession({ link, clock, signal: stop.signal, options: {}, emit: () => undefined });
  const probing = session.probe(stop.signal);
  await virtual.runUntilIdle();
  const found = await probing;
  await session.close();
  await link.close();
  await virtual.runUntilIdle();
  return { found, timersLeft: clock.pending };
}
