import { CancelledError, HubError, type ErrorCode } from '../../../shared/errors.ts';
import { describeBytes, FrameReader, type DriverContext } from '../../kit/index.ts';
import { decodeApdu, encodeAare, encodePrst, encodeRelease, managerAssociationInfo, type Apdu, type AssociationInfo } from './apdu.ts';
import { decodeConfigReport, encodeConfigReportResponse, type ConfigReport } from './configuration.ts';
import { ApduFramer } from './framer.ts';
import { decodeMdsAttributes, type MdsInfo } from './mds.ts';
import { encodeAbsoluteTime, MderWriter, type AbsoluteTime } from './mder.ts';
import { decodeAction, decodeErrorAnswer, decodeEventReport, decodeGetResult, encodeAction, encodeEventReport, encodeGet, type EventReport } from './messages.ts';
import { ABORT_REASON, ACTION, ASSOC_RESULT, CONFIG_RESULT, DATA, DATA_PROTO_ID_20601, ENCODING_MDER, EVENT, RELEASE_REASON, SEGMENT_STATUS, TRIG_RESULT } from './nomenclature.ts';
import { decodeSegmentDataEvent, decodeSegmentInfoList, decodeTrigResult, encodeAllSegmentsSelection, encodeSegmentDataResult, encodeTrigArgs, type SegmentDataEvent, type SegmentInfo } from './pm-store.ts';

/** How long the manager waits for each step (README.md §6). */
export interface ManagerTimeouts {
  /** For the agent's AARQ after the link opens. */
  associationMs: number;
  /** For the configuration report after "accepted-unknown-config". */
  configMs: number;
  /** For the answer to a GET or a confirmed action. */
  requestMs: number;
  /** Between two segment-data events of one transfer. */
  segmentEventMs: number;
  /** For the RLRE after our RLRQ. */
  releaseMs: number;
}

/** Waits the standard gives or the notes report (README.md §6). */
export const DEFAULT_MANAGER_TIMEOUTS: ManagerTimeouts = { associationMs: 10_000, configMs: 10_000, requestMs: 3_000, segmentEventMs: 10_000, releaseMs: 3_000 };

export interface ManagerOptions {
  /** Prefix of problem messages (`Accu-Chek`). */
  label: string;
  /** Our EUI-64 in the AARE. */
  systemId: Uint8Array;
  timeouts?: Partial<ManagerTimeouts>;
  /** A configuration this manager already knows for the agent's (system id, dev-config-id): accepted without asking. */
  knownConfig?(info: AssociationInfo): ConfigReport | undefined;
  /** Can the manager work with this configuration? `false` answers "unsupported" so the agent may offer another. */
  usable(config: ConfigReport): boolean;
}

/** The agent and its configuration, once associated. */
export interface Association {
  agent: AssociationInfo;
  config: ConfigReport;
  /** Was the configuration sent by the agent (true) or known beforehand (false)? */
  configSent: boolean;
}

/** How many configurations an agent may offer before the manager gives up (the standard's agents fall back to one standard configuration). */
const MAX_CONFIG_OFFERS = 3;

type Prst = Extract<Apdu, { kind: 'prst' }>;

/**
 * The manager (hub) side of an IEEE 11073-20601 association over a Link (README.md §6):
 * association with configuration exchange, GET of the MDS, PM-store segment info and transfer,
 * set time, release. Every wait has a deadline on the kit clock and honours the signal; what the
 * agent sends that does not fit is reported as a problem and skipped, and an agent's confirmed
 * event report is always answered so the agent is never left waiting.
 */
export class Manager {
  private readonly reader: FrameReader<Uint8Array>;
  private readonly timeouts: ManagerTimeouts;
  private invokeId = 0;
  private associated = false;

  constructor(
    private readonly ctx: DriverContext,
    private readonly options: ManagerOptions,
  ) {
    this.timeouts = { ...DEFAULT_MANAGER_TIMEOUTS, ...options.timeouts };
    this.reader = new FrameReader(ctx, new ApduFramer(), {
      problem: (p) => ctx.emit({ type: 'problem', code: p.code, message: `${options.label} ${p.message}: ${describeBytes(p.raw)}`, raw: p.raw }),
    });
  }

  get isAssociated(): boolean {
    return this.associated;
  }

