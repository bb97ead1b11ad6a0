import { HubError } from '../../../shared/errors.ts';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import { localToEpochMs } from '../../../shared/time.ts';
import type { Driver, DriverContext, DriverSession } from '../../kit/index.ts';
import { ATTEMPTS, Conversation } from './conversation.ts';
import { decodeClock, decodeCount, decodeHeader, decodeRecord, type PrimeRecord } from './decode.ts';
import { decodeProbe } from './decode-probe.ts';
import { manifest } from './manifest.ts';
import { PRIME_FLAGS, normalizeRecord } from './normalize.ts';
import { CONTROL, e1381Sum, type MeterToken } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';
import { storedResultDraft } from '../../families/glucose/stored-draft.ts';

const MANUFACTURER = 'Arkray';
/** Each of the probe's two waits: both fit the manifest's probeMs (4 s). */
const PROBE_REPLY_MS = 1_800;
const isControl = (t: MeterToken | undefined, byte: number): boolean => t?.kind === 'control' && t.byte === byte;

/**
 * A record line's checksum holds under the E1381 span (after STX through ETB), or under the notes'
 * reading of Tidepool: `D|` + the text after the line's first `|`, through ETB (PROTOCOL.md §4).
 * The two agree when the meter's own prefix is `D|`.
 */
function recordChecksumHolds(t: MeterToken & { kind: 'line' }): boolean {
  if (t.checksum !== 'bad') return true; // good, or a line without ETB/CC (nothing to check)
  const bar = t.content.indexOf('|');
  return t.stated !== undefined && bar >= 0 && t.stated === e1381Sum(`D|${t.content.slice(bar + 1)}\x17`);
}

/**
 * A download session with a ReliOn Prime or GLUCOCARD Vital (PROTOCOL.md §3): header, remote
 * command mode, clock, count, then each record by index; all records are read and checked before
 * any reading is made.
 */
