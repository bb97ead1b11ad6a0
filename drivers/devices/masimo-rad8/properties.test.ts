import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ObservationSchema } from '../../../shared/observation.ts';
import { localToEpochMs } from '../../../shared/time.ts';
import { framesOf, mangledArb, splitBy } from '../../../test/helpers/chunked-stream.ts';
import { expectSteadyWindow } from '../../../test/helpers/oximeter-driver.ts';
import { createLinkPair, type DriverEvent, fromLatin1, latin1, type ReadingDraft, resolveOptions, VirtualClock } from '../../kit/index.ts';
import { decodeLine, type DecodeResult } from './decode.ts';
import { masimoRad8Driver } from './index.ts';
import { normalize } from './normalize.ts';
import { createLineFramer } from './protocol.ts';

const RUNS = { numRuns: 1000 };
const hex = (n: number, width: number): string => n.toString(16).toUpperCase().padStart(width, '0');
const d = (n: number, width = 2): string => String(n).padStart(width, '0');

/** A random line as a monitor could print it, with the values it must decode to. */
const sampleArb = fc.record({
  month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }), year: fc.integer({ min: 0, max: 99 }),
  hour: fc.integer({ min: 0, max: 23 }), minute: fc.integer({ min: 0, max: 59 }), second: fc.integer({ min: 0, max: 59 }),
  serial: fc.option(fc.stringMatching(/^\d{10}$/)),
  spo2: fc.option(fc.integer({ min: 0, max: 100 })),
  pulse: fc.option(fc.integer({ min: 0, max: 300 })),
  pi: fc.option(fc.integer({ min: 0, max: 9999 })),
  alarm: fc.integer({ min: 0, max: 0x3fff }), alarmWidth: fc.integer({ min: 2, max: 6 }),
  exc: fc.integer({ min: 0, max: 0x7fffff }), excWidth: fc.integer({ min: 3, max: 7 }),
  gap: fc.integer({ min: 1, max: 3 }), trailing: fc.integer({ min: 0, max: 3 }),
  end: fc.constantFrom('\r\n', '\n', '\r'),
});
type SampleSpec = typeof sampleArb extends fc.Arbitrary<infer T> ? T : never;

function lineOf(s: SampleSpec): string {
  const sp = ' '.repeat(s.gap);
  const tokens = [
    `SN=${s.serial ?? '----------'}`,
    `SPO2=${s.spo2 === null ? '---' : d(s.spo2, 3)}%`,
    `BPM=${s.pulse === null ? '---' : d(s.pulse, 3)}`,
    `PI=${s.pi === null ? '--.--' : `${d(Math.floor(s.pi / 100))}.${d(s.pi % 100)}`}%`,
    `ALARM=${hex(s.alarm, s.alarmWidth)}`,
    `EXC=${hex(s.exc, s.excWidth)}`,
  ];
  return `${d(s.month)}/${d(s.day)}/${d(s.year)} ${d(s.hour)}:${d(s.minute)}:${d(s.second)}${sp}${tokens.join(sp)}${' '.repeat(s.trailing)}${s.end}`;
}

/** Framer + decoder over the chunks given: what the driver does with a byte stream. */
const decodeChunks = (chunks: Uint8Array[]): DecodeResult[] => framesOf(createLineFramer(), chunks).map(decodeLine);

/** An independent statement of the grammar, to judge what the decoder accepted. */
const ORACLE = /^(\d\d)\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)((?: +[A-Z0-9]+=[!-<>-~]+)*) *$/;

