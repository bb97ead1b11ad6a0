import { isHubError } from '../../../shared/errors.ts';
import { ASTM, concatBytes, encodeAstmFrame, latin1, type SimulatorContext, sleep } from '../../kit/index.ts';
import { MAX_PAYLOAD_BYTES, payloadsOf, unwrapReport, wrapReport, REPORT_BYTES } from './protocol.ts';

/**
 * A Contour meter's side of the link (PROTOCOL.md §3–4), for the simulator and the tests.
 * Data mode: the host's first ACK makes it offer a transfer (ENQ); each ACK brings the next frame,
 * a NAK the same frame again (6 NAKs: it gives up with EOT); EOT ends it. An EOT from the host
 * makes it start over with EOT + header frame + ENQ in one transfer (the glucometerutils capture).
 * Command mode (NAK → EOT, ENQ → ACK, then `W|` `D|` date, `W|` `T|` time) sets its clock.
 */

/** ASTM E1381 / CLSI LIS1-A: the sender aborts a frame after 6 NAKs. */
const SENDER_MAX_NAKS = 6;
/**
 * USB full-speed interrupt pace, one report per millisecond [inferred]. The meter writes a
 * transfer's reports at once and is then busy that long (PROTOCOL.md §8): a paced link carries
 * the same time, so the two overlap instead of adding up.
 */
const REPORT_INTERVAL_MS = 1;
/** Fault `truncate`: the share of each frame that is sent. */
const TRUNCATE_KEEP = 0.6;

/** What a scenario asks of the meter. */
export interface MeterPlan {
  /** The header record text (without CR), built from the meter's local clock at transfer start. */
  header(meterNowMs: number): string;
  /** The records after the header (P, R…, L), without CR, built at transfer start. */
  records(meterNowMs: number): string[];
  /** Meter clock minus simulator clock, in ms. */
  clockOffsetMs: number;
  /** `bayer`: every record ends CR ETB, the L record CR ETX (PROTOCOL.md §4); `etx`: every frame CR ETX. */
  frameEnd: 'bayer' | 'etx';
  /** Answer the first host word with the EOT + header + ENQ burst instead of ENQ alone. */
  startWithBurst?: boolean;
  /** Frame indexes (0 = header) whose first transmission carries a wrong checksum. */
  corruptOnce?: readonly number[];
  /** Frame indexes the meter sends twice, as if it had missed our ACK. */
  repeatOnce?: readonly number[];
  /** Cut transfers into reports at varied lengths (1..60) instead of full 60-byte reports. */
  variedCuts?: boolean;
  /** Cut this frame's first transmission into two reports at byte `at`. */
  splitFrame?: { index: number; at: number };
  /** A Next Link paired with a pump: it answers NAK to a new date (PROTOCOL.md §6). */
  pumpOwnsClock?: boolean;
  /** A meter that answers NAK to its offer with ENQ again, never EOT (it cannot enter command mode). */
  stubborn?: boolean;
}

/** What the meter went through, for tests. */
export interface MeterLog {
  /** Date and time payloads accepted in command mode (`YYMMDD|\r`, `HHmm|\r`). */
  clockWrites: string[];
  /** Transmissions of each frame index. */
  sends: number[];
  /** Meter clock minus simulator clock, in ms, as it ends (changed by a clock setting). */
  clockOffsetMs: number;
}

type State = 'idle' | 'offered' | 'sending' | 'command';

const word = (byte: number): Uint8Array => Uint8Array.of(byte);

export class SimulatedDevice {
  readonly log: MeterLog = { clockWrites: [], sends: [], clockOffsetMs: 0 };
  private state: State = 'idle';
  private offeredOnce = false;
  private frames: Uint8Array[] = [];
  private index = 0;
  private naks = 0;
  private commandStep: 'none' | 'write' | 'date' | 'time' = 'none';
  private clockOffsetMs: number;
  private readonly corrupt: Set<number>;
  private readonly repeat: Set<number>;
  private split: MeterPlan['splitFrame'];
  private cutSeed = 7;