  /** Wait for the agent's AARQ and answer it; then take its configuration if we did not know it. */
  async associate(signal: AbortSignal): Promise<Association> {
    let agent: AssociationInfo | undefined;
    while (!agent) {
      const apdu = await this.nextApdu(signal, this.timeouts.associationMs, 'the association request (AARQ)');
      if (apdu.kind !== 'aarq') {
        if (apdu.kind === 'prst') await this.answerStray(apdu);
        else this.problem('PROTOCOL_UNEXPECTED', `${apdu.kind.toUpperCase()} before any association; ignored`, apdu.raw);
        continue;
      }
      const proto = apdu.protocols.find((p) => p.id === DATA_PROTO_ID_20601);
      if (!proto?.info || (proto.info.encodingRules & ENCODING_MDER) === 0) {
        await this.write(encodeAare(ASSOC_RESULT.rejectedNoCommonProtocol));
        throw new HubError('DEVICE_ERROR', `${this.options.label}: the device offered no IEEE 11073-20601 association with MDER encoding`);
      }
      agent = proto.info;
    }
    const known = this.options.knownConfig?.(agent);
    if (known) {
      await this.write(encodeAare(ASSOC_RESULT.accepted, managerAssociationInfo(this.options.systemId)));
      this.associated = true;
      return { agent, config: known, configSent: false };
    }
    await this.write(encodeAare(ASSOC_RESULT.acceptedUnknownConfig, managerAssociationInfo(this.options.systemId)));
    this.associated = true;
    for (let offer = 1; offer <= MAX_CONFIG_OFFERS; offer++) {
      const { apdu, report } = await this.awaitEvent(signal, this.timeouts.configMs, 'the configuration report', EVENT.config);
      const config = decodeConfigReport(report.info);
      if (!config) {
        this.problem('PROTOCOL_GARBAGE', 'configuration report that does not decode; answered "unsupported"', apdu.raw);
        await this.confirmEvent(apdu.invokeId, report, encodeConfigReportResponse(0, CONFIG_RESULT.unsupported));
        continue;
      }
      const ok = this.options.usable(config);
      await this.confirmEvent(apdu.invokeId, report, encodeConfigReportResponse(config.configReportId, ok ? CONFIG_RESULT.accepted : CONFIG_RESULT.unsupported));
      // The manager's own invoke ids follow the agent's last one, as Roche's software does (README.md §6).
      this.invokeId = (apdu.invokeId + 1) & 0xffff;
      if (ok) return { agent, config, configSent: true };
      this.problem('PROTOCOL_UNEXPECTED', `configuration 0x${config.configReportId.toString(16)} has nothing this driver can read; answered "unsupported", waiting for another`);
    }
    throw new HubError('DEVICE_ERROR', `${this.options.label}: the device offered no configuration this driver can read`);
  }

  /** GET all attributes of the MDS (handle 0). */
  async getMds(signal: AbortSignal): Promise<MdsInfo> {
    const answer = await this.request(signal, 'reading the device attributes (GET MDS)', DATA.roivGet, encodeGet(0), DATA.rorsGet);
    const result = decodeGetResult(answer.message);
    if (!result) throw new HubError('PROTOCOL_GARBAGE', `${this.options.label}: the device attributes do not decode: ${describeBytes(answer.message)}`);
    return decodeMdsAttributes(result.attributes);
  }

  /** SEG_GET_INFO for all segments of a PM-store. */
  async segmentInfo(handle: number, signal: AbortSignal): Promise<SegmentInfo[]> {
    const answer = await this.action(signal, 'reading the segment list', handle, ACTION.segGetInfo, encodeAllSegmentsSelection());
    const list = decodeSegmentInfoList(answer.args);
    if (!list) throw new HubError('PROTOCOL_GARBAGE', `${this.options.label}: the segment list does not decode: ${describeBytes(answer.args)}`);
    return list;
  }

