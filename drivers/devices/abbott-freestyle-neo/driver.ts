import { HubError } from '../../../shared/errors.ts';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import { type Driver, type DriverContext, type DriverSession, fromLatin1 } from '../../kit/index.ts';
import { Conversation, type CommandReply } from './conversation.ts';
import { initSteps, readMeterClock, requireOk, setClockCommands, type MeterClockRead } from '../../families/freestyle-hid/session-steps.ts';
import { decodeLibreRecord, decodeNeoRecord, parseDbRecordCount, parseUnitSetting, singleLine, type MeterTime } from './decode.ts';
import { METER_CHOICES, manifest, type MeterChoice } from './manifest.ts';
import { FREESTYLE_FLAGS, normalizeLibre, normalizeNeo, type FreestyleNeoNormalizedRecord } from './normalize.ts';
import { parseMultiRecord, type RecordLine } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';
import { decodeProbe } from './decode-probe.ts';
import { storedResultDraft } from '../../families/glucose/stored-draft.ts';

/** What the wire cannot tell apart: Precision and Optium Neo share one protocol (PROTOCOL.md §1, §5). */
const MODELS = { neo: 'FreeStyle Precision Neo / Optium Neo', libre: 'FreeStyle Libre reader' } as const;
/** The two record dialects this driver speaks. */
type MeterFamily = keyof typeof MODELS;

/** The commands of each family (PROTOCOL.md §4–6). */
const COMMANDS = {
  neo: { serial: '$serlnum?', unit: '$gunits?', records: '$result?' },
  libre: { serial: '$sn?', unit: '$uom?', records: '$arresult?' },
} as const;
/** Lines with at least this many commas are records (the `count,checksum` trailer has one). */
const RECORD_MIN_COMMAS = 2;

function meterOption(value: unknown): MeterChoice {
  if ((METER_CHOICES as readonly unknown[]).includes(value)) return value as MeterChoice;
  throw new HubError('CONFIG_INVALID', `the FreeStyle option meter must be 'auto', 'neo' or 'libre', not '${String(value)}'`);
}

/**
 * Counts record lines of a reply as its reports arrive, for progress before the meter's count
 * is known; a new attempt starts the count again.
 */
function recordLineCounter(): (chunk: string, attempt: number) => number {
  let attemptSeen = 0;
  let lines = 0;
  let commas = 0;
  return (chunk, attempt) => {
    if (attempt !== attemptSeen) [attemptSeen, lines, commas] = [attempt, 0, 0];
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 0x2c) commas++;
      else if (c === 0x0a) {
        if (commas >= RECORD_MIN_COMMAS) lines++;
        commas = 0;
      }
    }
    return lines;
  };
}

/**
 * A download session with a FreeStyle Precision/Optium Neo or Libre (1) reader (PROTOCOL.md):
 * INIT; serial and version; meter clock; unit; the records in one multi-record reply, checked
 * whole before any reading is made, so a broken transfer never yields a partial download.
 */
