import { attribute, decodeSegmentEntryMap, segmentEntrySize, type SegmentEntryMap } from './configuration.ts';
import { MderReader, MderWriter } from './mder.ts';
import { readAttributeList, writeAttributeList, type Attribute } from './messages.ts';
import { ATTR, SEG_ENTRY_HEADER_BYTES, SEGMENT_STATUS } from './nomenclature.ts';

/**
 * PM-store download (README.md §5): segment info, trigger a segment's transfer, the agent's
 * segment-data events and the manager's confirmation of each.
 */

/** SegmSelection "all segments" as SEG_GET_INFO's argument: choice 1, length 2, value 0. */
export function encodeAllSegmentsSelection(): Uint8Array {
  return new MderWriter().u16(1).u16(2).u16(0).finish();
}

/** One segment as SEG_GET_INFO describes it. */
export interface SegmentInfo {
  instance: number;
  attributes: Attribute[];
  /** Entries in the segment (SEG_USAGE_CNT), when given. */
  usageCount: number | undefined;
  entryMap: SegmentEntryMap | undefined;
}

/** SegmentInfoList → segments. Undefined when the bytes do not hold it. */
export function decodeSegmentInfoList(b: Uint8Array): SegmentInfo[] | undefined {
  const r = new MderReader(b);
  const count = r.u16();
  const list = r.sub(r.u16());
  const out: SegmentInfo[] = [];
  for (let i = 0; i < count; i++) {
    const instance = list.u16();
    const attributes = readAttributeList(list);
    if (!attributes || list.failed) return undefined;
    const usage = attribute(attributes, ATTR.segUsageCnt);
    const map = attribute(attributes, ATTR.pmSegMap);
    out.push({
      instance,
      attributes,
      usageCount: usage && usage.length === 4 ? new MderReader(usage).u32() : undefined,
      entryMap: map ? decodeSegmentEntryMap(map) : undefined,
    });
  }
  return r.failed ? undefined : out;
}

export function encodeSegmentInfoList(segments: readonly { instance: number; attributes: readonly Attribute[] }[]): Uint8Array {
  const list = new MderWriter();
  for (const s of segments) writeAttributeList(list.u16(s.instance), s.attributes);
  return new MderWriter().u16(segments.length).octetString(list.finish()).finish();
}

/** SEG_TRIG_XFER's argument: the segment instance. */
export function encodeTrigArgs(instance: number): Uint8Array {
  return new MderWriter().u16(instance).finish();
}

/** TrigSegmDataXferRsp: instance and TRIG_RESULT. */
export function decodeTrigResult(b: Uint8Array): { instance: number; result: number } | undefined {
  const r = new MderReader(b);
  const out = { instance: r.u16(), result: r.u16() };
  return r.failed ? undefined : out;
}

export function encodeTrigResult(instance: number, result: number): Uint8Array {
  return new MderWriter().u16(instance).u16(result).finish();
}

/** SegmentDataEvent: which entries this event carries, its status bits and the entries' bytes. */
export interface SegmentDataEvent {
  instance: number;
  firstIndex: number;
  count: number;
  status: number;
  entries: Uint8Array;
}

export function decodeSegmentDataEvent(info: Uint8Array): SegmentDataEvent | undefined {
  const r = new MderReader(info);
  const event = { instance: r.u16(), firstIndex: r.u32(), count: r.u32(), status: r.u16(), entries: r.octetString() };
  return r.failed ? undefined : event;
}

export function encodeSegmentDataEvent(e: SegmentDataEvent): Uint8Array {
  return new MderWriter().u16(e.instance).u32(e.firstIndex).u32(e.count).u16(e.status).octetString(e.entries).finish();
}

/** SegmentDataResult: the event's descriptor echoed with the manager's status (confirm 0x0080). */
export function encodeSegmentDataResult(e: Pick<SegmentDataEvent, 'instance' | 'firstIndex' | 'count'>, status: number = SEGMENT_STATUS.managerConfirm): Uint8Array {
  return new MderWriter().u16(e.instance).u32(e.firstIndex).u32(e.count).u16(status).finish();
}

export function decodeSegmentDataResult(b: Uint8Array): SegmentDataEvent | undefined {
  const r = new MderReader(b);
  const out = { instance: r.u16(), firstIndex: r.u32(), count: r.u32(), status: r.u16(), entries: new Uint8Array(0) };
  return r.failed ? undefined : out;
}

/** One entry cut by the map: its stamps by header bit, and per element the attribute values. */
export interface SegmentEntry {
  /** Index of the entry in the segment. */
  index: number;
  stamps: Map<number, Uint8Array>;
  elements: { element: SegmentEntryMap['elements'][number]; values: Map<number, Uint8Array> }[];
  raw: Uint8Array;
}

/**
 * Cut an event's entries by the map. When the bytes are not a whole number of entries, or not
 * `count` of them, the answer says so and holds what could be cut (never throws).
 */
export function splitEntries(event: SegmentDataEvent, map: SegmentEntryMap): { entries: SegmentEntry[]; problem?: string } {
  const size = segmentEntrySize(map);
  if (size === 0) return { entries: [], problem: 'the segment entry map describes empty entries' };
  const whole = Math.floor(event.entries.length / size);
  const entries: SegmentEntry[] = [];
  for (let i = 0; i < whole; i++) {
    const raw = event.entries.slice(i * size, (i + 1) * size);
    const r = new MderReader(raw);
    const stamps = new Map<number, Uint8Array>();
    for (const [bit, bytes] of SEG_ENTRY_HEADER_BYTES) if (map.header & bit) stamps.set(bit, r.bytes(bytes));
    const elements = map.elements.map((element) => ({ element, values: new Map(element.attributes.map((a) => [a.id, r.bytes(a.length)] as const)) }));
    entries.push({ index: event.firstIndex + i, stamps, elements, raw });
  }
  const problems: string[] = [];
  if (event.entries.length % size !== 0) problems.push(`${event.entries.length} entry bytes are not a whole number of ${size}-byte entries`);
  if (whole !== event.count) problems.push(`the event announces ${event.count} entries and carries ${whole}`);
  return problems.length > 0 ? { entries, problem: problems.join('; ') } : { entries };
}
