import { CancelledError, HubError } from '../../../shared/errors.ts';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import { localToEpochMs } from '../../../shared/time.ts';
import type { Driver, DriverContext, DriverSession } from '../../kit/index.ts';
import { FreestyleConversation } from '../../families/freestyle-serial/conversation.ts';
import { COMMANDS } from './protocol.ts';
import { emitDumpReadings, timCommand } from '../../families/freestyle-serial/session.ts';
import { meterClockSkewMs } from '../../families/glucose/observations.ts';
import { decodeColq, type ColqInfo } from './decode.ts';
import { decodeProbe } from './decode-probe.ts';
import { manifest } from './manifest.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';

const DEVICE: DeviceIdentity = { manufacturer: 'Abbott', model: 'FreeStyle Optium' };

/**
 * One download from a FreeStyle Optium / Precision Xtra (PROTOCOL.md): `$colq` for the serial,
 * version, unit and clock; `$xmem` for the memory (glucose `G` and β-ketone `K` records).
 */
export function createSession(ctx: DriverContext): DriverSession {
  let port: FreestyleConversation | undefined;
  const portOf = (): FreestyleConversation => (port ??= new FreestyleConversation(ctx));
  let info: ColqInfo | undefined;
  /** Workstation time when `info` was read, so the skew compares the two clocks at one instant. */
  let infoAt = 0;

  const colq = async (signal: AbortSignal): Promise<ColqInfo> => {
    const decoded = decodeColq(await portOf().command(COMMANDS.identify, signal));
    if (!decoded.ok) throw new HubError('PROTOCOL_UNEXPECTED', `The meter's answer to $colq could not be read (${decoded.reason}).`);
    infoAt = ctx.clock.now();
    return decoded.value;
  };
  const device = (): DeviceIdentity => (info ? { ...DEVICE, serial: info.serial, ...(info.version ? { firmware: info.version } : {}) } : { ...DEVICE });

  return {
    async probe(signal) {
      try {
        info = await colq(signal);
        return true;
      } catch (e) {
        if (e instanceof CancelledError) throw e;
        return false;
      }
    },

    async open(signal) {
      info = await colq(signal);
    },

    async identify() {
      return device();
    },

    async acquire(signal) {
      // open read $colq moments ago; a session that skipped it asks now.
      info ??= await colq(signal);
      const skewMs = meterClockSkewMs(localToEpochMs(info.deviceTime), infoAt);
      ctx.emit({ type: 'device-clock', deviceTime: info.deviceTime, skewMs, canSet: true });
      const mmol = /MMOL/i.test(info.unitText);
      const dump = await portOf().readDump(COMMANDS.memory, signal, (header) => {
        if (info && header.serial !== info.serial) portOf().problem('PROTOCOL_UNEXPECTED', `the memory names serial ${header.serial}, $colq said ${info.serial}; readings keep ${info.serial}`);
      });
      emitDumpReadings(ctx, portOf(), dump, device(), skewMs, mmol);
    },

    async setClock(requestedMs, signal) {
      await portOf().command(timCommand(requestedMs), signal);
    },

    async close() {
      port?.dispose();
    },
  };
}

/** Abbott FreeStyle Optium / Precision Xtra: `$colq` and the `$xmem` memory dump (PROTOCOL.md). */
export const abbottFreestyleOptiumDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
