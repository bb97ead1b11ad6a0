import type { TraceAnnotator, TraceToken } from '../../kit/index.ts';
import { HOST_START, METER_START, PacketFramer } from './protocol.ts';

/**
 * Live-trace hooks (`Driver.traceAnnotator`): both directions are 11-byte packets, cut and
 * checked by the driver's own framer (AA host packets, DD meter packets). Nothing is masked:
 * the meter keeps no patient identity.
 */
export const traceAnnotator: TraceAnnotator = {
  framer(direction) {
    const packets = new PacketFramer(direction === 'out' ? HOST_START : METER_START);
    return {
      push(chunk) {
        const out = packets.push(chunk);
        const tokens: TraceToken[] = out.problems.map((p) => ({ bytes: p.raw, frame: p.code === 'PROTOCOL_CHECKSUM' ? { kind: 'packet', checksum: 'bad', note: p.message } : { kind: 'other', checksum: 'none', note: p.message } }));
        for (const f of out.frames) tokens.push({ bytes: f.raw, frame: { kind: 'packet', checksum: 'good', note: `opcode 0x${f.op.toString(16).padStart(2, '0')}` } });
        return tokens;
      },
    };
  },
  maskStream: (_direction, stream) => stream,
  masked: 'nothing (the meter keeps no patient identity)',
};
