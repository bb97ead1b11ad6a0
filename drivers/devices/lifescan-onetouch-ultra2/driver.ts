import { CancelledError, HubError } from '../../../shared/errors.ts';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import { localToEpochMs } from '../../../shared/time.ts';
import { type Driver, type DriverContext, type DriverSession, latin1, type ReadingDraft } from '../../kit/index.ts';
import { meterClockSkewMs } from '../../families/glucose/observations.ts';
import { Conversation } from './conversation.ts';
import { decodeClock, decodeRecord, decodeSerial, decodeVersion, type Ultra2Decoded, type MeterClock } from './decode.ts';
import { readDump, type Dump } from './dump.ts';
import { manifest } from './manifest.ts';
import { normalizeRecord } from './normalize.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';
import { decodeProbe } from './decode-probe.ts';

const MANUFACTURER = 'LifeScan';
const MODEL = 'OneTouch Ultra 2';
/** PROTOCOL.md §3: the meter's two-digit years are 20YY, so only these years can be set. */
const SETTABLE_YEARS = { first: 2000, last: 2099 } as const;

const pad = (n: number): string => String(n).padStart(2, '0');

/** `MM/DD/YY HH:MM:SS`, the argument of DMT (PROTOCOL.md §3), for a workstation-local instant. */
export function clockArgument(epochMs: number): string {
  const t = new Date(epochMs);
  const year = t.getFullYear();
  if (year < SETTABLE_YEARS.first || year > SETTABLE_YEARS.last) {
    throw new HubError('INPUT_INVALID', `the meter keeps two-digit years (20YY) and cannot be set to ${year}`);
  }
  return `${pad(t.getMonth() + 1)}/${pad(t.getDate())}/${pad(year % 100)} ${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`;
}

/** The same time as the meter prints it back, `YYYY-MM-DDTHH:MM:SS`. */
function localTimeOf(epochMs: number): string {
  const t = new Date(epochMs);
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}T${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`;
}

const clockReply =
  (tag: MeterClock['tag']) =>
  (text: string): Ultra2Decoded<MeterClock> => {
    const decoded = decodeClock(text);
    return decoded.ok && decoded.value.tag !== tag ? { ok: false, reason: `a ${decoded.value.tag} reply, not ${tag}` } : decoded;
  };

/**
 * One download from a OneTouch Ultra 2 (PROTOCOL.md): open asks for the serial number (DM@, which
 * also shows whether the meter is in PC-link mode), identify for the software version (DM?),
 * acquire reads the meter clock (DMF) and then the whole memory (DMP).
 */
export function createSession(ctx: DriverContext): DriverSession {
  let port: Conversation | undefined;
  let serial: string | undefined;
  let firmware: string | undefined;
  const portOf = (): Conversation => (port ??= new Conversation(ctx));

  const identity = (): DeviceIdentity => ({
    manufacturer: MANUFACTURER,
    model: MODEL,
    ...(serial ? { serial } : {}),
    ...(firmware ? { firmware } : {}),
  });

  /** Readings from a complete, verified dump, oldest first whatever order the meter used. */
  const emitReadings = (dump: Dump, skewMs: number): void => {
    const device = identity();
    const drafts: ReadingDraft[] = [];
    for (const line of dump.lines) {
      const decoded = decodeRecord(line.text);
      if (!decoded.ok) {
        portOf().problem('PROTOCOL_GARBAGE', `dump record skipped (${decoded.reason})`, line.raw);
        continue;
      }
      const record = decoded.value;
      const { kind, observations, flags } = normalizeRecord(record, dump.header.displayUnit);
      drafts.push({ device, kind, deviceTime: record.deviceTime, timeBasis: 'stored', deviceClockSkewMs: skewMs, observations, flags, raw: [line.raw] });
    }
    const key = (d: ReadingDraft): string => `${d.deviceTime ?? ''}|${latin1(d.raw[0] ?? new Uint8Array())}`;
    drafts.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    for (const draft of drafts) ctx.emit({ type: 'reading', draft });
  };

  return {
    async probe(signal) {
      try {
        serial = await portOf().command('DM@', decodeSerial, signal);
        return true;
      } catch (e) {
        if (e instanceof CancelledError) throw e;
        return false;
      }
    },

    async open(signal) {
      serial = await portOf().command('DM@', decodeSerial, signal);
    },

    async identify(signal) {
      firmware = await portOf().command('DM?', decodeVersion, signal);
      return identity();
    },

    async acquire(signal) {
      const meter = await portOf().command('DMF', clockReply('F'), signal);
      const skewMs = meterClockSkewMs(localToEpochMs(meter.deviceTime), ctx.clock.now());
      ctx.emit({ type: 'device-clock', deviceTime: meter.deviceTime, skewMs, canSet: true });
      const dump = await readDump(portOf(), ctx, signal);
      if (serial && dump.header.serial && dump.header.serial !== serial) {
        portOf().problem('PROTOCOL_UNEXPECTED', `the dump header names serial ${dump.header.serial}, the meter said ${serial}; readings keep ${serial}`);
      }
      serial ??= dump.header.serial || undefined;
      emitReadings(dump, skewMs);
    },

    async setClock(requestedMs, signal) {
      // The meter keeps whole seconds: the nearest one is closer than the truncated one.
      const epochMs = Math.round(requestedMs / 1000) * 1000;
      const argument = clockArgument(epochMs);
      const echo = await portOf().command(`DMT${argument}`, clockReply('T'), signal);
      if (echo.deviceTime !== localTimeOf(epochMs)) {
        throw new HubError('DEVICE_ERROR', `the meter echoed ${echo.deviceTime} after being set to ${localTimeOf(epochMs)}: check its clock by hand`);
      }
    },

    async close() {
      port?.dispose();
    },
  };
}

/** LifeScan OneTouch Ultra 2: memory download over its ASCII serial protocol (PROTOCOL.md). */
export const lifescanOnetouchUltra2Driver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
