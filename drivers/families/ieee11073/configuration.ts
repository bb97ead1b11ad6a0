import { MderReader, MderWriter } from './mder.ts';
import { readAttributeList, writeAttributeList, type Attribute } from './messages.ts';
import { ATTR, OBJ_CLASS, SEG_ENTRY_HEADER_BYTES } from './nomenclature.ts';

/** One object of an agent's configuration. */
export interface ConfigObject {
  objClass: number;
  handle: number;
  attributes: Attribute[];
}

/** ConfigReport (the info of an MDC_NOTI_CONFIG event, README.md §3). */
export interface ConfigReport {
  configReportId: number;
  objects: ConfigObject[];
}

/** One element of a PM-segment entry, with the attributes it carries and their sizes. */
export interface SegmentElement {
  objClass: number;
  metricPartition: number;
  metricCode: number;
  handle: number;
  attributes: { id: number; length: number }[];
}

/** PmSegmentEntryMap: the layout of every entry of a PM-segment (README.md §5). */
export interface SegmentEntryMap {
  header: number;
  elements: SegmentElement[];
}

export function decodeConfigReport(info: Uint8Array): ConfigReport | undefined {
  const r = new MderReader(info);
  const configReportId = r.u16();
  const count = r.u16();
  const list = r.sub(r.u16());
  const objects: ConfigObject[] = [];
  for (let i = 0; i < count; i++) {
    const objClass = list.u16();
    const handle = list.u16();
    const attributes = readAttributeList(list);
    if (!attributes || list.failed) return undefined;
    objects.push({ objClass, handle, attributes });
  }
  return r.failed ? undefined : { configReportId, objects };
}

export function encodeConfigReport(report: ConfigReport): Uint8Array {
  const list = new MderWriter();
  for (const o of report.objects) writeAttributeList(list.u16(o.objClass).u16(o.handle), o.attributes);
  return new MderWriter().u16(report.configReportId).u16(report.objects.length).octetString(list.finish()).finish();
}

/** ConfigReportRsp: the report id echoed and a CONFIG_RESULT. */
export function encodeConfigReportResponse(configReportId: number, result: number): Uint8Array {
  return new MderWriter().u16(configReportId).u16(result).finish();
}

export function decodeConfigReportResponse(b: Uint8Array): { configReportId: number; result: number } | undefined {
  const r = new MderReader(b);
  const rsp = { configReportId: r.u16(), result: r.u16() };
  return r.failed ? undefined : rsp;
}

export function decodeSegmentEntryMap(b: Uint8Array): SegmentEntryMap | undefined {
  const r = new MderReader(b);
  const header = r.u16();
  const count = r.u16();
  const list = r.sub(r.u16());
  const elements: SegmentElement[] = [];
  for (let i = 0; i < count; i++) {
    const objClass = list.u16();
    const metricPartition = list.u16();
    const metricCode = list.u16();
    const handle = list.u16();
    const n = list.u16();
    const map = list.sub(list.u16());
    const attributes: { id: number; length: number }[] = [];
    for (let j = 0; j < n; j++) attributes.push({ id: map.u16(), length: map.u16() });
    if (list.failed || map.failed) return undefined;
    elements.push({ objClass, metricPartition, metricCode, handle, attributes });
  }
  return r.failed ? undefined : { header, elements };
}

export function encodeSegmentEntryMap(map: SegmentEntryMap): Uint8Array {
  const list = new MderWriter();
  for (const e of map.elements) {
    const avm = new MderWriter();
    for (const a of e.attributes) avm.u16(a.id).u16(a.length);
    list.u16(e.objClass).u16(e.metricPartition).u16(e.metricCode).u16(e.handle).u16(e.attributes.length).octetString(avm.finish());
  }
  return new MderWriter().u16(map.header).u16(map.elements.length).octetString(list.finish()).finish();
}

/** Bytes of one entry under this map: the header's stamps, then every element's attributes. */
export function segmentEntrySize(map: SegmentEntryMap): number {
  let size = 0;
  for (const [bit, bytes] of SEG_ENTRY_HEADER_BYTES) if (map.header & bit) size += bytes;
  for (const e of map.elements) for (const a of e.attributes) size += a.length;
  return size;
}

/** The first attribute with this id. */
export function attribute(attributes: readonly Attribute[], id: number): Uint8Array | undefined {
  return attributes.find((a) => a.id === id)?.value;
}

/** What a manager needs of a PM-store in a configuration: its handle, segment count and entry map. */
export interface PmStoreConfig {
  handle: number;
  numSegments: number | undefined;
  entryMap: SegmentEntryMap | undefined;
}

/** The PM-stores of a configuration (class 61), with their segment count and entry map when given. */
export function pmStores(report: ConfigReport): PmStoreConfig[] {
  return report.objects
    .filter((o) => o.objClass === OBJ_CLASS.pmStore)
    .map((o) => {
      const num = attribute(o.attributes, ATTR.numSeg);
      const map = attribute(o.attributes, ATTR.pmSegMap);
      const numSegments = num && num.length >= 2 ? ((num[0] as number) << 8) | (num[1] as number) : undefined;
      return { handle: o.handle, numSegments, entryMap: map ? decodeSegmentEntryMap(map) : undefined };
    });
}
