import { HubError, isHubError } from '../../../shared/errors.ts';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import { localToEpochMs } from '../../../shared/time.ts';
import { type Driver, type DriverContext, type DriverSession, toHex } from '../../kit/index.ts';
import { Cp2110ByteLink, configureCp2110Uart } from '../../families/cp2110/index.ts';
import { TaidocConversation } from './conversation.ts';
import { type Decoded, MEASUREMENT_TYPES, type MeterTime, decodeClock, decodeConnect, decodeCount, decodeModel, decodeRecordTime, decodeRecordValue, decodeSerialPart, decodeSetClock } from './decode.ts';
import { decodeProbe } from './decode-probe.ts';
import { TD42XX_UART, manifest } from './manifest.ts';
import { normalizeRecord } from './normalize.ts';
import { CMD, type Packet, encodeDateTime, encodePacket, recordRequest } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';

const TAIDOC: DeviceIdentity = { manufacturer: 'TaiDoc', model: 'TD-42xx' };
/** A guard, not a model's memory size: a count above it is taken for a broken answer (PROTOCOL.md §4). */
export const MAX_RECORDS = 1000;
const PROBE_ATTEMPTS = 2;

/**
 * One download (docs/adding-a-driver.md §2) over the CP2110 bridge: UART 19200 8N1 by feature
 * report, connect, model and serial, the clock, the count, then each record's time and value,
 * newest first; the meter is turned off at the end. Glucose only (mg/dL); control solution is a
 * `control` reading; another measurement type is reported and skipped (PROTOCOL.md §6).
 */