export function createSession(ctx: DriverContext): DriverSession {
  const choice = meterOption(ctx.options['meter'] ?? 'auto');
  const channel = new Conversation(ctx);
  let family: MeterFamily = choice === 'libre' ? 'libre' : 'neo';
  let device: DeviceIdentity = { manufacturer: 'Abbott', model: MODELS[family] };

  const optional = async (command: string, signal: AbortSignal): Promise<string | undefined> => {
    const reply = await channel.command(command, signal);
    if (reply.status === 'OK') return reply.message;
    ctx.emit({ type: 'problem', code: 'DEVICE_ERROR', message: `the meter refused ${command} (CMD Fail!): carrying on without it` });
    return undefined;
  };

  const readRecords = async (signal: AbortSignal): Promise<{ reply: CommandReply; lines: RecordLine[] }> => {
    const command = COMMANDS[family].records;
    let shown = 0;
    ctx.emit({ type: 'progress', done: 0 });
    const count = recordLineCounter();
    const onText = (chunk: string, attempt: number): void => {
      const done = count(chunk, attempt);
      if (done > shown) ctx.emit({ type: 'progress', done: (shown = done) });
    };
    // The inner checksum and count are checked inside the retry loop: a failure re-sends the command.
    const reply = requireOk(await channel.command(command, signal, { check: parseMultiRecord, onText }), command);
    const parsed = parseMultiRecord(reply.message);
    const lines = parsed.ok ? parsed.lines : [];
    ctx.emit({ type: 'progress', done: Math.max(shown, lines.length), total: Math.max(shown, lines.length) });
    return { reply, lines };
  };

  const emitRecords = (reply: CommandReply, lines: readonly RecordLine[], clock: MeterClockRead, unit: 'mg/dL' | 'mmol/L' | undefined): void => {
    for (const line of lines) {
      const raw = reply.reportsFor(line.start, line.end);
      const decoded = family === 'neo' ? decodeNeoRecord(line.text) : decodeLibreRecord(line.text);
      if (!decoded.ok) {
        ctx.emit({ type: 'problem', code: 'PROTOCOL_UNEXPECTED', message: `record "${line.text.slice(0, 80)}" skipped: ${decoded.reason}`, raw: fromLatin1(line.text) });
        continue;
      }
      const record = decoded.record;
      if (record.kind === 'event') {
        // Insulin, meal, time-change and other events are not measurements: not imported.
        continue;
      }
      if (record.kind === 'reading' && record.errors !== 0) {
        ctx.emit({ type: 'problem', code: 'DEVICE_ERROR', message: `record ${record.id}: the reader marked this reading as an error (code 0x${record.errors.toString(16)}): not imported`, raw: fromLatin1(line.text) });
        continue;
      }
      const normalized: FreestyleNeoNormalizedRecord = record.kind === 'reading' ? normalizeLibre(record, unit) : normalizeNeo(record, unit);
      emitReading(normalized, record.time, family === 'neo' ? record.id : undefined, clock, raw);
    }
  };

  const emitReading = (n: FreestyleNeoNormalizedRecord, time: MeterTime, sequence: string | undefined, clock: MeterClockRead, raw: Uint8Array[]): void => {
    // The Neo's record id is stable for the record (PROTOCOL.md §5); the Libre's is not known to be.
    const context = sequence !== undefined ? { sequence } : undefined;
    const stored = { device, kind: n.kind, observations: n.observations, flags: n.flags, localTime: time.local, clock, ...(context ? { context } : {}), raw };
    ctx.emit({ type: 'reading', draft: storedResultDraft(stored, FREESTYLE_FLAGS) });
  };

  return {
    ...initSteps(channel),
    async identify(signal) {
      let serial: string | undefined;
      if (choice !== 'libre') {
        const reply = await channel.command(COMMANDS.neo.serial, signal);
        // A Libre reader refuses $serlnum? (PROTOCOL.md §4) and answers $sn? instead [inferred].
        if (reply.status === 'OK') serial = singleLine(reply.message);
        else if (choice === 'neo') requireOk(reply, COMMANDS.neo.serial);
        else family = 'libre';
      }
      if (family === 'libre') serial = singleLine(requireOk(await channel.command(COMMANDS.libre.serial, signal), COMMANDS.libre.serial).message);
      const version = await optional('$swver?', signal);
      const firmware = version === undefined ? undefined : singleLine(version);
      device = { manufacturer: 'Abbott', model: MODELS[family], ...(serial ? { serial } : {}), ...(firmware ? { firmware } : {}) };
      return { ...device };
    },
    async acquire(signal) {
      const clock = await readMeterClock(ctx, channel, signal);
      const unitMessage = await optional(COMMANDS[family].unit, signal);
      const unit = unitMessage === undefined ? undefined : parseUnitSetting(unitMessage);
      if (unitMessage !== undefined && unit === undefined) {
        ctx.emit({ type: 'problem', code: 'PROTOCOL_UNEXPECTED', message: `the unit setting "${unitMessage.trim()}" is not known: values are kept in mg/dL as the records carry them` });
      }
      if (family === 'libre') {
        const count = await optional('$dbrnum?', signal);
        // The automatic sensor history is not imported; the count is only checked to be understood.
        if (count !== undefined && parseDbRecordCount(count) === undefined) ctx.emit({ type: 'problem', code: 'PROTOCOL_UNEXPECTED', message: `the $dbrnum? reply "${count.trim()}" is not known` });
      }
      const { reply, lines } = await readRecords(signal);
      emitRecords(reply, lines, clock, unit);
    },
    async setClock(epochMs, signal) {
      for (const command of setClockCommands(epochMs)) {
        const reply = requireOk(await channel.command(command, signal), command);
        if (reply.message !== '') throw new HubError('DEVICE_ERROR', `the meter answered ${command} with "${reply.message.trim()}" instead of nothing`);
      }
    },
    async close() {
      channel.dispose();
    },
  };
}

/** Abbott FreeStyle Precision/Optium Neo and Libre (1) reader over the HID "shim" protocol (PROTOCOL.md). */
export const abbottFreestyleNeoDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
