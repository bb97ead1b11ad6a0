import type { ErrorCode } from '../../../shared/errors.ts';
import { MderReader, MderWriter } from './mder.ts';
import { APDU, DATA_PROTO_ID_20601, ENCODING_MDER, NOMENCLATURE_VERSION_1, PROTOCOL_VERSION_2, SYSTEM_TYPE } from './nomenclature.ts';

/** PhdAssociationInformation: what an agent says about itself in its AARQ, and the manager in its AARE (README.md §3). */
export interface AssociationInfo {
  protocolVersion: number;
  encodingRules: number;
  nomenclatureVersion: number;
  functionalUnits: number;
  systemType: number;
  /** EUI-64 of the system (8 bytes in practice). */
  systemId: Uint8Array;
  devConfigId: number;
  dataReqModeFlags: number;
  dataReqInitAgentCount: number;
  dataReqInitManagerCount: number;
  /** Option list, kept as raw AVAs. */
  options: { id: number; value: Uint8Array }[];
}

/** One APDU, decoded to its kind; a PRST keeps its DATA-apdu undecoded (data.ts reads it). */
export type Apdu =
  | { kind: 'aarq'; assocVersion: number; protocols: { id: number; info: AssociationInfo | undefined }[]; raw: Uint8Array }
  | { kind: 'aare'; result: number; protocolId: number; info: AssociationInfo | undefined; raw: Uint8Array }
  | { kind: 'rlrq' | 'rlre' | 'abrt'; reason: number; raw: Uint8Array }
  | { kind: 'prst'; invokeId: number; choice: number; message: Uint8Array; raw: Uint8Array };

export type ApduResult = { ok: true; apdu: Apdu } | { ok: false; code: Extract<ErrorCode, 'PROTOCOL_GARBAGE' | 'PROTOCOL_TRUNCATED' | 'PROTOCOL_UNEXPECTED'>; message: string };

const bad = (code: Extract<ErrorCode, 'PROTOCOL_GARBAGE' | 'PROTOCOL_TRUNCATED' | 'PROTOCOL_UNEXPECTED'>, message: string): ApduResult => ({ ok: false, code, message });

/** PhdAssociationInformation from its bytes, or undefined when they are short. Never throws. */
export function decodeAssociationInfo(b: Uint8Array): AssociationInfo | undefined {
  const r = new MderReader(b);
  const info: AssociationInfo = {
    protocolVersion: r.u32(),
    encodingRules: r.u16(),
    nomenclatureVersion: r.u32(),
    functionalUnits: r.u32(),
    systemType: r.u32(),
    systemId: r.octetString(),
    devConfigId: r.u16(),
    dataReqModeFlags: r.u16(),
    dataReqInitAgentCount: r.u8(),
    dataReqInitManagerCount: r.u8(),
    options: [],
  };
  const count = r.u16();
  const list = r.sub(r.u16());
  for (let i = 0; i < count && !list.failed; i++) info.options.push({ id: list.u16(), value: list.octetString() });
  return r.failed || list.failed ? undefined : info;
}

/** PhdAssociationInformation to bytes. */
export function encodeAssociationInfo(info: AssociationInfo): Uint8Array {
  const options = new MderWriter();
  for (const o of info.options) options.u16(o.id).octetString(o.value);
  const opt = options.finish();
  return new MderWriter()
    .u32(info.protocolVersion)
    .u16(info.encodingRules)
    .u32(info.nomenclatureVersion)
    .u32(info.functionalUnits)
    .u32(info.systemType)
    .octetString(info.systemId)
    .u16(info.devConfigId)
    .u16(info.dataReqModeFlags)
    .u8(info.dataReqInitAgentCount)
    .u8(info.dataReqInitManagerCount)
    .u16(info.options.length)
    .octetString(opt)
    .finish();
}

/** The manager's own association information (README.md §3): version 2, MDER, manager, no options. */
export function managerAssociationInfo(systemId: Uint8Array): AssociationInfo {
  return {
    protocolVersion: PROTOCOL_VERSION_2,
    encodingRules: ENCODING_MDER,
    nomenclatureVersion: NOMENCLATURE_VERSION_1,
    functionalUnits: 0,
    systemType: SYSTEM_TYPE.manager,
    systemId,
    devConfigId: 0,
    dataReqModeFlags: 0,
    dataReqInitAgentCount: 0,
    dataReqInitManagerCount: 0,
    options: [],
  };
}

/** The largest APDU either side may send; PHDC agents announce far less (README.md §1). */
export const MAX_APDU_BYTES = 0xffff + 4;

