import type { TraceAnnotator, TraceToken } from '../../kit/index.ts';
import { createFramer, TYPE_COMMAND } from './protocol.ts';

/**
 * Live-trace hooks (`Driver.traceAnnotator`): one `packet` token per packet, its checksum good;
 * a packet whose bytes do not sum to 0 is shown as a packet with a bad checksum, anything else
 * the framer skipped as `other` with its message. The very framer the driver decodes by.
 * Nothing is masked: the packets carry temperatures and states, never who the patient is
 * (PROTOCOL.md §4).
 */
export const traceAnnotator: TraceAnnotator = {
  framer: () => {
    const framer = createFramer();
    return {
      push(chunk) {
        const out = framer.push(chunk);
        const tokens: TraceToken[] = out.problems.map((p) =>
          p.code === 'PROTOCOL_CHECKSUM'
            ? { bytes: p.raw, frame: { kind: 'packet', checksum: 'bad', note: 'SureTemp packet, bytes do not sum to 0 mod 256' } }
            : { bytes: p.raw, frame: { kind: 'other', checksum: 'none', note: p.message } },
        );
        for (const packet of out.frames) {
          const cmd = packet.command.toString(16).toUpperCase().padStart(4, '0');
          const what = packet.type === TYPE_COMMAND ? 'command' : 'response';
          tokens.push({ bytes: packet.raw, frame: { kind: 'packet', checksum: 'good', note: `SureTemp ${what} ${cmd}, ${packet.data.length} data bytes` } });
        }
        return tokens;
      },
    };
  },
  maskStream: (_direction, stream) => stream,
  masked: 'nothing (SureTemp packets carry no patient identity)',
};
