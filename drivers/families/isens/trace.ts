import { toHex } from '../../kit/index.ts';
import { ECHO, IspcFramer } from './protocol.ts';

/** A chunk's verdict for a live trace: the CRC of what it completes, and a note. */
export interface IspcChunkNote {
  checksum: 'good' | 'bad' | 'none';
  note: string;
}

/**
 * Follows one direction's UART bytes through the frame reassembly for live traces: the chunk
 * that completes a frame carries the frame's CRC verdict (`none` for GLUE replies, whose CRC the
 * meter leaves unfilled). The device's trace annotator wraps it for its link.
 */
export function ispcTraceNotes(): (bytes: Uint8Array) => IspcChunkNote {
  const frames = new IspcFramer();
  return (bytes) => {
    const out = frames.push(bytes);
    const whole = out.frames.filter((f) => f.kind !== 'loose');
    if (whole.length === 0) {
      const echo = bytes.length === 1 && bytes[0] === ECHO;
      return { checksum: out.problems.length > 0 ? 'bad' : 'none', note: echo ? 'ECHO (protocol probe)' : (out.problems[0]?.message ?? `${bytes.length} byte(s), frame continues or outside a frame`) };
    }
    const bad = whole.some((f) => f.kind === 'corrupt');
    const glue = whole.every((f) => f.kind === 'frame' && f.frame.cmd === 'GLUE');
    const notes = whole.map((f) => (f.kind === 'frame' ? `${f.frame.cmd} ${toHex(f.frame.payload, 12)}` : `CRC bad: ${toHex(f.raw, 16)}`));
    return { checksum: bad ? 'bad' : glue ? 'none' : 'good', note: notes.join('; ') };
  };
}
