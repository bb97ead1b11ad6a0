import type { Driver, DriverContext, DriverSession } from '../../kit/index.ts';
import { Cp2110ByteLink, configureCp2110Uart } from '../../families/cp2110/index.ts';
import { RESPONSE_TIMEOUT_MS, createIspcSession } from '../../families/isens/index.ts';
import { decodeProbe } from './decode-probe.ts';
import { CARESENS_UART, manifest } from './manifest.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';

/**
 * One download over the CP2110 bridge: UART 9600 8N1 by feature report, then the iSPc session of
 * drivers/families/isens (ECHO, RSNB, RTIM, NCOT, GLUE blocks; PROTOCOL.md §2–6).
 */
export function createSession(ctx: DriverContext): DriverSession {
  let bytes: Cp2110ByteLink | undefined;
  return createIspcSession(ctx, {
    bytes: () =>
      (bytes ??= new Cp2110ByteLink(ctx.link, (reason, raw) => ctx.emit({ type: 'problem', code: 'PROTOCOL_UNEXPECTED', message: `i-SENS input report dropped: ${reason}`, raw }))),
    prepare: () => configureCp2110Uart(ctx.link, CARESENS_UART),
    release: async () => bytes?.close(),
    identity: { manufacturer: 'i-SENS', model: 'CareSens N' },
    responseTimeoutMs: RESPONSE_TIMEOUT_MS,
  });
}

/** i-SENS CareSens N meters: iSPc protocol 3 over the CP2110 HID-to-UART bridge, memory download (PROTOCOL.md). */
export const isensCaresensDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