describe('properties', () => {
  it('decodes the same records whether the stream comes whole, byte by byte or split anywhere', () => {
    fc.assert(
      fc.property(fc.array(sampleArb, { minLength: 1, maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 10 }), (samples, sizes) => {
        const bytes = fromLatin1(samples.map(lineOf).join(''));
        const whole = decodeChunks([bytes]);
        expect(whole).toHaveLength(samples.length);
        whole.forEach((result, i) => {
          const s = samples[i] as SampleSpec;
          expect(result.ok).toBe(true);
          if (!result.ok) return;
          const r = result.record;
          expect(r.time).toBe(`20${d(s.year)}-${d(s.month)}-${d(s.day)}T${d(s.hour)}:${d(s.minute)}:${d(s.second)}`);
          expect([r.serial, r.spo2, r.pulse, r.alarm, r.exception]).toEqual([s.serial ?? undefined, s.spo2 ?? undefined, s.pulse ?? undefined, s.alarm, s.exc]);
        });
        expect(decodeChunks(splitBy(bytes, [1]))).toEqual(whole);
        expect(decodeChunks(splitBy(bytes, sizes))).toEqual(whole);
      }),
      RUNS,
    );
  });

  it('never throws on garbage or mangled lines, and accepts only lines that obey the grammar', () => {
    const mangled = mangledArb(sampleArb, (s) => fromLatin1(lineOf(s)), 4);
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.uint8Array({ maxLength: 300 }), mangled), { minLength: 1, maxLength: 6 }), (parts) => {
        const results = decodeChunks(parts);
        for (const result of results) {
          if (!result.ok) {
            expect(['PROTOCOL_GARBAGE', 'PROTOCOL_UNEXPECTED']).toContain(result.code);
            continue;
          }
          accepted++;
          const r = result.record;
          const m = ORACLE.exec(latin1(r.raw));
          expect(m, latin1(r.raw)).not.toBeNull();
          for (const key of ['SPO2', 'BPM', 'EXC']) expect(m?.[7]).toContain(` ${key}=`);
          expect(Number.isFinite(localToEpochMs(r.time))).toBe(true);
          if (r.spo2 !== undefined) expect(r.spo2).toBeLessThanOrEqual(100);
          const sample = normalize(r);
          for (const o of sample.observations) expect(ObservationSchema.safeParse(o).success).toBe(true);
          if (sample.valid) expect(r.exceptions.every((e) => ['masimo-set', 'spco-low-confidence', 'spmet-low-confidence'].includes(e))).toBe(true);
        }
      }),
      RUNS,
    );
    // The mangled lines that survive must have been judged too, not only rejected.
    expect(accepted).toBeGreaterThan(0);
  });

  it('never captures a reading with a sample outside tolerance, and needs the sensor off between captures', async () => {
    const step = fc.oneof(
      { weight: 8, arbitrary: fc.record({ off: fc.constant(false), dSpo2: fc.constantFrom(0, 0, 0, 1, -1, 2, -2), dPulse: fc.integer({ min: -4, max: 4 }), dt: fc.constantFrom(1, 1, 1, 1, 2, 4) }) },
      { weight: 1, arbitrary: fc.record({ off: fc.constant(true), dSpo2: fc.constant(0), dPulse: fc.constant(0), dt: fc.constant(1) }) },
    );
    const optionsArb = fc.record({ stabilityWindowSeconds: fc.integer({ min: 2, max: 15 }), spo2Tolerance: fc.integer({ min: 0, max: 3 }), pulseTolerance: fc.integer({ min: 0, max: 6 }) });
    let captured = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 60 }), optionsArb, async (steps, options) => {
        let spo2 = 95;
        let pulse = 70;
        let t = Date.UTC(2026, 0, 15, 9, 0, 0);
        const lines: { time: string; valid: boolean }[] = [];
        let text = '';
        for (const s of steps) {
          t += s.dt * 1000;
          spo2 = Math.min(100, Math.max(50, spo2 + s.dSpo2));
          pulse = Math.min(250, Math.max(30, pulse + s.dPulse));
          const at = new Date(t);
          const time = `${d(at.getMonth() + 1)}/${d(at.getDate())}/${d(at.getFullYear() % 100)} ${d(at.getHours())}:${d(at.getMinutes())}:${d(at.getSeconds())}`;
          text += s.off ? `${time} SPO2=---% BPM=--- EXC=000820\r\n` : `${time} SPO2=${d(spo2, 3)}% BPM=${d(pulse, 3)} EXC=000800\r\n`;
          lines.push({ time, valid: !s.off });
        }
        const readings = await capture(text, options);
        captured += readings.length;
        let previousEnd = -1;
        for (const draft of readings) {
          const window = draft.raw.map((raw) => decodeLine(raw)).map((r) => (r.ok ? r.record : undefined));
          const newest = window[window.length - 1];
          expect(newest?.time).toBe(draft.deviceTime);
          expectSteadyWindow(window, (r) => normalize(r).valid, options);
          const span = localToEpochMs(newest?.time ?? '') - localToEpochMs(window[0]?.time ?? '');
          expect(span).toBeGreaterThanOrEqual(options.stabilityWindowSeconds * 1000);
          const first = lines.findIndex((l) => l.time === latin1(draft.raw[0] as Uint8Array).slice(0, 17));
          const last = first + draft.raw.length - 1;
          if (previousEnd >= 0) expect(lines.slice(previousEnd + 1, first + 1).some((l) => !l.valid)).toBe(true);
          previousEnd = last;
        }
      }),
      RUNS,
    );
    expect(captured).toBeGreaterThan(0);
  });
});

/** Run a session over a memory link on `text` and return the readings it made. */
async function capture(text: string, options: Record<string, unknown>): Promise<ReadingDraft[]> {
  const pair = createLinkPair();
  const events: DriverEvent[] = [];
  const signal = new AbortController().signal;
  const session = masimoRad8Driver.createSession({ link: pair.host, clock: new VirtualClock(), signal, options: resolveOptions(masimoRad8Driver.manifest, options), emit: (e) => events.push(e) });
  await session.open(signal);
  const acquiring = session.acquire(signal);
  await pair.device.write(fromLatin1(text));
  await pair.device.close();
  await acquiring;
  await session.close();
  return events.flatMap((e) => (e.type === 'reading' ? [e.draft] : []));
}
