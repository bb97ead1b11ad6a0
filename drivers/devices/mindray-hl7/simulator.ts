import { HubError } from '../../../shared/errors.ts';
import { createMllpFramer, type Clock, type Link, mllpFrame, mllpPayload, type Simulator, type SimulatorFault, sleep } from '../../kit/index.ts';
import { dtm, KEEPALIVE_TEXT, type Nibp, type Numerics, pcd01Oru, pds204, pds503 } from './messages.ts';

/** Gap between messages: the monitors send numerics about once a second (PROTOCOL.md §2). */
const MESSAGE_GAP_MS = 1_000;
/** A PDS monitor drops a client whose keep-alive stopped this long ago (INFERRED, PROTOCOL.md §2.1). */
const KEEPALIVE_GRACE_MS = 5_000;
/** A PCD-01 monitor resends an unacknowledged message after this long, at most RESENDS times (INFERRED, PROTOCOL.md §2.2). */
const ACK_WAIT_MS = 3_000;
const RESENDS = 2;
/** Endless `stream`: one NIBP result every this many seconds of numerics. */
const STREAM_NIBP_EVERY = 30;
/** Fault `truncate`: the share of each frame that is sent, without the end block. */
const TRUNCATE_KEEP = 0.6;

const NUMERICS: Numerics = { hr: 72, rr: 16, spo2: 98, pr: 71, temp: '36.8' };

const SCENARIOS = [
  { name: 'pds', description: 'PDS 2.3.1 (the hub connects): numerics (204) every second, one NIBP 120/80 (93) pulse 74 (503), the same 503 sent again; drops the link if the keep-alive stops (1 reading)' },
  { name: 'pcd01', description: 'IHE PCD-01 2.6 (the monitor connects): SpO2/pulse/HR numerics, then a message with NIBP 118/76 (90) pulse 70, each sent until acknowledged (1 reading)' },
  { name: 'pcd01-lost-ack', description: 'As pcd01 (NIBP 122/78 (93) pulse 68), but the first acknowledgement of the NIBP message is lost: the monitor resends it (1 reading, never 2)' },
  { name: 'stream', description: 'Endless PDS: numerics every second and an NIBP result every 30 s (demo mode)' },
] as const;

interface Device {
  link: Link;
  clock: Clock;
  signal: AbortSignal;
  fault?: SimulatorFault;
  /** Control ids acknowledged `MSA|AA|…` by the host. */
  acked: Set<string>;
  lastKeepAlive: number;
}

async function send(d: Device, message: string): Promise<void> {
  const frame = mllpFrame(message);
  await d.link.write(d.fault === 'truncate' ? frame.subarray(0, Math.floor(frame.length * TRUNCATE_KEEP)) : frame);
}

/** Listen to what the host sends: keep-alives (PDS) and acknowledgements (PCD-01). */
function listen(d: Device): () => void {
  const framer = createMllpFramer();
  return d.link.onData((chunk) => {
    for (const frame of framer.push(chunk).frames) {
      const text = new TextDecoder().decode(mllpPayload(frame) ?? new Uint8Array());
      if (text === KEEPALIVE_TEXT) d.lastKeepAlive = d.clock.now();
      const msa = /\rMSA\|AA\|([^|\r]+)/.exec(text);
      if (msa?.[1]) d.acked.add(msa[1]);
    }
  });
}

/** Wait one message gap; false when the session is over (aborted, link closed, keep-alive gone). */
async function gap(d: Device, pds: boolean): Promise<boolean> {
  await sleep(d.clock, MESSAGE_GAP_MS, d.signal).catch(() => undefined);
  if (d.signal.aborted || d.link.closed) return false;
  if (pds && d.clock.now() - d.lastKeepAlive > KEEPALIVE_GRACE_MS) {
    // What the monitor does to a silent client (PROTOCOL.md §2.1).
    await d.link.close();
    return false;
  }
  return true;
}

async function runPds(d: Device, endless: boolean): Promise<void> {
  const start = d.clock.now();
  const nibpAt = (i: number): Nibp => ({ sys: 120 + (i % 5), dia: 80 - (i % 3), mean: 93, pr: 74, at: dtm(start + i * STREAM_NIBP_EVERY * 1000) });
  const plan = endless ? undefined : ['204', '204', '503', '204', '503', '204'];
  for (let i = 0; ; i++) {
    const kind = plan ? plan[i] : i % STREAM_NIBP_EVERY === STREAM_NIBP_EVERY - 1 ? '503' : '204';
    if (kind === undefined) return;
    await send(d, kind === '503' ? pds503(nibpAt(endless ? Math.floor(i / STREAM_NIBP_EVERY) : 0)) : pds204(NUMERICS));
    if (!(await gap(d, true))) return;
  }
}

/** Send until acknowledged (or the resends run out); `loseFirstAck`: the first ACK is ignored, as if lost. */
async function sendUntilAcked(d: Device, id: string, message: string, loseFirstAck: boolean): Promise<boolean> {
  for (let attempt = 0; attempt <= RESENDS; attempt++) {
    await send(d, message);
    const until = d.clock.now() + ACK_WAIT_MS;
    while (d.clock.now() < until) {
      await sleep(d.clock, 50, d.signal).catch(() => undefined);
      if (d.signal.aborted || d.link.closed) return false;
      if (d.acked.has(id)) break;
    }
    if (d.acked.has(id) && !(loseFirstAck && attempt === 0)) return true;
    d.acked.delete(id);
  }
  return false; // the monitor stops sending to a host that never acknowledges (PROTOCOL.md §2.2)
}

async function runPcd01(d: Device, loseAck: boolean): Promise<void> {
  const start = d.clock.now();
  // The two scenarios measure differently, so two simulated monitors at once give two results.
  const nibp: Nibp = loseAck ? { sys: 122, dia: 78, mean: 93, pr: 68, at: dtm(start) } : { sys: 118, dia: 76, mean: 90, pr: 70, at: dtm(start) };
  const messages = [
    { id: '23545', text: pcd01Oru('23545', dtm(start), NUMERICS), lose: false },
    { id: '23546', text: pcd01Oru('23546', dtm(start + 1000), { ...NUMERICS, spo2: 97 }, nibp), lose: loseAck },
    { id: '23547', text: pcd01Oru('23547', dtm(start + 2000), NUMERICS), lose: false },
  ];
  for (const m of messages) {
    if (!(await sendUntilAcked(d, m.id, m.text, m.lose))) return;
    if (!(await gap(d, false))) return;
  }
}

/** The monitor's side of both dialects, on `ctx.clock` (PROTOCOL.md §5). */
export const simulator: Simulator = {
  scenarios: SCENARIOS,
  async run({ link, clock, signal, scenario, fault }) {
    if (!SCENARIOS.some((s) => s.name === scenario)) {
      throw new HubError('CONFIG_INVALID', `mindray-hl7 simulator has no scenario "${scenario}" (it has: ${SCENARIOS.map((s) => s.name).join(', ')})`);
    }
    const d: Device = { link, clock, signal, acked: new Set(), lastKeepAlive: clock.now(), ...(fault ? { fault } : {}) };
    const stop = listen(d);
    try {
      if (scenario === 'pds' || scenario === 'stream') await runPds(d, scenario === 'stream');
      else await runPcd01(d, scenario === 'pcd01-lost-ack');
    } finally {
      stop();
    }
  },
};
