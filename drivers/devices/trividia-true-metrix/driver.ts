import { HubError } from '../../../shared/errors.ts';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import { localToEpochMs } from '../../../shared/time.ts';
import { type Driver, type DriverContext, type DriverSession } from '../../kit/index.ts';
import { COMMAND_ATTEMPTS, Conversation } from './conversation.ts';
import { decodeClock, decodeDownloadCheck, decodeFirmware, decodeModel, decodeRecord, decodeSerial, downloadSum } from './decode.ts';
import { decodeProbe } from './decode-probe.ts';
import { manifest } from './manifest.ts';
import { TRUE_METRIX_FLAGS, normalizeRecord } from './normalize.ts';
import { COMMANDS, hex, type MeterMessage } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';
import { storedResultDraft } from '../../families/glucose/stored-draft.ts';

const MANUFACTURER = 'Trividia Health';

/** The meter clock as read at the start of acquire. */
interface ClockState {
  skewMs?: number;
  lost: boolean;
}

/**
 * A download session with a TRUE Metrix meter (PROTOCOL.md §3), in Tidepool's order: power off
 * and wake (open), model, serial and firmware (identify), clock and all results (acquire). The
 * `g5` records are checked whole against the `x` download sum before any reading is made, so a
 * broken transfer never yields a partial download.
 */
