import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';

/** What one GET of the central file (or its signature) gave. */
export type FetchResult =
  | { status: 'not-modified' }
  | { status: 'ok'; bytes: Buffer; etag?: string }
  /** The server answered but not with the file; or the body was larger than allowed. */
  | { status: 'refused'; reason: string }
  /** No answer: the server is down, the name does not resolve, TLS failed. */
  | { status: 'unreachable'; reason: string };

export interface FetchOptions {
  /** An extra CA (PEM) trusted besides the system's: the clinic's own. */
  caPem?: string;
  etag?: string;
  maxBytes: number;
  timeoutMs?: number;
}

/**
 * GET a URL over HTTPS with the certificate verified (against the system CAs plus the extra one),
 * or over plain HTTP to this machine only (the URL was checked when it was stored). Redirects are
 * not followed: a workstation follows exactly the URL an admin gave. Never throws.
 */
export function fetchFile(url: string, opts: FetchOptions): Promise<FetchResult> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const headers: Record<string, string> = { accept: 'application/json, */*', 'user-agent': 'pochub-config-follow' };
    if (opts.etag !== undefined) headers['if-none-match'] = opts.etag;
    const onResponse = (res: IncomingMessage): void => {
      const status = res.statusCode ?? 0;
      if (status === 304) {
        res.resume();
        resolve({ status: 'not-modified' });
        return;
      }
      if (status !== 200) {
        res.resume();
        resolve({ status: status >= 500 ? 'unreachable' : 'refused', reason: `${url} answered HTTP ${status}` });
        return;
      }
      const declared = Number(res.headers['content-length'] ?? '0');
      if (declared > opts.maxBytes) {
        res.destroy();
        resolve({ status: 'refused', reason: `${url} is ${declared} bytes, more than the ${opts.maxBytes} allowed` });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > opts.maxBytes) {
          res.destroy();
          resolve({ status: 'refused', reason: `${url} is more than the ${opts.maxBytes} bytes allowed` });
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        const etag = res.headers.etag;
        resolve({ status: 'ok', bytes: Buffer.concat(chunks), ...(etag === undefined ? {} : { etag }) });
      });
      res.on('error', (e) => resolve({ status: 'unreachable', reason: `${url}: ${e.message}` }));
    };
    const common = { method: 'GET', headers, timeout: opts.timeoutMs ?? 30_000 };
    const req =
      target.protocol === 'https:'
        ? httpsRequest(target, { ...common, rejectUnauthorized: true, ...(opts.caPem === undefined ? {} : { ca: [...rootCertificates, opts.caPem] }) }, onResponse)
        : httpRequest(target, common, onResponse);
    req.on('timeout', () => req.destroy(new Error('no answer in time')));
    req.on('error', (e) => resolve({ status: 'unreachable', reason: `${url}: ${e.message}` }));
    req.end();
  });
}

/** The signature's URL: the file's path with `.sig` appended (the query, if any, kept). */
export function signatureUrl(url: string): string {
  const u = new URL(url);
  u.pathname = `${u.pathname}.sig`;
  return u.toString();
}
