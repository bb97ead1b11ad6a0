import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HubError } from '../../shared/errors.ts';
import { latin1 } from './bytes.ts';
import { formatTrace, parseTrace } from './trace.ts';

describe('trace format v1', () => {
  it('reads a trace with header fields, hex and JSON-string events (docs/trace-format.md §1)', () => {
    const trace = parseTrace(
      [
        '# pochub-trace 1',
        '# driver: lifescan-onetouch-ultra2',
        '# transport: serial 9600 8N1',
        '# note: Ultra 2, 3 records, captured 2026-03-21',
        '0.000 > 11 0D 44 4D 50 0D',
        '0.142 < "P 003,\\"GMF600DCY\\",\\"MG/DL \\" 05A6\\r\\n"',
        '0.180 < 50 20 22 53 41 54 22 2C',
      ].join('\n'),
    );
    expect(trace.header).toEqual({ driver: 'lifescan-onetouch-ultra2', transport: 'serial 9600 8N1', note: 'Ultra 2, 3 records, captured 2026-03-21' });
    expect(trace.events.map((e) => [e.line, e.time, e.direction])).toEqual([
      [5, 0, '>'],
      [6, 0.142, '<'],
      [7, 0.18, '<'],
    ]);
    expect(latin1(trace.events[1]?.bytes ?? new Uint8Array())).toBe('P 003,"GMF600DCY","MG/DL " 05A6\r\n');
    expect(Array.from(trace.events[0]?.bytes ?? [])).toEqual([0x11, 0x0d, 0x44, 0x4d, 0x50, 0x0d]);
  });

  it('accepts wildcards in requests, optional times, blank lines, comments and lower-case hex', () => {
    const trace = parseTrace('# pochub-trace 1\n\n> 02 ?? ff\n# a comment\n< "\\u0006"\n');
    expect(trace.events[0]?.wildcard).toEqual([false, true, false]);
    expect(trace.events[0]?.time).toBeUndefined();
    expect(Array.from(trace.events[1]?.bytes ?? [])).toEqual([6]);
  });

  it.each([
    ['no magic line', '> 01', 1],
    ['bad hex', '# pochub-trace 1\n< 0G', 2],
    ['two spaces between pairs', '# pochub-trace 1\n< 01  02', 2],
    ['no direction', '# pochub-trace 1\n0.5 01 02', 2],
    ['a character above U+00FF', '# pochub-trace 1\n< "\\u0100"', 2],
    ['a broken JSON string', '# pochub-trace 1\n< "abc', 2],
    ['?? in a device event', '# pochub-trace 1\n< 01 ??', 2],
  ])('rejects %s with an error naming the line', (_name, text, line) => {
    let error: unknown;
    try {
      parseTrace(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HubError);
    expect((error as HubError).code).toBe('TRACE_INVALID');
    expect((error as HubError).message).toContain(`line ${line}`);
  });

  it('round-trips any events through the writer (1,000 cases)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ direction: fc.constantFrom('<' as const, '>' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 80 }), time: fc.nat(100_000) }), { maxLength: 10 }),
        (events) => {
          const timed = events.map((e) => ({ ...e, time: e.time / 1000 }));
          const back = parseTrace(formatTrace({ header: { driver: 'x-y', note: 'a\nb' }, events: timed }));
          expect(back.header).toEqual({ driver: 'x-y', note: 'a b' });
          expect(back.events.map((e) => ({ direction: e.direction, bytes: Array.from(e.bytes), time: e.time }))).toEqual(
            timed.map((e) => ({ direction: e.direction, bytes: Array.from(e.bytes), time: Number(e.time.toFixed(3)) })),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });
});
