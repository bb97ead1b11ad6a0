import { CancelledError, HubError, isHubError } from '../../../shared/errors.ts';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import { localToEpochMs } from '../../../shared/time.ts';
import type { Driver, DriverContext, DriverSession } from '../../kit/index.ts';
import { ATTEMPTS, Conversation } from './conversation.ts';
import { decodeDataPacket, decodeIdPacket, isClinitek50, type IdPacket } from './decode.ts';
import { decodeProbe } from './decode-probe.ts';
import { manifest } from './manifest.ts';
import { CLINITEK_50, identityOf, normalizeRecord } from './normalize.ts';
import { ACK, DC2, DC3, ENQ, NAK, parsePacket, type Reply, XON } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';

/** What goes out next: bytes, and whether earlier replies are forgotten first (Conversation.exchange). */
interface Outgoing {
  bytes: Uint8Array;
  fresh: boolean;
}

/** A packet that failed: the problem code and why, for the message. */
type Rejection = { code: 'PROTOCOL_CHECKSUM' | 'PROTOCOL_GARBAGE'; why: string };

function rejection(reply: Reply): { rejected: Rejection } | { lines: string[] } {
  const parsed = parsePacket(reply.raw);
  if (!parsed.ok) return { rejected: { code: 'PROTOCOL_GARBAGE', why: parsed.reason } };
  const { packet } = parsed;
  if (!packet.checksumOk) return { rejected: { code: 'PROTOCOL_CHECKSUM', why: `checksum ${packet.got}, the bytes sum to ${packet.expected}` } };
  return { lines: packet.lines };
}

/**
 * One download from a Clinitek 50 (PROTOCOL.md §3): open sends ENQ and reads the ID packet
 * (model, software, clock, language/units profile, strip type); acquire requests one stored
 * result after another (XON + DC2, or DC3 when DC2 gets no answer), makes a reading of each good
 * packet before ACKing it, NAKs a damaged one up to ATTEMPTS − 1 times and then skips it, and
 * ends when the device answers NAK (no more data).
 */
