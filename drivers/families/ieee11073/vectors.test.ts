import { describe, expect, it } from 'vitest';
import { toHex } from '../../kit/index.ts';
import {
  ACTION,
  DATA,
  EVENT,
  MderWriter,
  decodeApdu,
  decodeEventReport,
  decodeSegmentDataEvent,
  encodeAare,
  encodeAbsoluteTime,
  encodeAction,
  encodeAllSegmentsSelection,
  encodeConfigReportResponse,
  encodeEventReport,
  encodeGet,
  encodePrst,
  encodeRelease,
  encodeSegmentDataResult,
  encodeTrigArgs,
  managerAssociationInfo,
  ASSOC_RESULT,
  RELEASE_REASON,
  decodeSfloat,
} from './index.ts';

/** Hex text (spaces and line breaks ignored) → bytes. */
const hex = (s: string): Uint8Array => Uint8Array.from(s.trim().split(/\s+/u).map((b) => Number.parseInt(b, 16)));
const same = (bytes: Uint8Array, expected: string): void => expect(toHex(bytes)).toBe(toHex(hex(expected)));

/** The published and constructed vectors of README.md §7, reproduced byte for byte. */
describe('IEEE 11073-20601 vectors', () => {
  it('GET MDS (all attributes) equals the capture of Roche’s own software talking to an Accu-Chek Instant', () => {
    same(encodePrst(2, DATA.roivGet, encodeGet(0)), 'E7 00 00 0E 00 0C 00 02 01 03 00 06 00 00 00 00 00 00');
  });

  it('AARE "accepted-unknown-config" is Tidepool’s 48 bytes', () => {
    const aare = encodeAare(ASSOC_RESULT.acceptedUnknownConfig, managerAssociationInfo(hex('12 34 56 78 87 65 43 21')));
    same(aare, 'E3 00 00 2C 00 03 50 79 00 26 80 00 00 02 80 00 80 00 00 00 00 00 00 00 80 00 00 00 00 08 12 34 56 78 87 65 43 21 00 00 00 00 00 00 00 00 00 00');
    const back = decodeApdu(aare);
    expect(back.ok && back.apdu.kind === 'aare' && back.apdu.result).toBe(3);
  });

  it('configuration response echoes report id 0x4000, accepted', () => {
    const rsp = encodePrst(1, DATA.rorsConfirmedEventReport, encodeEventReport({ handle: 0, time: 0, eventType: EVENT.config, info: encodeConfigReportResponse(0x4000, 0) }));
    same(rsp, 'E7 00 00 16 00 14 00 01 02 01 00 0E 00 00 00 00 00 00 0D 1C 00 04 40 00 00 00');
  });

  it('SEG_GET_INFO for all segments (emogenet’s correct length 00 0C)', () => {
    same(encodePrst(3, DATA.roivConfirmedAction, encodeAction({ handle: 0x10, actionType: ACTION.segGetInfo, args: encodeAllSegmentsSelection() })), 'E7 00 00 14 00 12 00 03 01 07 00 0C 00 10 0C 0D 00 06 00 01 00 02 00 00');
  });

  it('SET_TIME 2024-03-05 14:30:00', () => {
    const args = new MderWriter().bytes(encodeAbsoluteTime({ year: 2024, month: 3, day: 5, hour: 14, minute: 30, second: 0, hundredths: 0 })).u32(0).finish();
    same(encodePrst(7, DATA.roivConfirmedAction, encodeAction({ handle: 0, actionType: ACTION.setTime, args })), 'E7 00 00 1A 00 18 00 07 01 07 00 12 00 00 0C 17 00 0C 20 24 03 05 14 30 00 00 00 00 00 00');
  });

  it('SEG_TRIG_XFER segment 0', () => {
    same(encodePrst(4, DATA.roivConfirmedAction, encodeAction({ handle: 0x10, actionType: ACTION.segTrigXfer, args: encodeTrigArgs(0) })), 'E7 00 00 10 00 0E 00 04 01 07 00 08 00 10 0C 1C 00 02 00 00');
  });

  it('the constructed segment-data event decodes, and its confirmation is the notes’ 34 bytes', () => {
    const event = hex(`E7 00 00 38 00 36 00 05 01 01 00 30 00 10 FF FF FF FF 0D 21 00 26
      00 00 00 00 00 00 00 00 00 02 C0 00 00 18
      20 24 03 05 07 42 00 00 00 68 00 00
      20 24 03 04 21 05 00 00 07 FE 00 00`);
    const apdu = decodeApdu(event);
    if (!apdu.ok || apdu.apdu.kind !== 'prst') throw new Error('not a PRST');
    expect(apdu.apdu.invokeId).toBe(5);
    const report = decodeEventReport(apdu.apdu.message);
    expect(report).toMatchObject({ handle: 0x10, time: 0xffffffff, eventType: EVENT.segmentData });
    const data = report && decodeSegmentDataEvent(report.info);
    expect(data).toMatchObject({ instance: 0, firstIndex: 0, count: 2, status: 0xc000 });
    expect(data?.entries.length).toBe(24);
    if (!report || !data) return;
    const confirm = encodePrst(5, DATA.rorsConfirmedEventReport, encodeEventReport({ handle: report.handle, time: report.time, eventType: report.eventType, info: encodeSegmentDataResult(data) }));
    same(confirm, 'E7 00 00 1E 00 1C 00 05 02 01 00 16 00 10 FF FF FF FF 0D 21 00 0C 00 00 00 00 00 00 00 00 00 02 00 80');
  });

  it('release: RLRQ and RLRE normal', () => {
    same(encodeRelease('rlrq', RELEASE_REASON.normal), 'E4 00 00 02 00 00');
    same(encodeRelease('rlre', RELEASE_REASON.normal), 'E5 00 00 02 00 00');
  });

  it('SFLOAT: 0x0068 is 104, the specials are named, negative exponents keep their decimals', () => {
    expect(decodeSfloat(0x0068)).toEqual({ kind: 'number', value: 104, decimals: 0 });
    expect(decodeSfloat(0x07fe)).toEqual({ kind: '+inf' });
    expect(decodeSfloat(0x0802)).toEqual({ kind: '-inf' });
    expect(decodeSfloat(0x07ff)).toEqual({ kind: 'nan' });
    expect(decodeSfloat(0x0800)).toEqual({ kind: 'nres' });
    expect(decodeSfloat(0xf068)).toEqual({ kind: 'number', value: 10.4, decimals: 1 });
    expect(decodeSfloat(0x0fff)).toEqual({ kind: 'number', value: -1, decimals: 0 });
  });
});
