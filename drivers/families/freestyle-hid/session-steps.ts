import { HubError } from '../../../shared/errors.ts';
import { localToEpochMs } from '../../../shared/time.ts';
import type { DriverContext, DriverSession } from '../../kit/index.ts';
import { meterClock } from './clock.ts';
import type { CommandReply, Conversation } from './conversation.ts';

/** The meter said `CMD Fail!` to a command we cannot do without. */
export function requireOk(reply: CommandReply, command: string): CommandReply {
  if (reply.status === 'OK') return reply;
  throw new HubError('DEVICE_ERROR', `the meter refused ${command} (CMD Fail!${reply.message ? `: ${reply.message.trim()}` : ''})`);
}

/** What reading the meter clock found: its skew from the workstation, or that it is lost. */
export interface MeterClockRead {
  skewMs?: number;
  lost: boolean;
}

/**
 * Read the meter clock (`$date?`, `$time?`: abbott-freestyle-neo/PROTOCOL.md §4), before the
 * records as docs/adding-a-driver.md §2 asks, and say it (`device-clock`) or say why record
 * times stay uncorrected (a `problem`). The day may turn between the two questions: at 00:00 the
 * first date is yesterday's, so the date is asked again.
 */
export async function readMeterClock(ctx: DriverContext, channel: Conversation, signal: AbortSignal): Promise<MeterClockRead> {
  let date = requireOk(await channel.command('$date?', signal), '$date?').message;
  const time = requireOk(await channel.command('$time?', signal), '$time?').message;
  if (/^0{1,3},0{1,3}\r\n$/.test(time)) date = requireOk(await channel.command('$date?', signal), '$date?').message;
  const clock = meterClock(date, time);
  const local = clock?.time.local;
  if (local === undefined) {
    const shown = `${date.trim()} ${time.trim()}`;
    const why = clock?.lost ? `the meter clock is not set (it reads ${shown})` : `the meter clock reads "${shown}", which is no date and time`;
    ctx.emit({ type: 'problem', code: 'DEVICE_ERROR', message: `${why}: record times are kept as stored, without correction; set the meter clock` });
    return { lost: true };
  }
  const skewMs = ctx.clock.now() - localToEpochMs(local);
  ctx.emit({ type: 'device-clock', deviceTime: local, skewMs, canSet: true });
  return { skewMs, lost: false };
}

/** A session's `probe` (one INIT try) and `open` (INIT (01) answered, or a clear DEVICE_NO_RESPONSE). */
export function initSteps(channel: Conversation): Pick<DriverSession, 'probe' | 'open'> {
  return {
    async probe(signal) {
      return channel.init(signal, 1);
    },
    async open(signal) {
      if (!(await channel.init(signal))) {
        throw new HubError('DEVICE_NO_RESPONSE', 'the meter did not answer INIT (01): is it switched on and connected with a data cable?');
      }
    },
  };
}

/** The `$date,M,D,YY` and `$time,H,M` commands that set the meter to `epochMs` (workstation local time, as the meter keeps it). */
export function setClockCommands(epochMs: number): string[] {
  const t = new Date(epochMs);
  const year2 = t.getFullYear() - 2000;
  if (year2 < 0 || year2 > 99) throw new HubError('INPUT_INVALID', `the meter keeps two-digit years (2000–2099); cannot set ${t.getFullYear()}`);
  return [`$date,${t.getMonth() + 1},${t.getDate()},${year2}`, `$time,${t.getHours()},${t.getMinutes()}`];
}
