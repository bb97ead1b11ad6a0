import { createServer } from 'node:net';

/**
 * "Test connection" of an HL7 ADT source: can this workstation bind the configured address? The
 * EHR connects to the hub, so there is nothing to call; a port already taken (by the hub's own
 * listener, or another program) or an address not on this machine is what goes wrong.
 */
export function testAdtAddress(listen: string): Promise<{ ok: boolean; message: string }> {
  const cut = listen.lastIndexOf(':');
  const host = listen.slice(0, cut).replace(/^\[|\]$/g, '');
  const port = Number(listen.slice(cut + 1));
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (e: NodeJS.ErrnoException) => {
      const why =
        e.code === 'EADDRINUSE'
          ? `${listen} is already in use (the hub's own ADT listener, when it runs, holds it; otherwise another program does)`
          : e.code === 'EADDRNOTAVAIL'
            ? `${host} is not an address of this workstation`
            : e.code === 'EACCES'
              ? `this user may not listen on port ${port} (ports below 1024 need privileges)`
              : `${listen} cannot be bound (${e.code ?? e.message})`;
      resolve({ ok: false, message: why });
    });
    server.listen(port, host, () => {
      server.close(() => resolve({ ok: true, message: `The hub can listen on ${listen} for ADT messages.` }));
    });
  });
}
