import { AstmFramer } from '../../kit/index.ts';

/** E1381: the receiver waits 30 s for the next frame or EOT, then discards the message (PROTOCOL.md §1.3). */
export const FRAME_WAIT_MS = 30_000;

/**
 * The TCP port offered for analyzers that connect to the hub. ASTM over TCP has no assigned port;
 * analyzers take the host's port from their setup (PROTOCOL.md §1.2). Our choice.
 */
export const LISTEN_PORT = 5000;

/** The kit's E1381 tokenizer (frames and ENQ/ACK/NAK/EOT). */
export function createTokenFramer(): AstmFramer {
  return new AstmFramer();
}
