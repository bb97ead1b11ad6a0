import { fromLatin1, latin1 } from './bytes.ts';
import { ByteBuffer, type Framer, type FramerOutput } from './framers/framer.ts';

/**
 * HTTP request/response over a byte Link (docs/trace-format.md §1.3). A driver of a local web
 * service (a vendor SDK on the same workstation) may not open sockets itself (layer rule), so it
 * writes a one-line request envelope and reads a length-prefixed response envelope; the HTTP
 * link in main/transports/http.ts performs the real request, a simulator answers the envelope
 * directly, and a trace records the envelopes as ordinary `>` and `<` events, so record, replay
 * and the conformance suite's chunking work unchanged.
 *
 * Request:  `GET <path-and-query>\n`
 * Response: `HTTP <status> <body length>\n<body bytes>`
 */

/** Longest request path accepted, in characters. */
export const MAX_HTTP_PATH = 2048;
/** Largest response body accepted, in bytes (a device list or a memory of readings is far smaller). */
export const MAX_HTTP_BODY = 1 << 20;
/** Longest response header line, `HTTP 200 1048576`. */
const MAX_HEADER = 32;
const LF = 0x0a;
const PATH = /^\/[\x21-\x7e]*$/;
const HEADER = /^HTTP ([1-5]\d\d) (\d{1,7})$/;

/** One response as a driver reads it. */
export interface HttpExchangeResponse {
  readonly status: number;
  readonly body: Uint8Array;
  /** The envelope as it crossed the link (header and body), kept as the reading's raw bytes. */
  readonly raw: Uint8Array;
}

/** The request envelope for `path` (which must start with `/` and hold only visible ASCII). */
export function encodeHttpRequest(path: string): Uint8Array {
  if (!PATH.test(path) || path.length > MAX_HTTP_PATH) throw new RangeError(`not a request path: ${JSON.stringify(path.slice(0, 80))}`);
  return fromLatin1(`GET ${path}\n`);
}

/** The response envelope for `status` and `body`. */
export function encodeHttpResponse(status: number, body: Uint8Array): Uint8Array {
  const header = fromLatin1(`HTTP ${status} ${body.length}\n`);
  const out = new Uint8Array(header.length + body.length);
  out.set(header);
  out.set(body, header.length);
  return out;
}

/** The path of one request line (without its LF), or undefined when it is not a request envelope. */
export function parseHttpRequestLine(line: Uint8Array): string | undefined {
  const m = /^GET (\S+)$/.exec(latin1(line));
  const path = m?.[1];
  return path !== undefined && PATH.test(path) && path.length <= MAX_HTTP_PATH ? path : undefined;
}

/**
 * Cuts a byte stream into response envelopes, however it is chunked. A header line that does not
 * parse is reported as garbage and skipped up to the next LF; a stream that ends inside an
 * envelope is reported as truncated.
 */
export class HttpResponseFramer implements Framer<HttpExchangeResponse> {
  private header = new ByteBuffer();
  private body = new ByteBuffer();
  private expect: { status: number; length: number; header: Uint8Array } | undefined;
  private skipped = 0;

  push(chunk: Uint8Array): FramerOutput<HttpExchangeResponse> {
    const out: FramerOutput<HttpExchangeResponse> = { frames: [], problems: [] };
    let i = 0;
    while (i < chunk.length) {
      if (this.expect) {
        const take = Math.min(this.expect.length - this.body.length, chunk.length - i);
        this.body.append(chunk.subarray(i, i + take));
        i += take;
        if (this.body.length === this.expect.length) this.finishBody(out);
        continue;
      }
      const b = chunk[i++] ?? 0;
      if (b === LF) this.endHeader(out);
      else if (this.header.length >= MAX_HEADER) this.skipped++;
      else this.header.push(b);
    }
    return out;
  }

  flush(): FramerOutput<HttpExchangeResponse> {
    const out: FramerOutput<HttpExchangeResponse> = { frames: [], problems: [] };
    if (this.expect) {
      out.problems.push({ code: 'PROTOCOL_TRUNCATED', message: `the link ended inside an HTTP response (${this.body.length} of ${this.expect.length} body bytes)`, raw: this.body.take() });
    } else if (this.header.length + this.skipped > 0) {
      out.problems.push({ code: 'PROTOCOL_TRUNCATED', message: 'the link ended inside an HTTP response header', raw: this.header.take() });
    }
    this.expect = undefined;
    this.skipped = 0;
    return out;
  }

  private endHeader(out: FramerOutput<HttpExchangeResponse>): void {
    const line = this.header.take();
    const skipped = this.skipped;
    this.skipped = 0;
    const m = skipped === 0 ? HEADER.exec(latin1(line)) : null;
    const length = Number(m?.[2]);
    if (!m || length > MAX_HTTP_BODY) {
      if (line.length + skipped > 0) out.problems.push({ code: 'PROTOCOL_GARBAGE', message: `not an HTTP response header (${line.length + skipped} bytes skipped)`, raw: line });
      return;
    }
    this.expect = { status: Number(m[1]), length, header: Uint8Array.from([...line, LF]) };
    if (length === 0) this.finishBody(out);
  }

  private finishBody(out: FramerOutput<HttpExchangeResponse>): void {
    const e = this.expect;
    if (!e) return;
    this.expect = undefined;
    const body = this.body.take();
    const raw = new Uint8Array(e.header.length + body.length);
    raw.set(e.header);
    raw.set(body, e.header.length);
    out.frames.push({ status: e.status, body, raw });
  }
}

/**
 * Is `url` an `http:` URL to this workstation's loopback interface (127.0.0.0/8 or [::1])? A web
 * service driver must never be pointed at another host: the envelope carries patient data
 * unencrypted, and a clinic network is not the loopback interface.
 */
export function isLoopbackHttpUrl(url: string): boolean {
  const m = /^http:\/\/(127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})|\[::1\])(?::(\d{1,5}))?(\/[\x21-\x7e]*)?$/.exec(url);
  if (!m) return false;
  const octets = [m[2], m[3], m[4]].filter((o) => o !== undefined).map(Number);
  const port = m[5] === undefined ? 80 : Number(m[5]);
  return octets.every((o) => o <= 255) && port >= 1 && port <= 65535;
}
