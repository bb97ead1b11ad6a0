import { framerTrace, fromLatin1, latin1, type TraceAnnotator } from '../../kit/index.ts';
import { createPacketFramer } from './protocol.ts';

/**
 * Live-trace hooks (`Driver.traceAnnotator`): one token per `ESC R … ESC E` packet.
 *
 * Masking: the `I` field (the patient id keyed in on the scale, PROTOCOL.md §5) is overwritten
 * with as many characters — digits `0`, anything else `X` — so lengths and chunk boundaries stay
 * and the masked packet still decodes to the same weighing. There is no checksum.
 */
export const traceAnnotator: TraceAnnotator = {
  framer: () =>
    framerTrace(createPacketFramer(), (packet) => ({
      bytes: packet,
      frame: { kind: 'line', checksum: 'none', note: `Health o meter packet "${latin1(packet).replace(/\x1b/g, '<ESC>')}"` },
    })),
  maskStream(direction, stream) {
    if (direction === 'out') return stream;
    // The id runs from `ESC I` to the next ESC (or the end of the recorded stream).
    const masked = latin1(stream).replace(/\x1bI([^\x1b]*)/g, (_m, id: string) => `\x1bI${id.replace(/[0-9]/g, '0').replace(/[^0-9]/g, 'X')}`);
    return fromLatin1(masked);
  },
  masked: 'Health o meter I field (patient id keyed in on the scale)',
};
