import { CancelledError, HubError, isHubError } from '../../../shared/errors.ts';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import { type Driver, type DriverContext, type DriverSession, FrameReader } from '../../kit/index.ts';
import { decodeCount, decodeRecord, isChallenge, type Decoded } from './decode.ts';
import { decodeProbe } from './decode-probe.ts';
import { OPEN_WAIT_MS, manifest } from './manifest.ts';
import { normalizeRecord } from './normalize.ts';
import { CodeFreeFramer, MESSAGE, encodePacket, type PacketItem } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';

const DEVICE: DeviceIdentity = { manufacturer: 'SD Biosensor', model: 'SD CodeFree' };
/** Wait for the count and for each record (no source gives one; a packet takes < 10 ms at 38400 baud). */
export const REPLY_TIMEOUT_MS = 2_000;
/** A guard: the meter holds 500 results (manual); a larger count is taken for a broken answer. */
export const MAX_RECORDS = 1000;

/**
 * One download (PROTOCOL.md §3): the meter speaks first when switched on (challenge), the host
 * answers start, the meter sends the count, then one record per fetch, newest first. Nothing is
 * asked twice: the notes say a wrong command locks the meter (E-5) and a second fetch would skip a
 * record, so a silence or a bad checksum ends the download with what was read so far.
 */
export function createSession(ctx: DriverContext): DriverSession {
  let reader: FrameReader<PacketItem> | undefined;
  const framer = new CodeFreeFramer();
  let challenged = false;
  const frames = (): FrameReader<PacketItem> =>
    (reader ??= new FrameReader(ctx, framer, { problem: (p) => ctx.emit({ type: 'problem', code: p.code, message: `SD CodeFree ${p.message}`, raw: p.raw }) }));

  /** The next good packet from the meter within `ms`, decoded; a checksum failure or a silence throws. */
  const expectMessage = async <T>(what: string, ms: number, decode: (m: Uint8Array) => Decoded<T>, signal: AbortSignal): Promise<{ value: T; raw: Uint8Array }> => {
    const item = await frames().next(signal, { clock: ctx.clock, ms });
    if (item === undefined) {
      if (signal.aborted) throw signal.reason instanceof HubError ? signal.reason : new CancelledError('SD CodeFree download cancelled');
      if (frames().ended) throw frames().endError ?? new HubError('TRANSPORT_CLOSED', `the link to the meter closed while waiting for ${what}`);
      // Half a packet and then silence: say so, it is what went wrong.
      const half = framer.pending();
      if (half.length > 0) ctx.emit({ type: 'problem', code: 'PROTOCOL_TRUNCATED', message: `SD CodeFree ${what} stopped after ${half.length} byte(s)`, raw: half });
      throw new HubError('DEVICE_NO_RESPONSE', `no ${what} within ${ms} ms`);
    }
    if (item.kind === 'corrupt') throw new HubError('PROTOCOL_CHECKSUM', `${what} failed its checksum; switch the meter off and on and download again`);
    const decoded = decode(item.packet.message);
    if (!decoded.ok) throw new HubError('PROTOCOL_UNEXPECTED', `${what}: ${decoded.reason}`);
    return { value: decoded.value, raw: item.packet.raw };
  };
  const awaitChallenge = async (signal: AbortSignal, ms: number): Promise<void> => {
    const deadline = ctx.clock.now() + ms;
    while (!challenged) {
      const left = deadline - ctx.clock.now();
      if (left <= 0) throw new HubError('DEVICE_NO_RESPONSE', 'the meter did not start the session: switch it on with the cable plugged in');
      const hello = await expectMessage('the meter’s greeting', left, (m) => (isChallenge(m) ? { ok: true, value: true } : { ok: false, reason: 'not the greeting' }), signal).catch((e: unknown) => {
        if (isHubError(e) && e.code === 'PROTOCOL_UNEXPECTED') return undefined;
        throw e;
      });
      if (hello) challenged = true;
    }
  };

  return {
    async probe(signal) {
      try {
        await awaitChallenge(signal, manifest.deadlines.probeMs - 500);
        return true;
      } catch (e) {
        if (signal.aborted || (isHubError(e) && e.code === 'CANCELLED')) throw e;
        return false;
      }
    },

    async open(signal) {
      await awaitChallenge(signal, OPEN_WAIT_MS);
    },

    // The protocol has no identity command (PROTOCOL.md §4).
    async identify() {
      return { ...DEVICE };
    },

    async acquire(signal) {
      await ctx.link.write(encodePacket(MESSAGE.start));
      const count = await expectMessage('the record count', REPLY_TIMEOUT_MS, decodeCount, signal);
      let total = count.value;
      if (total > MAX_RECORDS) {
        ctx.emit({ type: 'problem', code: 'PROTOCOL_UNEXPECTED', message: `SD CodeFree the meter reports ${total} records; reading the newest ${MAX_RECORDS}` });
        total = MAX_RECORDS;
      }
      ctx.emit({ type: 'progress', done: 0, total });
      for (let index = 0; index < total; index++) {
        await ctx.link.write(encodePacket(MESSAGE.fetch));
        const { value, raw } = await expectMessage(`record ${index + 1} of ${total}`, REPLY_TIMEOUT_MS, decodeRecord, signal);
        if (value.meal === 'none' && value.mealByte !== 0) {
          ctx.emit({ type: 'problem', code: 'PROTOCOL_UNEXPECTED', message: `SD CodeFree record ${index + 1} has meal byte 0x${value.mealByte.toString(16).padStart(2, '0')} (00, 10 or 20 expected); no meal flag`, raw });
        }
        const { observations, flags } = normalizeRecord(value);
        ctx.emit({ type: 'reading', draft: { device: { ...DEVICE }, kind: 'patient', deviceTime: value.deviceTime, timeBasis: 'stored', observations, flags, raw: [raw] } });
        ctx.emit({ type: 'progress', done: index + 1, total });
      }
    },

    async close() {
      reader?.dispose();
    },
  };
}

/** SD Biosensor SD CodeFree: the meter starts the session; XOR-checked packets over a CP210x cable (PROTOCOL.md). */
export const sdCodefreeDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
