import { toOffsetDateTime } from '../../../shared/time.ts';
import {
  ACTION,
  ASSOC_RESULT,
  ATTR,
  CONFIG_RESULT,
  DATA,
  DEV_SPEC_PROFILE,
  ENCODING_MDER,
  EVENT,
  NOMENCLATURE_VERSION_1,
  OBJ_CLASS,
  PROD_SPEC,
  PROTOCOL_VERSION_2,
  RELEASE_REASON,
  SEGMENT_STATUS,
  SYSTEM_TYPE,
  TRIG_RESULT,
  absoluteTimeFromLocal,
  decodeAbsoluteTime,
  decodeAction,
  decodeApdu,
  decodeConfigReportResponse,
  decodeEventReport,
  decodeGet,
  encodeAarq,
  encodeAbsoluteTime,
  encodeAction,
  encodeConfigReport,
  encodeEventReport,
  encodeGetResult,
  encodePrst,
  encodeRelease,
  encodeSegmentDataEvent,
  encodeSegmentEntryMap,
  encodeSegmentInfoList,
  encodeTrigResult,
  formatAbsoluteTime,
  mdsAttributeValue,
  MderWriter,
  type Attribute,
  type ConfigReport,
} from '../../families/ieee11073/index.ts';
import { concatBytes } from '../../kit/index.ts';
import { ROCHE_ENTRY_MAP } from './decode.ts';

/** One stored result as the simulated meter keeps it. */
export interface StoredEntry {
  /** Local meter time `YYYY-MM-DDTHH:MM:SS`. */
  time: string;
  /** The SFLOAT bits of the value (07FE = HI, 0802 = LO). */
  sfloat: number;
  status: number;
}

/** What a simulated meter is. */
export interface MeterSpec {
  model: string;
  serial: string;
  firmware: string;
  systemId: Uint8Array;
  /** Meter clock minus workstation clock, ms. */
  clockOffsetMs: number;
  /** The memory, oldest first, given the meter's local time now. */
  entries(meterNow: string): StoredEntry[];
  /** Entries per segment-data event. */
  perEvent: number;
  pmStoreHandle: number;
  /** Event time of segment-data events (0xFFFFFFFF: the meter keeps no relative time). */
  eventTime: number;
  /** Glucose unit code in the configuration (2130 mg/dL, 4722 mmol/L). */
  unitCode: number;
  /** Offer first a configuration without a PM-store, which the hub must refuse (fallback). */
  offerUnusableConfigFirst?: boolean;
  /** Put the entry map in the segment info (true) or nowhere (false: the hub assumes Roche's layout). */
  segmentMapInInfo: boolean;
}

const EXTENDED_CONFIG = 0x4000;

/** The meter's association information in its AARQ (field values [UNVERIFIED] for Roche, PROTOCOL.md §3). */
export function agentAarq(spec: MeterSpec): Uint8Array {
  return encodeAarq({
    protocolVersion: PROTOCOL_VERSION_2,
    encodingRules: ENCODING_MDER,
    nomenclatureVersion: NOMENCLATURE_VERSION_1,
    functionalUnits: 0,
    systemType: SYSTEM_TYPE.agent,
    systemId: spec.systemId,
    devConfigId: EXTENDED_CONFIG,
    dataReqModeFlags: 0,
    dataReqInitAgentCount: 1,
    dataReqInitManagerCount: 0,
    options: [],
  });
}

function configuration(spec: MeterSpec, usable: boolean): ConfigReport {
  const numeric = {
    objClass: OBJ_CLASS.numeric,
    handle: 1,
    attributes: [
      { id: ATTR.idType, value: new MderWriter().u16(2).u16(29112).finish() },
      { id: ATTR.unitCode, value: mdsAttributeValue.u16(spec.unitCode) },
    ],
  };
  if (!usable) return { configReportId: EXTENDED_CONFIG + 1, objects: [numeric] };
  const pmStore = { objClass: OBJ_CLASS.pmStore, handle: spec.pmStoreHandle, attributes: [{ id: ATTR.numSeg, value: mdsAttributeValue.u16(1) }] };
  return { configReportId: EXTENDED_CONFIG, objects: [numeric, pmStore] };
}

/**
 * The meter's side of the conversation (PROTOCOL.md §3–§5), as a state machine: `start()` gives
 * the AARQ, `handle(apdu)` the APDUs the meter sends in answer to one from the hub.
 */
export class SimulatedMeter {
  private invokeId = 0;
  private offers = 0;
  private transfer: { entries: StoredEntry[]; next: number } | undefined;
  private clockOffsetMs: number;
  released = false;

  constructor(
    private readonly spec: MeterSpec,
    private readonly now: () => number,
  ) {
    this.clockOffsetMs = spec.clockOffsetMs;
    this.memoryTime = this.meterTime();
  }

  /**
   * The meter clock when the memory was made. A real meter's stored entries do not move with its
   * clock, so every download of one simulated meter sees the same entries.
   */
  private readonly memoryTime: string;

  /** The meter clock as local time. */
  meterTime(): string {
    return toOffsetDateTime(this.now() + this.clockOffsetMs).slice(0, 19);
  }

  start(): Uint8Array[] {
    return [agentAarq(this.spec)];
  }

  handle(raw: Uint8Array): Uint8Array[] {
    const decoded = decodeApdu(raw);
    if (!decoded.ok) return [];
    const apdu = decoded.apdu;
    switch (apdu.kind) {
      case 'aare':
        if (apdu.result === ASSOC_RESULT.acceptedUnknownConfig) return [this.sendConfig()];
        return [];
      case 'rlrq':
        this.released = true;
        return [encodeRelease('rlre', RELEASE_REASON.normal)];
      case 'prst':
        this.invokeId = (apdu.invokeId + 1) & 0xffff;
        return this.data(apdu.invokeId, apdu.choice, apdu.message);
      default:
        return [];
    }
  }

