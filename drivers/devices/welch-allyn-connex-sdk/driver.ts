import { HubError } from '../../../shared/errors.ts';
import { localToEpochMs } from '../../../shared/time.ts';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import {
  FrameReader,
  HttpResponseFramer,
  describeBytes,
  encodeHttpRequest,
  sleep,
  type Driver,
  type DriverContext,
  type DriverSession,
  type HttpExchangeResponse,
} from '../../kit/index.ts';
import { decodeDeviceList, decodeReadings, deviceTimeOf } from './decode.ts';
import { manifest } from './manifest.ts';
import { normalizeReading, unitsOf, type DisplayUnits } from './normalize.ts';
import { PATHS, type DeviceEntry, type ReadingEntry } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';
import { decodeProbe } from './decode-probe.ts';

/** How long one request may wait for its answer (the service answers from memory, at once); under the identify deadline so a lost answer is reported, not just timed out. */
export const RESPONSE_TIMEOUT_MS = 4_000;

const identityOf = (d: DeviceEntry): DeviceIdentity => ({
  manufacturer: 'Welch Allyn',
  model: d.modelname?.trim() || d.modelnumber?.trim() || 'Connex / Spot',
  ...(d.serialnumber?.trim() ? { serial: d.serialnumber.trim() } : {}),
  ...(d.firmware?.trim() ? { firmware: d.firmware.trim() } : {}),
});

/**
 * A session with the Connectivity SDK service (discrete; PROTOCOL.md §4): identify asks for the
 * device list and picks the device; acquire imports the stored readings once (option), then asks
 * for the current reading every `pollSeconds` and makes a reading of each one not seen before in
 * this session (the store drops one it already holds). A response that does not decode is
 * reported and skipped; the session goes on.
 */