/** One whole APDU (choice, length, body) → its kind and fields. Never throws: problems are results. */
export function decodeApdu(raw: Uint8Array): ApduResult {
  if (raw.length < 4) return bad('PROTOCOL_TRUNCATED', `an APDU needs 4 header bytes, got ${raw.length}`);
  const r = new MderReader(raw);
  const choice = r.u16();
  const length = r.u16();
  if (length !== raw.length - 4) return bad('PROTOCOL_TRUNCATED', `APDU length field says ${length} bytes, ${raw.length - 4} present`);
  switch (choice) {
    case APDU.aarq: {
      const assocVersion = r.u32();
      const count = r.u16();
      const list = r.sub(r.u16());
      const protocols: { id: number; info: AssociationInfo | undefined }[] = [];
      for (let i = 0; i < count && !list.failed; i++) {
        const id = list.u16();
        const body = list.octetString();
        protocols.push({ id, info: id === DATA_PROTO_ID_20601 ? decodeAssociationInfo(body) : undefined });
      }
      if (r.failed || list.failed) return bad('PROTOCOL_TRUNCATED', 'AARQ shorter than its data-protocol list');
      return { ok: true, apdu: { kind: 'aarq', assocVersion, protocols, raw } };
    }
    case APDU.aare: {
      const result = r.u16();
      const protocolId = r.u16();
      const body = r.octetString();
      if (r.failed) return bad('PROTOCOL_TRUNCATED', 'AARE shorter than its fields');
      return { ok: true, apdu: { kind: 'aare', result, protocolId, info: body.length > 0 ? decodeAssociationInfo(body) : undefined, raw } };
    }
    case APDU.rlrq:
    case APDU.rlre:
    case APDU.abrt: {
      const reason = r.u16();
      if (r.failed) return bad('PROTOCOL_TRUNCATED', 'release/abort APDU without its reason');
      const kind = choice === APDU.rlrq ? 'rlrq' : choice === APDU.rlre ? 'rlre' : 'abrt';
      return { ok: true, apdu: { kind, reason, raw } };
    }
    case APDU.prst: {
      const inner = r.u16();
      if (inner !== length - 2) return bad('PROTOCOL_TRUNCATED', `PRST octet-string length ${inner} does not fit the APDU length ${length}`);
      const invokeId = r.u16();
      const dataChoice = r.u16();
      const messageLength = r.u16();
      if (r.failed) return bad('PROTOCOL_TRUNCATED', 'PRST shorter than its DATA-apdu header');
      if (messageLength !== r.remaining) return bad('PROTOCOL_TRUNCATED', `DATA-apdu length ${messageLength} does not match the ${r.remaining} bytes present`);
      return { ok: true, apdu: { kind: 'prst', invokeId, choice: dataChoice, message: r.bytes(messageLength), raw } };
    }
    default:
      return bad('PROTOCOL_GARBAGE', `unknown APDU choice 0x${choice.toString(16).padStart(4, '0')}`);
  }
}

function apdu(choice: number, body: Uint8Array): Uint8Array {
  return new MderWriter().u16(choice).octetString(body).finish();
}

/** AARQ (the agent's; the simulator plays it). */
export function encodeAarq(info: AssociationInfo, assocVersion = 0x80000000): Uint8Array {
  const proto = new MderWriter().u16(DATA_PROTO_ID_20601).octetString(encodeAssociationInfo(info)).finish();
  return apdu(APDU.aarq, new MderWriter().u32(assocVersion).u16(1).octetString(proto).finish());
}

/** AARE: the manager's answer, `result` from ASSOC_RESULT; a rejection carries no protocol info. */
export function encodeAare(result: number, info?: AssociationInfo): Uint8Array {
  const body = new MderWriter().u16(result);
  if (info) body.u16(DATA_PROTO_ID_20601).octetString(encodeAssociationInfo(info));
  else body.u16(0).u16(0);
  return apdu(APDU.aare, body.finish());
}

/** RLRQ, RLRE or ABRT with its reason. */
export function encodeRelease(kind: 'rlrq' | 'rlre' | 'abrt', reason: number): Uint8Array {
  return apdu(APDU[kind], new MderWriter().u16(reason).finish());
}

/** A PRST carrying one DATA-apdu: invoke id, message choice, message body. */
export function encodePrst(invokeId: number, choice: number, message: Uint8Array): Uint8Array {
  const data = new MderWriter().u16(invokeId).u16(choice).octetString(message).finish();
  return apdu(APDU.prst, new MderWriter().octetString(data).finish());
}
