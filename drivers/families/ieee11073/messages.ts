import { MderReader, MderWriter } from './mder.ts';
import { DATA } from './nomenclature.ts';

/**
 * The DATA-apdu messages inside a PRST (README.md §4): event reports, GET and confirmed actions,
 * both directions, and the error answers. Decoders return undefined for bytes that do not fit
 * the message; they never throw.
 */

/** An event report (roiv 0x0100/0x0101) or its confirmation (rors 0x0201). */
export interface EventReport {
  handle: number;
  /** RelativeTime of the event (or the manager's current time in a confirmation). */
  time: number;
  eventType: number;
  info: Uint8Array;
}

/** A GET answer (rors 0x0203): the object's attributes. */
export interface GetResult {
  handle: number;
  attributes: Attribute[];
}

/** A confirmed action (roiv 0x0107) or its answer (rors 0x0207). */
export interface ActionMessage {
  handle: number;
  actionType: number;
  args: Uint8Array;
}

/** An attribute value assertion: id and raw value. */
export interface Attribute {
  id: number;
  value: Uint8Array;
}

/** An error answer: roer (error value) or rorj (reject problem). */
export interface ErrorAnswer {
  kind: 'roer' | 'rorj';
  code: number;
}

export function decodeEventReport(message: Uint8Array): EventReport | undefined {
  const r = new MderReader(message);
  const report = { handle: r.u16(), time: r.u32(), eventType: r.u16(), info: r.octetString() };
  return r.failed ? undefined : report;
}

export function encodeEventReport(report: EventReport): Uint8Array {
  return new MderWriter().u16(report.handle).u32(report.time).u16(report.eventType).octetString(report.info).finish();
}

/** AttributeList: count, length, AVAs. Undefined when the bytes do not hold the list they announce. */
export function readAttributeList(r: MderReader): Attribute[] | undefined {
  const count = r.u16();
  const list = r.sub(r.u16());
  const out: Attribute[] = [];
  for (let i = 0; i < count; i++) {
    const id = list.u16();
    const value = list.octetString();
    if (list.failed) return undefined;
    out.push({ id, value });
  }
  return r.failed ? undefined : out;
}

export function writeAttributeList(w: MderWriter, attributes: readonly Attribute[]): MderWriter {
  const list = new MderWriter();
  for (const a of attributes) list.u16(a.id).octetString(a.value);
  return w.u16(attributes.length).octetString(list.finish());
}

export function decodeGetResult(message: Uint8Array): GetResult | undefined {
  const r = new MderReader(message);
  const handle = r.u16();
  const attributes = readAttributeList(r);
  return attributes && !r.failed ? { handle, attributes } : undefined;
}

export function encodeGetResult(result: GetResult): Uint8Array {
  return writeAttributeList(new MderWriter().u16(result.handle), result.attributes).finish();
}

/** roiv-cmip-get of the listed attributes; an empty list asks for all of them (README.md §4). */
export function encodeGet(handle: number, attributeIds: readonly number[] = []): Uint8Array {
  const ids = new MderWriter();
  for (const id of attributeIds) ids.u16(id);
  return new MderWriter().u16(handle).u16(attributeIds.length).octetString(ids.finish()).finish();
}

export function decodeGet(message: Uint8Array): { handle: number; attributeIds: number[] } | undefined {
  const r = new MderReader(message);
  const handle = r.u16();
  const count = r.u16();
  const list = r.sub(r.u16());
  const attributeIds: number[] = [];
  for (let i = 0; i < count; i++) attributeIds.push(list.u16());
  return r.failed || list.failed ? undefined : { handle, attributeIds };
}

export function decodeAction(message: Uint8Array): ActionMessage | undefined {
  const r = new MderReader(message);
  const action = { handle: r.u16(), actionType: r.u16(), args: r.octetString() };
  return r.failed ? undefined : action;
}

export function encodeAction(action: ActionMessage): Uint8Array {
  return new MderWriter().u16(action.handle).u16(action.actionType).octetString(action.args).finish();
}

/** roer (error-value u16, then a parameter) or rorj (problem u16). */
export function decodeErrorAnswer(choice: number, message: Uint8Array): ErrorAnswer | undefined {
  if (choice !== DATA.roer && choice !== DATA.rorj) return undefined;
  const r = new MderReader(message);
  const code = r.u16();
  return r.failed ? undefined : { kind: choice === DATA.roer ? 'roer' : 'rorj', code };
}