  constructor(
    private readonly ctx: SimulatorContext,
    private readonly plan: MeterPlan,
    private readonly stop: AbortSignal,
  ) {
    this.clockOffsetMs = plan.clockOffsetMs;
    this.log.clockOffsetMs = plan.clockOffsetMs;
    this.corrupt = new Set(plan.corruptOnce ?? []);
    this.repeat = new Set(plan.repeatOnce ?? []);
    this.split = plan.splitFrame;
    this.memoryAt = this.meterNow();
  }

  /** The meter clock when its memory was made: stored records do not move with the clock. */
  private readonly memoryAt: number;

  /** The meter's local clock in epoch ms. */
  meterNow(): number {
    return this.ctx.clock.now() + this.clockOffsetMs;
  }

  /** Handle one report from the host. */
  async receive(report: Uint8Array): Promise<void> {
    const { payload } = unwrapReport(report);
    if (payload.length === 0) return;
    if (this.state === 'command') return this.commandMode(payload);
    if (payload.length !== 1) return; // data mode knows control words only
    const b = payload[0] as number;
    switch (this.state) {
      case 'idle':
        if (b === ASTM.EOT) return this.offer(true);
        if (b === ASTM.ACK && !this.offeredOnce) return this.offer(this.plan.startWithBurst === true);
        if (b === ASTM.NAK) return this.transmit([word(ASTM.EOT)]);
        if (b === ASTM.ENQ) {
          this.state = 'command';
          this.commandStep = 'none';
          return this.transmit([word(ASTM.ACK)]);
        }
        return;
      case 'offered':
        if (b === ASTM.ACK) return this.sendFrame(0);
        if (b === ASTM.EOT) return this.offer(true);
        if (b === ASTM.NAK) {
          if (this.plan.stubborn) return this.transmit([word(ASTM.ENQ)]);
          this.state = 'idle';
          return this.transmit([word(ASTM.EOT)]);
        }
        return;
      case 'sending':
        return this.sending(b);
    }
  }

  private async sending(b: number): Promise<void> {
    if (b === ASTM.ACK) {
      if (this.repeat.delete(this.index)) return this.sendFrame(this.index);
      if (this.index + 1 >= this.frames.length) {
        this.state = 'idle';
        return this.transmit([word(ASTM.EOT)]);
      }
      return this.sendFrame(this.index + 1);
    }
    if (b === ASTM.NAK) {
      if (++this.naks >= SENDER_MAX_NAKS) {
        this.state = 'idle';
        return this.transmit([word(ASTM.EOT)]);
      }
      return this.sendFrame(this.index);
    }
    if (b === ASTM.EOT) this.state = 'idle'; // receiver interrupt (ASTM E1381)
  }

  /** Build the message from the clock now and offer it: ENQ, or the restart burst. */
  private async offer(burst: boolean): Promise<void> {
    this.offeredOnce = true;
    const now = this.meterNow();
    const texts = [this.plan.header(now), ...this.plan.records(this.memoryAt)];
    this.frames = texts.map((text, i) => {
      const last = this.plan.frameEnd === 'etx' || (i === texts.length - 1 && text.startsWith('L'));
      return encodeAstmFrame((i + 1) % 8, `${text}\r`, last);
    });
    this.state = 'offered';
    if (!burst || this.frames.length === 0) return this.transmit([word(ASTM.ENQ)]);
    return this.transmit([word(ASTM.EOT), this.wire(0), word(ASTM.ENQ)]);
  }

  private async sendFrame(index: number): Promise<void> {
    if (index !== this.index || this.state !== 'sending') this.naks = 0;
    this.index = index;
    this.state = 'sending';
    const frame = this.wire(index);
    this.log.sends[index] = (this.log.sends[index] ?? 0) + 1;
    const split = this.split;
    if (split && split.index === index) {
      this.split = undefined;
      return this.transmitPayloads([frame.subarray(0, split.at), frame.subarray(split.at)].flatMap((p) => payloadsOf(p)));
    }
    return this.transmit([frame]);
  }