  private sendConfig(): Uint8Array {
    const usable = !(this.spec.offerUnusableConfigFirst && this.offers === 0);
    this.offers++;
    const report = encodeEventReport({ handle: 0, time: 0, eventType: EVENT.config, info: encodeConfigReport(configuration(this.spec, usable)) });
    return encodePrst(this.nextInvoke(), DATA.roivConfirmedEventReport, report);
  }

  private nextInvoke(): number {
    const id = this.invokeId === 0 ? 1 : this.invokeId;
    this.invokeId = (id + 1) & 0xffff;
    return id;
  }

  private data(invokeId: number, choice: number, message: Uint8Array): Uint8Array[] {
    if (choice === DATA.rorsConfirmedEventReport) {
      const report = decodeEventReport(message);
      if (report?.eventType === EVENT.config) {
        const rsp = decodeConfigReportResponse(report.info);
        return rsp?.result === CONFIG_RESULT.accepted ? [] : [this.sendConfig()];
      }
      if (report?.eventType === EVENT.segmentData) return this.nextSegmentEvent();
      return [];
    }
    if (choice === DATA.roivGet) {
      const get = decodeGet(message);
      if (!get) return [];
      return [encodePrst(invokeId, DATA.rorsGet, encodeGetResult({ handle: get.handle, attributes: get.handle === 0 ? this.mdsAttributes() : [] }))];
    }
    if (choice === DATA.roivConfirmedAction) {
      const action = decodeAction(message);
      if (!action) return [];
      const answer = (args: Uint8Array): Uint8Array => encodePrst(invokeId, DATA.rorsConfirmedAction, encodeAction({ handle: action.handle, actionType: action.actionType, args }));
      switch (action.actionType) {
        case ACTION.segGetInfo: {
          const count = this.spec.entries(this.memoryTime).length;
          const attributes: Attribute[] = [{ id: ATTR.segUsageCnt, value: new MderWriter().u32(count).finish() }];
          if (this.spec.segmentMapInInfo) attributes.push({ id: ATTR.pmSegMap, value: encodeSegmentEntryMap(ROCHE_ENTRY_MAP) });
          return [answer(encodeSegmentInfoList([{ instance: 0, attributes }]))];
        }
        case ACTION.segTrigXfer: {
          const entries = this.spec.entries(this.memoryTime);
          if (entries.length === 0) return [answer(encodeTrigResult(0, TRIG_RESULT.failSegmentEmpty))];
          this.transfer = { entries, next: 0 };
          return [answer(encodeTrigResult(0, TRIG_RESULT.successful)), ...this.nextSegmentEvent()];
        }
        case ACTION.setTime: {
          const t = decodeAbsoluteTime(action.args.slice(0, 8));
          if (t.ok) this.clockOffsetMs += new Date(formatAbsoluteTime(t.time)).getTime() - new Date(this.meterTime()).getTime();
          return [answer(new Uint8Array(0))];
        }
        default:
          return [encodePrst(invokeId, DATA.roer, new MderWriter().u16(9).u16(0).finish())];
      }
    }
    return [];
  }

  private nextSegmentEvent(): Uint8Array[] {
    const t = this.transfer;
    if (!t || t.next >= t.entries.length) return [];
    const first = t.next;
    const batch = t.entries.slice(first, first + this.spec.perEvent);
    t.next += batch.length;
    const last = t.next >= t.entries.length;
    const status = (first === 0 ? SEGMENT_STATUS.firstEntry : 0) | (last ? SEGMENT_STATUS.lastEntry : 0);
    const bytes = concatBytes(batch.map((e) => concatBytes([encodeAbsoluteTime(absoluteTimeFromLocal(e.time) ?? { year: 2000, month: 1, day: 1, hour: 0, minute: 0, second: 0, hundredths: 0 }), new MderWriter().u16(e.sfloat).u16(e.status).finish()])));
    if (last) this.transfer = undefined;
    const info = encodeSegmentDataEvent({ instance: 0, firstIndex: first, count: batch.length, status, entries: bytes });
    return [encodePrst(this.nextInvoke(), DATA.roivConfirmedEventReport, encodeEventReport({ handle: this.spec.pmStoreHandle, time: this.spec.eventTime, eventType: EVENT.segmentData, info }))];
  }

  private mdsAttributes(): Attribute[] {
    const s = this.spec;
    const clock = absoluteTimeFromLocal(this.meterTime());
    return [
      { id: ATTR.idModel, value: mdsAttributeValue.model('Roche', s.model) },
      { id: ATTR.sysId, value: mdsAttributeValue.systemId(s.systemId) },
      { id: ATTR.devConfigId, value: mdsAttributeValue.u16(EXTENDED_CONFIG) },
      { id: ATTR.sysTypeSpecList, value: mdsAttributeValue.specializations([{ type: DEV_SPEC_PROFILE.glucose, version: 1 }]) },
      {
        id: ATTR.idProdSpecn,
        value: mdsAttributeValue.productionSpec([
          { type: PROD_SPEC.serialNumber, value: s.serial },
          { type: PROD_SPEC.fwRevision, value: s.firmware },
        ]),
      },
      ...(clock ? [{ id: ATTR.timeAbs, value: encodeAbsoluteTime(clock) }] : []),
    ];
  }
}