export function createSession(ctx: DriverContext): DriverSession {
  const channel = new Conversation(ctx);
  let device: DeviceIdentity = { manufacturer: MANUFACTURER, model: 'ReliOn Prime / GLUCOCARD Vital' };

  /** 0x92 → EOT (a patient line before it is skipped), ENQ → ACK; up to 3 tries. */
  const enterRemote = async (signal: AbortSignal): Promise<void> => {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      let t = await channel.exchange(CONTROL.remote, signal);
      while (t?.kind === 'line') t = await channel.next(signal);
      if (!isControl(t, CONTROL.eot)) continue;
      if (isControl(await channel.exchange(CONTROL.enq, signal), CONTROL.ack)) return;
    }
    throw new HubError('DEVICE_NO_RESPONSE', 'the meter did not enter remote command mode (0x92 → EOT, ENQ → ACK)');
  };

  /**
   * After a NAK the meter has left remote command mode; the host re-enters with ACK, ACK, 0x92,
   * ENQ (PROTOCOL.md §3). A meter that answers the first ACK with ENQ sends its header after the
   * second; one that sent the header at once gets the second ACK unanswered, as an acknowledgement.
   * Header lines that arrive meanwhile are skipped by enterRemote, which sends 0x92 again when no
   * EOT follows (the notes' "0x92 twice if the reply was long").
   */
  const reenterAfterNak = async (signal: AbortSignal): Promise<void> => {
    const first = await channel.exchange(CONTROL.ack, signal);
    if (isControl(first, CONTROL.enq)) await channel.exchange(CONTROL.ack, signal);
    else await channel.send(CONTROL.ack);
    await enterRemote(signal);
  };

  /** Send the tokens, each answered before the next; the last one's answer is returned. */
  const ask = async (tokens: readonly string[], signal: AbortSignal): Promise<MeterToken | undefined> => {
    let reply: MeterToken | undefined;
    for (const token of tokens) {
      reply = await channel.exchange(token, signal);
      if (reply === undefined) return undefined;
    }
    return reply;
  };

  const askLine = async (tokens: readonly string[], prefix: string, signal: AbortSignal): Promise<string | undefined> => {
    const reply = await ask(tokens, signal);
    return reply?.kind === 'line' && reply.content.startsWith(prefix) ? reply.content : undefined;
  };

  const readClock = async (signal: AbortSignal): Promise<{ skewMs?: number; lost: boolean }> => {
    const time = await askLine(['R|', 'T|'], 'T|', signal);
    const date = await askLine(['R|', 'D|'], 'D|', signal);
    const clock = time && date ? decodeClock(time, date) : undefined;
    if (clock?.local === undefined) {
      ctx.emit({ type: 'problem', code: 'PROTOCOL_UNEXPECTED', message: `the meter clock could not be read (${time ?? '-'} ${date ?? '-'}): record times are kept as stored; set the meter clock` });
      return { lost: true };
    }
    const skewMs = ctx.clock.now() - localToEpochMs(clock.local);
    ctx.emit({ type: 'device-clock', deviceTime: clock.local, skewMs, canSet: true });
    return { skewMs, lost: false };
  };

  /** Record `index`: read, or undefined when the meter has none there (NAK); throws after ATTEMPTS damaged replies. */
  const readRecord = async (index: number, signal: AbortSignal): Promise<{ record: PrimeRecord; raw: Uint8Array } | undefined> => {
    const token = `${index.toString(16).toUpperCase().padStart(3, '0')}|`;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const reply = await ask(['R|', 'N|', token], signal);
      if (isControl(reply, CONTROL.nak)) {
        await reenterAfterNak(signal);
        return undefined;
      }
      if (reply?.kind !== 'line') continue;
      if (!recordChecksumHolds(reply)) {
        ctx.emit({ type: 'problem', code: 'PROTOCOL_CHECKSUM', message: `record ${index}: checksum ${reply.stated?.toString(16) ?? '?'} does not match; asking again`, raw: reply.raw });
        continue;
      }
      const decoded = decodeRecord(reply.content);
      if (decoded.ok) return { record: decoded.record, raw: reply.raw };
      ctx.emit({ type: 'problem', code: 'PROTOCOL_UNEXPECTED', message: `record ${index}: ${decoded.reason}`, raw: reply.raw });
    }
    throw new HubError(channel.lastProblem ?? 'PROTOCOL_CHECKSUM', `record ${index} did not arrive whole (${ATTEMPTS} attempts)`);
  };

  return {
    async probe(signal) {
      // The notes' example meter answers the EOT with nothing and the ACK after it with ENQ or the
      // header; others answer the EOT with ENQ (PROTOCOL.md §3). Either way it is this meter.
      const t = await channel.exchange(CONTROL.eot, signal, PROBE_REPLY_MS);
      if (isControl(t, CONTROL.enq)) return true;
      if (t !== undefined) return false;
      const after = await channel.exchange(CONTROL.ack, signal, PROBE_REPLY_MS);
      return isControl(after, CONTROL.enq) || (after?.kind === 'line' && /^\dH\|/.test(after.content));
    },
    async open(signal) {
      // Header (PROTOCOL.md §3): EOT, ACK (again after an ENQ), then the framed header line.
      for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
        await channel.exchange(CONTROL.eot, signal);
        let t = await channel.exchange(CONTROL.ack, signal);
        while (isControl(t, CONTROL.enq)) t = await channel.exchange(CONTROL.ack, signal);
        if (t?.kind === 'line' && t.checksum === 'bad') ctx.emit({ type: 'problem', code: 'PROTOCOL_CHECKSUM', message: 'the header line\'s checksum does not match', raw: t.raw });
        const header = t?.kind === 'line' && t.checksum === 'good' ? decodeHeader(t.content) : undefined;
        if (header) {
          device = { manufacturer: MANUFACTURER, model: header.model, ...(header.serial ? { serial: header.serial } : {}), ...(header.version ? { firmware: header.version } : {}) };
          await enterRemote(signal);
          return;
        }
      }
      throw new HubError('DEVICE_NO_RESPONSE', 'the meter sent no valid header: switch it off, plug the cable in (it turns on) and try again');
    },
    async identify() {
      return { ...device };
    },
    async acquire(signal) {
      const clock = await readClock(signal);
      const countLine = await askLine(['R|', 'M|'], 'M|', signal);
      const count = countLine ? decodeCount(countLine) : undefined;
      if (count === undefined) throw new HubError('DEVICE_NO_RESPONSE', `the meter did not give its record count (${countLine ?? 'no reply'})`);
      ctx.emit({ type: 'progress', done: 0, total: count });
      const records: { record: PrimeRecord; raw: Uint8Array }[] = [];
      for (let i = count - 1, done = 1; i >= 0; i--, done++) {
        const r = await readRecord(i, signal);
        if (r) records.push(r);
        ctx.emit({ type: 'progress', done, total: count });
      }
      for (const { record, raw } of records) {
        const n = normalizeRecord(record);
        const draft = storedResultDraft({ device, kind: n.kind, observations: n.observations, flags: n.flags, localTime: record.time.local, clock, raw: [raw] }, PRIME_FLAGS);
        ctx.emit({ type: 'reading', draft });
      }
    },
    async setClock(epochMs, signal) {
      const t = new Date(epochMs); // workstation local time, as the meter keeps it
      const two = (n: number): string => String(n).padStart(2, '0');
      const steps = [['W|', 'D|', `${two(t.getFullYear() % 100)}${two(t.getMonth() + 1)}${two(t.getDate())}|\r`], ['W|', 'T|', `${two(t.getHours())}${two(t.getMinutes())}|\r`]];
      for (const tokens of steps) {
        for (const token of tokens) {
          if (!isControl(await channel.exchange(token, signal), CONTROL.ack)) throw new HubError('DEVICE_ERROR', `the meter did not acknowledge ${JSON.stringify(token)} while setting its clock`);
        }
      }
    },
    async close() {
      channel.dispose();
    },
  };
}

/** Arkray ReliOn Prime / GLUCOCARD Vital over their serial cable (PROTOCOL.md). */
export const arkrayRelionPrimeDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
