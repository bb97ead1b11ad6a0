import { request } from 'node:http';
import { HubError } from '../../shared/errors.ts';
import { LinkBase, LineFramer, encodeHttpResponse, isLoopbackHttpUrl, parseHttpRequestLine, type Link } from '../../drivers/kit/index.ts';

/** How long one HTTP request may take; the local service answers from memory. */
const REQUEST_TIMEOUT_MS = 10_000;
/** Largest response body taken from the service, in bytes (as drivers/kit/http-exchange.ts). */
const MAX_BODY = 1 << 20;

/**
 * The HTTP link (docs/trace-format.md §1.3): a bytes-mode Link whose writes are request envelopes
 * (`GET <path>\n`) and whose data are response envelopes, each performed as a real HTTP GET to a
 * service on this workstation's loopback interface, one at a time in the order written. A
 * service that cannot be reached ends the link with TRANSPORT_CLOSED, saying why.
 */
class HttpLink extends LinkBase {
  readonly mode = 'bytes' as const;
  private readonly lines = new LineFramer({ maxLength: 2100, terminator: 'lf' });
  private queue: Promise<void> = Promise.resolve();
  private readonly inFlight = new Set<AbortController>();

  constructor(private readonly base: string) {
    super();
  }

  protected async send(data: Uint8Array): Promise<void> {
    for (const line of this.lines.push(data).frames) {
      const path = parseHttpRequestLine(line);
      if (path === undefined) throw new HubError('INPUT_INVALID', 'the HTTP link takes request envelopes only (GET <path>)');
      this.queue = this.queue.then(() => this.perform(path));
    }
  }

  private async perform(path: string): Promise<void> {
    if (this.closed) return;
    const controller = new AbortController();
    this.inFlight.add(controller);
    try {
      const { status, body } = await get(`${this.base}${path}`, controller.signal);
      this.deliver(encodeHttpResponse(status, body));
    } catch (e) {
      if (this.closed) return;
      const why = e instanceof Error ? e.message : String(e);
      this.ended(new HubError('TRANSPORT_CLOSED', `the local service at ${this.base} did not answer (${why})`, { cause: e }));
    } finally {
      this.inFlight.delete(controller);
    }
  }

  protected async shutdown(): Promise<void> {
    for (const c of this.inFlight) c.abort();
  }
}

function get(url: string, signal: AbortSignal): Promise<{ status: number; body: Uint8Array }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', signal, timeout: REQUEST_TIMEOUT_MS, headers: { accept: 'application/json' } }, (res) => {
      const parts: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY) req.destroy(new Error(`response larger than ${MAX_BODY} bytes`));
        else parts.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 500, body: new Uint8Array(Buffer.concat(parts)) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Open an HTTP link to a local web service. Only `http://` URLs to the loopback interface
 * (127.0.0.0/8, [::1]) are accepted: the service carries patient data in clear text, and a
 * device service belongs on the workstation it serves (CONFIG_INVALID otherwise).
 */
export async function openHttpLink(url: string): Promise<Link> {
  if (!isLoopbackHttpUrl(url)) {
    throw new HubError('CONFIG_INVALID', `the HTTP link only reaches this workstation: give an http:// URL to 127.0.0.1 or [::1], not ${JSON.stringify(url.slice(0, 100))}`);
  }
  return new HttpLink(url.replace(/\/+$/, ''));
}
