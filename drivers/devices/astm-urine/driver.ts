import { HubError } from '../../../shared/errors.ts';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import type { TestCodeMap } from '../../../shared/test-code-map.ts';
import { AstmReceiver, type AstmReceiverProblem, type AstmReceiverStep } from '../../families/astm/receiver.ts';
import { type AstmToken, describeBytes, type Driver, type DriverContext, type DriverSession, FrameReader } from '../../kit/index.ts';
import { portCodeMap } from './code-maps.ts';
import { decodeProbe } from './decode-probe.ts';
import { type AstmMessage, AstmMessageBuilder } from './decode.ts';
import { manifest } from './manifest.ts';
import { normalizeSample } from './normalize.ts';
import { createTokenFramer, FRAME_WAIT_MS } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';

/** Until a header names it, the device is an ASTM urine analyzer. */
const UNKNOWN_DEVICE: DeviceIdentity = { manufacturer: 'ASTM analyzer', model: 'urine analyzer (ASTM)' };

/** The port's map from its options, checked: the option rules refuse bad maps, this says so again plainly. */
function codeMapOf(ctx: DriverContext): TestCodeMap {
  const parsed = portCodeMap(String(ctx.options['codeMap'] ?? 'generic'), String(ctx.options['testCodes'] ?? ''));
  if (!parsed.ok) throw new HubError('CONFIG_INVALID', `astm-urine test-code map refused: ${parsed.problems.join('; ')}`);
  return parsed.map;
}

/**
 * A session with an ASTM urine analyzer (PROTOCOL.md §1–§4): the hub only receives. ENQ → ACK;
 * each frame checked (checksum, frame number) and ACKed or NAKed by the family's receiver; the
 * records assembled into a message; at its L record every sample becomes one reading, emitted
 * before the L frame is ACKed (persist before acknowledging). A message that ends without its L
 * record (EOT early, the analyzer silent for the frame wait, the connection cut) makes no reading
 * and is reported.
 */
