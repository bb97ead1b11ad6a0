import { HubError } from '../../../shared/errors.ts';
import { FrameReader, LineFramer, encodeHttpResponse, fromLatin1, parseHttpRequestLine, type Simulator } from '../../kit/index.ts';
import { BASE_PATH, MAX_REQUEST_LINE, type ReadingEntry } from './protocol.ts';

/** Fault `truncate`: the share of each response body that is sent. */
const TRUNCATE_KEEP = 0.6;
/** Finite scenarios: after this many current-reading requests the service is stopped. */
const POLLS_PER_SCENARIO = 6;
/** Endless `stream`: a new measurement every this many current-reading requests. */
const STREAM_EVERY = 15;

interface Scenario {
  readonly description: string;
  readonly units: { temp: string; nibp: string; height: string; weight: string };
  readonly stored: readonly Partial<ReadingEntry>[];
  /** The current reading before poll `after` (0-based); the last one given stays current. */
  readonly current: readonly { after: number; entry: Partial<ReadingEntry> }[];
}

const EMPTY: Partial<ReadingEntry> = {};
const SCENARIOS: Readonly<Record<string, Scenario>> = {
  vitals: {
    description: 'VSM 6000 in °F, mmHg, lb, in: one stored reading, then current reading 120/80 (84) pulse 60 SpO2 96 97.3 °F, then 132/85 (101) pulse 72 (3 readings)',
    units: { temp: 'DEG_F', nibp: 'NIBP_MMHG', height: 'UNITS_INCHES', weight: 'UNITS_LBS' },
    stored: [{ reading: '1', systolic: '118', diastolic: '76', map: '90', pulse: '64', o2sat: '98', temperature: '98.1' }],
    current: [
      { after: 0, entry: { reading: '2', systolic: '120', diastolic: '80', map: '84', pulse: '60', hr: '61', o2sat: '96', respiration: '22', temperature: '97.3', height: '70.2', weight: '150.7', bmi: '21.5', pain: '4', patientid: '1234567', clinicianid: '4321' } },
      { after: 3, entry: { reading: '3', systolic: '132', diastolic: '85', map: '101', pulse: '72' } },
    ],
  },
  metric: {
    description: 'Connex Spot in °C, kPa, kg, cm with decimal commas: no stored reading, current reading 16,0/10,7 kPa pulse 70 36,8 °C 72,5 kg (1 reading)',
    units: { temp: 'DEG_C', nibp: 'NIBP_KPA', height: 'UNITS_CENTIMETERS', weight: 'UNITS_KG' },
    stored: [],
    current: [{ after: 0, entry: { reading: '7', systolic: '16,0', diastolic: '10,7', map: '12,4', pulse: '70', temperature: '36,8', weight: '72,5', height: '178' } }],
  },
  'not-measured': {
    description: 'A monitor with nothing measured yet (every value "0"), then a temperature only, 98.6 °F (1 reading)',
    units: { temp: 'DEG_F', nibp: 'NIBP_MMHG', height: 'UNITS_INCHES', weight: 'UNITS_LBS' },
    stored: [],
    current: [
      { after: 0, entry: { reading: '0' } },
      { after: 2, entry: { reading: '1', temperature: '98.6' } },
    ],
  },
};

const p2 = (n: number): string => String(n).padStart(2, '0');
/** Local time as the service writes it: `2013-09-14T13:23:33`. */
function localText(epochMs: number): string {
  const t = new Date(epochMs);
  return `${t.getFullYear()}-${p2(t.getMonth() + 1)}-${p2(t.getDate())}T${p2(t.getHours())}:${p2(t.getMinutes())}:${p2(t.getSeconds())}`;
}

/** Every value field as the service writes it: strings, `"0"` for not measured. */
function fullEntry(entry: Partial<ReadingEntry>, date: string): Record<string, string> {
  const fields = ['reading', 'systolic', 'diastolic', 'map', 'pulse', 'hr', 'o2sat', 'respiration', 'temperature', 'height', 'weight', 'bmi', 'pain', 'patientid', 'clinicianid'] as const;
  const out: Record<string, string> = { date };
  for (const f of fields) out[f] = entry[f] ?? '0';
  return out;
}