export function createSession(ctx: DriverContext): DriverSession {
  const channel = new Conversation(ctx);
  let device: DeviceIdentity = { manufacturer: MANUFACTURER, model: 'TRUE METRIX' };

  const readClock = async (signal: AbortSignal): Promise<ClockState> => {
    const reply = await channel.ask(COMMANDS.time, 't', signal);
    const clock = reply ? decodeClock(reply.payload) : undefined;
    if (clock?.local === undefined) {
      const why = reply ? `the meter clock reads "${reply.payload.slice(1)}", which is no date and time` : 'the meter did not tell its clock';
      ctx.emit({ type: 'problem', code: reply ? 'PROTOCOL_UNEXPECTED' : 'DEVICE_NO_RESPONSE', message: `${why}: record times are kept as stored, without correction; check the meter clock` });
      return { lost: true };
    }
    const skewMs = ctx.clock.now() - localToEpochMs(clock.local);
    // No clock-set command is known (PROTOCOL.md §3): the person is told, the meter is not touched.
    ctx.emit({ type: 'device-clock', deviceTime: clock.local, skewMs, canSet: false });
    return { skewMs, lost: false };
  };

  /** One `(G)` transfer: the records and whether the `x` sum matched; undefined when it broke off. */
  const transfer = async (signal: AbortSignal, shown: { done: number }): Promise<{ records: MeterMessage[]; checked: boolean } | undefined> => {
    channel.lastProblem = undefined;
    await channel.send(COMMANDS.results);
    const records: MeterMessage[] = [];
    for (;;) {
      const message = await channel.next(signal);
      if (message === undefined) return undefined;
      if (message.payload.startsWith('g5')) {
        records.push(message);
        if (records.length > shown.done) ctx.emit({ type: 'progress', done: (shown.done = records.length) });
        continue;
      }
      if (!message.payload.startsWith('x')) {
        channel.unexpected(message, COMMANDS.results);
        continue;
      }
      const check = decodeDownloadCheck(message.payload);
      const sum = downloadSum(records.map((r) => r.payload.slice(2)));
      if (check === undefined) {
        ctx.emit({ type: 'problem', code: 'PROTOCOL_GARBAGE', message: `the download check "${message.payload}" is not x<char><4 hex>`, raw: message.raw });
        return { records, checked: false };
      }
      if (check.sum !== sum || channel.lastProblem !== undefined) {
        const why = check.sum !== sum ? `the download sum ${hex(check.sum, 4)} does not match the ${records.length} records (sum ${hex(sum, 4)})` : `a message of the download was damaged (${channel.lastProblem})`;
        ctx.emit({ type: 'problem', code: 'PROTOCOL_CHECKSUM', message: why, raw: message.raw });
        return { records, checked: false };
      }
      return { records, checked: true };
    }
  };

  const download = async (signal: AbortSignal): Promise<MeterMessage[]> => {
    ctx.emit({ type: 'progress', done: 0 });
    const shown = { done: 0 };
    let why = 'the meter did not answer (G) with its results';
    for (let attempt = 1; attempt <= COMMAND_ATTEMPTS; attempt++) {
      const result = await transfer(signal, shown);
      if (result?.checked) {
        ctx.emit({ type: 'progress', done: Math.max(shown.done, result.records.length), total: Math.max(shown.done, result.records.length) });
        return result.records;
      }
      why = result ? 'the download did not pass its checks' : `the download broke off (${channel.lastProblem ?? 'silence'})`;
    }
    throw new HubError(channel.lastProblem === 'PROTOCOL_CHECKSUM' ? 'PROTOCOL_CHECKSUM' : 'DEVICE_NO_RESPONSE', `${why} (${COMMAND_ATTEMPTS} attempts)`);
  };

  const emitRecords = (messages: readonly MeterMessage[], clock: ClockState): void => {
    for (const message of messages) {
      const decoded = decodeRecord(message.payload);
      if (!decoded.ok) {
        ctx.emit({ type: 'problem', code: 'PROTOCOL_UNEXPECTED', message: `record "${message.payload.slice(0, 40)}" skipped: ${decoded.reason}`, raw: message.raw });
        continue;
      }
      const { record } = decoded;
      const n = normalizeRecord(record);
      const stored = { device, kind: n.kind, observations: n.observations, flags: n.flags, localTime: record.time.local, clock, context: { notes: [n.note] }, raw: [message.raw] };
      ctx.emit({ type: 'reading', draft: storedResultDraft(stored, TRUE_METRIX_FLAGS) });
    }
  };

  return {
    async probe(signal) {
      await channel.send(COMMANDS.wake);
      return (await channel.ask(COMMANDS.identify, 'i', signal, 1)) !== undefined;
    },
    async open() {
      // Tidepool's order (PROTOCOL.md §3): power off first (a Windows driver only connects on the
      // second attempt), then wake. Replies are recognised by type, so no 2 s drain is needed.
      await channel.send(COMMANDS.powerOff);
      await channel.send(COMMANDS.wake);
    },
    async identify(signal) {
      const model = await channel.ask(COMMANDS.identify, 'i', signal);
      if (!model) throw new HubError('DEVICE_NO_RESPONSE', 'the meter did not answer (I): is it in its cradle (or on its cable) and switched on?');
      const name = decodeModel(model.payload)?.name ?? 'TRUE METRIX';
      const serialReply = await channel.ask(COMMANDS.serial, 'z1', signal);
      const serial = serialReply ? decodeSerial(serialReply.payload) : undefined;
      // The firmware reply's type is not known for sure (PROTOCOL.md §3): one attempt, optional.
      const firmwareReply = await channel.ask(COMMANDS.firmware, 'v', signal, 1);
      const firmware = firmwareReply ? decodeFirmware(firmwareReply.payload) : undefined;
      device = { manufacturer: MANUFACTURER, model: name, ...(serial ? { serial } : {}), ...(firmware ? { firmware } : {}) };
      return { ...device };
    },
    async acquire(signal) {
      const clock = await readClock(signal);
      const records = await download(signal);
      emitRecords(records, clock);
    },
    async close() {
      // No goodbye: Tidepool's session has none the notes confirm (PROTOCOL.md §3); the meter
      // switches itself off, and the next session starts with `(_)` anyway.
      channel.dispose();
    },
  };
}

/** Trividia TRUE Metrix / Metrix Air / Metrix Go over their HID cradle or cable (PROTOCOL.md). */
export const trividiaTrueMetrixDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