export function createSession(ctx: DriverContext): DriverSession {
  const map = codeMapOf(ctx);
  const frameWaitMs = Number(ctx.options['frameWaitSeconds'] ?? FRAME_WAIT_MS / 1000) * 1000;
  const receiver = new AstmReceiver({ firstFrame: 'one' });
  const builder = new AstmMessageBuilder();
  let identity: DeviceIdentity = { ...UNKNOWN_DEVICE };
  let reader: FrameReader<AstmToken> | undefined;
  /** Frames of the message in progress: the evidence each reading keeps. */
  let frames: Uint8Array[] = [];
  /** Tokens a probe read, handed to acquire. */
  const held: AstmToken[] = [];

  const tokens = (): FrameReader<AstmToken> =>
    (reader ??= new FrameReader<AstmToken>(ctx, createTokenFramer(), {
      // A bad checksum is the receiver's to report, with its NAK count; the framer says the rest.
      problem: (p) => {
        if (p.code !== 'PROTOCOL_CHECKSUM') ctx.emit({ type: 'problem', code: p.code, message: p.raw.length > 0 ? `${p.message}: ${describeBytes(p.raw)}` : p.message, raw: p.raw });
      },
    }));
  const report = (problems: readonly AstmReceiverProblem[]): void => {
    for (const p of problems) ctx.emit({ type: 'problem', code: p.code, message: p.message, ...(p.raw ? { raw: p.raw } : {}) });
  };
  /** The message in progress is given up: say what was lost. */
  const discard = (why: string): void => {
    if (builder.records > 0) {
      ctx.emit({ type: 'problem', code: 'PROTOCOL_TRUNCATED', message: `ASTM message discarded, no reading made: ${why} after ${builder.records} record(s), before its terminator (L) record` });
    }
    builder.reset();
    frames = [];
  };

  const learn = (message: AstmMessage): void => {
    const { name, version, serial } = message.sender;
    if (name === '' && serial === '') return;
    const next: DeviceIdentity = { manufacturer: UNKNOWN_DEVICE.manufacturer, model: name || UNKNOWN_DEVICE.model, ...(serial ? { serial } : {}), ...(version ? { firmware: version } : {}) };
    if (JSON.stringify(next) === JSON.stringify(identity)) return;
    identity = next;
    ctx.emit({ type: 'identity', device: { ...identity } });
  };

  const complete = (message: AstmMessage): void => {
    const evidence = frames;
    frames = [];
    if (message.termination === 'T' || message.termination === 'E') {
      ctx.emit({ type: 'problem', code: 'DEVICE_ERROR', message: `the analyzer ended its message with L termination code ${message.termination} (${message.termination === 'T' ? 'sender aborted' : 'system error'}): no reading made` });
      return;
    }
    learn(message);
    if (message.samples.length === 0) return;
    const kind = message.processingId === 'Q' ? 'control' : 'patient';
    for (const sample of message.samples) {
      if (sample.results.length === 0) continue;
      const n = normalizeSample(message, sample, map);
      ctx.emit({
        type: 'reading',
        draft: { device: { ...identity }, kind, ...(n.deviceTime ? { deviceTime: n.deviceTime } : {}), timeBasis: 'live', observations: n.observations, flags: n.flags, context: n.context, raw: evidence },
      });
    }
  };

  const handle = async (token: AstmToken): Promise<void> => {
    const step: AstmReceiverStep = receiver.receive(token);
    report(step.problems);
    if (step.event === 'established' || step.event === 'restarted') discard(step.event === 'restarted' ? 'the analyzer began the message again (ENQ)' : 'a new transfer began (ENQ)');
    if (step.event === 'accepted' && token.type === 'frame') frames.push(token.raw);
    for (const record of step.records) {
      const added = builder.add(record.text);
      if (added.problem) ctx.emit({ type: 'problem', code: 'PROTOCOL_UNEXPECTED', message: added.problem });
      if (added.message) complete(added.message);
    }
    if (step.event === 'ended') {
      if ((step.unansweredNaks ?? 0) > 0) ctx.emit({ type: 'problem', code: 'PROTOCOL_CHECKSUM', message: `the analyzer gave up on a frame after ${step.unansweredNaks} NAK(s) and ended the transfer` });
      discard('the analyzer ended the transfer (EOT)');
    }
    if (step.event === 'gave-up') discard('a frame stayed bad after every NAK');
    // The reading is emitted above, before the reply: the analyzer deletes what we ACK.
    if (step.reply !== undefined) await ctx.link.write(Uint8Array.of(step.reply)).catch(() => undefined);
  };

  const next = (signal: AbortSignal): Promise<AstmToken | undefined> => {
    const inMessage = receiver.state !== 'neutral';
    return tokens().next(signal, inMessage ? { clock: ctx.clock, ms: frameWaitMs } : undefined);
  };

  return {
    async probe(signal) {
      // An analyzer speaks only when it has results: wait up to the probe deadline for an ENQ or a frame.
      const until = ctx.clock.now() + manifest.deadlines.probeMs;
      for (;;) {
        const left = until - ctx.clock.now();
        if (left <= 0 || signal.aborted) return false;
        const token = await tokens().next(signal, { clock: ctx.clock, ms: left });
        if (token === undefined) return false;
        held.push(token);
        if (token.type === 'frame' ? token.valid : token.byte === 0x05) return true;
      }
    },
    async open() {
      tokens();
    },
    async identify() {
      return { ...identity };
    },
    async acquire(signal) {
      for (let token = held.shift(); token !== undefined; token = held.shift()) await handle(token);
      for (;;) {
        const token = await next(signal);
        if (token !== undefined) {
          await handle(token);
          continue;
        }
        if (signal.aborted) return discard('the session was stopped');
        if (tokens().ended) return discard('the connection ended');
        // The frame wait ran out inside a message (E1381: discard it and go neutral).
        report(receiver.abandon(`no frame for ${frameWaitMs / 1000} s`));
        discard(`the analyzer fell silent for ${frameWaitMs / 1000} s`);
      }
    },
    async close() {
      reader?.dispose();
    },
  };
}

/** Any urine analyzer speaking ASTM E1381/E1394 over serial or TCP, with a test-code map per port. */
export const astmUrineDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };
