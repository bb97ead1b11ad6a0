import type { DeviceIdentity } from '../../../shared/reading.ts';
import { type Driver, type DriverContext, type DriverSession, fromLatin1 } from '../../kit/index.ts';
import { singleLine } from '../../families/freestyle-hid/clock.ts';
import { Conversation } from '../../families/freestyle-hid/conversation.ts';
import { initSteps, readMeterClock, requireOk, setClockCommands, type MeterClockRead } from '../../families/freestyle-hid/session-steps.ts';
import { parseMultiRecord } from './protocol.ts';
import { traceAnnotator } from './trace.ts';
import { decodeInsulinxRecord } from './decode.ts';
import { decodeProbe } from './decode-probe.ts';
import { manifest } from './manifest.ts';
import { normalizeInsulinx } from './normalize.ts';
import { simulator } from './simulator.ts';
import { storedResultDraft } from '../../families/glucose/stored-draft.ts';

const MODEL = 'FreeStyle InsuLinx';
/** Flags of this driver (docs/trace-format.md §2: plain words), as the Neo driver names them. */
const FLAGS = { clockUnset: 'meter-clock-unset', timeInvalid: 'time-invalid' } as const;

/**
 * A download session with a FreeStyle InsuLinx (PROTOCOL.md): INIT; serial and version; meter
 * clock; `$result?` in one multi-record reply, checked whole (CKSM, count and inner sum) before
 * any reading is made, so a broken transfer never yields a partial download.
 */
export function createSession(ctx: DriverContext): DriverSession {
  const channel = new Conversation(ctx);
  let device: DeviceIdentity = { manufacturer: 'Abbott', model: MODEL };

  const readRecords = async (signal: AbortSignal, clock: MeterClockRead): Promise<void> => {
    ctx.emit({ type: 'progress', done: 0 });
    const reply = requireOk(await channel.command('$result?', signal, { check: parseMultiRecord }), '$result?');
    const parsed = parseMultiRecord(reply.message);
    const lines = parsed.ok ? parsed.lines : [];
    const others = new Map<string, number>();
    for (const line of lines) {
      const decoded = decodeInsulinxRecord(line.text);
      if (!decoded.ok) {
        ctx.emit({ type: 'problem', code: 'PROTOCOL_UNEXPECTED', message: `record "${line.text.slice(0, 80)}" skipped: ${decoded.reason}`, raw: fromLatin1(line.text) });
        continue;
      }
      const record = decoded.record;
      if (record.kind === 'other') {
        others.set(record.recordType, (others.get(record.recordType) ?? 0) + 1);
        continue;
      }
      const n = normalizeInsulinx(record);
      // The record id keeps a second download from importing the same result again.
      const stored = { device, kind: 'patient' as const, observations: n.observations, flags: n.flags, localTime: record.time.local, clock, context: { sequence: record.id }, raw: reply.reportsFor(line.start, line.end) };
      ctx.emit({ type: 'reading', draft: storedResultDraft(stored, FLAGS) });
    }
    if (others.size > 0) {
      const list = [...others].map(([type, count]) => `${count} of type ${type}`).join(', ');
      // Insulin, carbohydrate and other log entries are not measurements; their layouts are not known.
      ctx.emit({ type: 'problem', code: 'PROTOCOL_UNEXPECTED', message: `records that are not blood-glucose results were not imported (${list})` });
    }
    ctx.emit({ type: 'progress', done: lines.length, total: lines.length });
  };

  return {
    ...initSteps(channel),
    async identify(signal) {
      const serial = singleLine(requireOk(await channel.command('$serlnum?', signal), '$serlnum?').message);
      const version = await channel.command('$swver?', signal);
      const firmware = version.status === 'OK' ? singleLine(version.message) : undefined;
      device = { manufacturer: 'Abbott', model: MODEL, ...(serial ? { serial } : {}), ...(firmware ? { firmware } : {}) };
      return { ...device };
    },
    async acquire(signal) {
      const clock = await readMeterClock(ctx, channel, signal);
      await readRecords(signal, clock);
    },
    async setClock(epochMs, signal) {
      for (const command of setClockCommands(epochMs)) {
        requireOk(await channel.command(command, signal), command);
      }
    },
    async close() {
      channel.dispose();
    },
  };
}

/** Abbott FreeStyle InsuLinx over the FreeStyle HID link (PROTOCOL.md). */
export const abbottFreestyleInsulinxDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
