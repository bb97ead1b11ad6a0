import { HubError } from '../../../shared/errors.ts';
import type { Simulator, SimulatorContext } from '../../kit/index.ts';
import { SimulatedDevice, type MeterLog, type MeterPlan } from './simulated-device.ts';

/** Scenario `clock-off`: the meter clock is 2 h behind (more than the 5 min of docs/architecture.md §8 rule 9). */
const CLOCK_OFF_MS = -2 * 3600_000;
/** Time between two stored results, in ms (about four tests a day). */
const RESULT_GAP_MS = (6 * 60 + 17) * 60_000;
/** mg/dL per mmol/L for glucose, to make the mmol/L scenario's values (meters print one decimal). */
const MGDL_PER_MMOL = 18.016;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `YYYYMMDDHHMM` (or with seconds) of a meter-local instant. */
function meterStamp(ms: number, seconds = false): string {
  const t = new Date(ms);
  const base = `${t.getFullYear()}${pad(t.getMonth() + 1)}${pad(t.getDate())}${pad(t.getHours())}${pad(t.getMinutes())}`;
  return seconds ? `${base}${pad(t.getSeconds())}` : base;
}

/** What varies between the simulated meters. */
interface MeterProfile {
  productCode: string;
  serial: string;
  versions: string;
  unit: 'mg/dL' | 'mmol/L';
  /** V as the header sends it (PROTOCOL.md §5). */
  range: string;
  seconds?: boolean;
}

const NEXT_USB: MeterProfile = { productCode: 'Bayer7410', serial: '7410-1234567', versions: '01.24\\01.04\\09.02.20', unit: 'mg/dL', range: '10600' };
// Tidepool's Contour Next capture (PROTOCOL.md §5) shows this product code; the unit set to mmol/L. V stays
// in mg/dL here, which is one of the two readings of V the driver accepts [inferred].
const NEXT_MMOL: MeterProfile = { productCode: 'Bayer7350', serial: '7358-1611135', versions: '01.14\\01.03\\04.18', unit: 'mmol/L', range: '10600' };
const LINK_24: MeterProfile = { productCode: 'Bayer6210', serial: '6213-1C2CF8C', versions: '01.02\\01.00\\01.02', unit: 'mg/dL', range: '20600', seconds: true };
const NEXT_ONE: MeterProfile = { productCode: 'Contour7800', serial: '7830H5001733', versions: '01.04\\02.02\\01.01', unit: 'mg/dL', range: '20600' };

/** A header like the real one of PROTOCOL.md §5, with this model, count and clock. */
function header(model: MeterProfile, count: number, meterNowMs: number): string {
  const u = model.unit === 'mg/dL' ? 0 : 1;
  const config = `A=1^C=63^G=1^I=0200^R=0^S=1^U=${u}^V=${model.range}^X=070070070070180130150250^Y=360126090050099050300089^Z=1`;
  return `H|\\^&||7w3LBL|${model.productCode}^${model.versions}^${model.serial}^7403-|${config}|${count}||||||1|${meterStamp(meterNowMs, model.seconds)}`;
}

/**
 * `count` result records ending a little before `meterNowMs`, oldest first, with meal markers,
 * other marker tokens, a logbook entry, a control-solution test, one HI and one LO. [synthetic]
 */
function resultRecords(model: MeterProfile, count: number, meterNowMs: number): string[] {
  const out: string[] = [];
  for (let i = 1; i <= count; i++) {
    const at = meterNowMs - (count - i + 1) * RESULT_GAP_MS;
    let mg = 70 + ((i * 37) % 160);
    const markers: string[] = [];
    if (i % 4 === 1) markers.push('B');
    if (i % 4 === 3) markers.push('A');
    if (i % 6 === 0) markers.push('M0', 'T1');
    if (i % 9 === 2) markers.push('X');
    if (i === 30) markers.push('D');
    if (i === 7) markers.splice(0, markers.length, 'C');
    if (i === 13) {
      mg = 600;
      markers.splice(0, markers.length, '>');
    }
    if (i === 21) {
      mg = 10;
      markers.splice(0, markers.length, '<');
    }
    const value = model.unit === 'mg/dL' ? String(mg) : i === 13 ? '33.3' : i === 21 ? '0.6' : (mg / MGDL_PER_MMOL).toFixed(1);
    out.push(`R|${i}|^^^Glucose|${value}|${model.unit}^P||${markers.join('/')}||${meterStamp(at, model.seconds)}`);
  }
  return out;
}

