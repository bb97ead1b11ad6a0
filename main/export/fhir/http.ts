import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import { HubError } from '../../../shared/errors.ts';

/**
 * A minimal HTTP(S) client on node:http/https. Why not fetch: the hospital's own CA must be
 * *added* to the trusted roots (`caFile`), which global fetch cannot do without an extra
 * dispatcher package, and every failure must come back as a short machine-readable code the
 * outbox can show (`ECONNREFUSED`, `timeout`, `DEPTH_ZERO_SELF_SIGNED_CERT`…). One connection
 * per request: a clinic sends a reading every few minutes, so keep-alive buys nothing.
 */

interface HttpRequestOptions {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Extra CA certificates (PEM), trusted in addition to the built-in roots. */
  readonly ca?: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * The request did not get an HTTP answer: an `EXPORT_NETWORK` HubError whose `details.status`
 * is short and machine-readable (`ECONNREFUSED`, `timeout`, `aborted`…).
 */
function networkFailure(status: string, message: string, cause?: unknown): HubError {
  return new HubError('EXPORT_NETWORK', message, { cause, details: { status } });
}

/** The short status an export HubError carries for the outbox row (`fallback` when it has none). */
export function exportStatus(e: HubError, fallback: string): string {
  const status = e.details?.['status'];
  return typeof status === 'string' ? status : fallback;
}

/** Answers larger than this are cut: a FHIR transaction-response for one reading is a few kB. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

const CERT_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS/;

/** Plain words for a network failure, for the outbox row and the admin. */
function describeFailure(code: string, url: string, detail: string): string {
  const host = new URL(url).host;
  if (code === 'timeout') return `No answer from ${host} within the time limit`;
  if (code === 'aborted') return 'The hub is stopping: the attempt was cancelled';
  if (code === 'ECONNREFUSED') return `Connection refused by ${host}: is the server running and the address right?`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `The host name ${new URL(url).hostname} could not be resolved`;
  if (code === 'ECONNRESET' || code === 'EPIPE') return `${host} dropped the connection before answering`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT') return `${host} cannot be reached from this workstation`;
  if (CERT_CODES.test(code)) {
    return `The TLS certificate of ${host} is not trusted (${code}: ${detail}). If the hospital uses its own CA, set the target's caFile to its certificate`;
  }
  return `Could not reach ${host} (${code}: ${detail})`;
}

export function request(opts: HttpRequestOptions): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(opts.url);
    const secure = url.protocol === 'https:';
    const fail = (code: string, detail: string, cause?: unknown): HubError => networkFailure(code, describeFailure(code, opts.url, detail), cause);
    if (opts.signal?.aborted) return reject(fail('aborted', 'cancelled'));
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.body !== undefined) headers['content-length'] = String(Buffer.byteLength(opts.body));
    const common = { method: opts.method, headers, agent: false as const };
    const req = secure
      ? httpsRequest(url, { ...common, ...(opts.ca ? { ca: [...rootCertificates, opts.ca] } : {}), rejectUnauthorized: true })
      : httpRequest(url, common);
    let settled = false;
    const finish = (action: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      action();
    };
    const timer = setTimeout(() => {
      finish(() => reject(fail('timeout', `${opts.timeoutMs} ms`)));
      req.destroy();
    }, opts.timeoutMs);
    const onAbort = (): void => {
      finish(() => reject(fail('aborted', 'cancelled')));
      req.destroy();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e: NodeJS.ErrnoException) => finish(() => reject(fail(e.code ?? 'ERROR', e.message, e))));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_BODY_BYTES) chunks.push(c);
      });
      res.on('error', (e: NodeJS.ErrnoException) => finish(() => reject(fail(e.code ?? 'ECONNRESET', e.message, e))));
      res.on('end', () => finish(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') })));
      // A socket closed mid-body ends as 'aborted' without 'end'.
      res.on('aborted', () => finish(() => reject(fail('ECONNRESET', 'the answer was cut off'))));
    });
    req.end(opts.body);
  });
}

/** `<base>/<path>` whether or not the configured base ends with a slash. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