export function createSession(ctx: DriverContext): DriverSession {
  let conversation: Conversation | undefined;
  let id: IdPacket | undefined;
  const talk = (): Conversation => (conversation ??= new Conversation(ctx));

  /** ENQ until a good ID packet arrives, at most `attempts` times. */
  const readId = async (signal: AbortSignal, attempts: number): Promise<IdPacket | undefined> => {
    const c = talk();
    for (let attempt = 1; attempt <= attempts && !c.over(signal); attempt++) {
      const reply = await c.exchange(Uint8Array.of(ENQ), signal);
      if (reply === undefined) continue;
      if (reply.kind === 'nak') {
        c.problem('PROTOCOL_UNEXPECTED', 'the Clinitek 50 answered ENQ with NAK instead of its ID packet');
        continue;
      }
      const checked = rejection(reply);
      if ('rejected' in checked) {
        c.problem(checked.rejected.code, `Clinitek 50 ID packet rejected (${checked.rejected.why})`, reply.raw);
        continue;
      }
      const decoded = decodeIdPacket(checked.lines);
      if (!decoded.ok) {
        c.problem('PROTOCOL_GARBAGE', `Clinitek 50 ID packet not understood (${decoded.reason})`, reply.raw);
        continue;
      }
      if (!isClinitek50(decoded.value)) {
        throw new HubError('DEVICE_ERROR', `the device identifies as product ${decoded.value.product}, not a Clinitek 50 (6510): choose the right driver for it`);
      }
      return decoded.value;
    }
    return undefined;
  };

  const download = async (known: IdPacket, signal: AbortSignal): Promise<void> => {
    const c = talk();
    const skewMs = ctx.clock.now() - localToEpochMs(known.deviceTime);
    ctx.emit({ type: 'device-clock', deviceTime: known.deviceTime, skewMs, canSet: false });
    const device: DeviceIdentity = identityOf(known);
    let request = DC2;
    let answered = false;
    let attempts = 0;
    let done = 0;
    const ask = (): Outgoing => ({ bytes: Uint8Array.of(XON, request), fresh: true });
    let next = ask();
    ctx.emit({ type: 'progress', done });
    while (!c.over(signal)) {
      const reply = await c.exchange(next.bytes, signal, next.fresh);
      if (signal.aborted || (reply === undefined && c.over(signal))) break;
      if (reply === undefined) {
        // PROTOCOL.md §3: the vendor's table is said to swap DC2 and DC3. A device that never
        // answered DC2 gets DC3 once before anything counts as a failed try.
        if (!answered && request === DC2) {
          request = DC3;
          next = ask();
          continue;
        }
        if (++attempts >= ATTEMPTS) {
          c.problem('DEVICE_NO_RESPONSE', `the Clinitek 50 stopped answering the data request (${ATTEMPTS} tries); download ended after ${done} record(s)`);
          return;
        }
        next = ask();
        continue;
      }
      answered = true;
      if (reply.kind === 'nak') {
        ctx.emit({ type: 'progress', done, total: done });
        return;
      }
      const checked = rejection(reply);
      if ('rejected' in checked) {
        const { code, why } = checked.rejected;
        if (++attempts < ATTEMPTS) {
          c.problem(code, `Clinitek 50 packet rejected (${why}); NAK sent, resend ${attempts} of ${ATTEMPTS - 1}`, reply.raw);
          next = { bytes: Uint8Array.of(NAK), fresh: false };
          continue;
        }
        c.problem(code, `Clinitek 50 record skipped: its packet failed ${ATTEMPTS} times (${why}); ACK sent to move on`, reply.raw);
        attempts = 0;
        if (!(await c.send(Uint8Array.of(ACK)))) break;
        next = ask();
        continue;
      }
      attempts = 0;
      const decoded = decodeDataPacket(checked.lines);
      if (!decoded.ok || !isClinitek50(decoded.value)) {
        const why = decoded.ok ? `product ${decoded.value.product}, not 6510` : decoded.reason;
        c.problem('PROTOCOL_GARBAGE', `Clinitek 50 data packet not understood (${why}); skipped`, reply.raw);
      } else {
        const record = decoded.value;
        const { observations, flags, context } = normalizeRecord(record, known);
        // Made (and so stored) before the ACK that lets the device move on (docs/adding-a-driver.md §4 rule 5).
        ctx.emit({
          type: 'reading',
          draft: { device, kind: 'patient', deviceTime: record.deviceTime, timeBasis: 'stored', deviceClockSkewMs: skewMs, observations, flags, context, raw: [reply.raw] },
        });
        ctx.emit({ type: 'progress', done: ++done });
      }
      if (!(await c.send(Uint8Array.of(ACK)))) break;
      next = ask();
    }
    if (!signal.aborted && c.endError) throw c.endError;
  };

  return {
    async probe(signal) {
      try {
        return (await readId(signal, 1)) !== undefined;
      } catch (e) {
        if (e instanceof CancelledError) throw e;
        if (isHubError(e)) return false;
        throw e;
      }
    },
    async open(signal) {
      id = await readId(signal, ATTEMPTS);
      if (id !== undefined || signal.aborted) return;
      const ended = conversation?.endError;
      if (ended) throw ended;
      throw new HubError('DEVICE_NO_RESPONSE', `the Clinitek 50 did not identify itself after ${ATTEMPTS} ENQs: is it at its main screen, and is the cable right?`);
    },
    async identify() {
      return id ? identityOf(id) : { ...CLINITEK_50 };
    },
    async acquire(signal) {
      if (id === undefined) return;
      await download(id, signal);
    },
    async close() {
      conversation?.dispose();
    },
  };
}

/** Siemens Clinitek 50: stored strip results polled over RS-232 (PROTOCOL.md). */
export const siemensClinitek50Driver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
