import { toHex, type TraceAnnotator, type TraceToken } from '../../kit/index.ts';
import { CodeFreeFramer } from './protocol.ts';

/**
 * Live-trace hooks: both directions are `53 DIR LEN MSG CK AA` packets, cut and XOR-checked by the
 * driver's framer. Nothing is masked: the meter keeps times and values, no patient identity.
 */
export const traceAnnotator: TraceAnnotator = {
  framer() {
    const packets = new CodeFreeFramer();
    return {
      push(chunk) {
        const out = packets.push(chunk);
        const tokens: TraceToken[] = [];
        for (const p of out.problems) {
          if (p.code !== 'PROTOCOL_CHECKSUM') tokens.push({ bytes: p.raw, frame: { kind: 'other', checksum: 'none', note: p.message } });
        }
        for (const item of out.frames) {
          if (item.kind === 'corrupt') tokens.push({ bytes: item.raw, frame: { kind: 'stx-etx', checksum: 'bad', note: 'XOR checksum mismatch' } });
          else tokens.push({ bytes: item.packet.raw, frame: { kind: 'stx-etx', checksum: 'good', note: `message ${toHex(item.packet.message, 6)}` } });
        }
        return tokens;
      },
    };
  },
  maskStream: (_direction, stream) => stream,
  masked: 'nothing (the meter keeps no patient identity)',
};