export function createSession(ctx: DriverContext): DriverSession {
  let bytes: Cp2110ByteLink | undefined;
  let conversation: TaidocConversation | undefined;
  let device: DeviceIdentity = { ...TAIDOC };
  let connected = false;
  const problem = (message: string, raw?: Uint8Array): void => ctx.emit({ type: 'problem', code: 'PROTOCOL_UNEXPECTED', message: `TaiDoc ${message}`, ...(raw ? { raw } : {}) });
  const meter = (): TaidocConversation => {
    bytes ??= new Cp2110ByteLink(ctx.link, (reason, raw) => problem(`input report dropped: ${reason}`, raw));
    return (conversation ??= new TaidocConversation(ctx, bytes));
  };
  const connect = async (signal: AbortSignal, attempts?: number): Promise<void> => {
    await configureCp2110Uart(ctx.link, TD42XX_UART);
    await meter().request('connecting', encodePacket(CMD.connect), decodeConnect, signal, attempts);
    connected = true;
  };

  /**
   * A record's time, or undefined when the meter keeps answering (well-formed, checksum good,
   * asked again) with a time that is no calendar time: that one record is reported and skipped
   * instead of ending the download before all the older records (PROTOCOL.md §5).
   */
  const recordTime = async (at: string, index: number, signal: AbortSignal): Promise<{ value: MeterTime; raw: Uint8Array } | undefined> => {
    let refused: Uint8Array | undefined;
    const decode = (p: Packet): Decoded<MeterTime> => {
      const verdict = decodeRecordTime(p);
      refused = verdict.ok ? undefined : p.raw;
      return verdict;
    };
    try {
      return await meter().request(`reading the time of ${at}`, recordRequest(CMD.recordTime, index), decode, signal);
    } catch (e) {
      if (!refused || !isHubError(e) || e.code !== 'PROTOCOL_UNEXPECTED') throw e;
      problem(`${at} is stored with a time that is no calendar time (${toHex(refused, 8)}); that record is skipped`, refused);
      return undefined;
    }
  };

  return {
    async probe(signal) {
      try {
        await connect(signal, PROBE_ATTEMPTS);
        return true;
      } catch (e) {
        if (signal.aborted || (isHubError(e) && e.code === 'CANCELLED')) throw e;
        return false;
      }
    },

    async open(signal) {
      if (!connected) await connect(signal);
    },

    async identify(signal) {
      const model = await meter().request('reading the model', encodePacket(CMD.model), decodeModel, signal);
      device = { ...TAIDOC, model: model.value };
      // The serial commands come from one implementation only (PROTOCOL.md §4): one try each, and
      // a meter that does not answer is read without a serial number rather than not at all.
      try {
        const one = await meter().request('reading serial part 1', encodePacket(CMD.serialPart1), (p) => decodeSerialPart(p, CMD.serialPart1), signal, 1);
        const two = await meter().request('reading serial part 2', encodePacket(CMD.serialPart2), (p) => decodeSerialPart(p, CMD.serialPart2), signal, 1);
        device.serial = two.value + one.value;
      } catch (e) {
        if (signal.aborted || (isHubError(e) && (e.code === 'CANCELLED' || e.code === 'TRANSPORT_CLOSED'))) throw e;
        problem(`no serial number (${e instanceof Error ? e.message : String(e)}); the readings carry none`);
      }
      return { ...device };
    },

    async acquire(signal) {
      const m = meter();
      const clock = await m.request('reading the meter clock', encodePacket(CMD.readClock), decodeClock, signal);
      const skewMs = ctx.clock.now() - localToEpochMs(clock.value.deviceTime);
      ctx.emit({ type: 'device-clock', deviceTime: clock.value.deviceTime, skewMs, canSet: true });

      const count = await m.request('reading the record count', encodePacket(CMD.recordCount), decodeCount, signal);
      let total = count.value;
      if (total > MAX_RECORDS) {
        problem(`the meter reports ${total} records, more than a TD-42xx holds; reading the newest ${MAX_RECORDS}`);
        total = MAX_RECORDS;
      }
      ctx.emit({ type: 'progress', done: 0, total });
      for (let index = 0; index < total; index++) {
        const at = `record ${index + 1} of ${total}`;
        const time = await recordTime(at, index, signal);
        if (!time) {
          ctx.emit({ type: 'progress', done: index + 1, total });
          continue;
        }
        const value = await m.request(`reading the value of ${at}`, recordRequest(CMD.recordValue, index), decodeRecordValue, signal);
        const normalized = normalizeRecord(value.value);
        if (!normalized) {
          const type = MEASUREMENT_TYPES[value.value.type] ?? `type 0x${value.value.type.toString(16)}`;
          problem(`${at} is a ${type} measurement (stored number ${value.value.value}); its unit is not documented, so it is not imported`, value.raw);
        } else {
          ctx.emit({
            type: 'reading',
            draft: { device: { ...device }, kind: normalized.kind, deviceTime: time.value.deviceTime, timeBasis: 'stored', deviceClockSkewMs: skewMs, observations: normalized.observations, flags: normalized.flags, raw: [time.raw, value.raw] },
          });
        }
        ctx.emit({ type: 'progress', done: index + 1, total });
      }
    },

    async setClock(epochMs, signal) {
      const t = new Date(epochMs);
      // The meter keeps local time: the workstation's local parts, as every driver sets it.
      const sent = { year: t.getFullYear(), month: t.getMonth() + 1, day: t.getDate(), hour: t.getHours(), minute: t.getMinutes() };
      if (sent.year < 2000 || sent.year > 2127) throw new HubError('INPUT_INVALID', `the meter keeps years 2000–2127 (7 bits); cannot set ${sent.year}`);
      const echo = await meter().request('setting the meter clock', encodePacket(CMD.setClock, encodeDateTime(sent)), decodeSetClock, signal);
      const e = echo.value;
      if (e.year !== sent.year || e.month !== sent.month || e.day !== sent.day || e.hour !== sent.hour || e.minute !== sent.minute) {
        problem(`the meter echoed ${e.deviceTime} after it was set; check its date and time`);
      }
    },

    async close() {
      // Turning the meter off ends its communication mode (PROTOCOL.md §4); it may not answer.
      if (connected && conversation && !ctx.link.closed) await conversation.send(encodePacket(CMD.turnOff)).catch(() => undefined);
      conversation?.dispose();
      await bytes?.close();
    },
  };
}

/** TaiDoc TD-42xx meters: 8-byte packets over the CP2110 HID-to-UART bridge, memory download (PROTOCOL.md). */
export const taidocTd42xxDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
