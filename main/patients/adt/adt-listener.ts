import { createServer, type Socket } from 'node:net';
import { HubError } from '../../../shared/errors.ts';
import { encodeFrame, MllpDeframer } from '../../export/hl7/mllp-frame.ts';

/**
 * A sender that streams this many bytes without ending a frame is not speaking MLLP (or is
 * hostile): the connection is dropped rather than buffered without bound.
 */
const MAX_PENDING_BYTES = 1 << 20;

/** One MLLP listener: the address it took and how to stop it. */
export interface AdtListener {
  readonly host: string;
  /** The port actually bound (0 asked for any free port). */
  readonly port: number;
  /** Stop listening and hang up on every connected sender. */
  close(): Promise<void>;
}

/**
 * Listen for HL7 v2 over MLLP (release 1) on `host:port`. Several senders may be connected at
 * once; each message is answered, on its own connection and in order, with what `answer`
 * returns (a whole HL7 message; `answer` runs synchronously, so one message is handled at a time).
 */
export function listenMllp(host: string, port: number, answer: (message: string, peer: string) => string): Promise<AdtListener> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    const peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    const deframer = new MllpDeframer();
    let pending = 0;
    socket.on('error', () => undefined); // a sender resetting the connection is its business; 'close' follows
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (chunk: Buffer) => {
      const messages = deframer.push(chunk);
      pending = messages.length > 0 ? 0 : pending + chunk.length;
      if (pending > MAX_PENDING_BYTES) {
        socket.destroy();
        return;
      }
      for (const message of messages) socket.write(encodeFrame(answer(message, peer)));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', (cause: NodeJS.ErrnoException) => {
      const why = cause.code === 'EADDRINUSE' ? 'the port is in use (is another hub listening there?)' : cause.message;
      reject(new HubError('TRANSPORT_OPEN_FAILED', `cannot listen for ADT on ${host}:${port}: ${why}`, { cause }));
    });
    server.listen(port, host, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      resolve({
        host,
        port: bound,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
