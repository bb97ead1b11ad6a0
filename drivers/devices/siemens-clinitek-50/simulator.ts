import { HubError } from '../../../shared/errors.ts';
import { serveRequests, type Simulator, type SimulatorContext, sleep } from '../../kit/index.ts';
import { ACK, DC2, DC3, ENQ, NAK, encodePacket } from './protocol.ts';

/** Wire time per byte at 9600 8N1 (10 bits), in ms: written, then waited (docs/adding-a-driver.md §11). */
const BYTE_MS = 10_000 / 9600;
/** Fault `truncate`: the share of each packet that is sent (and no ETX). */
const TRUNCATE_KEEP = 0.6;

/** One pad as the analyzer prints it: code, value, abnormal mark. */
type Pad = readonly [code: string, value: string, abnormal?: boolean];

interface StoredResult {
  /** How long before the session the strip was read, in minutes; or a fixed `yyMMddHHmm`. */
  readonly at: number | string;
  readonly sequence: number;
  readonly colour: string;
  readonly pads: readonly Pad[];
}

interface Scenario {
  readonly description: string;
  /** The ID packet's first line after `6510`, when fixed (the real capture); else from the clock. */
  readonly idStamp?: string;
  readonly profile: string;
  readonly strip: string;
  readonly results: readonly StoredResult[];
  /** The packet of result `index` goes out damaged (one bit flipped) its first `times` sends. */
  readonly damage?: { readonly index: number; readonly times: number };
  /** The byte this unit takes as "request data" (PROTOCOL.md §3: DC2 in the captures, DC3 in the vendor's table). */
  readonly request?: typeof DC2 | typeof DC3;
}

/** The German result of the data capture (PROTOCOL.md §4), pads as quoted there. */
const GERMAN_CAPTURE: readonly Pad[] = [
  ['GLU', 'NEGATIV'], ['BIL', 'NEGATIV'], ['KET', 'NEGATIV'], ['SG', '>=1.030'], ['pH', '5.0'],
  ['PRO', 'NEGATIV'], ['UBG', '0.2 mg/dL'], ['NIT', 'NEGATIV'], ['OBL', 'Ca 10 Ery/uL', true], ['LEU', '0 Leu/uL'],
];
const GERMAN_INFECTION: readonly Pad[] = [
  ['GLU', '100 mg/dL', true], ['BIL', 'NEGATIV'], ['KET', 'SPUR', true], ['SG', '1.020'], ['pH', '6.0'],
  ['PRO', '30 mg/dL', true], ['UBG', '0.2 mg/dL'], ['NIT', 'POSITIV', true], ['OBL', 'Ca 50 Ery/uL', true], ['LEU', 'Ca 125 Leu/uL', true],
];
const GERMAN_CLEAN: readonly Pad[] = [
  ['GLU', 'NEGATIV'], ['BIL', 'NEGATIV'], ['KET', 'NEGATIV'], ['SG', '1.010'], ['pH', '7.0'],
  ['PRO', 'NEGATIV'], ['UBG', '0.2 mg/dL'], ['NIT', 'NEGATIV'], ['OBL', 'NEGATIV'], ['LEU', '0 Leu/uL'],
];
const ENGLISH_ABNORMAL: readonly Pad[] = [
  ['GLU', 'NEGATIVE'], ['BIL', 'NEGATIVE'], ['KET', 'TRACE', true], ['SG', '1.025'], ['pH', '6.5'],
  ['PRO', '30 mg/dL', true], ['UBG', '0.2 mg/dL'], ['NIT', 'NEGATIVE'], ['BLD', 'MODERATE', true], ['LEU', 'SMALL', true],
];
const ENGLISH_CLEAN: readonly Pad[] = [
  ['GLU', 'NEGATIVE'], ['BIL', 'NEGATIVE'], ['KET', 'NEGATIVE'], ['SG', '<=1.005'], ['pH', '7.5'],
  ['PRO', 'NEGATIVE'], ['UBG', '1.0 mg/dL'], ['NIT', 'NEGATIVE'], ['BLD', 'NEGATIVE'], ['LEU', 'NEGATIVE'],
];

const GERMAN = { profile: 'DEUTSCH - CONV.', strip: 'MULTISTIX 10 SG' } as const;
const THREE_GERMAN: readonly StoredResult[] = [
  { at: 180, sequence: 6, colour: 'GELB', pads: GERMAN_CLEAN },
  { at: 95, sequence: 7, colour: 'DUNKEL GELB', pads: GERMAN_INFECTION },
  { at: 20, sequence: 8, colour: 'HELL GELB', pads: GERMAN_CAPTURE },
];

/** 500 stored results, oldest first, one every 30 minutes (the download benchmark's memory, bench/download-time.ts). */
const BIG_MEMORY: readonly StoredResult[] = Array.from({ length: 500 }, (_, i) => ({
  at: (500 - i) * 30,
  sequence: i + 1,
  colour: ['GELB', 'HELL GELB', 'DUNKEL GELB'][i % 3] ?? 'GELB',
  pads: [GERMAN_CLEAN, GERMAN_INFECTION, GERMAN_CAPTURE][i % 3] ?? GERMAN_CLEAN,
}));

