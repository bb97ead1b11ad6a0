import { toHex, type TraceAnnotator, type TraceToken } from '../../kit/index.ts';
import { decodeDataReport } from '../../families/cp2110/index.ts';
import { ECHO, IspcFramer } from './protocol.ts';

/**
 * Live-trace hooks (`Driver.traceAnnotator`): each chunk is one CP2110 data report; its UART bytes
 * go through the driver's frame reassembly, and the report that completes a frame carries the
 * frame's CRC verdict (`none` for GLUE replies, whose CRC the meter leaves unfilled). Nothing is
 * masked: the meter keeps no patient identity.
 */
export const traceAnnotator: TraceAnnotator = {
  framer() {
    const frames = new IspcFramer();
    return {
      push(report) {
        const data = decodeDataReport(report);
        if (!data.ok) return [token(report, 'none', data.reason)];
        const out = frames.push(data.data);
        const whole = out.frames.filter((f) => f.kind !== 'loose');
        if (whole.length === 0) {
          const echo = data.data.length === 1 && data.data[0] === ECHO;
          return [token(report, out.problems.length > 0 ? 'bad' : 'none', echo ? 'ECHO (protocol probe)' : (out.problems[0]?.message ?? `${data.data.length} UART byte(s), frame continues or outside a frame`))];
        }
        const bad = whole.some((f) => f.kind === 'corrupt');
        const glue = whole.every((f) => f.kind === 'frame' && f.frame.cmd === 'GLUE');
        const notes = whole.map((f) => (f.kind === 'frame' ? `${f.frame.cmd} ${toHex(f.frame.payload, 12)}` : `CRC bad: ${toHex(f.raw, 16)}`));
        return [token(report, bad ? 'bad' : glue ? 'none' : 'good', notes.join('; '))];
      },
    };
  },
  maskReports: (_direction, reports) => reports.map((r) => Uint8Array.from(r)),
  masked: 'nothing (the meter keeps no patient identity)',
};

function token(bytes: Uint8Array, checksum: 'good' | 'bad' | 'none', note: string): TraceToken {
  return { bytes, frame: { kind: 'hid-report', checksum, note } };
}
