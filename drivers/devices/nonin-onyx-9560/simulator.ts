import { HubError } from '../../../shared/errors.ts';
import { concatBytes, type Simulator, type SimulatorContext, sleep } from '../../kit/index.ts';
import { encodeClockReply, encodeDf7Packet, encodeDf8, encodeSpotCheck, type SpotCheck } from './encode.ts';
import { FORMAT_CODE, type OnyxFormat } from './protocol.ts';

/** The device answers commands only in the first 5 s of a connection (PROTOCOL.md §2). */
const COMMAND_WINDOW_MS = 5000;
/** 9600 8N1: 10 bits a byte. */
const BYTE_MS = 10_000 / 9600;
const MINUTE = 60_000;
/** How long the simulator waits for the host to speak before it plays anyway. */
const HOST_WAIT_MS = 20_000;

/** What a scenario does once connected, given the device's clock and the format the host selected. */
interface Scenario {
  description: string;
  /** Device clock minus the simulator clock. */
  clockOffsetMs?: number;
  play(io: Io): Promise<void>;
}

interface Io {
  deviceNow(): Date;
  format(): OnyxFormat;
  send(bytes: Uint8Array): Promise<void>;
  wait(ms: number): Promise<void>;
  spot(s: Omit<SpotCheck, 'time'>, agoMs?: number): Promise<void>;
}

/** DF8 for `seconds` seconds, or DF7 packets at three a second, with the values of each second. */
async function streamSeconds(io: Io, seconds: number, value: (i: number) => { hr: number; spo2: number } | undefined): Promise<void> {
  for (let i = 0; i < seconds; i++) {
    const v = value(i);
    // Still in DF13 (the host selected nothing): the oximeter does not stream.
    if (io.format() === 'df13') await io.wait(1000);
    else if (io.format() === 'df7') {
      for (let p = 0; p < 3; p++) {
        await io.send(v ? encodeDf7Packet(v.hr, v.spo2, i * 3 + p) : encodeDf7Packet(511, 127, i * 3 + p, { sensorAlarm: true }));
        await io.wait(1000 / 3);
      }
    } else {
      await io.send(v ? encodeDf8(v.hr, v.spo2) : encodeDf8(511, 127, { sensorAlarm: true }));
      await io.wait(1000);
    }
  }
}

const SCENARIOS: Record<string, Scenario> = {
  'spot-check': {
    description: 'DF13: one spot check 1 s after connecting, SpO2 97 / pulse 72, SPA (1 reading)',
    play: async (io) => io.spot({ hr: 72, spo2: 97, highQuality: true }),
  },
  memory: {
    description: 'DF13, device clock 7 min slow: two records from memory (2 h and 1 h ago), then a live one (3 readings; the stored ones at their corrected device time)',
    clockOffsetMs: -7 * MINUTE,
    play: async (io) => {
      await io.spot({ hr: 81, spo2: 95, fromMemory: true, highQuality: true }, 120 * MINUTE);
      await io.spot({ hr: 77, spo2: 96, fromMemory: true }, 60 * MINUTE);
      await io.spot({ hr: 70, spo2: 98, highQuality: true, lowBattery: true });
    },
  },
  'no-measurement': {
    description: 'DF13: a record with NOMS set and one with the missing-data codes (no reading)',
    play: async (io) => {
      await io.spot({ hr: 511, spo2: 127, noMeasurement: true });
      await io.spot({ hr: 511, spo2: 127 });
    },
  },
  continuous: {
    description: 'DF8 or DF7 as the host selected (option dataFormat): finger out 2 s, SpO2 97 / pulse 72–73 for 13 s, finger out 1 s (1 reading)',
    play: async (io) => {
      await streamSeconds(io, 2, () => undefined);
      await streamSeconds(io, 13, (i) => ({ hr: 72 + (i % 2), spo2: 97 }));
      await streamSeconds(io, 1, () => undefined);
    },
  },
  stream: {
    description: 'Endless DF13: a spot check every 20 s with changing values, until stopped (demo mode)',
    play: async (io) => {
      for (let round = 0; ; round++) {
        await io.spot({ hr: 64 + (round % 5) * 4, spo2: 95 + (round % 4), highQuality: round % 3 !== 2 });
        await io.wait(19_000);
      }
    },
  },
};

/** Every frame loses its last two bytes (fault `truncate`), or its checksum is off by one (`bad-checksum`). */
function applyFault(fault: string | undefined, bytes: Uint8Array, checksumAt: number | undefined): Uint8Array {
  if (fault === 'truncate') return bytes.subarray(0, Math.max(1, bytes.length - 2));
  if (fault === 'bad-checksum' && checksumAt !== undefined) {
    const out = bytes.slice();
    out[checksumAt] = ((out[checksumAt] ?? 0) + 1) & 0xff;
    return out;
  }
  return bytes;
}

