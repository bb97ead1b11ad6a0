import { HubError } from '../../../shared/errors.ts';
import type { DeviceIdentity } from '../../../shared/reading.ts';
import { localToEpochMs } from '../../../shared/time.ts';
import type { Driver, DriverContext, DriverSession } from '../../kit/index.ts';
import { COMMAND_ATTEMPTS, Conversation } from './conversation.ts';
import { decodeClock, decodeSerial, decodeSlot } from './decode.ts';
import { decodeProbe } from './decode-probe.ts';
import { manifest } from './manifest.ts';
import { EXPRESSION_FLAGS, normalizeRecord } from './normalize.ts';
import { MEMORY_SLOTS, OPCODE, type Packet } from './protocol.ts';
import { simulator } from './simulator.ts';
import { traceAnnotator } from './trace.ts';
import { storedResultDraft } from '../../families/glucose/stored-draft.ts';

const DEVICE = { manufacturer: 'Arkray', model: 'GLUCOCARD Expression / Embrace TALK' } as const;

/**
 * A download session with a GLUCOCARD Expression or Omnis Embrace TALK in PC Link Mode
 * (PROTOCOL.md §3): ping, serial, clock, then the 300 memory slots, checked whole (every packet
 * and every record's field sum) before any reading is made.
 */
export function createSession(ctx: DriverContext): DriverSession {
  const channel = new Conversation(ctx);
  let device: DeviceIdentity = { ...DEVICE };

  const readClock = async (signal: AbortSignal): Promise<{ skewMs?: number; lost: boolean }> => {
    const reply = await channel.ask(OPCODE.readClock, signal);
    const clock = reply ? decodeClock(reply.payload) : undefined;
    if (clock?.local === undefined) {
      ctx.emit({ type: 'problem', code: reply ? 'PROTOCOL_UNEXPECTED' : 'DEVICE_NO_RESPONSE', message: `${reply ? `the meter clock reads ${clock?.text ?? '?'}, no date and time` : 'the meter did not tell its clock'}: record times are kept as stored; set the meter clock` });
      return { lost: true };
    }
    const skewMs = ctx.clock.now() - localToEpochMs(clock.local);
    ctx.emit({ type: 'device-clock', deviceTime: clock.local, skewMs, canSet: true });
    return { skewMs, lost: false };
  };

  /** One READ GLUCOSE: the 300 slot packets, or undefined when the transfer broke or was damaged. */
  const transfer = async (signal: AbortSignal, shown: { done: number }): Promise<Packet[] | undefined> => {
    channel.lastProblem = undefined;
    await channel.send(OPCODE.readMemory);
    const slots: Packet[] = [];
    while (slots.length < MEMORY_SLOTS) {
      const packet = await channel.next(signal);
      if (packet === undefined) return undefined;
      if (packet.op !== OPCODE.readMemory) continue;
      slots.push(packet);
      if (slots.length > shown.done) ctx.emit({ type: 'progress', done: (shown.done = slots.length), total: MEMORY_SLOTS });
    }
    const bad = slots.map((s) => decodeSlot(s.payload)).filter((d) => d.kind === 'bad');
    if (channel.lastProblem !== undefined || bad.length > 0) {
      ctx.emit({ type: 'problem', code: 'PROTOCOL_CHECKSUM', message: bad.length > 0 ? `${bad.length} record(s) failed their field sum` : `a packet of the download was damaged (${channel.lastProblem})` });
      return undefined;
    }
    return slots;
  };

  const emitRecords = (slots: readonly Packet[], clock: { skewMs?: number; lost: boolean }): void => {
    for (const slot of slots) {
      const decoded = decodeSlot(slot.payload);
      if (decoded.kind !== 'record') continue;
      const { record } = decoded;
      const n = normalizeRecord(record);
      const draft = storedResultDraft({ device, kind: n.kind, observations: n.observations, flags: n.flags, localTime: record.time.local, clock, raw: [slot.raw] }, EXPRESSION_FLAGS);
      ctx.emit({ type: 'reading', draft });
    }
  };

  return {
    async probe(signal) {
      return (await channel.ask(OPCODE.ping, signal, [], 1))?.payload[0] === 0x01;
    },
    async open(signal) {
      const pong = await channel.ask(OPCODE.ping, signal);
      if (pong?.payload[0] !== 0x01) throw new HubError('DEVICE_NO_RESPONSE', 'the meter did not answer the ping: is it in PC Link Mode and on its cable?');
    },
    async identify(signal) {
      const reply = await channel.ask(OPCODE.readSerial, signal);
      const serial = reply ? decodeSerial(reply.payload) : undefined;
      device = { ...DEVICE, ...(serial ? { serial } : {}) };
      return { ...device };
    },
    async acquire(signal) {
      const clock = await readClock(signal);
      ctx.emit({ type: 'progress', done: 0, total: MEMORY_SLOTS });
      const shown = { done: 0 };
      for (let attempt = 1; attempt <= COMMAND_ATTEMPTS; attempt++) {
        const slots = await transfer(signal, shown);
        if (slots) return emitRecords(slots, clock);
      }
      throw new HubError(channel.lastProblem === 'PROTOCOL_CHECKSUM' ? 'PROTOCOL_CHECKSUM' : 'DEVICE_NO_RESPONSE', `the memory download did not arrive whole (${COMMAND_ATTEMPTS} attempts)`);
    },
    async setClock(epochMs, signal) {
      const t = new Date(epochMs); // workstation local time, as the meter keeps it
      const yy = t.getFullYear() - 2000;
      if (yy < 0 || yy > 99) throw new HubError('INPUT_INVALID', `the meter keeps two-digit years (2000–2099); cannot set ${t.getFullYear()}`);
      // PROTOCOL.md §2: payload YY M D H m 00 00 00; the reply's P0 = 01 means done.
      const reply = await channel.ask(OPCODE.writeClock, signal, [yy, t.getMonth() + 1, t.getDate(), t.getHours(), t.getMinutes()]);
      if (reply?.payload[0] !== 0x01) throw new HubError('DEVICE_ERROR', 'the meter did not confirm the new date and time');
    },
    async close() {
      channel.dispose();
    },
  };
}

/** Arkray GLUCOCARD Expression / Omnis Embrace TALK over their serial cable (PROTOCOL.md). */
export const arkrayGlucocardExpressionDriver: Driver = { manifest, createSession, simulator, traceAnnotator, decodeProbe };

