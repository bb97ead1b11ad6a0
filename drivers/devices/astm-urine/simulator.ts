import { HubError } from '../../../shared/errors.ts';
import { AstmSender, astmMessageFrames } from '../../families/astm/sender.ts';
import { LIS_FRAMES } from '../../families/astm/vectors.ts';
import { type Clock, type Simulator, type SimulatorFault, sleep } from '../../kit/index.ts';
import { manifest } from './manifest.ts';

/** The worked LIS2-A2 urine message (PROTOCOL.md §3), as records without their CRs. */
export const EXAMPLE_RECORDS: readonly string[] = LIS_FRAMES.map((f) => f.text)
  .join('')
  .split('\r')
  .filter((r) => r !== '');

/** A ten-pad strip in the generic codes, two samples, one code the catalog lacks (ASC). */
function genericRecords(stamp: string, sample: number): string[] {
  const r = (n: number, code: string, value: string, unit: string, flag: string): string => `R|${n}|^^^${code}|${value}|${unit}||${flag}||F||OP7||${stamp}`;
  return [
    `H|\\^&|||URI-ASTM^2.1^A7700123|||||HOST||P|1|${stamp}`,
    'P|1||P-1044||Roe^Richard||19711109|M',
    `O|1|U${sample}||^^^UA|R|${stamp}|||||||||U||||||||||F`,
    r(1, 'GLU', '100', 'mg/dL', 'A'),
    r(2, 'BIL', 'neg', '', 'N'),
    r(3, 'KET', '>=80', 'mg/dL', 'A'),
    r(4, 'SG', '1.015', '', 'N'),
    r(5, 'BLD', '1+', '', 'A'),
    r(6, 'pH', '6.5', '', 'N'),
    r(7, 'PRO', '30', 'mg/dl', 'A'),
    r(8, 'UBG', '0.2', 'mg/dL', 'N'),
    r(9, 'NIT', 'neg', '', 'N'),
    r(10, 'LEU', '2+', '', 'A'),
    r(11, 'ASC', '20', 'mg/dL', 'N'),
    'C|1|I|Sample slightly turbid|G',
    `O|2|U${sample + 1}||^^^UA|R|${stamp}|||||||||U||||||||||F`,
    r(1, 'GLU', 'neg', '', 'N'),
    r(2, 'SG', '1.030', '', 'N'),
    r(3, 'pH', '5.0', '', 'N'),
    'L|1|N',
  ];
}

const SCENARIOS = [
  { name: 'strip', description: 'The worked LIS2-A2 urine message (PROTOCOL.md §3): 10 results, a comment split over two frames, frame numbers wrapping (1 reading)' },
  { name: 'generic', description: 'Two samples in the generic codes (GLU … LEU), a patient record, a code the catalog lacks (ASC, unmapped) (2 readings)' },
  { name: 'nak-resend', description: 'As strip, but the first R frame arrives damaged once: the hub NAKs it and the analyzer sends it again (1 reading)' },
  { name: 'enq-while-busy', description: 'The analyzer sends ENQ again in the middle of a message (it restarted); the part sent is dropped and the whole message follows (1 reading)' },
  { name: 'cut', description: 'The analyzer stops in the middle of the message and the connection is cut: nothing is stored, a problem is reported (0 readings)' },
  { name: 'stream', description: 'Endless: a generic two-sample message every 30 s (demo mode)' },
] as const;

/** Gap between two messages of the endless scenario. */
const STREAM_GAP_MS = 30_000;
/** Fault `truncate`: the share of each frame that is sent. */
const TRUNCATE_KEEP = 0.6;
/** `cut`: frames sent before the analyzer stops. */
const CUT_AFTER = 6;

/** E1394 date-time of a clock instant (UTC fields, as the simulated analyzer's clock). */
function stampOf(clock: Clock): string {
  return new Date(clock.now()).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** A frame with its checksum wrong (the first checksum digit changed). */
function damaged(frame: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(frame);
  const at = copy.length - 4;
  const digit = String.fromCharCode(copy[at] ?? 0x30);
  copy[at] = (digit === '0' ? '1' : '0').charCodeAt(0);
  return copy;
}

function applyFault(frames: Uint8Array[], fault: SimulatorFault | undefined): Uint8Array[] {
  if (fault === 'bad-checksum') return frames.map(damaged);
  if (fault === 'truncate') return frames.map((f) => f.subarray(0, Math.floor(f.length * TRUNCATE_KEEP)));
  return frames;
}

/** An ASTM urine analyzer sending as E1381 says (PROTOCOL.md §6), on `ctx.clock`. */
export const simulator: Simulator = {
  scenarios: SCENARIOS,
  async run({ link, clock, signal, scenario, fault }) {
    if (!SCENARIOS.some((s) => s.name === scenario)) {
      throw new HubError('CONFIG_INVALID', `astm-urine simulator has no scenario "${scenario}" (it has: ${SCENARIOS.map((s) => s.name).join(', ')})`);
    }
    const baudRate = manifest.transport.type === 'serial' ? manifest.transport.serial.baudRate : undefined;
    const sender = new AstmSender(link, clock, baudRate ? { baudRate } : {});
    try {
      if (scenario === 'stream') {
        for (let n = 1; !signal.aborted && !link.closed; n += 2) {
          await sender.sendMessage(applyFault(astmMessageFrames(genericRecords(stampOf(clock), n)), fault), signal);
          await sleep(clock, STREAM_GAP_MS, signal).catch(() => undefined);
        }
        return;
      }
      const records = scenario === 'generic' ? genericRecords(stampOf(clock), 1) : EXAMPLE_RECORDS;
      const frames = applyFault(astmMessageFrames(records), fault);
      if (scenario === 'strip' || scenario === 'generic') {
        await sender.sendMessage(frames, signal);
        return;
      }
      if ((await sender.establish(signal)) !== 'ok') return;
      if (scenario === 'nak-resend') {
        // Frame 4 is the first R record; its first copy arrives with a wrong checksum.
        for (const [i, frame] of frames.entries()) {
          if ((await sender.sendFrame(frame, signal, i === 3 ? damaged(frame) : undefined)) !== 'ok') return;
        }
      } else if (scenario === 'enq-while-busy') {
        for (const frame of frames.slice(0, 3)) if ((await sender.sendFrame(frame, signal)) !== 'ok') return;
        // The analyzer starts over mid-message: ENQ again, then the whole message from frame 1.
        if ((await sender.establish(signal)) !== 'ok') return;
        for (const frame of frames) if ((await sender.sendFrame(frame, signal)) !== 'ok') return;
      } else {
        for (const frame of frames.slice(0, CUT_AFTER)) if ((await sender.sendFrame(frame, signal)) !== 'ok') return;
        // Half a frame, then the connection goes.
        const next = frames[CUT_AFTER];
        if (next) await sender.write(next.subarray(0, 20), signal);
        await link.close();
        return;
      }
      await sender.end(signal);
    } finally {
      sender.dispose();
    }
  },
};
