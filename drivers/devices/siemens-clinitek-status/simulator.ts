import { HubError } from '../../../shared/errors.ts';
import { fromLatin1, playUntilStopped, type Simulator, type SimulatorContext, sleep } from '../../kit/index.ts';

/** Pause before each record of a finite scenario, in ms (a strip takes about that long to read). */
const RECORD_GAP_MS = 2_000;
/** Pause between records of the endless `stream` scenario, in ms. */
const STREAM_GAP_MS = 15_000;
/** Fault `truncate`: the share of each record that is sent (and no terminator). */
const TRUNCATE_KEEP = 0.6;
const CR = '\r';

/** Ten Multistix 10 SG pads in English, as `code,result,flag` triplets (printed padding kept). */
const ENGLISH_PADS = {
  clean: 'GLU,Negative,,BIL,Negative,,KET,Negative,,SG ,1.015,,BLD,Negative,,pH ,6.0,,PRO,Negative,,UBG,0.2 mg/dL,,NIT,Negative,,LEU,Negative,',
  infection: 'GLU,Negative,,BIL,Negative,,KET,Negative,,SG ,1.020,,BLD,Trace-lysed,*,pH ,7.5,,PRO,Trace,*,UBG,0.2 mg/dL,,NIT,Positive,*,LEU,Moderate,*',
  diabetic: 'GLU,>=1000 mg/dL,*,BIL,Negative,,KET,40 mg/dL,*,SG ,>=1.030,,BLD,Negative,,pH ,5.0,,PRO,30 mg/dL,*,UBG,0.2 mg/dL,,NIT,Negative,,LEU,Negative,',
} as const;

/** English, 12-hour: the first capture of PROTOCOL.md §8 and two more in its style. */
const RESULTS = [
  '1822,24-12-2021, 5:33PM,,2756,,,,,Multistix 10 SG,Not Entered,Not Entered,GLU,Negative,,BIL,Negative,,KET,Negative,,SG ,1.020,,BLD,Trace-intact,,pH ,7.0,,PRO,Negative,,UBG,3.2 umol/L,,NIT,Negative,,LEU,Negative,',
  '1823,24-12-2021, 5:41PM,,2757,,,,,Multistix 10 SG,Not Entered,Not Entered,GLU,100 mg/dL,*,BIL,Small,*,KET,Trace,*,SG ,1.025,,BLD,Moderate,*,pH ,6.0,,PRO,30 mg/dL,*,UBG,16 umol/L,*,NIT,Positive,*,LEU,Small,*',
  '1824,24-12-2021, 6:02PM,06178,2758,,,,,Multistix 10 SG,Not Entered,Not Entered,GLU,>=1000 mg/dL,*,BIL,Negative,,KET,15 mg/dL,*,SG ,<=1.005,,BLD,Large,*,pH ,5.0,,PRO,>=300 mg/dL,*,UBG,3.2 umol/L,,NIT,Negative,,LEU,Large,*',
];

/** Spanish: the two Spanish result captures of PROTOCOL.md §8, verbatim. */
const SPANISH = [
  '1596,18-06-2018,15:25,06178,,,,,,Multistix 10 SG,Amarillo,Claro,GLU,500 mg/dL,*,BIL,Alto,*,CET,15 mg/dL,*,DEN,1.020,,SAN,Apr 200 Hem/uL,*,pH ,7.0,,PRO,>=300 mg/dL,*,URO,4.0 E.U./dL,*,NIT,Positivo,*,LEU,Apr 500 Leu/uL,*',
  '5401,07-12-2017,09:47,,NX17120103,,,,,Multistix 10 SG,Amarillo,Claro,GLU,Negativo,,BIL,Negativo,,CET,Negativo,,DEN,>=1.030,,SAN,Negativo,,pH ,6.5,,PRO,30 mg/dL,*,URO,0.2 E.U./dL,,NIT,Negativo,,LEU,Negativo,',
];

