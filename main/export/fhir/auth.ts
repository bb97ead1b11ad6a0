import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { HubError, isHubError } from '../../../shared/errors.ts';
import type { FhirAuth } from '../../../shared/export/targets.ts';
import { exportStatus, joinUrl, request } from './http.ts';
import { signClientAssertion } from './jwt.ts';

/**
 * Authorization for FHIR requests: none, a stored bearer token, or SMART Backend Services
 * (client credentials with a signed JWT assertion). Problems getting credentials are
 * `EXPORT_AUTH` HubErrors: the reading is fine, the credentials need fixing, so the outbox retries.
 */

/**
 * The hub could not get credentials. `status` is short and machine-readable for the outbox
 * (`auth`, `HTTP 400` from the token endpoint…), kept in `details.status`.
 */
function authProblem(message: string, status = 'auth', cause?: unknown): HubError {
  return new HubError('EXPORT_AUTH', message, { cause, details: { status } });
}

export interface Authorizer {
  /** The Authorization header value, or undefined for `none`. @throws HubError EXPORT_AUTH (or EXPORT_NETWORK) */
  authorization(signal: AbortSignal): Promise<string | undefined>;
  /** Forget a cached token (the server refused it): the next call fetches a new one. */
  invalidate(): void;
  /** True when `invalidate` + a new token might fix a 401 (SMART); false for static tokens. */
  readonly refreshable: boolean;
}

interface AuthContext {
  readonly baseUrl: string;
  readonly secret?: string;
  readonly ca?: string;
  readonly timeoutMs: number;
  readonly now: () => number;
}

const SmartConfigSchema = z.object({ token_endpoint: z.url() });
const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().refine((t) => t.toLowerCase() === 'bearer', { message: 'token_type must be bearer' }),
  expires_in: z.number().positive().optional(),
});
const OAuthErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

/** Renew this long before the token expires, so a request never leaves with a dying token. */
const EXPIRY_MARGIN_MS = 30_000;
/** When the server does not say how long a token lives, assume the SMART-typical five minutes. */
const DEFAULT_LIFETIME_S = 300;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

type SmartAuth = Extract<FhirAuth, { type: 'smart' }>;

function smartAuthorizer(auth: SmartAuth, ctx: AuthContext): Authorizer {
  let cached: { token: string; until: number } | undefined;
  let tokenUrl: string | undefined = auth.tokenUrl;

  const call = async (url: string, init: { method: 'GET' | 'POST'; body?: string; headers: Record<string, string> }, signal: AbortSignal) => {
    try {
      return await request({ ...init, url, ca: ctx.ca, timeoutMs: ctx.timeoutMs, signal });
    } catch (e) {
      if (isHubError(e, 'EXPORT_NETWORK')) throw authProblem(`Could not get an access token: ${e.message}`, exportStatus(e, 'auth'), e);
      throw e;
    }
  };

  async function discover(signal: AbortSignal): Promise<string> {
    if (tokenUrl) return tokenUrl;
    const url = joinUrl(ctx.baseUrl, '.well-known/smart-configuration');
    const res = await call(url, { method: 'GET', headers: { accept: 'application/json' } }, signal);
    const parsed = SmartConfigSchema.safeParse(parseJson(res.body));
    if (res.status !== 200 || !parsed.success) {
      throw authProblem(`The server has no usable SMART configuration at ${url} (HTTP ${res.status}): set the target's tokenUrl`, `HTTP ${res.status}`);
    }
    tokenUrl = parsed.data.token_endpoint;
    return tokenUrl;
  }

  async function fetchToken(signal: AbortSignal): Promise<string> {
    const url = await discover(signal);
    let privateKeyPem: string;
    try {
      // Read on every token request and never kept: the key stays in its file.
      privateKeyPem = await readFile(auth.privateKeyFile, 'utf8');
    } catch (e) {
      throw authProblem(`Cannot read the SMART private key file ${auth.privateKeyFile}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 'auth', e);
    }
    let assertion: string;
    try {
      assertion = signClientAssertion({ clientId: auth.clientId, tokenUrl: url, keyId: auth.keyId, alg: auth.alg, privateKeyPem, now: ctx.now() });
    } catch (e) {
      throw authProblem(`Cannot sign with the SMART private key in ${auth.privateKeyFile}: ${e instanceof Error ? e.message : String(e)}`, 'auth', e);
    }
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: auth.scope,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }).toString();
    const res = await call(url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' } }, signal);
    const json = parseJson(res.body);
    if (res.status !== 200) {
      const err = OAuthErrorSchema.safeParse(json);
      const why = err.success ? `${err.data.error}${err.data.error_description ? `: ${err.data.error_description}` : ''}` : `HTTP ${res.status}`;
      throw authProblem(
        `The authorization server refused the hub's credentials (${why}). Check the client id, key id and that the EHR holds the hub's public key`,
        `HTTP ${res.status}`,
      );
    }
    const parsed = TokenResponseSchema.safeParse(json);
    if (!parsed.success) throw authProblem(`The token endpoint answered without a usable bearer token (${parsed.error.issues[0]?.message ?? 'invalid'})`);
    const lifetimeMs = (parsed.data.expires_in ?? DEFAULT_LIFETIME_S) * 1000;
    cached = { token: parsed.data.access_token, until: ctx.now() + Math.max(0, lifetimeMs - Math.min(EXPIRY_MARGIN_MS, lifetimeMs / 2)) };
    return cached.token;
  }

  return {
    refreshable: true,
    async authorization(signal) {
      const token = cached && cached.until > ctx.now() ? cached.token : await fetchToken(signal);
      return `Bearer ${token}`;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

export function createAuthorizer(auth: FhirAuth, ctx: AuthContext): Authorizer {
  switch (auth.type) {
    case 'none':
      return { refreshable: false, authorization: async () => undefined, invalidate: () => undefined };
    case 'bearer':
      return {
        refreshable: false,
        async authorization() {
          if (!ctx.secret) throw authProblem('No bearer token is stored for this target: enter it in the target settings');
          return `Bearer ${ctx.secret}`;
        },
        invalidate: () => undefined,
      };
    case 'smart':
      return smartAuthorizer(auth, ctx);
  }
}
