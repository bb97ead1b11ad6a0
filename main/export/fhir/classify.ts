import type { SendOutcome } from '../exporter.ts';
import { TransactionResponseSchema, outcomeText, parseJson, relativeReference } from './answers.ts';
import type { HttpResponse } from './http.ts';

/**
 * Turn one HTTP answer to a transaction of `sent` entries into an outbox decision
 * (docs/export.md §3, §5): done only when the server answered every entry it was sent, each 2xx;
 * retry for what time or an admin can fix without touching the
 * reading (5xx, 429, 408, credentials, redirects, a body that is not a transaction-response);
 * dead when the server refused the content itself (other 4xx, 412).
 */

type StepResult =
  | { readonly ok: true; readonly entries: readonly { readonly status: number; readonly location?: string }[] }
  | { readonly ok: false; readonly outcome: Extract<SendOutcome, { result: 'retry' | 'dead' }> };

const MAX_RESPONSE_CHARS = 2_000;

function fail(result: 'retry' | 'dead', status: string, body: string, message: string): StepResult {
  return { ok: false, outcome: { result, status, response: body.slice(0, MAX_RESPONSE_CHARS), message } };
}

export function classifyTransactionAnswer(res: HttpResponse, sent: number): StepResult {
  const status = `HTTP ${res.status}`;
  const said = outcomeText(res.body);
  const because = said ? `: ${said}` : '';
  if (res.status === 401 || res.status === 403) {
    return fail('retry', status, res.body, `The FHIR server refused the hub's credentials (${status}${because}). Fix the target's token or SMART registration; the reading itself is fine and will be sent again`);
  }
  if (res.status === 412) {
    return fail('dead', status, res.body, `More than one matching resource on the server: reconcile by hand (${status}${because})`);
  }
  if (res.status === 408 || res.status === 429 || res.status >= 500) {
    return fail('retry', status, res.body, `The FHIR server could not take the reading now (${status}${because}); it will be sent again`);
  }
  if (res.status >= 300 && res.status < 400) {
    return fail('retry', status, res.body, `The FHIR server redirected the request (${status} to ${String(res.headers.location ?? '?')}): check the target's base URL`);
  }
  if (res.status >= 400) {
    return fail('dead', status, res.body, `The FHIR server refused the reading (${status})${because || ': no details given'}`);
  }
  const parsed = TransactionResponseSchema.safeParse(parseJson(res.body));
  if (!parsed.success) {
    return fail('retry', status, res.body, `The server answered ${status} but not with a FHIR transaction-response: check the target's base URL`);
  }
  const entries = parsed.data.entry.map((e) => ({ status: Number(e.response.status.slice(0, 3)), location: e.response.location, outcome: e.response.outcome }));
  if (entries.length !== sent) {
    // HTTP 200 alone proves nothing: a transaction-response answers each request entry in order.
    // An answer for fewer (or more) entries does not say the reading was stored, so it is not a
    // delivery; sending again is safe because every entry is a conditional create.
    return fail('retry', status, res.body, `The FHIR server answered ${status} with ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} for the ${sent} it was sent, so it did not confirm storing the reading; it will be sent again`);
  }
  const bad = entries.find((e) => e.status < 200 || e.status >= 300);
  if (bad) {
    // A transaction should fail as a whole; a server that answers 200 with a failed entry treated it as a batch.
    const text = bad.outcome ? outcomeText(JSON.stringify(bad.outcome)) : undefined;
    const result = bad.status === 429 || bad.status >= 500 ? 'retry' : 'dead';
    return fail(result, `HTTP ${bad.status}`, res.body, `An entry of the transaction failed with HTTP ${bad.status}${text ? `: ${text}` : ''}`);
  }
  return { ok: true, entries: entries.map((e) => ({ status: e.status, ...(relativeReference(e.location) ? { location: relativeReference(e.location) } : {}) })) };
}
