/**
 * A driver's probe (what discovery asks of a device with a matching USB id) through the real HID
 * transport (main/transports/hid.ts), with a notes-built device emulator behind the fake node-hid
 * device. Whole downloads go through test/helpers/hid-download.ts (its `device` option).
 */
import { type Driver, TrackedClock, VirtualClock } from '../../drivers/kit/index.ts';
import { openHidLink } from '../../main/transports/hid.ts';
import { FakeHidDevice } from '../helpers/fake-hid.ts';

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
