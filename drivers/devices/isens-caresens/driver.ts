import type { Driver, DriverContext, DriverSession, Link } from '../../kit/index.ts';
import { configureCp2110Uart } from '../../families/cp2110/index.ts';
import { RESPONSE_TIMEOUT_MS, SERIAL_RESPONSE_TIMEOUT_MS, createIspcSession } from '../../families/isens/index.ts';
import { decodeProbe } from './decode-probe.ts';
import { ispcBytes, ispcLinkOf } from './links.ts';
import { CARESENS_UART, manifest } from './manifest.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';

/** The model each link names until the meter's serial number says which one it is (PROTOCOL.md §1). */
const MODEL = { cp2110: 'CareSens N', serial: 'ReliOn Premier / GLUCOCARD Shine', hid: 'GLUCOCARD Shine Connex / Express' } as const;

/**
 * One download, framed by the link it is given (PROTOCOL.md §2): on serial the bytes as they are
 * (4 s per reply, Tidepool's serial wait); behind the CP2110 the UART set to 9600 8N1 by feature
 * report first, then its data reports; on the Shine Connex's plain HID its report id 1 and count.
 * Then the iSPc session of drivers/families/isens (ECHO, RSNB, RTIM, NCOT, GLUE blocks; §3–6).
 */
export function createSession(ctx: DriverContext): DriverSession {
  const kind = ispcLinkOf(ctx.link);
  let wrapped: { bytes: Link; release: () => Promise<void> } | undefined;
  const bytes = (): Link =>
    (wrapped ??= ispcBytes(ctx.link, 'host', (reason, raw) => ctx.emit({ type: 'problem', code: 'PROTOCOL_UNEXPECTED', message: `i-SENS input report dropped: ${reason}`, raw }))).bytes;
  return createIspcSession(ctx, {
    bytes,
    ...(kind === 'cp2110' ? { prepare: () => configureCp2110Uart(ctx.link, CARESENS_UART) } : {}),
    release: async () => wrapped?.release(),
    identity: { manufacturer: 'i-SENS', model: MODEL[kind] },
    responseTimeoutMs: kind === 'serial' ? SERIAL_RESPONSE_TIMEOUT_MS : RESPONSE_TIMEOUT_MS,
  });
}

/** i-SENS iSPc meters (CareSens N, ReliOn Premier, GLUCOCARD Shine): protocol 3 over a CP2110 cable, an FTDI serial cable or plain HID, memory download (PROTOCOL.md). */
export const isensCaresensDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