function plan(model: MeterProfile, count: number, extra: Partial<MeterPlan> & { terminator?: boolean } = {}): MeterPlan {
  const { terminator = true, ...rest } = extra;
  return {
    header: (now) => header(model, count, now),
    records: (now) => ['P|1', ...resultRecords(model, count, now), ...(terminator ? ['L|1||N'] : [])],
    clockOffsetMs: 0,
    frameEnd: 'bayer',
    ...rest,
  };
}

/** Scenarios: the first is the default the conformance suite runs. */
const SCENARIOS: readonly { name: string; description: string; plan: () => MeterPlan }[] = [
  { name: 'memory', description: 'Contour Next USB with 60 results: meal markers, a control test, HI and LO', plan: () => plan(NEXT_USB, 60) },
  { name: 'empty', description: 'A meter with no results', plan: () => plan(NEXT_USB, 0) },
  { name: 'mmol', description: 'Contour Next set to mmol/L (U=1), decimal values', plan: () => plan(NEXT_MMOL, 60) },
  { name: 'checksum-error', description: 'Frame 6 arrives once with a bad checksum; the retransmission is good', plan: () => plan(NEXT_USB, 60, { corruptOnce: [5] }) },
  { name: 'clock-off', description: 'The meter clock is 2 h behind', plan: () => plan(NEXT_USB, 60, { clockOffsetMs: CLOCK_OFF_MS }) },
  { name: 'split', description: 'Transfers cut into reports of varied lengths (frames across reports)', plan: () => plan(NEXT_USB, 60, { variedCuts: true }) },
  { name: 'burst', description: 'The meter starts with EOT + header + ENQ in one transfer (glucometerutils capture)', plan: () => plan(NEXT_USB, 60, { startWithBurst: true }) },
  { name: 'lost-ack', description: 'The meter misses the ACK of frame 5 and sends it again', plan: () => plan(NEXT_USB, 60, { repeatOnce: [4] }) },
  { name: 'etx', description: 'Every frame ends CR ETX (the E1381 reading of the frame end)', plan: () => plan(NEXT_USB, 60, { frameEnd: 'etx' }) },
  { name: 'no-terminator', description: 'The meter sends EOT after the last result, without an L record', plan: () => plan(NEXT_USB, 60, { terminator: false }) },
  { name: 'link-2.4', description: 'Contour Next Link 2.4: 14-digit times with seconds', plan: () => plan(LINK_24, 60) },
  { name: 'next-one', description: 'Contour Next One (product 7800): other serial format, no EOT in command mode', plan: () => plan(NEXT_ONE, 60) },
  { name: 'pump-clock', description: 'Contour Next Link paired with a pump: it refuses a new date', plan: () => plan({ ...LINK_24, productCode: 'Bayer6200' }, 5, { pumpOwnsClock: true }) },
  { name: 'big', description: '500 results, for the benchmark', plan: () => plan(NEXT_USB, 500) },
];

/** The plan of a named scenario (tests adjust it for single cases). */
export function scenarioPlan(name: string): MeterPlan {
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (!scenario) throw new HubError('INPUT_INVALID', `the Contour simulator has no scenario "${name}"`);
  return scenario.plan();
}

/**
 * Play a meter with this plan until the host closes the link or the signal aborts (the meter
 * keeps answering after its transfer, so that the host can set its clock).
 */
export async function runContourMeter(ctx: SimulatorContext, meterPlan: MeterPlan, log?: (meter: SimulatedDevice) => void): Promise<MeterLog> {
  const stop = new AbortController();
  const meter = new SimulatedDevice(ctx, meterPlan, stop.signal);
  log?.(meter);
  let work = Promise.resolve();
  await new Promise<void>((resolve) => {
    const offData = ctx.link.onData((report) => {
      work = work.then(() => meter.receive(report));
    });
    const finish = (): void => {
      offData();
      offClose();
      ctx.signal.removeEventListener('abort', finish);
      stop.abort();
      resolve();
    };
    const offClose = ctx.link.onClose(finish);
    ctx.signal.addEventListener('abort', finish, { once: true });
    if (ctx.signal.aborted || ctx.link.closed) finish();
  });
  await work;
  return meter.log;
}

/** The Contour simulator (kit `Simulator`). */
export const simulator: Simulator = {
  // It offers its memory once after it is plugged in: a second download needs it plugged in again.
  oneDownloadPerPowerOn: true,
  scenarios: SCENARIOS.map(({ name, description }) => ({ name, description })),
  async run(ctx) {
    await runContourMeter(ctx, scenarioPlan(ctx.scenario));
  },
};
