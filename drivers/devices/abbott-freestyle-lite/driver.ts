import { CancelledError } from '../../../shared/errors.ts';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import { localToEpochMs } from '../../../shared/time.ts';
import type { Driver, DriverContext, DriverSession } from '../../kit/index.ts';
import { FIRST_LINE_MS, FreestyleConversation, LINE_GAP_MS } from '../../families/freestyle-serial/conversation.ts';
import { emitDumpReadings, timCommand } from '../../families/freestyle-serial/session.ts';
import { meterClockSkewMs } from '../../families/glucose/observations.ts';
import { decodeProbe } from './decode-probe.ts';
import { manifest } from './manifest.ts';
import { COMMANDS } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';

const DEVICE: DeviceIdentity = { manufacturer: 'Abbott', model: 'FreeStyle Lite' };

/**
 * One download from a FreeStyle Lite (PROTOCOL.md): the meter has no identity or clock command,
 * so `$mem` gives everything at once — serial, software version, clock, count, records — and
 * the clock is reported as soon as the header is in, before the first record.
 */
export function createSession(ctx: DriverContext): DriverSession {
  let port: FreestyleConversation | undefined;
  const portOf = (): FreestyleConversation => (port ??= new FreestyleConversation(ctx));

  return {
    async probe(signal) {
      // The only question the meter answers is `$mem`: an opening empty line then a serial-number
      // line say it is a FreeStyle, and so does an empty meter's `Log Empty`, which may come
      // without the header (PROTOCOL.md §4); the rest is dropped before the next command.
      try {
        await portOf().send(COMMANDS.memory, signal);
        let wait = FIRST_LINE_MS;
        for (let seen = 0; seen < 4; seen++) {
          const line = await portOf().next(signal, wait);
          if (!line) return false;
          wait = LINE_GAP_MS;
          const text = line.text.replace(/^\x03+/, '').trim();
          if (/^[A-Z0-9]{7}-[A-Z0-9]{5}$/.test(text) || /^Log Empty( END)?$/.test(text)) return true;
        }
        return false;
      } catch (e) {
        if (e instanceof CancelledError) throw e;
        return false;
      }
    },

    async open() {},

    async identify() {
      return { ...DEVICE };
    },

    async acquire(signal) {
      let device: DeviceIdentity = { ...DEVICE };
      let skewMs = 0;
      const dump = await portOf().readDump(COMMANDS.memory, signal, (header) => {
        device = { ...DEVICE, serial: header.serial, ...(header.version ? { firmware: header.version } : {}) };
        ctx.emit({ type: 'identity', device });
        skewMs = meterClockSkewMs(localToEpochMs(header.deviceTime), ctx.clock.now());
        ctx.emit({ type: 'device-clock', deviceTime: header.deviceTime, skewMs, canSet: true });
      });
      // An empty meter may answer `Log Empty END` in place of the header (PROTOCOL.md §4): an
      // empty memory, not bad input. Its clock goes unread, which no reading needs; reporting a
      // problem here would tell the user the cable or baud rate is wrong.
      emitDumpReadings(ctx, portOf(), dump, device, skewMs, false);
    },

    async setClock(requestedMs, signal) {
      await portOf().command(timCommand(requestedMs), signal);
    },

    async close() {
      port?.dispose();
    },
  };
}

/** Abbott FreeStyle Lite family: the `$mem` memory dump with its 16-bit sum (PROTOCOL.md). */
export const abbottFreestyleLiteDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
