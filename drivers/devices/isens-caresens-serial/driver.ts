import type { Driver, DriverContext, DriverSession } from '../../kit/index.ts';
import { SERIAL_RESPONSE_TIMEOUT_MS, createIspcSession } from '../../families/isens/index.ts';
import { decodeProbe } from './decode-probe.ts';
import { manifest } from './manifest.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';

/** One download on the serial link itself: the iSPc session of drivers/families/isens, 4 s per reply (Tidepool's serial wait). */
export function createSession(ctx: DriverContext): DriverSession {
  return createIspcSession(ctx, { bytes: () => ctx.link, identity: { manufacturer: 'i-SENS', model: 'iSPc meter (serial)' }, responseTimeoutMs: SERIAL_RESPONSE_TIMEOUT_MS });
}

/** ReliOn Premier and GLUCOCARD Shine: iSPc protocol 3 over an FTDI serial cable, memory download (PROTOCOL.md). */
export const isensCaresensSerialDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
