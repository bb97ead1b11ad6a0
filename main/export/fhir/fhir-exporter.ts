import { readFileSync } from 'node:fs';
import type { Bundle } from '@medplum/fhirtypes';
import { isHubError } from '../../../shared/errors.ts';
import type { FhirTarget } from '../../../shared/export/targets.ts';
import type { Exporter, ExporterDeps, ExportItem, RenderedPayload, SendContext, SendOutcome } from '../exporter.ts';
import { CapabilityStatementSchema, parseJson } from './answers.ts';
import { createAuthorizer, type Authorizer } from './auth.ts';
import { buildFhirBundle } from './bundle.ts';
import { classifyTransactionAnswer } from './classify.ts';
import { parseJsonKeepingDecimals, writeJson } from './decimal-json.ts';
import { exportStatus, joinUrl, request, type HttpResponse } from './http.ts';
import { chunkBundle, chunkTransaction } from './staging.ts';
import { validateFhirBundle } from './validate.ts';

/**
 * The FHIR R4 exporter: one confirmed reading → one validated transaction Bundle (render), POSTed
 * to the EHR's base URL (send). Exactly-once rests on the bundle (every entry a conditional
 * create on a stable identifier), so resending after a lost answer is always safe.
 */

const FHIR_JSON = 'application/fhir+json';

/** render = build + validate: what fails here is never sent (EXPORT_CONTENT). */
export function renderFhir(item: ExportItem, patientIdentifierSystem: string): RenderedPayload {
  const bundle = buildFhirBundle(item, { patientIdentifierSystem });
  validateFhirBundle(bundle);
  // writeJson, not JSON.stringify: decimals leave with the digits the device printed (`1.020`).
  return { body: writeJson(bundle), contentType: FHIR_JSON };
}

function readCa(file: string | undefined): { ca?: string; problem?: string } {
  if (file === undefined) return {};
  try {
    return { ca: readFileSync(file, 'utf8') };
  } catch (e) {
    return { problem: `Cannot read the CA certificate file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
}

function retry(status: string, message: string, response = ''): SendOutcome {
  return { result: 'retry', status, response, message };
}

export function createFhirExporter(target: FhirTarget, deps: ExporterDeps): Exporter {
  const now = deps.now ?? Date.now;
  // Read at creation: the outbox recreates exporters when a target's settings change.
  const { ca, problem: caProblem } = readCa(target.caFile);
  const auth: Authorizer = createAuthorizer(target.auth, { baseUrl: target.baseUrl, secret: deps.secret, ca, timeoutMs: target.timeoutMs, now });

  async function post(bundle: Bundle, signal: AbortSignal): Promise<HttpResponse> {
    const authorization = await auth.authorization(signal);
    return request({
      method: 'POST',
      url: target.baseUrl,
      headers: { 'content-type': FHIR_JSON, accept: FHIR_JSON, ...(authorization ? { authorization } : {}) },
      body: writeJson(bundle),
      ca,
      timeoutMs: target.timeoutMs,
      signal,
    });
  }

  /** POST once; on 401/403 with a token we can renew (SMART), renew it and try once more. */
  async function postWithRenewal(bundle: Bundle, signal: AbortSignal): Promise<HttpResponse> {
    const res = await post(bundle, signal);
    if ((res.status === 401 || res.status === 403) && auth.refreshable) {
      auth.invalidate();
      return post(bundle, signal);
    }
    return res;
  }

  async function deliver(payload: RenderedPayload, ctx: SendContext): Promise<SendOutcome> {
    // Parsed keeping the printed decimals, so the bytes sent still say `1.020`.
    const bundle = parseJsonKeepingDecimals(payload.body) as Bundle | undefined;
    if (bundle?.resourceType !== 'Bundle') throw new Error(`FHIR payload of reading ${ctx.readingId} is not a Bundle`);
    const resolved = new Map<string, string>();
    const summary: string[] = [];
    let lastStatus = 'HTTP 200';
    for (const chunk of chunkBundle(bundle)) {
      const res = await postWithRenewal(chunkTransaction(chunk, resolved), ctx.signal);
      const step = classifyTransactionAnswer(res, chunk.length);
      if (!step.ok) return step.outcome;
      lastStatus = `HTTP ${res.status}`;
      chunk.forEach((entry, i) => {
        const answer = step.entries[i];
        const type = entry.resource?.resourceType ?? '?';
        summary.push(`${type} ${answer?.status ?? '?'}${answer?.location ? ` ${answer.location}` : ''}`);
        if (entry.fullUrl && answer?.location) resolved.set(entry.fullUrl, answer.location);
      });
    }
    return { result: 'done', status: lastStatus, response: summary.join(', ') };
  }

  return {
    kind: 'fhir',
    async render(item) {
      return renderFhir(item, target.patientIdentifierSystem);
    },
    async send(payload, ctx) {
      if (caProblem) return retry('config', caProblem);
      try {
        return await deliver(payload, ctx);
      } catch (e) {
        if (isHubError(e, 'EXPORT_NETWORK')) return retry(exportStatus(e, 'error'), e.message);
        if (isHubError(e, 'EXPORT_AUTH')) return retry(exportStatus(e, 'auth'), e.message);
        throw e;
      }
    },
    async test(signal) {
      if (caProblem) return { ok: false, message: caProblem };
      try {
        const res = await request({ method: 'GET', url: joinUrl(target.baseUrl, 'metadata'), headers: { accept: FHIR_JSON }, ca, timeoutMs: target.timeoutMs, signal });
        const cap = CapabilityStatementSchema.safeParse(parseJson(res.body));
        if (res.status !== 200 || !cap.success) {
          return { ok: false, message: `The server answered HTTP ${res.status} but no FHIR CapabilityStatement at /metadata: check the base URL.` };
        }
        if (!cap.data.fhirVersion.startsWith('4.0.')) {
          return { ok: false, message: `The server speaks FHIR ${cap.data.fhirVersion}, but POC Hub sends FHIR R4 (4.0.x).` };
        }
        let authText = '';
        if (target.auth.type === 'smart') {
          auth.invalidate();
          await auth.authorization(signal);
          authText = ' and the hub got an access token';
        } else if (target.auth.type === 'bearer') {
          await auth.authorization(signal);
        }
        return { ok: true, message: `Connected: the server speaks FHIR ${cap.data.fhirVersion}${authText}.` };
      } catch (e) {
        if (isHubError(e, 'EXPORT_NETWORK', 'EXPORT_AUTH')) return { ok: false, message: `${e.message}.` };
        throw e;
      }
    },
    async close() {
      // One connection per request and no timers: nothing stays open. Forget the token.
      auth.invalidate();
    },
  };
}
