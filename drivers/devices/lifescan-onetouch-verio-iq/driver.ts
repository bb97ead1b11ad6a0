import { isHubError } from '../../../shared/errors.ts';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import { localToEpochMs } from '../../../shared/time.ts';
import { bytesEqual, type Driver, type DriverContext, type DriverSession } from '../../kit/index.ts';
import { EMPTY_PACKET_LENGTH } from '../../families/lifescan/packets.ts';
import { verioSecondsFromEpochMs } from '../../families/lifescan/verio-time.ts';
import { VerioIqConversation, type VerioIqVerdict } from './conversation.ts';
import { decodeClock, decodeCount, decodeDone, decodeRecord, decodeSerial, decodeUnit, decodeVersion, type VerioIqDisplayUnit, type VerioIqRecord } from './decode.ts';
import { manifest } from './manifest.ts';
import { normalizeRecord } from './normalize.ts';
import { COMMAND, readRecordCommand, writeClockCommand } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';
import { decodeProbe } from './decode-probe.ts';

const VERIO_IQ_DEVICE: DeviceIdentity = { manufacturer: 'LifeScan', model: 'OneTouch Verio IQ' };
/**
 * A guard, not the meter's size: no source gives the Verio IQ's memory (PROTOCOL.md §6); a count
 * above this is taken for a broken answer rather than an hour of requests.
 */
export const MAX_RECORDS = 1000;
/** A probe asks once for the serial number, twice at most (2 × 1 s, within the 3 s probe deadline). */
const PROBE_ATTEMPTS = 2;

/**
 * One download (docs/adding-a-driver.md §2): serial number, software version and unit setting;
 * the clock; the record count; every record by index, newest first. Records are mg/dL whatever
 * the display shows; a control-solution test is a `control` reading, a meal marker a flag.
 */
export function createSession(ctx: DriverContext): DriverSession {
  let link: VerioIqConversation | undefined;
  const meter = (): VerioIqConversation => (link ??= new VerioIqConversation(ctx));
  let device: DeviceIdentity = { ...VERIO_IQ_DEVICE };
  let displayUnit: VerioIqDisplayUnit | undefined;
  const problem = (message: string): void => ctx.emit({ type: 'problem', code: 'PROTOCOL_UNEXPECTED', message: `Verio IQ ${message}` });

  return {
    async probe(signal) {
      try {
        await meter().request('probing for the serial number', COMMAND.serial, decodeSerial, signal, PROBE_ATTEMPTS);
        return true;
      } catch (e) {
        if (signal.aborted || (isHubError(e) && e.code === 'CANCELLED')) throw e;
        return false;
      }
    },

    // No link reset or wake-up: the meter answers the first request (PROTOCOL.md §4).
    async open() {},

    async identify(signal) {
      const serial = await meter().request('reading the serial number', COMMAND.serial, decodeSerial, signal);
      const version = await meter().request('reading the software version', COMMAND.version, decodeVersion, signal);
      const unit = await meter().request('reading the unit setting', COMMAND.unit, decodeUnit, signal);
      displayUnit = unit.value.unit;
      if (displayUnit === undefined) {
        problem(`unit setting byte 0x${unit.value.byte.toString(16).padStart(2, '0')} is neither mg/dL (00) nor mmol/L (01); values are read as mg/dL, as the meter stores them`);
      }
      device = { ...VERIO_IQ_DEVICE, serial: serial.value, firmware: version.value };
      return { ...device };
    },

    async acquire(signal) {
      const m = meter();
      const clock = await m.request('reading the meter clock', COMMAND.readClock, decodeClock, signal);
      const { deviceTime } = clock.value;
      const skewMs = ctx.clock.now() - localToEpochMs(deviceTime);
      ctx.emit({ type: 'device-clock', deviceTime, skewMs, canSet: true });

      const count = await m.request('reading the record count', COMMAND.count, decodeCount, signal);
      let total = count.value;
      if (total > MAX_RECORDS) {
        problem(`the meter reports ${total} records, more than a meter of this kind can hold; reading the newest ${MAX_RECORDS}`);
        total = MAX_RECORDS;
      }
      ctx.emit({ type: 'progress', done: 0, total });

      let previous: Uint8Array | undefined;
      for (let index = 0; index < total; index++) {
        // Two real records never match byte for byte (each has its own second), so a copy of the
        // previous reply right after a re-send is a late duplicate, not this record.
        const decode = (message: Uint8Array): VerioIqVerdict<VerioIqRecord> =>
          previous && m.resentRecently && bytesEqual(message, previous)
            ? { ok: false, kind: 'stale', reason: `the reply for record ${index} repeats record ${index - 1} byte for byte (a late duplicate)` }
            : decodeRecord(message);
        const { value, raw } = await m.request(`reading record ${index + 1} of ${total}`, readRecordCommand(index), decode, signal);
        previous = raw.slice(3, raw.length - (EMPTY_PACKET_LENGTH - 3));
        if (value.controlByte > 0x01) problem(`record ${index + 1} has control byte 0x${value.controlByte.toString(16).padStart(2, '0')} (00 or 01 expected); kept as a patient result`);
        if (value.meal === undefined) problem(`record ${index + 1} has meal byte 0x${value.mealByte.toString(16).padStart(2, '0')} (00, 01 or 02 expected); no meal flag`);
        const { kind, observations, flags } = normalizeRecord(value, displayUnit);
        ctx.emit({
          type: 'reading',
          draft: { device: { ...device }, kind, deviceTime: value.deviceTime, timeBasis: 'stored', deviceClockSkewMs: skewMs, observations, flags, raw: [raw] },
        });
        ctx.emit({ type: 'progress', done: index + 1, total });
      }
    },

    async setClock(epochMs, signal) {
      const seconds = verioSecondsFromEpochMs(epochMs);
      await meter().request('setting the meter clock', writeClockCommand(seconds), decodeDone, signal);
      // The write answers only "done": read the clock back to confirm (PROTOCOL.md §5).
      const back = await meter().request('reading the meter clock back', COMMAND.readClock, decodeClock, signal);
      if (Math.abs(back.value.meterSeconds - seconds) > 5) {
        problem(`the meter clock reads ${back.value.deviceTime} after it was set; check the meter's date and time`);
      }
    },

    async close() {
      link?.dispose();
    },
  };
}

/** LifeScan OneTouch Verio IQ: LifeScan binary packets with CRC-16 over its USB-serial chip, memory download (PROTOCOL.md). */
export const lifescanOnetouchVerioIqDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
