import { framerTrace, toHex, type TraceAnnotator } from '../../kit/index.ts';
import { Cms50Framer } from './format-detect.ts';
import { V7Framer } from './protocol.ts';

/**
 * Live-trace hooks: from the device, V7.0 packets or older-firmware frames (told apart as the
 * session does); to the device, V7.0 commands, which are packets too (type 0x7D). No checksum
 * in either. Nothing is masked: the stream carries signal values only (PROTOCOL.md §3–4).
 */
export const traceAnnotator: TraceAnnotator = {
  framer: (direction) =>
    direction === 'in'
      ? framerTrace(new Cms50Framer('auto'), (frame) => ({ bytes: frame.bytes, frame: { kind: 'packet', checksum: 'none', note: frame.format === 'v7' ? `V7.0 packet type 0x${toHex(frame.bytes.subarray(0, 1))}` : 'older-firmware frame' } }))
      : framerTrace(new V7Framer(), (bytes) => ({ bytes, frame: { kind: 'packet', checksum: 'none', note: `V7.0 command 0x${toHex(bytes.subarray(2, 3))}` } })),
  maskStream: (_direction, stream) => stream,
  masked: 'nothing (the real-time stream carries no patient identity)',
};