  /**
   * Trigger the transfer of one segment and take its segment-data events until the last, each
   * confirmed after `onEvent` has handled it (persist before acknowledging). `empty`: the
   * segment holds nothing.
   */
  async transferSegment(handle: number, instance: number, signal: AbortSignal, onEvent: (event: SegmentDataEvent, raw: Uint8Array) => void): Promise<'done' | 'empty'> {
    const answer = await this.action(signal, `starting the transfer of segment ${instance}`, handle, ACTION.segTrigXfer, encodeTrigArgs(instance));
    const trig = decodeTrigResult(answer.args);
    if (!trig) throw new HubError('PROTOCOL_GARBAGE', `${this.options.label}: the transfer answer does not decode: ${describeBytes(answer.args)}`);
    if (trig.result === TRIG_RESULT.failSegmentEmpty) return 'empty';
    if (trig.result !== TRIG_RESULT.successful) throw new HubError('DEVICE_ERROR', `${this.options.label}: the device refused the transfer of segment ${instance} (result ${trig.result})`);
    for (;;) {
      const { apdu, report } = await this.awaitEvent(signal, this.timeouts.segmentEventMs, 'the next segment data', EVENT.segmentData);
      const event = decodeSegmentDataEvent(report.info);
      if (!event) {
        this.problem('PROTOCOL_GARBAGE', 'segment data that do not decode; transfer aborted', apdu.raw);
        await this.confirmEvent(apdu.invokeId, report, encodeSegmentDataResult({ instance, firstIndex: 0, count: 0 }, SEGMENT_STATUS.managerAbort));
        throw new HubError('PROTOCOL_GARBAGE', `${this.options.label}: segment data that do not decode`);
      }
      onEvent(event, apdu.raw);
      await this.confirmEvent(apdu.invokeId, report, encodeSegmentDataResult(event));
      if (event.status & SEGMENT_STATUS.agentAbort) throw new HubError('DEVICE_ERROR', `${this.options.label}: the device aborted the transfer`);
      if (event.status & SEGMENT_STATUS.lastEntry) return 'done';
    }
  }

  /** MDC_ACT_SET_TIME on the MDS: the device clock to this local time. */
  async setTime(time: AbsoluteTime, signal: AbortSignal): Promise<void> {
    const args = new MderWriter().bytes(encodeAbsoluteTime(time)).u32(0).finish();
    await this.action(signal, 'setting the device clock', 0, ACTION.setTime, args);
  }

  /** Release the association (RLRQ, RLRE awaited briefly); failures are swallowed: the session ends anyway. */
  async release(signal: AbortSignal): Promise<void> {
    if (!this.associated || this.ctx.link.closed) return;
    this.associated = false;
    try {
      await this.write(encodeRelease('rlrq', RELEASE_REASON.normal));
      for (;;) {
        const apdu = await this.nextApdu(signal, this.timeouts.releaseMs, 'the release answer (RLRE)');
        if (apdu.kind === 'rlre' || apdu.kind === 'abrt') return;
        if (apdu.kind === 'prst') await this.answerStray(apdu);
      }
    } catch {
      // An agent that does not answer the release has nothing more to say.
    }
  }

  /** Abort the association (the session was cancelled or failed mid-way). */
  async abort(): Promise<void> {
    if (!this.associated || this.ctx.link.closed) return;
    this.associated = false;
    await this.write(encodeRelease('abrt', ABORT_REASON.undefined)).catch(() => undefined);
  }

  dispose(): void {
    this.reader.dispose();
  }

  private async action(signal: AbortSignal, what: string, handle: number, actionType: number, args: Uint8Array): Promise<{ args: Uint8Array }> {
    const answer = await this.request(signal, what, DATA.roivConfirmedAction, encodeAction({ handle, actionType, args }), DATA.rorsConfirmedAction);
    const action = decodeAction(answer.message);
    if (!action || action.actionType !== actionType) throw new HubError('PROTOCOL_UNEXPECTED', `${this.options.label}: ${what}: the answer is for another action: ${describeBytes(answer.message)}`);
    return action;
  }

  /** Send a roiv and wait for the rors with the same invoke id; roer/rorj become DEVICE_ERROR. */
  private async request(signal: AbortSignal, what: string, choice: number, message: Uint8Array, answerChoice: number): Promise<Prst> {
    const invokeId = this.invokeId;
    this.invokeId = (this.invokeId + 1) & 0xffff;
    await this.write(encodePrst(invokeId, choice, message));
    for (;;) {
      const apdu = await this.nextApdu(signal, this.timeouts.requestMs, what);
      if (apdu.kind !== 'prst') {
        this.endedByAgent(apdu, what);
        continue;
      }
      if (apdu.invokeId === invokeId && apdu.choice === answerChoice) return apdu;
      const error = apdu.invokeId === invokeId ? decodeErrorAnswer(apdu.choice, apdu.message) : undefined;
      if (error) throw new HubError('DEVICE_ERROR', `${this.options.label}: ${what}: the device answered ${error.kind} ${error.code}`);
      await this.answerStray(apdu);
    }
  }

