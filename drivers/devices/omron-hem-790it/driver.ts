import { HubError } from '../../../shared/errors.ts';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import { type Driver, type DriverContext, type DriverSession, toHex } from '../../kit/index.ts';
import { Conversation, type Answer } from './conversation.ts';
import { decodeCount, decodeMeasurement, decodeVersion } from './decode.ts';
import { manifest } from './manifest.ts';
import { normalizeMeasurement } from './normalize.ts';
import { END_COMMAND, GDC_DATA_BYTES, GME_DATA_BYTES, VERSION_COMMAND, VER_DATA_BYTES, countCommand, readingCommand } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';
import { decodeProbe } from './decode-probe.ts';

/** What the wire says of the model: the version text names it, the family is all we can be sure of. */
const MODEL = 'HEM-790IT family';
/** Banks a GME/GDC command can name (PROTOCOL.md §4, INFERRED). */
const MAX_BANK = 2;

function bankOption(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_BANK) return value;
  throw new HubError('CONFIG_INVALID', `the HEM-790IT option bank must be a whole number from 0 to ${MAX_BANK}, not ${String(value)}`);
}

/**
 * A memory download from an Omron HEM-790IT-family monitor (PROTOCOL.md): device-info mode and
 * VER00 for the model; readings mode, GDC for the count and GME for each stored measurement,
 * every answer checked before any reading is made, so a broken transfer yields no partial
 * download; then END, which switches the monitor off.
 */
export function createSession(ctx: DriverContext): DriverSession {
  const bank = bankOption(ctx.options['bank'] ?? 0);
  const channel = new Conversation(ctx);
  let device: DeviceIdentity = { manufacturer: 'Omron', model: MODEL };

  const readAll = async (signal: AbortSignal): Promise<Answer[]> => {
    const counted = await channel.command('GDC', countCommand(bank), GDC_DATA_BYTES, signal);
    const total = decodeCount(counted.data) ?? 0;
    ctx.emit({ type: 'progress', done: 0, total });
    const answers: Answer[] = [];
    for (let index = 0; index < total; index++) {
      answers.push(await channel.command(`GME #${index}`, readingCommand(bank, index), GME_DATA_BYTES, signal));
      ctx.emit({ type: 'progress', done: index + 1, total });
    }
    return answers;
  };

  const emitReading = (answer: Answer, index: number): void => {
    const decoded = decodeMeasurement(answer.data);
    if (!decoded.ok) {
      ctx.emit({ type: 'problem', code: 'PROTOCOL_UNEXPECTED', message: `stored reading #${index} skipped: ${decoded.reason}`, raw: answer.data });
      return;
    }
    const record = decoded.record;
    const n = normalizeMeasurement(record);
    // Without a valid stored time, the stored time bytes keep the record's identity for the
    // fingerprint, so a second download still recognises it (the index shifts with every new reading).
    const context = record.deviceTime === undefined ? { context: { sequence: `stored-time-${toHex(Uint8Array.from(record.timeBytes)).replace(/ /g, '')}` } } : {};
    ctx.emit({
      type: 'reading',
      draft: {
        device: { ...device },
        kind: 'patient',
        ...(record.deviceTime !== undefined ? { deviceTime: record.deviceTime } : {}),
        timeBasis: 'stored',
        observations: n.observations,
        flags: n.flags,
        ...context,
        raw: answer.raw,
      },
    });
  };

  return {
    async probe(signal) {
      return channel.selectMode('deviceInfo', signal, 1);
    },
    async open(signal) {
      if (!(await channel.selectMode('deviceInfo', signal))) {
        throw new HubError('DEVICE_NO_RESPONSE', 'the monitor did not answer OK to the clearing block: is it connected with its USB cable, and not measuring?');
      }
    },
    async identify(signal) {
      const answer = await channel.command('VER00', VERSION_COMMAND, VER_DATA_BYTES, signal);
      const firmware = decodeVersion(answer.data);
      device = { manufacturer: 'Omron', model: MODEL, ...(firmware ? { firmware } : {}) };
      return { ...device };
    },
    async acquire(signal) {
      if (!(await channel.selectMode('readings', signal))) throw new HubError('DEVICE_NO_RESPONSE', 'the monitor did not switch to its readings mode (no OK to the clearing block)');
      const answers = await readAll(signal);
      // Memory index 0 is the newest: readings go out oldest first, as they were taken.
      for (let i = answers.length - 1; i >= 0; i--) emitReading(answers[i] as Answer, i);
      await channel.end(END_COMMAND, signal);
    },
    async close() {
      channel.dispose();
    },
  };
}

/** Omron HEM-790IT-family home blood-pressure monitors over USB HID (PROTOCOL.md). */
export const omronHem790itDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
