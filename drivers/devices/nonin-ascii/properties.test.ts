import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ObservationSchema } from '../../../shared/observation.ts';
import { framesOf, mangledArb, splitBy } from '../../../test/helpers/chunked-stream.ts';
import { expectSteadyWindow } from '../../../test/helpers/oximeter-driver.ts';
import { createLinkPair, type DriverEvent, fromLatin1, latin1, type ReadingDraft, resolveOptions, VirtualClock } from '../../kit/index.ts';
import { decodeLine, type DecodeResult } from './decode.ts';
import { noninAsciiDriver } from './index.ts';
import { normalize } from './normalize.ts';
import { createLineFramer } from './protocol.ts';

const RUNS = { numRuns: 1000 };
const d = (n: number, width: number): string => String(n).padStart(width, '0');

/** A random line as one of the models could print it, with what it must decode to. */
const lineArb = fc.record({
  time: fc.option(fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }))),
  spo2: fc.option(fc.integer({ min: 0, max: 100 })),
  pulse: fc.option(fc.integer({ min: 0, max: 999 })),
  fast: fc.boolean(), marker: fc.boolean(), breath: fc.boolean(),
  trailing: fc.integer({ min: 0, max: 2 }),
  end: fc.constantFrom('\r\n', '\n', '\r'),
});
type LineSpec = typeof lineArb extends fc.Arbitrary<infer T> ? T : never;

function lineOf(s: LineSpec): string {
  const prefix = s.time ? `${d(s.time[0], 2)}:${d(s.time[1], 2)}:${d(s.time[2], 2)} ` : '';
  const suffix = `${s.fast ? ' F' : ''}${s.marker ? '*' : ''}${s.breath ? 'B' : ''}`;
  return `${prefix}SPO2=${s.spo2 === null ? '---' : d(s.spo2, 3)} HR=${s.pulse === null ? '---' : d(s.pulse, 3)}${suffix}${' '.repeat(s.trailing)}${s.end}`;
}

/** Framer + decoder over the chunks given: what the driver does with a byte stream. */
const decodeChunks = (chunks: Uint8Array[]): DecodeResult[] => framesOf(createLineFramer(), chunks).map(decodeLine);

/** An independent statement of the data-line grammar, to judge what the decoder accepted. */
const ORACLE = /^(?:([01]\d|2[0-3]):[0-5]\d:[0-5]\d +)?SPO2=(\d{1,3}|---) +HR=(\d{1,3}|---)[ F*B]* *$/;

describe('nonin-ascii properties', () => {
  it('decodes the same records whether the stream comes whole, byte by byte or split anywhere', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 10 }), (lines, sizes) => {
        const bytes = fromLatin1(lines.map(lineOf).join(''));
        const whole = decodeChunks([bytes]);
        expect(whole).toHaveLength(lines.length);
        whole.forEach((result, i) => {
          const s = lines[i] as LineSpec;
          expect(result.ok).toBe(true);
          if (!result.ok) return;
          const r = result.record;
          expect([r.spo2, r.pulse, r.fast, r.eventMarker, r.breath]).toEqual([s.spo2 ?? undefined, s.pulse ?? undefined, s.fast, s.marker, s.breath]);
          expect(r.time).toBe(s.time ? `${d(s.time[0], 2)}:${d(s.time[1], 2)}:${d(s.time[2], 2)}` : undefined);
        });
        expect(decodeChunks(splitBy(bytes, [1]))).toEqual(whole);
        expect(decodeChunks(splitBy(bytes, sizes))).toEqual(whole);
      }),
      RUNS,
    );
  });

  it('never throws on garbage or mangled lines, and accepts only lines that obey the grammar', () => {
    const mangled = mangledArb(lineArb, (s) => fromLatin1(lineOf(s)), 3);
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.uint8Array({ maxLength: 200 }), mangled), { minLength: 1, maxLength: 6 }), (parts) => {
        for (const result of decodeChunks(parts)) {
          if (!result.ok) {
            if (!result.header) expect(result.code).toBe('PROTOCOL_GARBAGE');
            else expect(result.text).not.toContain('SPO2=');
            continue;
          }
          accepted++;
          expect(ORACLE.test(latin1(result.record.raw)), latin1(result.record.raw)).toBe(true);
          if (result.record.spo2 !== undefined) expect(result.record.spo2).toBeLessThanOrEqual(100);
          const sample = normalize(result.record);
          for (const o of sample.observations) expect(ObservationSchema.safeParse(o).success).toBe(true);
          if (sample.valid) expect((sample.values.spo2 ?? 0) > 0 && (sample.values.pulse ?? 0) > 0).toBe(true);
        }
      }),
      RUNS,
    );
    expect(accepted).toBeGreaterThan(0);
  });

  it('never captures a sample outside tolerance, nor a window shorter than the option', async () => {
    const step = fc.oneof(
      { weight: 8, arbitrary: fc.record({ off: fc.constant(false), dSpo2: fc.constantFrom(0, 0, 0, 1, -1, 2, -2), dPulse: fc.integer({ min: -4, max: 4 }) }) },
      { weight: 1, arbitrary: fc.record({ off: fc.constant(true), dSpo2: fc.constant(0), dPulse: fc.constant(0) }) },
    );
    const optionsArb = fc.record({ stabilityWindowSeconds: fc.integer({ min: 2, max: 15 }), spo2Tolerance: fc.integer({ min: 0, max: 3 }), pulseTolerance: fc.integer({ min: 0, max: 6 }) });
    let captured = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 50 }), optionsArb, async (steps, options) => {
        let spo2 = 95;
        let pulse = 70;
        const lines: { text: string; valid: boolean }[] = [];
        for (const s of steps) {
          spo2 = Math.min(100, Math.max(50, spo2 + s.dSpo2));
          pulse = Math.min(250, Math.max(30, pulse + s.dPulse));
          lines.push(s.off ? { text: 'SPO2=--- HR=---', valid: false } : { text: `SPO2=${d(spo2, 3)} HR=${d(pulse, 3)}`, valid: true });
        }
        const readings = await capture(lines.map((l) => l.text), options);
        captured += readings.length;
        for (const draft of readings) {
          const window = draft.raw.map((raw) => decodeLine(raw)).map((r) => (r.ok ? r.record : undefined));
          expect(window.length).toBeGreaterThanOrEqual(options.stabilityWindowSeconds + 1);
          expectSteadyWindow(window, (r) => normalize(r).valid, options);
        }
      }),
      { numRuns: 300 },
    );
    expect(captured).toBeGreaterThan(0);
  });
});

/** Run a session over a memory link, one line a second on a virtual clock, and return its readings. */
async function capture(lines: string[], options: Record<string, unknown>): Promise<ReadingDraft[]> {
  const clock = new VirtualClock();
  const pair = createLinkPair();
  const events: DriverEvent[] = [];
  const signal = new AbortController().signal;
  const session = noninAsciiDriver.createSession({ link: pair.host, clock, signal, options: resolveOptions(noninAsciiDriver.manifest, options), emit: (e) => events.push(e) });
  await session.open(signal);
  const acquiring = session.acquire(signal);
  for (const line of lines) {
    await pair.device.write(fromLatin1(`${line}\r\n`));
    // Move the virtual clock one second on: a timer to run up to (the clock moves only to timers).
    clock.setTimer(1000, () => undefined);
    await clock.runUntilIdle(1000);
  }
  await pair.device.close();
  await acquiring;
  await session.close();
  return events.flatMap((e) => (e.type === 'reading' ? [e.draft] : []));
}
