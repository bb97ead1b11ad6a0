import { ATTR, GLUCOSE, SEG_ENTRY_HEADER, decodeAbsoluteTime, decodeSfloat, formatAbsoluteTime, OBJ_CLASS, PARTITION, type MderNumber, type SegmentEntry, type SegmentEntryMap } from '../../families/ieee11073/index.ts';

/**
 * The layout Tidepool and emogenet assume for every Roche PM-segment entry when the meter's
 * configuration gives none (PROTOCOL.md §5): absolute time, then the glucose value (SFLOAT) and
 * a status word. [INFERRED]
 */
export const ROCHE_ENTRY_MAP: SegmentEntryMap = {
  header: SEG_ENTRY_HEADER.absoluteTime,
  elements: [
    {
      objClass: OBJ_CLASS.numeric,
      metricPartition: PARTITION.scada,
      metricCode: GLUCOSE.capillaryWholeBlood,
      handle: 1,
      attributes: [
        { id: ATTR.nuValObsBasic, length: 2 },
        { id: ATTR.msmtStat, length: 2 },
      ],
    },
  ],
};

/** One stored result in the meter's own terms (PROTOCOL.md §5). */
export interface RocheEntry {
  index: number;
  /** Local meter time `YYYY-MM-DDTHH:MM:SS`. */
  deviceTime: string;
  /** The metric the element names (MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD, or MDC_CONC_GLU_CONTROL). */
  metric: number;
  value: MderNumber;
  /** MeasurementStatus bits (0 = a plain valid result). */
  status: number;
  raw: Uint8Array;
}

export type EntryResult = { ok: true; entry: RocheEntry } | { ok: false; message: string };

const u16 = (b: Uint8Array | undefined): number | undefined => (b && b.length === 2 ? ((b[0] as number) << 8) | (b[1] as number) : undefined);

/** One entry cut by the segment map → a result, or why it cannot be one. Never throws. */
export function decodeEntry(entry: SegmentEntry): EntryResult {
  const stamp = entry.stamps.get(SEG_ENTRY_HEADER.absoluteTime);
  if (!stamp) return { ok: false, message: `entry ${entry.index} has no absolute time` };
  const time = decodeAbsoluteTime(stamp);
  if (!time.ok) return { ok: false, message: `entry ${entry.index}: ${time.reason}` };
  const element = entry.elements.find((e) => e.values.has(ATTR.nuValObsBasic) || e.values.has(ATTR.nuValObsSimp));
  const raw = element?.values.get(ATTR.nuValObsBasic);
  if (!element || !raw) return { ok: false, message: `entry ${entry.index} has no glucose value (basic numeric observed value)` };
  const status = u16(element.values.get(ATTR.msmtStat)) ?? 0;
  return { ok: true, entry: { index: entry.index, deviceTime: formatAbsoluteTime(time.time), metric: element.element.metricCode, value: decodeSfloat(u16(raw) ?? 0), status, raw: entry.raw } };
}