  /** A frame as it goes on the wire this time: corrupted or cut when the scenario or fault says. */
  private wire(index: number): Uint8Array {
    const frame = Uint8Array.from(this.frames[index] ?? new Uint8Array());
    if (this.ctx.fault === 'truncate') return frame.subarray(0, Math.max(2, Math.floor(frame.length * TRUNCATE_KEEP)));
    if (this.ctx.fault === 'bad-checksum' || this.corrupt.delete(index)) {
      const at = frame.length - 3; // second checksum digit
      frame[at] = frame[at] === 0x30 ? 0x31 : 0x30;
    }
    return frame;
  }

  private async commandMode(payload: Uint8Array): Promise<void> {
    const text = latin1(payload);
    if (payload.length === 1 && payload[0] === ASTM.EOT) {
      this.state = 'idle';
      return;
    }
    let ok = false;
    const step = this.commandStep;
    this.commandStep = 'none';
    if (step === 'none' && text === 'W|') {
      this.commandStep = 'write';
      ok = true;
    } else if (step === 'write' && (text === 'D|' || text === 'T|')) {
      this.commandStep = text === 'D|' ? 'date' : 'time';
      ok = true;
    } else if (step === 'date' && /^\d{6}\|\r$/.test(text) && !this.plan.pumpOwnsClock) {
      ok = this.setClock(text, (t) => t.setFullYear(2000 + Number(text.slice(0, 2)), Number(text.slice(2, 4)) - 1, Number(text.slice(4, 6))));
    } else if (step === 'time' && /^\d{4}\|\r$/.test(text)) {
      ok = this.setClock(text, (t) => t.setHours(Number(text.slice(0, 2)), Number(text.slice(2, 4)), 0, 0));
    }
    return this.transmit([word(ok ? ASTM.ACK : ASTM.NAK)]);
  }

  private setClock(text: string, change: (t: Date) => void): boolean {
    const t = new Date(this.meterNow());
    change(t);
    if (!Number.isFinite(t.getTime())) return false;
    this.clockOffsetMs = t.getTime() - this.ctx.clock.now();
    this.log.clockOffsetMs = this.clockOffsetMs;
    this.log.clockWrites.push(text);
    return true;
  }

  /** Send words and frames as one transfer: full reports, or varied cuts in `variedCuts` mode. */
  private async transmit(parts: Uint8Array[]): Promise<void> {
    const stream = concatBytes(parts);
    if (!this.plan.variedCuts) return this.transmitPayloads(payloadsOf(stream));
    const payloads: Uint8Array[] = [];
    for (let at = 0; at < stream.length; ) {
      this.cutSeed = (this.cutSeed * 1103515245 + 12345) >>> 0;
      const n = 1 + ((this.cutSeed >>> 8) % MAX_PAYLOAD_BYTES);
      payloads.push(stream.subarray(at, at + n));
      at += n;
    }
    return this.transmitPayloads(payloads);
  }

  private async transmitPayloads(payloads: Uint8Array[]): Promise<void> {
    // A transfer that ends on a full report is closed by an empty one (PROTOCOL.md §3: 60 means "more"). [inferred]
    if (payloads.length === 0 || payloads[payloads.length - 1]?.length === MAX_PAYLOAD_BYTES) payloads.push(new Uint8Array());
    try {
      for (const payload of payloads) await this.ctx.link.write(wrapReport(payload, this.ctx.link.reportSize ?? REPORT_BYTES));
      await sleep(this.ctx.clock, REPORT_INTERVAL_MS * payloads.length, this.stop);
    } catch (e) {
      // The host hung up or the run was stopped: the meter's life is over, not a failure.
      if (!this.stop.aborted && !(isHubError(e) && e.code === 'TRANSPORT_CLOSED') && !this.ctx.link.closed) throw e;
    }
  }
}
