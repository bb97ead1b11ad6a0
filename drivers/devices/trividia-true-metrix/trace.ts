import type { TraceAnnotator, TraceToken } from '../../kit/index.ts';
import { MessageFramer, decodeCommand, parseInputReport } from './protocol.ts';

/**
 * Live-trace hooks (`Driver.traceAnnotator`). Every chunk is one HID report: host reports show
 * their command; meter reports feed the driver's own MessageFramer, and the report that
 * completes messages names them with their checksum verdict. The protocol carries no patient
 * identity (model, serial, clock and glucose records only), so nothing is masked.
 */
export const traceAnnotator: TraceAnnotator = {
  framer(direction) {
    const framer = new MessageFramer();
    return {
      push(chunk) {
        if (direction === 'out') {
          const command = decodeCommand(chunk);
          return [token(chunk, 'none', command === undefined ? 'not a command report' : `command ${command}`)];
        }
        const parsed = parseInputReport(chunk);
        if (!parsed.ok) return [token(chunk, 'bad', parsed.problem.message)];
        const out = framer.push(chunk);
        const bad = out.problems.filter((p) => p.code === 'PROTOCOL_CHECKSUM');
        if (out.frames.length === 0 && bad.length === 0) return [token(chunk, 'none', `${parsed.text.length} byte(s) of text`)];
        const names = out.frames.map((f) => f.payload.slice(0, 24)).join(', ');
        if (bad.length > 0) return [token(chunk, 'bad', `${bad.map((p) => p.message).join('; ')}${names ? `; good: ${names}` : ''}`)];
        return [token(chunk, 'good', `message(s) ${names}`)];
      },
    };
  },
  maskReports(_direction, reports) {
    return reports.map((r) => Uint8Array.from(r));
  },
  masked: 'nothing (the meter sends its model, serial, clock and glucose records; no patient identity)',
};

function token(bytes: Uint8Array, checksum: 'good' | 'bad' | 'none', note: string): TraceToken {
  return { bytes, frame: { kind: 'hid-report', checksum, note } };
}
