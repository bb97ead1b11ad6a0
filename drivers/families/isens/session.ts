import { HubError, isHubError } from '../../../shared/errors.ts';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import { localToEpochMs } from '../../../shared/time.ts';
import type { DriverContext, DriverSession, Link } from '../../kit/index.ts';
import { IspcConversation } from './conversation.ts';
import { decodeClock, decodeCount, decodeGlue, decodeSerial } from './decode.ts';
import { normalizeRecord } from './normalize.ts';
import { CMD, GLUE_BLOCK, encodeFrame, encodeTime, glueRequest } from './protocol.ts';

/** A guard, not a model's memory size: a count above it is taken for a broken answer. */
export const MAX_RECORDS = 2000;
const PROBE_ATTEMPTS = 1;

/** What differs between the links an iSPc meter is read over. */
export interface IspcLinkSetup {
  /** The meter's byte stream (the session's Link itself on serial; a CP2110 unwrapping on HID). */
  bytes: () => Link;
  /** Make the link ready before the first byte (the CP2110's UART configuration). */
  prepare?: () => Promise<void>;
  /** Detach what `bytes` added; the session's Link belongs to the session runner. */
  release?: () => Promise<void>;
  identity: DeviceIdentity;
  responseTimeoutMs: number;
}

/**
 * One download (docs/adding-a-driver.md §2), any link: the ECHO probe (protocol 3 only), RSNB,
 * RTIM, NCOT, then GLUE in blocks of 27, newest first (drivers/devices/isens-caresens/PROTOCOL.md
 * §3–6). Control solution is a `control` reading; ketone results are mmol/L.
 */
export function createIspcSession(ctx: DriverContext, setup: IspcLinkSetup): DriverSession {
  let conversation: IspcConversation | undefined;
  let device: DeviceIdentity = { ...setup.identity };
  let opened = false;
  const problem = (message: string, raw?: Uint8Array): void => ctx.emit({ type: 'problem', code: 'PROTOCOL_UNEXPECTED', message: `i-SENS ${message}`, ...(raw ? { raw } : {}) });
  const meter = (): IspcConversation => (conversation ??= new IspcConversation(ctx, setup.bytes(), setup.responseTimeoutMs));
  /** The ECHO probe: protocol 3 goes on; 1 and 2 are refused; no answer is taken as 3, as Tidepool does on HID. */
  const handshake = async (signal: AbortSignal, attempts?: number): Promise<boolean> => {
    await setup.prepare?.();
    const echo = await meter().ping(signal, attempts);
    if (echo?.generation === 1) throw new HubError('DEVICE_ERROR', 'this is an older i-SENS meter (protocol 1), which this driver does not read');
    if (echo?.generation === 2) throw new HubError('DEVICE_ERROR', 'the meter announces iSPc protocol 2, which the specification says to ignore');
    if (echo?.generation === 'unknown') problem('the ECHO answer names no protocol; going on with protocol 3', echo.raw);
    return echo !== undefined;
  };

  return {
    async probe(signal) {
      try {
        return await handshake(signal, PROBE_ATTEMPTS);
      } catch (e) {
        if (signal.aborted || (isHubError(e) && e.code === 'CANCELLED')) throw e;
        return false;
      }
    },

    async open(signal) {
      if (opened) return;
      if (!(await handshake(signal))) problem('no answer to ECHO; going on with protocol 3');
      opened = true;
    },

    async identify(signal) {
      const serial = await meter().request('reading the serial number', encodeFrame(CMD.serial), decodeSerial, signal);
      device = { ...setup.identity, serial: serial.value };
      return { ...device };
    },

    async acquire(signal) {
      const m = meter();
      const clock = await m.request('reading the meter clock', encodeFrame(CMD.readClock), (f) => decodeClock(f), signal);
      const skewMs = ctx.clock.now() - localToEpochMs(clock.value.deviceTime);
      ctx.emit({ type: 'device-clock', deviceTime: clock.value.deviceTime, skewMs, canSet: true });

      const count = await m.request('reading the record count', encodeFrame(CMD.count), decodeCount, signal);
      let total = count.value;
      if (total > MAX_RECORDS) {
        problem(`the meter reports ${total} records, more than an i-SENS meter holds; reading the newest ${MAX_RECORDS}`);
        total = MAX_RECORDS;
      }
      ctx.emit({ type: 'progress', done: 0, total });
      for (let start = 1; start <= total; start += GLUE_BLOCK) {
        const asked = Math.min(GLUE_BLOCK, total - start + 1);
        const block = await m.request(`reading records ${start}–${start + asked - 1} of ${total}`, glueRequest(start, asked), (f) => decodeGlue(f, asked), signal);
        block.value.forEach((record, i) => {
          const at = `record ${start + i} of ${total}`;
          if (!record.time.ok) return problem(`${at} has no valid time (${record.time.reason}); not imported`, record.raw);
          const normalized = normalizeRecord(record.flags, record.value);
          if (!normalized.ok) return problem(`${at} is ${normalized.reason}; not imported`, record.raw);
          ctx.emit({
            type: 'reading',
            draft: { device: { ...device }, kind: normalized.kind, deviceTime: record.time.value.deviceTime, timeBasis: 'stored', deviceClockSkewMs: skewMs, observations: normalized.observations, flags: normalized.flags, raw: [record.raw] },
          });
        });
        ctx.emit({ type: 'progress', done: start + asked - 1, total });
      }
    },

    async setClock(epochMs, signal) {
      const t = new Date(epochMs);
      // The meter keeps local time: the workstation's local parts, as every driver sets it.
      const sent = { year: t.getFullYear(), month: t.getMonth() + 1, day: t.getDate(), hour: t.getHours(), minute: t.getMinutes(), second: t.getSeconds() };
      if (sent.year < 2000 || sent.year > 2255) throw new HubError('INPUT_INVALID', `the meter keeps years 2000–2255 (one byte); cannot set ${sent.year}`);
      const echo = await meter().request('setting the meter clock', encodeFrame(CMD.setClock, encodeTime(sent)), (f) => decodeClock(f, CMD.setClock), signal);
      const e = echo.value;
      if (e.year !== sent.year || e.month !== sent.month || e.day !== sent.day || e.hour !== sent.hour || e.minute !== sent.minute || e.second !== sent.second) {
        problem(`the meter echoed ${e.deviceTime} after it was set; check its date and time`);
      }
    },

    async close() {
      conversation?.dispose();
      await setup.release?.();
    },
  };
}
