import { checkedPacketTrace, toHex, type TraceAnnotator } from '../../kit/index.ts';
import { CodeFreeFramer } from './protocol.ts';

/**
 * Live-trace hooks: both directions are `53 DIR LEN MSG CK AA` packets, cut and XOR-checked by the
 * driver's framer. Nothing is masked: the meter keeps times and values, no patient identity.
 */
export const traceAnnotator: TraceAnnotator = {
  framer: () => checkedPacketTrace(new CodeFreeFramer(), (out) => out.frames, 'XOR checksum mismatch', (packet) => `message ${toHex(packet.message, 6)}`),
  maskStream: (_direction, stream) => stream,
  masked: 'nothing (the meter keeps no patient identity)',
};