const SCENARIOS: Readonly<Record<string, Scenario>> = {
  memory: { description: 'Three stored German results (DEUTSCH - CONV., Multistix 10 SG), then NAK: no more data', ...GERMAN, results: THREE_GERMAN },
  german: { description: 'One German result: the data capture of the notes (HELL GELB, OBL* Ca 10 Ery/uL)', ...GERMAN, results: [{ at: 5, sequence: 8, colour: 'HELL GELB', pads: GERMAN_CAPTURE }] },
  english: {
    description: 'Two English results (ENGLISH - CONV.)',
    profile: 'ENGLISH - CONV.',
    strip: 'MULTISTIX 10 SG',
    results: [
      { at: 60, sequence: 41, colour: 'YELLOW', pads: ENGLISH_ABNORMAL },
      { at: 10, sequence: 42, colour: 'STRAW', pads: ENGLISH_CLEAN },
    ],
  },
  corrupted: { description: 'Three German results; the second packet arrives damaged once, is NAKed and comes again whole', ...GERMAN, results: THREE_GERMAN, damage: { index: 1, times: 1 } },
  'damaged-record': { description: 'Three German results; the second packet is damaged every time: NAKed twice, then skipped', ...GERMAN, results: THREE_GERMAN, damage: { index: 1, times: Number.POSITIVE_INFINITY } },
  'no-data': { description: 'An empty memory: the first data request is answered NAK', ...GERMAN, results: [] },
  'dc3-request': { description: 'A unit that takes DC3 as "request data" (the vendor table): DC2 goes unanswered, DC3 works', ...GERMAN, results: THREE_GERMAN.slice(0, 2), request: DC3 },
  big: { description: '500 stored German results (the download benchmark)', ...GERMAN, results: BIG_MEMORY },
  capture: {
    description: 'The real ID packet of the notes (1997 clock, MULTISTIX 8 SG) and the German data capture rebuilt with a computed checksum',
    idStamp: '  01.02 9706201349',
    profile: 'DEUTSCH - CONV.',
    strip: 'MULTISTIX 8 SG',
    results: [{ at: '9703031111', sequence: 8, colour: 'HELL GELB', pads: GERMAN_CAPTURE }],
  },
};

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** `yyMMddHHmm` of a local time. */
export function stampOf(epochMs: number): string {
  const t = new Date(epochMs);
  return `${pad2(t.getFullYear() % 100)}${pad2(t.getMonth() + 1)}${pad2(t.getDate())}${pad2(t.getHours())}${pad2(t.getMinutes())}`;
}

/** The lines of one data packet, padded as the analyzer pads them (PROTOCOL.md §4). */
export function dataLines(result: StoredResult, startMs: number): string[] {
  const stamp = typeof result.at === 'string' ? result.at : stampOf(startMs - result.at * 60_000);
  return [
    `6510  01.02 ${stamp}`,
    `${String(result.sequence).padStart(3, '0')} ${result.colour}`.padEnd(18),
    ...result.pads.map(([code, value, abnormal]) => `${`${code}${abnormal ? '*' : ''}`.padEnd(5)}${value}`.padEnd(20)),
  ];
}

/** One bit flipped in a value byte after the checksum was made: what line noise does. */
function damaged(packet: Uint8Array): Uint8Array {
  const copy = packet.slice();
  const at = Math.floor(copy.length / 2);
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
}

/** The analyzer: answers ENQ, data requests, ACK and NAK on `ctx.clock` (PROTOCOL.md §3). */
function analyzer(ctx: SimulatorContext, s: Scenario, stop: AbortSignal): { handle(chunk: Uint8Array): Promise<void> } {
  const start = ctx.clock.now();
  const request = s.request ?? DC2;
  const sends = new Map<number, number>();
  let cursor = 0;
  let outstanding = false;

  const write = async (bytes: Uint8Array): Promise<void> => {
    await ctx.link.write(bytes);
    await sleep(ctx.clock, bytes.length * BYTE_MS, stop);
  };
  const packet = (lines: string[]): Uint8Array => {
    const whole = encodePacket(lines, { badChecksum: ctx.fault === 'bad-checksum' });
    return ctx.fault === 'truncate' ? whole.subarray(0, Math.floor(whole.length * TRUNCATE_KEEP)) : whole;
  };
  const sendCurrent = async (): Promise<void> => {
    const result = s.results[cursor];
    if (result === undefined) return write(Uint8Array.of(NAK));
    outstanding = true;
    const n = (sends.get(cursor) ?? 0) + 1;
    sends.set(cursor, n);
    const bytes = packet(dataLines(result, start));
    return write(s.damage?.index === cursor && n <= s.damage.times ? damaged(bytes) : bytes);
  };

  const byte = async (b: number): Promise<void> => {
    if (b === ENQ) return write(packet([`6510${s.idStamp ?? `  01.02 ${stampOf(ctx.clock.now())}`}`, s.profile, s.strip]));
    if (b === request) return sendCurrent();
    if (b === NAK && outstanding) return sendCurrent();
    if (b === ACK && outstanding) {
      outstanding = false;
      cursor++;
    }
    // XON, the other request byte and anything else: no answer (PROTOCOL.md §3).
  };
  return {
    async handle(chunk) {
      for (const b of chunk) await byte(b);
    },
  };
}

/** The analyzer's side of the protocol, scenario by scenario. */
export const simulator: Simulator = {
  // It sends its memory once, when asked on its keypad: a second download needs it asked again.
  oneDownloadPerPowerOn: true,
  scenarios: Object.entries(SCENARIOS).map(([name, s]) => ({ name, description: s.description })),
  async run(ctx) {
    const s = SCENARIOS[ctx.scenario];
    if (!s) throw new HubError('CONFIG_INVALID', `siemens-clinitek-50 simulator has no scenario "${ctx.scenario}" (it has: ${Object.keys(SCENARIOS).join(', ')})`);
    await serveRequests(ctx, (stop) => analyzer(ctx, s, stop));
  },
};
