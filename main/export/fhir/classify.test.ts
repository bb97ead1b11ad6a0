import { describe, expect, it } from 'vitest';
import { classifyTransactionAnswer } from './classify.ts';

const answer = (status: number, body: unknown) => ({ status, headers: {}, body: typeof body === 'string' ? body : JSON.stringify(body) });
const oo = (text: string) => ({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: text }] });

describe('classifying a transaction answer', () => {
  it('is done when every entry is 2xx, with the locations', () => {
    const r = classifyTransactionAnswer(answer(200, { resourceType: 'Bundle', type: 'transaction-response', entry: [{ response: { status: '201 Created', location: 'https://ehr/fhir/Observation/7/_history/1' } }, { response: { status: '200' } }] }), 2);
    expect(r).toEqual({ ok: true, entries: [{ status: 201, location: 'Observation/7' }, { status: 200 }] });
  });

  it.each([
    [500, 'retry'],
    [502, 'retry'],
    [429, 'retry'],
    [408, 'retry'],
    [401, 'retry'],
    [403, 'retry'],
    [301, 'retry'],
    [400, 'dead'],
    [404, 'dead'],
    [422, 'dead'],
    [412, 'dead'],
  ] as const)('HTTP %i → %s', (status, result) => {
    const r = classifyTransactionAnswer(answer(status, oo('why')), 1);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.outcome).toMatchObject({ result, status: `HTTP ${status}` });
  });

  it('quotes the OperationOutcome for a refusal, and asks to fix credentials on 401', () => {
    const refused = classifyTransactionAnswer(answer(422, oo('Observation.code: unknown code')), 1);
    expect(!refused.ok && refused.outcome.message).toMatch(/unknown code/);
    const auth = classifyTransactionAnswer(answer(401, ''), 1);
    expect(!auth.ok && auth.outcome.message).toMatch(/credentials/);
    expect(!auth.ok && auth.outcome.message).toMatch(/reading itself is fine/);
  });

  it('retries a 200 that is not a transaction-response (wrong base URL)', () => {
    const r = classifyTransactionAnswer(answer(200, '<html>login</html>'), 1);
    expect(!r.ok && r.outcome.result).toBe('retry');
  });

  it('handles a failed entry in a 200 answer by its status', () => {
    const r = classifyTransactionAnswer(answer(200, { resourceType: 'Bundle', type: 'batch-response', entry: [{ response: { status: '400', outcome: oo('bad') } }] }), 1);
    expect(!r.ok && r.outcome).toMatchObject({ result: 'dead', status: 'HTTP 400' });
  });

  it.each([
    ['no entry at all', { resourceType: 'Bundle', type: 'transaction-response' }, 3],
    ['an empty entry list', { resourceType: 'Bundle', type: 'transaction-response', entry: [] }, 1],
    ['fewer entries than sent', { resourceType: 'Bundle', type: 'transaction-response', entry: [{ response: { status: '201' } }, { response: { status: '201' } }] }, 3],
    ['more entries than sent', { resourceType: 'Bundle', type: 'transaction-response', entry: [{ response: { status: '201' } }, { response: { status: '201' } }] }, 1],
  ])('is not a delivery when a 200 answers with %s: retry, keeping the server’s answer', (_what, body, sent) => {
    const r = classifyTransactionAnswer(answer(200, body), sent);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.outcome).toMatchObject({ result: 'retry', status: 'HTTP 200', response: JSON.stringify(body) });
    expect(r.outcome.message).toMatch(new RegExp(`for the ${sent} it was sent`));
  });
});
