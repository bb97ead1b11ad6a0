import { HubError } from '../../../shared/errors.ts';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import {
  type DeviceCommandReply,
  describeBytes,
  type Driver,
  type DriverContext,
  type DriverSession,
  FrameReader,
  fromLatin1,
  latin1,
  type StabilitySample,
  StabilityWindow,
  type Timer,
} from '../../kit/index.ts';
import { decodeReply, type DinamapReply, type NibpReply, type RateReply, type Spo2Reply, type TempReply } from './decode.ts';
import { manifest } from './manifest.ts';
import { nibpObservations, oximetrySample, temperatureObservation } from './normalize.ts';
import { COMMANDS, type CommandId, createLineFramer, encodeMessage, POLLS, type Poll } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';
import { decodeProbe } from './decode-probe.ts';

/** The monitor has no identity query in the commands we know (PROTOCOL.md §4). */
const IDENTITY: DeviceIdentity = { manufacturer: 'GE Healthcare', model: 'DINAMAP' };
/** One poll cycle (NA, OA, RA, TC) per second, as every source does (PROTOCOL.md §4). */
export const POLL_PERIOD_MS = 1000;
/** How long a reply may take; 21 characters at 9600 baud are 22 ms, the rest is turnaround. */
export const REPLY_TIMEOUT_MS = 500;
/** SpO2 within ±1 %, pulse within ±3 /min over the window (docs/adding-a-driver.md §2). */
const TOLERANCES = { spo2: 1, pulse: 3 } as const;

interface Got<R> {
  reply: R;
  raw: Uint8Array;
}
type Cycle = { NA?: Got<NibpReply>; OA?: Got<Spo2Reply>; RA?: Got<RateReply>; TC?: Got<TempReply> };
interface Queued {
  id: CommandId;
  resolve(reply: DeviceCommandReply): void;
}

/**
 * A session with a DINAMAP monitor (continuous): the hub polls once a second and decides what
 * is new — an NIBP result whose "seconds since" went down, a temperature whose determination
 * counter changed, and SpO2/pulse by the stability rule. Commands go out between two polls.
 */
class DinamapSession implements DriverSession {
  private reader: FrameReader<Uint8Array> | undefined;
  private readonly window: StabilityWindow<Cycle>;
  private readonly autoCapture: boolean;
  private lastNa: NibpReply | undefined;
  private lastTc: TempReply | undefined;
  private newest: { cycle: Cycle; valid: boolean } | undefined;
  private queue: Queued[] = [];
  /** Acquire has ended: a command can no longer go out. */
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(private readonly ctx: DriverContext) {
    const seconds = typeof ctx.options['stabilityWindowSeconds'] === 'number' ? ctx.options['stabilityWindowSeconds'] : 10;
    this.autoCapture = ctx.options['autoCapture'] !== false;
    this.window = new StabilityWindow<Cycle>({ windowMs: seconds * 1000, tolerances: TOLERANCES });
  }

  async probe(signal: AbortSignal): Promise<boolean> {
    const line = await this.request('NA', signal);
    return line !== undefined && decodeReply('NA', line).ok;
  }

  async open(): Promise<void> {
    this.lines();
  }

  async identify(): Promise<DeviceIdentity> {
    return { ...IDENTITY };
  }

  async acquire(signal: AbortSignal): Promise<void> {
    try {
      while (!this.over(signal)) {
        const started = this.ctx.clock.now();
        const cycle: Cycle = {};
        for (const poll of POLLS) {
          await this.sendQueued(signal);
          if (this.over(signal)) return;
          const line = await this.request(poll, signal);
          if (line !== undefined) this.take(poll, line, cycle);
        }
        this.onCycle(cycle, started);
        await this.pause(started + POLL_PERIOD_MS - this.ctx.clock.now(), signal);
      }
    } finally {
      this.ended = true;
      for (const q of this.queue.splice(0)) q.resolve({ accepted: false, reply: 'the connection ended before the command was sent' });
    }
  }

  async close(): Promise<void> {
    this.wake?.();
    this.reader?.dispose();
  }

  capture(): boolean {
    const newest = this.newest;
    if (!newest?.valid) return false;
    this.window.disarm();
    this.emitOximetry(newest.cycle, [newest.cycle], 'manual-capture');
    return true;
  }

  command(id: string, _signal: AbortSignal): Promise<DeviceCommandReply> {
    if (!(id in COMMANDS)) {
      throw new HubError('INPUT_INVALID', `${manifest.id} has no command "${id}" (it has: ${Object.keys(COMMANDS).join(', ')})`);
    }
    if (this.ended) return Promise.resolve({ accepted: false, reply: 'the monitor is no longer connected' });
    return new Promise((resolve) => {
      this.queue.push({ id: id as CommandId, resolve });
      // Between two cycles the loop sleeps: wake it so the command goes out now.
      this.wake?.();
    });
  }

  private lines(): FrameReader<Uint8Array> {
    this.reader ??= new FrameReader(this.ctx, createLineFramer());
    return this.reader;
  }