  /** Wait for a confirmed event report of this type; others are answered and reported. */
  private async awaitEvent(signal: AbortSignal, ms: number, what: string, eventType: number): Promise<{ apdu: Prst; report: EventReport }> {
    for (;;) {
      const apdu = await this.nextApdu(signal, ms, what);
      if (apdu.kind !== 'prst') {
        this.endedByAgent(apdu, what);
        continue;
      }
      const report = apdu.choice === DATA.roivConfirmedEventReport ? decodeEventReport(apdu.message) : undefined;
      if (report?.eventType === eventType) return { apdu, report };
      await this.answerStray(apdu);
    }
  }

  /** A PRST nobody asked for: a confirmed event report gets an empty confirmation (the agent must not wait); anything else is only reported. */
  private async answerStray(apdu: Prst): Promise<void> {
    const report = apdu.choice === DATA.roivConfirmedEventReport ? decodeEventReport(apdu.message) : undefined;
    if (report) {
      this.problem('PROTOCOL_UNEXPECTED', `event report 0x${report.eventType.toString(16)} not expected here; confirmed and ignored`, apdu.raw);
      await this.confirmEvent(apdu.invokeId, report, new Uint8Array(0));
      return;
    }
    this.problem('PROTOCOL_UNEXPECTED', `message 0x${apdu.choice.toString(16).padStart(4, '0')} (invoke ${apdu.invokeId}) not expected here; ignored`, apdu.raw);
  }

  /** rors-confirmed-event-report: same invoke id, handle, event time and type, with the reply info. */
  private async confirmEvent(invokeId: number, report: EventReport, reply: Uint8Array): Promise<void> {
    await this.write(encodePrst(invokeId, DATA.rorsConfirmedEventReport, encodeEventReport({ handle: report.handle, time: report.time, eventType: report.eventType, info: reply })));
  }

  /** The agent released or aborted while we waited: answer a release, then fail. Other APDUs are reported. */
  private endedByAgent(apdu: Exclude<Apdu, Prst>, what: string): void {
    if (apdu.kind === 'rlrq' || apdu.kind === 'abrt') {
      this.associated = false;
      if (apdu.kind === 'rlrq') void this.write(encodeRelease('rlre', RELEASE_REASON.normal)).catch(() => undefined);
      throw new HubError('DEVICE_ERROR', `${this.options.label}: the device ${apdu.kind === 'rlrq' ? 'released' : 'aborted'} the association while ${what}`);
    }
    this.problem('PROTOCOL_UNEXPECTED', `${apdu.kind.toUpperCase()} not expected while ${what}; ignored`, apdu.raw);
  }

  /** The next APDU that decodes; undecodable ones are reported and skipped. */
  private async nextApdu(signal: AbortSignal, ms: number, what: string): Promise<Apdu> {
    const deadline = this.ctx.clock.now() + ms;
    for (;;) {
      const frame = await this.reader.next(signal, { clock: this.ctx.clock, ms: Math.max(0, deadline - this.ctx.clock.now()) });
      if (frame === undefined) {
        if (signal.aborted) throw signal.reason instanceof HubError ? signal.reason : new CancelledError(`${this.options.label}: cancelled`);
        if (this.reader.ended) throw this.reader.endError ?? new HubError('TRANSPORT_CLOSED', `${this.options.label}: the link closed while waiting for ${what}`);
        // A half-received APDU at the deadline is reported by the flush (PROTOCOL_TRUNCATED).
        this.reader.discard();
        throw new HubError('DEVICE_NO_RESPONSE', `${this.options.label}: nothing within ${(ms / 1000).toFixed(1)} s while waiting for ${what}`);
      }
      const decoded = decodeApdu(frame);
      if (decoded.ok) return decoded.apdu;
      this.problem(decoded.code, decoded.message, frame);
    }
  }

  private async write(bytes: Uint8Array): Promise<void> {
    await this.ctx.link.write(bytes);
  }

  private problem(code: ErrorCode, message: string, raw?: Uint8Array): void {
    this.ctx.emit({ type: 'problem', code, message: `${this.options.label} ${message}`, ...(raw ? { raw: raw.slice(0, 256) } : {}) });
  }
}
