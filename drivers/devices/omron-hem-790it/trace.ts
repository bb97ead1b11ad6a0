import { latin1, xor8, type TraceAnnotator, type TraceToken } from '../../kit/index.ts';
import { GDC_DATA_BYTES, GME_DATA_BYTES, MAX_REPORT_DATA, REPORT_SIZE_BYTES, VER_DATA_BYTES } from './protocol.ts';

/** Whole answer lengths (`OK 00` + data + checksum) whose checksum the trace can check (PROTOCOL.md §3–5). */
const CHECKED_LENGTHS = new Set([GDC_DATA_BYTES, VER_DATA_BYTES, GME_DATA_BYTES].map((n) => 3 + n));

function token(bytes: Uint8Array, checksum: 'good' | 'bad' | 'none', note: string): TraceToken {
  return { bytes, frame: { kind: 'hid-report', checksum, note } };
}

/** A report's valid bytes; a recorded trace leaves trailing zero padding out, so a short report is padded back. */
const valid = (report: Uint8Array): Uint8Array | undefined => {
  const count = report[0] ?? 0;
  if (report.length > REPORT_SIZE_BYTES || count === 0 || count > MAX_REPORT_DATA) return undefined;
  const padded = new Uint8Array(REPORT_SIZE_BYTES);
  padded.set(report);
  return padded.subarray(1, 1 + count);
};

/**
 * Live-trace hooks (`Driver.traceAnnotator`): every chunk is one 8-byte report. Host reports are
 * named (clearing block zeros, or the command's letters); the monitor's answers are reassembled
 * from `OK`/`NO`/`OFF` to the report that ends them (fewer than 7 valid bytes), and the checksum
 * of the GDC, VER and GME answers is checked there. Nothing is masked: the monitor stores no
 * patient identity, only times and values (PROTOCOL.md §5). The mode-select feature report is not
 * a report of either direction and does not appear.
 */
export const traceAnnotator: TraceAnnotator = {
  framer(direction) {
    let answer: number[] = [];
    return {
      push(chunk) {
        const data = valid(chunk);
        if (!data) return [token(chunk, 'none', 'not a valid report (count byte 0 or over 7, or over 8 bytes)')];
        if (direction === 'out') {
          if (data.every((b) => b === 0)) return [token(chunk, 'none', `clearing block, ${data.length} zero byte(s)`)];
          const letters = latin1(data.subarray(0, 3));
          return [token(chunk, 'none', /^[A-Z]{3}$/.test(letters) ? `command ${letters}` : 'command continues')];
        }
        const starts = latin1(data.subarray(0, 2));
        if (starts === 'OK' || starts === 'NO' || latin1(data.subarray(0, 3)) === 'OFF') answer = [];
        if (answer.length === 0 && data.every((b) => b === 0)) return [token(chunk, 'none', 'clearing block echo')];
        answer.push(...data);
        const whole = Uint8Array.from(answer);
        const head = latin1(whole.subarray(0, 2));
        if (data.length === MAX_REPORT_DATA) return [token(chunk, 'none', `answer ${head}, continues`)];
        answer = [];
        if (head === 'OK' && CHECKED_LENGTHS.has(whole.length)) {
          const good = xor8(whole, 3, whole.length - 1) === whole[whole.length - 1];
          return [token(chunk, good ? 'good' : 'bad', `answer OK, ${whole.length - 3} data byte(s), checksum ${good ? 'good' : 'bad'}`)];
        }
        return [token(chunk, 'none', `answer ${JSON.stringify(latin1(whole.subarray(0, 5)))} (${whole.length} byte(s))`)];
      },
    };
  },
  maskReports(_direction, reports) {
    return reports.map((r) => Uint8Array.from(r));
  },
  masked: 'nothing: the monitor stores no patient identity',
};
