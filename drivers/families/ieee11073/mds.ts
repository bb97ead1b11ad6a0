import { fromLatin1, latin1 } from '../../kit/index.ts';
import { attribute } from './configuration.ts';
import { decodeAbsoluteTime, MderReader, MderWriter, type AbsoluteTime } from './mder.ts';
import type { Attribute } from './messages.ts';
import { ATTR, PROD_SPEC } from './nomenclature.ts';

/** What the MDS object says about the device (README.md §4), each field only when present and readable. */
export interface MdsInfo {
  manufacturer?: string;
  model?: string;
  serial?: string;
  firmware?: string;
  systemId?: Uint8Array;
  devConfigId?: number;
  /** The device clock (MDC_ATTR_TIME_ABS). */
  clock?: AbsoluteTime;
  /** Device specializations with their versions (MDC_ATTR_SYS_TYPE_SPEC_LIST). */
  specializations?: { type: number; version: number }[];
  /** Attributes present but unreadable, in words, for a problem report. */
  unreadable: string[];
}

/** Printable text of a string attribute: trailing NULs and spaces dropped (agents pad to even lengths). */
function text(b: Uint8Array): string {
  return latin1(b).replace(/[\0\s]+$/u, '').replace(/[^\x20-\x7e]/gu, '?');
}

/** The MDS attributes of a GET answer, interpreted. Never throws. */
export function decodeMdsAttributes(attributes: readonly Attribute[]): MdsInfo {
  const out: MdsInfo = { unreadable: [] };
  const model = attribute(attributes, ATTR.idModel);
  if (model) {
    const r = new MderReader(model);
    const manufacturer = text(r.octetString());
    const number = text(r.octetString());
    if (r.failed) out.unreadable.push('model (ID_MODEL)');
    else {
      if (manufacturer) out.manufacturer = manufacturer;
      if (number) out.model = number;
    }
  }
  const spec = attribute(attributes, ATTR.idProdSpecn);
  if (spec) {
    const r = new MderReader(spec);
    const count = r.u16();
    const list = r.sub(r.u16());
    for (let i = 0; i < count && !list.failed; i++) {
      const type = list.u16();
      list.u16(); // component id: which part of the device the entry describes; not needed here
      const value = text(list.octetString());
      if (list.failed) break;
      if (type === PROD_SPEC.serialNumber && value) out.serial = value;
      if ((type === PROD_SPEC.fwRevision || (type === PROD_SPEC.swRevision && out.firmware === undefined)) && value) out.firmware = value;
    }
    if (r.failed || list.failed) out.unreadable.push('production specification (ID_PROD_SPECN)');
  }
  const clock = attribute(attributes, ATTR.timeAbs);
  if (clock) {
    const t = decodeAbsoluteTime(clock);
    if (t.ok) out.clock = t.time;
    else out.unreadable.push(`clock (TIME_ABS: ${t.reason})`);
  }
  const sysId = attribute(attributes, ATTR.sysId);
  if (sysId) {
    const r = new MderReader(sysId);
    const id = r.octetString();
    if (!r.failed) out.systemId = id;
  }
  const config = attribute(attributes, ATTR.devConfigId);
  if (config && config.length === 2) out.devConfigId = ((config[0] as number) << 8) | (config[1] as number);
  const types = attribute(attributes, ATTR.sysTypeSpecList);
  if (types) {
    const r = new MderReader(types);
    const count = r.u16();
    const list = r.sub(r.u16());
    const specializations: { type: number; version: number }[] = [];
    for (let i = 0; i < count; i++) specializations.push({ type: list.u16(), version: list.u16() });
    if (!r.failed && !list.failed) out.specializations = specializations;
  }
  return out;
}

/** The attribute values an agent sends for these facts (the simulator's side). */
export const mdsAttributeValue = {
  model(manufacturer: string, model: string): Uint8Array {
    return new MderWriter().octetString(fromLatin1(manufacturer)).octetString(fromLatin1(model)).finish();
  },
  productionSpec(entries: readonly { type: number; component?: number; value: string }[]): Uint8Array {
    const list = new MderWriter();
    for (const e of entries) list.u16(e.type).u16(e.component ?? 0).octetString(fromLatin1(e.value));
    return new MderWriter().u16(entries.length).octetString(list.finish()).finish();
  },
  systemId(id: Uint8Array): Uint8Array {
    return new MderWriter().octetString(id).finish();
  },
  u16(v: number): Uint8Array {
    return new MderWriter().u16(v).finish();
  },
  specializations(list: readonly { type: number; version: number }[]): Uint8Array {
    const w = new MderWriter();
    for (const s of list) w.u16(s.type).u16(s.version);
    return new MderWriter().u16(list.length).octetString(w.finish()).finish();
  },
};
