import { HubError, isHubError } from '../../../shared/errors.ts';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import { localToEpochMs } from '../../../shared/time.ts';
import type { Driver, DriverContext, DriverSession } from '../../kit/index.ts';
import { verioSecondsFromEpochMs } from '../../families/lifescan/verio-time.ts';
import { VerioConversation } from './conversation.ts';
import { decodeClock, decodeCount, decodeDone, decodeRecord, decodeText, decodeUnit, type VerioDisplayUnit } from './decode.ts';
import { decodeProbe } from './decode-probe.ts';
import { manifest } from './manifest.ts';
import { normalizeRecord } from './normalize.ts';
import { COMMAND, LIFESCAN_VENDOR, QUERY } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';

const VERIO_DEVICE: DeviceIdentity = { manufacturer: 'LifeScan', model: 'OneTouch Verio' };
/** A guard, not the meter's size (no source gives it): a larger count is taken for a broken answer. */
export const MAX_RECORDS = 1000;

/**
 * One download (docs/adding-a-driver.md §2, PROTOCOL.md §7): open = INQUIRY, refusing any device
 * whose vendor is not LifeScan before a single sector is written; identify = serial number,
 * model, software version, unit setting; acquire = the clock, the record count, every record by
 * index, newest first. Values are mg/dL whatever the display shows; control-solution tests are
 * `control` readings; results already stored are recognised by the hub and not offered again.
 */
export function createSession(ctx: DriverContext): DriverSession {
  let link: VerioConversation | undefined;
  const meter = (): VerioConversation => (link ??= new VerioConversation(ctx));
  let device: DeviceIdentity = { ...VERIO_DEVICE };
  let displayUnit: VerioDisplayUnit | undefined;
  let vendorChecked = false;
  const problem = (message: string): void => ctx.emit({ type: 'problem', code: 'PROTOCOL_UNEXPECTED', message: `Verio ${message}` });

  const checkVendor = async (signal: AbortSignal): Promise<void> => {
    if (vendorChecked) return;
    const vendor = await meter().inquiry(signal);
    if (vendor === undefined) throw new HubError('DEVICE_NO_RESPONSE', 'the USB storage device did not answer INQUIRY; unplug it, plug it in again and retry');
    if (vendor !== LIFESCAN_VENDOR) {
      throw new HubError('DEVICE_ERROR', `this USB storage device reports vendor "${vendor}", not ${LIFESCAN_VENDOR}: it is not a OneTouch Verio meter, and nothing was written to it`);
    }
    vendorChecked = true;
  };

  return {
    async probe(signal) {
      try {
        return (await meter().inquiry(signal, 1)) === LIFESCAN_VENDOR;
      } catch (e) {
        if (signal.aborted || (isHubError(e) && e.code === 'CANCELLED')) throw e;
        return false;
      }
    },

    async open(signal) {
      await checkVendor(signal);
    },

    async identify(signal) {
      await checkVendor(signal);
      const m = meter();
      const serial = await m.request('reading the serial number', COMMAND.query(QUERY.serial), decodeText, signal);
      const model = await m.request('reading the model', COMMAND.query(QUERY.model), decodeText, signal);
      const software = await m.request('reading the software version', COMMAND.query(QUERY.software), decodeText, signal);
      const unit = await m.request('reading the unit setting', COMMAND.unit, decodeUnit, signal);
      displayUnit = unit.value.unit;
      if (displayUnit === undefined) {
        problem(`unit setting byte 0x${unit.value.byte.toString(16).padStart(2, '0')} is neither mg/dL (00) nor mmol/L (01); values are read as mg/dL, as the meter stores them`);
      }
      const name = model.value.toLowerCase().includes('onetouch') ? model.value : `OneTouch ${model.value}`;
      device = { manufacturer: 'LifeScan', model: name, serial: serial.value, firmware: software.value };
      return { ...device };
    },

    async acquire(signal) {
      await checkVendor(signal);
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
      for (let index = 0; index < total; index++) {
        const { value, raw } = await m.request(`reading record ${index + 1} of ${total}`, COMMAND.record(index), decodeRecord, signal);
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
      await meter().request('setting the meter clock', COMMAND.writeClock(seconds), decodeDone, signal);
      // The write answers only "done": read the clock back to confirm (PROTOCOL.md §5).
      const back = await meter().request('reading the meter clock back', COMMAND.readClock, decodeClock, signal);
      if (Math.abs(back.value.meterSeconds - seconds) > 5) problem(`the meter clock reads ${back.value.deviceTime} after it was set; check the meter's date and time`);
    },

    async close() {
      link?.dispose();
    },
  };
}

/** LifeScan OneTouch Verio family: LifeScan packets in disk sectors over USB Bulk-Only Transport (PROTOCOL.md). */
export const lifescanOnetouchVerioDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
