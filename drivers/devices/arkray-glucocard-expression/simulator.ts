import { HubError } from '../../../shared/errors.ts';
import { type Simulator, type SimulatorContext, serveRequests, sleep } from '../../kit/index.ts';
import { encodeSlot } from './decode.ts';
import { HOST_START, MEMORY_SLOTS, METER_START, OPCODE, PacketFramer, encodePacket } from './protocol.ts';

/** 19200 baud, 10 bits a byte (PROTOCOL.md §1): written, then waited (docs/adding-a-driver.md §11). */
const BAUD = 19_200;
/** Minutes between two records: 5 h 11 min. */
const SPACING_MS = (5 * 60 + 11) * 60_000;

interface Setup {
  records: number | 'example';
  serial?: string;
  clockOffsetMs?: number;
  /** The first READ GLUCOSE has one record whose field sum is wrong. */
  corruptOnce?: boolean;
}

const SCENARIOS: Readonly<Record<string, Setup>> = {
  memory: { records: 60 },
  empty: { records: 0 },
  'notes-example': { records: 'example', serial: 'GX123456' },
  'checksum-error': { records: 20, corruptOnce: true },
  'clock-off': { records: 10, clockOffsetMs: -2 * 60 * 60 * 1000 },
  big: { records: MEMORY_SLOTS },
};

/** The notes' constructed record (PROTOCOL.md §5): 2024-03-05 07:42, 104 mg/dL, not control. */
const EXAMPLE_SLOT = [0x98, 0x30, 0xe5, 0xa8, 0x68, 0x00, 0xba, 0x00];

function slotAt(epochMs: number, i: number): number[] {
  const t = new Date(epochMs); // the meter keeps local time
  const base = { year: t.getFullYear(), month: t.getMonth() + 1, day: t.getDate(), hour: t.getHours(), minute: t.getMinutes() };
  if (i % 13 === 6) return encodeSlot({ ...base, value: 95 + (i % 11), control: true });
  if (i === 3) return encodeSlot({ ...base, value: 600 });
  if (i === 8) return encodeSlot({ ...base, value: 20 });
  return encodeSlot({ ...base, value: 55 + ((i * 41) % 300) });
}

/** One simulated meter in PC Link Mode: answers every 11-byte host packet (PROTOCOL.md §2–3). */
class SimulatedMeter {
  private offsetMs: number;
  private corruptPending: boolean;
  private readonly framer = new PacketFramer(HOST_START);

  constructor(
    private readonly ctx: SimulatorContext,
    private readonly setup: Setup,
    private readonly stop: AbortSignal,
  ) {
    this.offsetMs = setup.clockOffsetMs ?? 0;
    this.corruptPending = setup.corruptOnce ?? false;
    this.memoryAt = this.meterNow();
  }

  /** The meter clock when its memory was made: stored records do not move with the clock. */
  private readonly memoryAt: number;

  private meterNow(): number {
    return this.ctx.clock.now() + this.offsetMs;
  }

  async handle(chunk: Uint8Array): Promise<void> {
    for (const packet of this.framer.push(chunk).frames) {
      const p = packet.payload;
      switch (packet.op) {
        case OPCODE.ping:
          await this.reply(OPCODE.ping, [0x01]);
          break;
        case OPCODE.readSerial:
          await this.reply(OPCODE.readSerial, [...(this.setup.serial ?? 'GX480913')].reverse().map((c) => c.charCodeAt(0)));
          break;
        case OPCODE.readClock: {
          const t = this.setup.records === 'example' ? new Date(2024, 2, 5, 14, 30) : new Date(this.meterNow());
          const packed = (t.getDate() & 0x1f) | (t.getHours() << 5) | (t.getMinutes() << 10);
          await this.reply(OPCODE.readClock, [t.getFullYear() - 2000, t.getMonth() + 1, packed & 0xff, packed >> 8]);
          break;
        }
        case OPCODE.writeClock: {
          const next = new Date(2000 + (p[0] ?? 0), (p[1] ?? 1) - 1, p[2] ?? 1, p[3] ?? 0, p[4] ?? 0);
          this.offsetMs = next.getTime() - this.ctx.clock.now();
          await this.reply(OPCODE.writeClock, [0x01]);
          break;
        }
        case OPCODE.readMemory:
          await this.memory();
          break;
        default:
          break; // a real meter ignores what it does not know
      }
    }
  }

  private async memory(): Promise<void> {
    const now = this.memoryAt;
    for (let i = 0; i < MEMORY_SLOTS; i++) {
      let slot: number[];
      if (this.setup.records === 'example') slot = i === 0 ? EXAMPLE_SLOT : new Array<number>(8).fill(0xff);
      else slot = i < this.setup.records ? slotAt(now - (i + 1) * SPACING_MS, i) : new Array<number>(8).fill(0xff);
      if (i === 0 && this.corruptPending && this.setup.records !== 0) {
        // The stored field sum no longer matches the record (the packet checksum still does).
        this.corruptPending = false;
        slot = [...slot.slice(0, 6), ((slot[6] ?? 0) + 1) & 0xff, slot[7] ?? 0];
      }
      await this.reply(OPCODE.readMemory, slot);
    }
  }

  private async reply(op: number, payload: readonly number[]): Promise<void> {
    let bytes = encodePacket(METER_START, op, payload);
    if (this.ctx.fault === 'bad-checksum') bytes[10] = ((bytes[10] ?? 0) + 1) & 0xff;
    if (this.ctx.fault === 'truncate') bytes = bytes.slice(0, 6);
    if (this.stop.aborted) return;
    await this.ctx.link.write(bytes);
    await sleep(this.ctx.clock, (bytes.length * 10 * 1000) / BAUD, this.stop);
  }
}

/** The meter's side over a byte link, on `ctx.clock` only, until the host hangs up. */
export const simulator: Simulator = {
  scenarios: [
    { name: 'memory', description: 'GLUCOCARD Expression, mg/dL, 60 records (controls, a HI 600, a LO 20) and 240 empty slots' },
    { name: 'empty', description: 'All 300 slots empty' },
    { name: 'notes-example', description: 'The constructed record of PROTOCOL.md §5 (2024-03-05 07:42, 104 mg/dL), meter clock 2024-03-05 14:30' },
    { name: 'checksum-error', description: 'The first download has one record whose field sum is wrong; the second is whole' },
    { name: 'clock-off', description: 'Meter clock 2 hours behind the workstation' },
    { name: 'big', description: 'All 300 slots used (benchmark)' },
  ],
  async run(ctx) {
    const setup = SCENARIOS[ctx.scenario];
    if (!setup) throw new HubError('CONFIG_INVALID', `the GLUCOCARD Expression simulator has no scenario "${ctx.scenario}" (scenarios: ${Object.keys(SCENARIOS).join(', ')})`);
    await serveRequests(ctx, (stop) => new SimulatedMeter(ctx, setup, stop));
  },
};
