import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** A CA and a server certificate for 127.0.0.1 made with openssl, as a clinic's own PKI would. */
export interface TestPki {
  caCertFile: string;
  serverKey: string;
  serverCert: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('/usr/bin/openssl', args, { cwd, stdio: 'pipe' });
}

/** Make a self-signed CA and a server certificate signed by it (SAN IP:127.0.0.1) in `dir`. */
export function makeTestPki(dir: string): TestPki {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=POC Hub test CA'], dir);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'], dir);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n');
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext'], dir);
  return { caCertFile: join(dir, 'ca.pem'), serverKey: readFileSync(join(dir, 'server.key'), 'utf8'), serverCert: readFileSync(join(dir, 'server.pem'), 'utf8') };
}

/** Make an Ed25519 key pair with openssl, as README "Fleet configuration" tells IT to. */
export function makeSigningKeys(dir: string, name = 'fleet'): { privateKey: string; publicKey: string } {
  const privateKey = join(dir, `${name}-private.pem`);
  const publicKey = join(dir, `${name}-public.pem`);
  openssl(['genpkey', '-algorithm', 'ed25519', '-out', privateKey], dir);
  openssl(['pkey', '-in', privateKey, '-pubout', '-out', publicKey], dir);
  return { privateKey, publicKey };
}

/** An HTTPS file server with strong ETags (the content's hash) that honours If-None-Match. */
export interface FollowServer {
  url(path: string): string;
  /** Serve these bytes at `path` (replacing what was there). */
  put(path: string, bytes: Buffer | string): void;
  /** Requests seen, with their status, in order. */
  log: { path: string; status: number }[];
  close(): Promise<void>;
}

export async function startFollowServer(pki: TestPki): Promise<FollowServer> {
  const files = new Map<string, Buffer>();
  const log: { path: string; status: number }[] = [];
  const server: Server = createServer({ key: pki.serverKey, cert: pki.serverCert }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const body = files.get(path);
    const answer = (status: number, headers: Record<string, string> = {}, data?: Buffer): void => {
      log.push({ path, status });
      res.writeHead(status, headers).end(data);
    };
    if (body === undefined) return answer(404);
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) return answer(304, { etag });
    answer(200, { etag, 'content-type': 'application/json', 'content-length': String(body.length) }, body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `https://127.0.0.1:${port}${path}`,
    put: (path, bytes) => files.set(path, Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes)),
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