  private over(signal: AbortSignal): boolean {
    return signal.aborted || this.ctx.link.closed || this.lines().ended;
  }

  /** Send one message and wait for one reply line; undefined on silence, end or abort. */
  private async request(body: string, signal: AbortSignal): Promise<Uint8Array | undefined> {
    const lines = this.lines();
    // A late answer to an earlier request must not be taken for this one's.
    lines.discard();
    try {
      await this.ctx.link.write(fromLatin1(encodeMessage(body)));
    } catch {
      return undefined;
    }
    return lines.next(signal, { clock: this.ctx.clock, ms: REPLY_TIMEOUT_MS });
  }

  private async sendQueued(signal: AbortSignal): Promise<void> {
    for (let q = this.queue.shift(); q !== undefined; q = this.queue.shift()) {
      const body = COMMANDS[q.id];
      const line = await this.request(body, signal);
      if (line === undefined) {
        q.resolve({ accepted: false, reply: `no answer from the monitor within ${REPLY_TIMEOUT_MS} ms` });
        continue;
      }
      const text = latin1(line);
      // Only the echo of the command's letters is known of the reply (PROTOCOL.md §5).
      const accepted = text.startsWith(` ${body.slice(0, 2)}`);
      q.resolve({ accepted, reply: describeBytes(line) });
    }
  }

  /** Decode one reply into the cycle, reporting what is wrong with it. */
  private take(poll: Poll, line: Uint8Array, cycle: Cycle): void {
    const decoded = decodeReply(poll, line);
    if (!decoded.ok) {
      this.ctx.emit({ type: 'problem', code: decoded.code, message: `DINAMAP ${decoded.reason}: ${describeBytes(line)}`, raw: line });
      return;
    }
    if (!decoded.checksumOk) {
      // Counted and logged, the reply still used (PROTOCOL.md §3: reply checksums unconfirmed).
      this.ctx.emit({ type: 'problem', code: 'PROTOCOL_CHECKSUM', message: `DINAMAP ${poll} reply checksum ${decoded.got}, computed ${decoded.expected}; reply used anyway: ${describeBytes(line)}`, raw: line });
    }
    const reply: DinamapReply = decoded.reply;
    (cycle as Record<Poll, Got<DinamapReply>>)[poll] = { reply, raw: line };
  }

  private onCycle(cycle: Cycle, at: number): void {
    const na = cycle.NA?.reply;
    if (na) {
      const before = this.lastNa;
      this.lastNa = na;
      const fresh = before !== undefined && na.secondsSince !== undefined && (before.secondsSince === undefined || na.secondsSince < before.secondsSince);
      const observations = fresh ? nibpObservations(na, cycle.RA?.reply) : undefined;
      if (observations && cycle.NA) {
        const raw = observations.length > 1 && cycle.RA ? [cycle.NA.raw, cycle.RA.raw] : [cycle.NA.raw];
        this.emitReading(observations, [], raw);
      }
    }
    const tc = cycle.TC?.reply;
    if (tc) {
      const before = this.lastTc;
      this.lastTc = tc;
      const observation = before !== undefined && tc.counter !== before.counter ? temperatureObservation(tc) : undefined;
      if (observation && cycle.TC) this.emitReading([observation], [], [cycle.TC.raw]);
    }
    const sample = oximetrySample(cycle.OA?.reply, cycle.RA?.reply);
    this.newest = { cycle, valid: sample.valid };
    this.ctx.emit({ type: 'live', at, observations: sample.observations, flags: [], valid: sample.valid });
    const item: StabilitySample<Cycle> = { at, valid: sample.valid, values: sample.values as Record<string, number>, item: cycle };
    const captured = this.window.push(item);
    if (captured && this.autoCapture) this.emitOximetry(cycle, captured.map((s) => s.item), 'auto-capture');
  }

  private emitOximetry(cycle: Cycle, cycles: Cycle[], how: 'auto-capture' | 'manual-capture'): void {
    const raw = cycles.flatMap((c) => [c.OA?.raw, c.RA?.raw].filter((r): r is Uint8Array => r !== undefined));
    this.emitReading(oximetrySample(cycle.OA?.reply, cycle.RA?.reply).observations, [how], raw);
  }

  private emitReading(observations: ReturnType<typeof oximetrySample>['observations'], flags: string[], raw: Uint8Array[]): void {
    this.ctx.emit({ type: 'reading', draft: { device: { ...IDENTITY }, kind: 'patient', timeBasis: 'live', observations, flags, raw } });
  }

  /** Wait until the next cycle is due, or a command is queued, or the session ends. */
  private pause(ms: number, signal: AbortSignal): Promise<void> {
    if (ms <= 0 || this.queue.length > 0 || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        timer.cancel();
        signal.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      const timer: Timer = this.ctx.clock.setTimer(ms, done);
      signal.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }
}

/** A session of the DINAMAP driver (the `Driver` contract's factory). */
export const createSession = (context: DriverContext): DriverSession => new DinamapSession(context);

/** GE DINAMAP ProCare / PRO / Carescape V100: the ASCII host protocol, polled (PROTOCOL.md). */
export const geDinamapDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
