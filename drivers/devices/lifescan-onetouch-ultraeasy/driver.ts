import { isHubError } from '../../../shared/errors.ts';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import { localToEpochMs } from '../../../shared/time.ts';
import { bytesEqual, type Driver, type DriverContext, type DriverSession } from '../../kit/index.ts';
import { Conversation, type UltraEasyVerdict } from './conversation.ts';
import { decodeClock, decodeCount, decodeRecord, decodeSerial, decodeUnit, decodeVersion, meterSecondsFromEpochMs, type UltraEasyDisplayUnit, type MeterRecord } from './decode.ts';
import { manifest } from './manifest.ts';
import { normalizeRecord } from './normalize.ts';
import { COMMAND, EMPTY_PACKET_LENGTH, RECORD_COUNT_INDEX, readRecordCommand, writeClockCommand } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';
import { decodeProbe } from './decode-probe.ts';

/** The meter does not say which of its two names it goes by (PROTOCOL.md §5 has no model command). */
const ULTRAEASY_DEVICE: DeviceIdentity = { manufacturer: 'LifeScan', model: 'OneTouch UltraEasy / UltraMini' };
/** Memory holds 500 results: index 501 is the count, so a larger count cannot be real (PROTOCOL.md §5). */
const MAX_RECORDS = 500;
/** A probe tries the link reset this many times (2 × 1 s stays within the 3 s probe deadline). */
const PROBE_ATTEMPTS = 2;

/**
 * One download from an UltraEasy / UltraMini (download, docs/adding-a-driver.md §2): DISC, then serial
 * number, software version and unit setting; the clock; the record count (record 501); every
 * record by index. The meter stores mg/dL whatever its display shows, and marks neither control
 * solution nor meals, so every record is a patient result in mg/dL (PROTOCOL.md).
 */
export function createSession(ctx: DriverContext): DriverSession {
  let link: Conversation | undefined;
  const meter = (): Conversation => (link ??= new Conversation(ctx));
  let device: DeviceIdentity = { ...ULTRAEASY_DEVICE };
  let displayUnit: UltraEasyDisplayUnit | undefined;

  const problem = (code: 'PROTOCOL_UNEXPECTED', message: string): void => ctx.emit({ type: 'problem', code, message: `UltraEasy ${message}` });

  return {
    async probe(signal) {
      try {
        await meter().disconnect(signal, PROBE_ATTEMPTS);
        return true;
      } catch (e) {
        if (signal.aborted || (isHubError(e) && e.code === 'CANCELLED')) throw e;
        return false;
      }
    },

    async open(signal) {
      await meter().disconnect(signal);
    },

    async identify(signal) {
      const serial = await meter().request('reading the serial number', COMMAND.serial, decodeSerial, signal);
      const version = await meter().request('reading the software version', COMMAND.version, decodeVersion, signal);
      const unit = await meter().request('reading the unit setting', COMMAND.unit, decodeUnit, signal);
      displayUnit = unit.value.unit;
      if (displayUnit === undefined) {
        problem('PROTOCOL_UNEXPECTED', `unit setting byte 0x${unit.value.byte.toString(16).padStart(2, '0')} is neither mg/dL (00) nor mmol/L (01); values are read as mg/dL, as the meter stores them`);
      }
      device = { ...ULTRAEASY_DEVICE, serial: serial.value, firmware: version.value };
      return { ...device };
    },

    async acquire(signal) {
      const m = meter();
      const clock = await m.request('reading the meter clock', COMMAND.readClock, decodeClock, signal);
      const { deviceTime } = clock.value;
      const skewMs = ctx.clock.now() - localToEpochMs(deviceTime);
      ctx.emit({ type: 'device-clock', deviceTime, skewMs, canSet: true });

      const count = await m.request('reading the record count', readRecordCommand(RECORD_COUNT_INDEX), decodeCount, signal);
      let total = count.value;
      if (total > MAX_RECORDS) {
        problem('PROTOCOL_UNEXPECTED', `the meter reports ${total} records, more than its memory holds; reading the first ${MAX_RECORDS}`);
        total = MAX_RECORDS;
      }
      ctx.emit({ type: 'progress', done: 0, total });

      let previous: Uint8Array | undefined;
      for (let index = 0; index < total; index++) {
        // Two genuine records never match byte for byte (each has its own second), so a copy of
        // the previous answer right after a re-send is a late duplicate, not this record.
        const decode = (message: Uint8Array): UltraEasyVerdict<MeterRecord> =>
          previous && m.resentRecently && bytesEqual(message, previous)
            ? { ok: false, kind: 'stale', reason: `the answer for record ${index} repeats record ${index - 1} byte for byte (a late duplicate)` }
            : decodeRecord(message);
        const { value, raw } = await m.request(`reading record ${index + 1} of ${total}`, readRecordCommand(index), decode, signal);
        previous = raw.slice(3, raw.length - (EMPTY_PACKET_LENGTH - 3));
        const { observations, flags } = normalizeRecord(value, displayUnit);
        ctx.emit({
          type: 'reading',
          draft: { device: { ...device }, kind: 'patient', deviceTime: value.deviceTime, timeBasis: 'stored', deviceClockSkewMs: skewMs, observations, flags, raw: [raw] },
        });
        ctx.emit({ type: 'progress', done: index + 1, total });
      }
    },

    async setClock(epochMs, signal) {
      const seconds = meterSecondsFromEpochMs(epochMs);
      const echo = await meter().request('setting the meter clock', writeClockCommand(seconds), decodeClock, signal);
      if (echo.value.meterSeconds !== seconds) {
        problem('PROTOCOL_UNEXPECTED', `the meter echoed ${echo.value.deviceTime} after its clock was set; check the meter's date and time`);
      }
    },

    async close() {
      await link?.close(new AbortController().signal);
    },
  };
}

/** LifeScan OneTouch UltraEasy / UltraMini: binary packets with CRC-16 over serial, memory download (PROTOCOL.md). */
export const lifescanOnetouchUltraeasyDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