function streamEntry(i: number): Partial<ReadingEntry> {
  return { reading: String(i + 1), systolic: String(112 + ((i * 7) % 30)), diastolic: String(70 + ((i * 5) % 16)), pulse: String(60 + ((i * 11) % 30)), o2sat: String(95 + (i % 5)), temperature: (97.5 + (i % 10) / 10).toFixed(1) };
}

/**
 * The Connectivity SDK service's side (PROTOCOL.md §2): answers each request envelope at once
 * with the JSON a service with one monitor gives. Finite scenarios stop the service after
 * POLLS_PER_SCENARIO current-reading requests; `stream` takes a new measurement now and then.
 */
export const simulator: Simulator = {
  scenarios: [
    ...Object.entries(SCENARIOS).map(([name, s]) => ({ name, description: s.description })),
    { name: 'stream', description: 'Endless: °F and mmHg, nothing measured for the first 15 polls, then a new measurement every 15 polls (demo mode)' },
  ],
  async run({ link, clock, signal, scenario, fault }) {
    const chosen = SCENARIOS[scenario];
    if (!chosen && scenario !== 'stream') {
      throw new HubError('CONFIG_INVALID', `welch-allyn-connex-sdk simulator has no scenario "${scenario}" (it has: ${[...Object.keys(SCENARIOS), 'stream'].join(', ')})`);
    }
    const s: Scenario = chosen ?? { description: '', units: { temp: 'DEG_F', nibp: 'NIBP_MMHG', height: 'UNITS_INCHES', weight: 'UNITS_LBS' }, stored: [], current: [] };
    const requests = new FrameReader({ link }, new LineFramer({ maxLength: MAX_REQUEST_LINE, terminator: 'lf' }));
    const started = localText(clock.now());
    let polls = 0;
    /** `stream`: when the current measurement was taken (its date stays while it is current). */
    let streamTaken = { index: -1, at: started };
    const answer = async (status: number, json: unknown): Promise<void> => {
      const body = fromLatin1(JSON.stringify(json));
      const whole = encodeHttpResponse(status, body);
      // Fault `truncate`: the header promises the whole body, part of it comes.
      const cut = fault === 'truncate' ? whole.subarray(0, whole.length - body.length + Math.floor(body.length * TRUNCATE_KEEP)) : whole;
      await link.write(cut);
    };
    try {
      for (;;) {
        const line = await requests.next(signal);
        if (line === undefined || link.closed) return;
        const path = parseHttpRequestLine(line);
        const [route, query] = (path ?? '').split('?');
        const deviceOk = query === 'deviceid=USB_0001';
        if (route === `${BASE_PATH}/GetDevices`) {
          await answer(200, [{ deviceid: 'USB_0001', date: localText(clock.now()), firmware: '1.52.00-A0007', location: '', modelname: 'VSM 6000 Series', modelnumber: '6000', serialnumber: '100012345678', tempdisplayunit: s.units.temp, nibpdisplayunit: s.units.nibp, heightdisplayunit: s.units.height, weightdisplayunit: s.units.weight }]);
        } else if (route === `${BASE_PATH}/GetReadings` && deviceOk) {
          await answer(200, s.stored.map((e) => fullEntry(e, started)));
        } else if (route === `${BASE_PATH}/GetCurrentReading` && deviceOk) {
          if (chosen && polls >= POLLS_PER_SCENARIO) return;
          const index = Math.floor(polls / STREAM_EVERY);
          if (!chosen && index !== streamTaken.index) streamTaken = { index, at: localText(clock.now()) };
          // `stream` starts with nothing measured, as a monitor just switched on (demo mode's first reading comes after a while).
          const entry = chosen ? ([...s.current].reverse().find((c) => c.after <= polls)?.entry ?? EMPTY) : index === 0 ? EMPTY : streamEntry(index);
          const at = chosen ? started : streamTaken.at;
          polls++;
          await answer(200, [fullEntry(entry, at)]);
        } else {
          await answer(404, { error: 'not found' });
        }
      }
    } finally {
      requests.dispose();
    }
  },
};