/** A good record, the E58 capture of PROTOCOL.md §8, then the test repeated for the same sample. */
const ERROR = [
  '5419,28-07-2020,22:24,,BM20070001,,,,,Multistix 10 SG,Amarillo,Claro,GLU,Negativo,,BIL,Negativo,,CET,Negativo,,DEN,1.015,,SAN,Negativo,,pH ,6.0,,PRO,Negativo,,URO,0.2 E.U./dL,,NIT,Negativo,,LEU,Negativo,',
  '5420,28-07-2020,22:31,,BM20070002,,,,,Multistix 10 SG,No introducido,No introducido,E58',
  '5421,28-07-2020,22:36,,BM20070002,,,,,Multistix 10 SG,Amarillo,Claro,GLU,Negativo,,BIL,Negativo,,CET,Negativo,,DEN,1.020,,SAN,Negativo,,pH ,6.5,,PRO,Negativo,,URO,0.2 E.U./dL,,NIT,Negativo,,LEU,Negativo,',
];

/** 12-hour clock edge cases: just after midnight, noon hour, single-digit hour, last minute. */
const TWELVE_HOUR = [
  `3101,03-02-2025,12:05AM,,TH-1,,,,,Multistix 10 SG,Not Entered,Not Entered,${ENGLISH_PADS.clean}`,
  `3102,03-02-2025, 1:15AM,,TH-2,,,,,Multistix 10 SG,Not Entered,Not Entered,${ENGLISH_PADS.infection}`,
  `3103,03-02-2025,12:30PM,,TH-3,,,,,Multistix 10 SG,Not Entered,Not Entered,${ENGLISH_PADS.diabetic}`,
  `3104,03-02-2025,11:59PM,,TH-4,,,,,Multistix 10 SG,Not Entered,Not Entered,${ENGLISH_PADS.clean}`,
];

const FINITE: Readonly<Record<string, readonly string[]>> = { results: RESULTS, spanish: SPANISH, error: ERROR, 'twelve-hour': TWELVE_HOUR };

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** A `stream` record: its sequence number, and date and time from the simulator's clock (24 h). */
export function streamRecord(sequence: number, epochMs: number): string {
  const t = new Date(epochMs);
  const date = `${pad2(t.getDate())}-${pad2(t.getMonth() + 1)}-${t.getFullYear()}`;
  const time = `${pad2(t.getHours())}:${pad2(t.getMinutes())}`;
  const pads = Object.values(ENGLISH_PADS);
  const body = pads[sequence % pads.length] ?? ENGLISH_PADS.clean;
  return `${sequence},${date},${time},,DEMO-${sequence},,,,,Multistix 10 SG,Yellow,Clear,${body}`;
}

/** What goes on the wire for one record: whole with CR, or (fault `truncate`) cut short without it. */
function wire(record: string, ctx: SimulatorContext): Uint8Array {
  if (ctx.fault !== 'truncate') return fromLatin1(record + CR);
  return fromLatin1(record.slice(0, Math.max(1, Math.floor(record.length * TRUNCATE_KEEP))));
}

/**
 * The analyzer's side: it pushes one record per strip, on `ctx.clock` only. Finite scenarios
 * resolve after the last record and leave the link open; every scenario stops its timer and
 * resolves when the signal is aborted or the link closes.
 */
export const simulator: Simulator = {
  scenarios: [
    { name: 'results', description: 'Three English results (12-hour clock), like the first real capture' },
    { name: 'spanish', description: 'The two Spanish result captures from real analyzers' },
    { name: 'error', description: 'A result, an E58 error record (strip not read), then the repeated test' },
    { name: 'twelve-hour', description: 'Four results with 12-hour times around midnight and noon' },
    { name: 'stream', description: 'A result every 15 s until stopped, timed by the clock (demo mode)' },
  ],

  async run(ctx) {
    const records = FINITE[ctx.scenario];
    if (ctx.scenario !== 'stream' && records === undefined) {
      throw new HubError('INPUT_INVALID', `the Clinitek simulator has no scenario "${ctx.scenario}"`);
    }
    await playUntilStopped(ctx, async (stop) => {
      if (records !== undefined) {
        for (const record of records) {
          await sleep(ctx.clock, RECORD_GAP_MS, stop);
          await ctx.link.write(wire(record, ctx));
        }
      } else {
        for (let sequence = 1; ; sequence++) {
          await sleep(ctx.clock, sequence === 1 ? RECORD_GAP_MS : STREAM_GAP_MS, stop);
          await ctx.link.write(wire(streamRecord(sequence, ctx.clock.now()), ctx));
        }
      }
    });
  },
};
