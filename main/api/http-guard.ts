import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ErrorCode } from '../../shared/errors.ts';

/** Random bytes in a per-run token: 192 bits, far beyond guessing over a local socket. */
const TOKEN_BYTES = 24;
/** A token given from outside (POCHUB_TOKEN) must be at least this long, in base64url characters. */
const TOKEN_MIN_CHARS = 32;

/** A fresh per-run token, base64url (safe in a URL and a header without escaping). */
export function makeToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** A token from outside is usable when it is long and made of base64url characters only. */
export function isUsableToken(token: string): boolean {
  return token.length >= TOKEN_MIN_CHARS && /^[A-Za-z0-9_-]+$/.test(token);
}

/**
 * Compare a presented token with ours in constant time. Both are hashed first so that the
 * comparison takes as long whatever the presented length (timingSafeEqual needs equal lengths).
 */
export function tokenMatches(presented: string | undefined | null, expected: string): boolean {
  if (typeof presented !== 'string' || presented.length === 0) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer <token>` header, if that is what it is. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

/**
 * Why a request must be refused before anything else (403), or undefined when it may go on:
 * - `Host` must name this server (127.0.0.1:<port> or localhost:<port>): a page on another site
 *   whose name was re-pointed at 127.0.0.1 (DNS rebinding) sends its own name here;
 * - `Origin`, when the browser sends one, must be this server's own origin: no other page may
 *   call the API or open the event socket, even one that somehow learned the token.
 */
export function refusal(headers: IncomingHttpHeaders, port: number): string | undefined {
  const host = headers.host?.toLowerCase();
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return `requests must be addressed to 127.0.0.1:${port}`;
  const origin = headers.origin;
  if (origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) return 'requests from other origins are refused';
  return undefined;
}

/** The HTTP status an API error code answers with (docs/architecture.md §10). */
const STATUS: Partial<Record<ErrorCode, number>> = {
  INPUT_INVALID: 400,
  AUTH_REQUIRED: 401,
  AUTH_FAILED: 401,
  LOCKED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  DRIVER_UNKNOWN: 404,
  CONFLICT: 409,
  PATIENT_REQUIRED: 409,
  PENDING_DECISION_REQUIRED: 409,
  CANCELLED: 503,
  // The hub is fine but its data folder cannot take the write (docs/architecture.md §7): 507 Insufficient Storage.
  STORAGE_FULL: 507,
  STORAGE_READONLY: 507,
};

/** Codes not listed are failures of the hub itself: 500 (and the bug was logged where it happened). */
export function httpStatus(code: ErrorCode): number {
  return STATUS[code] ?? 500;
}

/**
 * The Content-Security-Policy of every answer: the agreed policy, plus the directives that keep
 * the page out of frames and forms elsewhere (they weaken nothing the UI needs).
 */
function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "img-src 'self' data:",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers on every answer, static or API. */
export function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    // The page's address holds the token until the page removes it: never send it onwards.
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