/**
 * The oximeter's side: answers read-clock, set-clock and select-format during the first 5 s
 * (ACK 06 for a known format), then plays the scenario in the selected format (DF13 by default).
 */
export const simulator: Simulator = {
  scenarios: Object.entries(SCENARIOS).map(([name, s]) => ({ name, description: s.description })),

  async run(ctx: SimulatorContext): Promise<void> {
    const scenario = SCENARIOS[ctx.scenario];
    if (!scenario) throw new HubError('CONFIG_INVALID', `nonin-onyx-9560 simulator has no scenario "${ctx.scenario}" (it has: ${Object.keys(SCENARIOS).join(', ')})`);
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const offClose = ctx.link.onClose(onAbort);
    if (ctx.signal.aborted) stop.abort();
    // The command window opens with the connection. On a serial port or pty the simulator cannot
    // see the link come up, so the host's first bytes stand for it (or the start, if it is silent).
    let connectedAt: number | undefined;
    let connected: (() => void) | undefined;
    let offset = scenario.clockOffsetMs ?? 0;
    let format: OnyxFormat = 'df13';
    let replies: Promise<void> = Promise.resolve();
    let heard: number[] = [];
    const send = async (bytes: Uint8Array): Promise<void> => {
      await ctx.link.write(bytes);
      // Write, then wait the wire time (docs/adding-a-driver.md §11).
      await sleep(ctx.clock, bytes.length * BYTE_MS, stop.signal);
    };
    const deviceNow = (): Date => new Date(ctx.clock.now() + offset);
    const reply = (bytes: Uint8Array): void => {
      replies = replies.then(() => send(bytes)).catch(() => undefined);
    };
    // Host commands `02 op len … 03` (PROTOCOL.md §2), taken only inside the command window.
    const offData = ctx.link.onData((chunk) => {
      connectedAt ??= ctx.clock.now();
      connected?.();
      if (ctx.clock.now() - connectedAt > COMMAND_WINDOW_MS) return;
      heard = [...heard, ...chunk].slice(-64);
      for (;;) {
        const start = heard.indexOf(0x02);
        if (start < 0 || heard.length < start + 4) return;
        const total = 4 + (heard[start + 2] ?? 0);
        if (heard.length < start + total) return;
        const command = heard.slice(start, start + total);
        heard = heard.slice(start + total);
        const [, op, len] = command;
        if (command[total - 1] !== 0x03) continue;
        if (op === 0x72 && len === 0) reply(applyFault(ctx.fault, encodeClockReply(deviceNow()), undefined));
        else if (op === 0x72 && len === 6) {
          const [y, mo, d, h, mi, s] = command.slice(3, 9) as [number, number, number, number, number, number];
          offset = new Date(2000 + y, mo - 1, d, h, mi, s).getTime() - ctx.clock.now();
        } else if (op === 0x70 && len === 2) {
          const wanted = (Object.keys(FORMAT_CODE) as OnyxFormat[]).find((f) => FORMAT_CODE[f] === command[4]);
          if (wanted) format = wanted;
          reply(Uint8Array.of(wanted ? 0x06 : 0x15));
        }
      }
    });
    const io: Io = {
      deviceNow,
      format: () => format,
      send: async (bytes) => {
        await replies;
        const checksumAt = format === 'df13' ? bytes.length - 2 : undefined;
        if (format === 'df7') {
          // Each 5-byte frame is faulted on its own.
          const frames = Array.from({ length: bytes.length / 5 }, (_, i) => applyFault(ctx.fault, bytes.subarray(i * 5, i * 5 + 5), 4));
          return send(concatBytes(frames));
        }
        return send(applyFault(ctx.fault, bytes, checksumAt));
      },
      wait: (ms) => sleep(ctx.clock, ms, stop.signal),
      spot: async (s, agoMs = 0) => io.send(encodeSpotCheck({ ...s, time: new Date(deviceNow().getTime() - agoMs) })),
    };
    try {
      // The oximeter connects and the host has its command window before the data (PROTOCOL.md §2):
      // wait for the host to speak (at most HOST_WAIT_MS), then give it a second.
      if (connectedAt === undefined) {
        const heardOrTimeout = new AbortController();
        connected = () => heardOrTimeout.abort();
        const onStop = (): void => heardOrTimeout.abort();
        stop.signal.addEventListener('abort', onStop, { once: true });
        await sleep(ctx.clock, HOST_WAIT_MS, heardOrTimeout.signal).catch(() => undefined);
        stop.signal.removeEventListener('abort', onStop);
        connected = undefined;
        connectedAt ??= ctx.clock.now();
      }
      await sleep(ctx.clock, 1000, stop.signal);
      await replies;
      await scenario.play(io);
    } catch (e) {
      if (stop.signal.aborted || ctx.link.closed) return;
      throw e;
    } finally {
      offData();
      ctx.signal.removeEventListener('abort', onAbort);
      offClose();
    }
  },
};