export function createSession(ctx: DriverContext): DriverSession {
  let reader: FrameReader<HttpExchangeResponse> | undefined;
  const frames = (): FrameReader<HttpExchangeResponse> => (reader ??= new FrameReader(ctx, new HttpResponseFramer()));
  let device: DeviceEntry | undefined;
  let units: DisplayUnits = {};
  let identity: DeviceIdentity | undefined;
  /** Workstation minus device clock, from the device list's `date` (PROTOCOL.md §2.1). */
  let skewMs: number | undefined;
  const seen = new Set<string>();

  /** One request and its answer; undefined when the link ended, the signal fired or no answer came in time. */
  const ask = async (path: string, signal: AbortSignal): Promise<HttpExchangeResponse | undefined> => {
    const responses = frames();
    if (ctx.link.closed || signal.aborted) return undefined;
    await ctx.link.write(encodeHttpRequest(path));
    const response = await responses.next(signal, { clock: ctx.clock, ms: RESPONSE_TIMEOUT_MS });
    if (response === undefined && !responses.ended && !signal.aborted) {
      ctx.emit({ type: 'problem', code: 'DEVICE_NO_RESPONSE', message: `the Connectivity SDK service did not answer ${path} within ${RESPONSE_TIMEOUT_MS / 1000} s` });
    }
    if (response && response.status !== 200) {
      ctx.emit({ type: 'problem', code: 'DEVICE_ERROR', message: `the Connectivity SDK service answered ${path} with HTTP ${response.status}: ${describeBytes(response.body)}`, raw: response.raw });
      return undefined;
    }
    return response;
  };

  const handleReadings = (response: HttpExchangeResponse): void => {
    const decoded = decodeReadings(response.body);
    if (!decoded.ok) {
      ctx.emit({ type: 'problem', code: 'PROTOCOL_GARBAGE', message: `Connectivity SDK reply rejected: ${decoded.reason}`, raw: response.raw });
      return;
    }
    for (const entry of decoded.value) emitReading(entry, response.raw);
  };

  const emitReading = (entry: ReadingEntry, raw: Uint8Array): void => {
    const key = JSON.stringify(entry);
    if (seen.has(key)) return;
    seen.add(key);
    const normalized = normalizeReading(entry, units);
    if (!normalized) return;
    if (normalized.invalid.length > 0) {
      ctx.emit({ type: 'problem', code: 'PROTOCOL_UNEXPECTED', message: `Connectivity SDK reading ${entry.reading ?? ''} has values that are not numbers (${normalized.invalid.join(', ')}); kept as text` });
    }
    const deviceTime = deviceTimeOf(entry.date);
    ctx.emit({
      type: 'reading',
      draft: {
        device: identity ?? { manufacturer: 'Welch Allyn', model: 'Connex / Spot' },
        kind: 'patient',
        ...(deviceTime ? { deviceTime } : {}),
        // The service hands over readings the monitor already took, each with its own time:
        // stored results, corrected by the clock difference seen in the device list.
        timeBasis: 'stored',
        ...(skewMs !== undefined ? { deviceClockSkewMs: skewMs } : {}),
        observations: normalized.observations,
        flags: [],
        ...(normalized.context ? { context: normalized.context } : {}),
        raw: [raw],
      },
    });
  };

  return {
    async probe(signal) {
      const response = await ask(PATHS.devices, signal);
      return response !== undefined && decodeDeviceList(response.body).ok;
    },
    async open() {
      frames();
    },
    async identify(signal) {
      const response = await ask(PATHS.devices, signal);
      if (!response) {
        if (signal.aborted) throw new HubError('CANCELLED', 'cancelled');
        // The link says best why (the service is not running, the connection was refused).
        if (reader?.endError) throw reader.endError;
        throw new HubError(ctx.link.closed ? 'TRANSPORT_CLOSED' : 'DEVICE_NO_RESPONSE', 'the Connectivity SDK service gave no device list', reader?.endError ? { cause: reader.endError } : undefined);
      }
      const list = decodeDeviceList(response.body);
      if (!list.ok) {
        ctx.emit({ type: 'problem', code: 'PROTOCOL_GARBAGE', message: `Connectivity SDK reply rejected: ${list.reason}`, raw: response.raw });
        throw new HubError('PROTOCOL_UNEXPECTED', `the Connectivity SDK service's device list could not be read: ${list.reason}`);
      }
      const wanted = String(ctx.options.deviceId ?? '');
      device = wanted === '' ? list.value[0] : list.value.find((d) => d.deviceid === wanted);
      if (!device) {
        const listed = list.value.map((d) => d.deviceid).join(', ') || 'none';
        throw new HubError('DEVICE_ERROR', wanted === '' ? 'the Connectivity SDK service lists no device: connect the monitor by USB' : `the Connectivity SDK service does not list device ${wanted} (it lists: ${listed})`);
      }
      units = unitsOf(device);
      const deviceTime = deviceTimeOf(device['date'] as string | undefined);
      const deviceMs = deviceTime ? localToEpochMs(deviceTime) : Number.NaN;
      if (Number.isFinite(deviceMs)) {
        skewMs = ctx.clock.now() - deviceMs;
        ctx.emit({ type: 'device-clock', deviceTime: deviceTime ?? '', skewMs, canSet: false });
      }
      identity = identityOf(device);
      return identity;
    },
    async acquire(signal) {
      const id = device?.deviceid;
      if (id === undefined) return;
      if (ctx.options.storedReadings !== false) {
        const stored = await ask(PATHS.stored(id), signal);
        if (stored) handleReadings(stored);
      }
      const everyMs = Number(ctx.options.pollSeconds ?? 2) * 1000;
      while (!signal.aborted && !ctx.link.closed) {
        const current = await ask(PATHS.current(id), signal);
        if (current) handleReadings(current);
        if (frames().ended) return;
        await sleep(ctx.clock, everyMs, signal).catch(() => undefined);
      }
    },
    async close() {
      reader?.dispose();
    },
  };
}

/** Welch Allyn Spot / Connex through the Connectivity SDK service on this workstation (PROTOCOL.md). */
export const welchAllynConnexSdkDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
