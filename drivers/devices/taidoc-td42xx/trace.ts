import { toHex, type TraceAnnotator, type TraceToken } from '../../kit/index.ts';
import { decodeDataReport } from '../../families/cp2110/index.ts';
import { TaidocFramer } from './protocol.ts';

const NAMES: Readonly<Record<number, string>> = {
  0x22: 'connect',
  0x23: 'clock',
  0x24: 'model',
  0x25: 'record time',
  0x26: 'record value',
  0x27: 'serial 1',
  0x28: 'serial 2',
  0x2b: 'count',
  0x33: 'set clock',
  0x50: 'turn off',
  0x54: 'communication mode',
};

/**
 * Live-trace hooks (`Driver.traceAnnotator`): each chunk is one CP2110 data report; its UART bytes
 * go through the driver's packet framer, and the report that completes a packet carries the
 * packet's checksum verdict. Nothing is masked: the meter keeps no patient identity.
 */
export const traceAnnotator: TraceAnnotator = {
  framer() {
    const packets = new TaidocFramer();
    return {
      push(report) {
        const data = decodeDataReport(report);
        if (!data.ok) return [token(report, 'none', data.reason)];
        const out = packets.push(data.data);
        if (out.frames.length === 0) return [token(report, out.problems.length > 0 ? 'bad' : 'none', out.problems[0]?.message ?? `${data.data.length} UART byte(s), packet continues`)];
        const bad = out.frames.some((f) => f.kind === 'corrupt');
        const notes = out.frames.map((f) => (f.kind === 'corrupt' ? `checksum bad: ${toHex(f.raw, 8)}` : `${NAMES[f.packet.cmd] ?? `command ${toHex(Uint8Array.of(f.packet.cmd))}`} ${toHex(f.packet.message, 4)}`));
        return [token(report, bad ? 'bad' : 'good', notes.join('; '))];
      },
    };
  },
  maskReports: (_direction, reports) => reports.map((r) => Uint8Array.from(r)),
  masked: 'nothing (the meter keeps no patient identity)',
};

function token(bytes: Uint8Array, checksum: 'good' | 'bad' | 'none', note: string): TraceToken {
  return { bytes, frame: { kind: 'hid-report', checksum, note } };
}
