import { describe, expect, it } from 'vitest';
import { isHubError } from '../../../shared/errors.ts';
import { createLinkPair, toHex, VirtualClock, type DriverEvent } from '../../kit/index.ts';
import {
  ACTION,
  ASSOC_RESULT,
  DATA,
  ENCODING_MDER,
  EVENT,
  Manager,
  NOMENCLATURE_VERSION_1,
  OBJ_CLASS,
  PROTOCOL_VERSION_2,
  SYSTEM_TYPE,
  decodeApdu,
  encodeAarq,
  encodeAction,
  encodeConfigReport,
  encodeEventReport,
  encodePrst,
  encodeRelease,
  encodeTrigResult,
  MderWriter,
  type AssociationInfo,
  type ConfigReport,
} from './index.ts';

const AGENT: AssociationInfo = {
  protocolVersion: PROTOCOL_VERSION_2,
  encodingRules: ENCODING_MDER,
  nomenclatureVersion: NOMENCLATURE_VERSION_1,
  functionalUnits: 0,
  systemType: SYSTEM_TYPE.agent,
  systemId: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8),
  devConfigId: 0x4000,
  dataReqModeFlags: 0,
  dataReqInitAgentCount: 1,
  dataReqInitManagerCount: 0,
  options: [],
};
const CONFIG: ConfigReport = { configReportId: 0x4000, objects: [{ objClass: OBJ_CLASS.pmStore, handle: 16, attributes: [] }] };
const configEvent = (invoke: number): Uint8Array =>
  encodePrst(invoke, DATA.roivConfirmedEventReport, encodeEventReport({ handle: 0, time: 0, eventType: EVENT.config, info: encodeConfigReport(CONFIG) }));

/** A manager on one end of a memory pair, a hand-played agent on the other, on a virtual clock. */
function setup(options: { known?: boolean } = {}) {
  const clock = new VirtualClock();
  const pair = createLinkPair({ mode: 'bytes' });
  const events: DriverEvent[] = [];
  const sent: string[] = [];
  pair.device.onData((c) => sent.push(toHex(c)));
  const controller = new AbortController();
  const ctx = { link: pair.host, clock, signal: controller.signal, options: {}, emit: (e: DriverEvent) => events.push(e) };
  const manager = new Manager(ctx, {
    label: 'Test',
    systemId: new Uint8Array(8),
    usable: (c) => c.objects.some((o) => o.objClass === OBJ_CLASS.pmStore),
    ...(options.known ? { knownConfig: () => CONFIG } : {}),
  });
  const agent = (bytes: Uint8Array): Promise<void> => pair.device.write(bytes);
  const problems = (): string[] => events.flatMap((e) => (e.type === 'problem' ? [e.code] : []));
  return { clock, manager, agent, sent, problems, signal: controller.signal };
}

async function settle<T>(clock: VirtualClock, p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  await clock.runUntilIdle();
  return p;
}

async function associated(s: ReturnType<typeof setup>): Promise<void> {
  // The agent's APDUs wait in the link until the manager reads them.
  await s.agent(encodeAarq(AGENT));
  await s.agent(configEvent(1));
  await settle(s.clock, s.manager.associate(s.signal));
}

describe('IEEE 11073 manager', () => {
  it('accepts a known configuration at once (AARE result 0), without waiting for a report', async () => {
    const s = setup({ known: true });
    await s.agent(encodeAarq(AGENT));
    const a = await settle(s.clock, s.manager.associate(s.signal));
    expect(a.configSent).toBe(false);
    const aare = decodeApdu(Uint8Array.from(s.sent[0]?.split(' ').map((h) => Number.parseInt(h, 16)) ?? []));
    expect(aare.ok && aare.apdu.kind === 'aare' && aare.apdu.result).toBe(ASSOC_RESULT.accepted);
  });

  it('rejects an AARQ without MDER and fails with DEVICE_ERROR', async () => {
    const s = setup();
    await s.agent(encodeAarq({ ...AGENT, encodingRules: 0x4000 }));
    const error = await settle(s.clock, s.manager.associate(s.signal)).catch((e: unknown) => e);
    expect(isHubError(error) && error.code).toBe('DEVICE_ERROR');
    expect(s.sent[0]?.startsWith('E3 00 00 06 00 04')).toBe(true);
  });

  it('no AARQ: DEVICE_NO_RESPONSE after the association wait; half an AARQ is reported truncated', async () => {
    const s = setup();
    const aarq = encodeAarq(AGENT);
    await s.agent(aarq.slice(0, 20));
    const error = await settle(s.clock, s.manager.associate(s.signal)).catch((e: unknown) => e);
    expect(isHubError(error) && error.code).toBe('DEVICE_NO_RESPONSE');
    expect(s.problems()).toEqual(['PROTOCOL_TRUNCATED']);
  });

  it('confirms an unexpected event report that arrives while it waits for a GET answer, then takes the answer', async () => {
    const s = setup();
    await associated(s);
    await s.agent(encodePrst(9, DATA.roivConfirmedEventReport, encodeEventReport({ handle: 0, time: 7, eventType: EVENT.scanReportFixed, info: Uint8Array.of(1, 2) })));
    await s.agent(encodePrst(2, DATA.rorsGet, new MderWriter().u16(0).u16(0).u16(0).finish()));
    const mds = await settle(s.clock, s.manager.getMds(s.signal));
    expect(mds.unreadable).toEqual([]);
    expect(s.sent).toContain('E7 00 00 12 00 10 00 09 02 01 00 0A 00 00 00 00 00 07 0D 1F 00 00');
    expect(s.problems()).toEqual(['PROTOCOL_UNEXPECTED']);
  });

  it('an error answer (roer) to a request is a DEVICE_ERROR naming it', async () => {
    const s = setup();
    await associated(s);
    await s.agent(encodePrst(2, DATA.roer, new MderWriter().u16(9).u16(0).finish()));
    const error = await settle(s.clock, s.manager.getMds(s.signal)).catch((e: unknown) => e);
    expect(isHubError(error) && error.message).toMatch(/roer 9/);
  });

  it('the agent aborting mid-transfer ends the transfer with DEVICE_ERROR', async () => {
    const s = setup();
    await associated(s);
    await s.agent(encodePrst(2, DATA.rorsConfirmedAction, encodeAction({ handle: 16, actionType: ACTION.segTrigXfer, args: encodeTrigResult(0, 0) })));
    await s.agent(encodeRelease('abrt', 2));
    const error = await settle(s.clock, s.manager.transferSegment(16, 0, s.signal, () => undefined)).catch((e: unknown) => e);
    expect(isHubError(error) && error.code).toBe('DEVICE_ERROR');
    expect(s.manager.isAssociated).toBe(false);
  });

  it('the agent releasing while the manager waits is answered with RLRE', async () => {
    const s = setup();
    await associated(s);
    await s.agent(encodeRelease('rlrq', 0));
    const error = await settle(s.clock, s.manager.getMds(s.signal)).catch((e: unknown) => e);
    expect(isHubError(error) && error.message).toMatch(/released/);
    expect(s.sent.at(-1)).toBe('E5 00 00 02 00 00');
  });
});
