import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FhirPatientSourceSchema } from '../../../shared/patients/patient-sources.ts';
import { FhirSourceClient, MAX_PAGES } from './fhir-source-client.ts';

/**
 * Paging limits of the FHIR source against a server that misbehaves (a loop of `next` links, a
 * link to another server, an answer that is not FHIR): bounded, said, and the token never sent
 * elsewhere. A plain node:http server, as no real FHIR server misbehaves on request.
 */
let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(answer: (url: URL) => { status?: number; body: unknown }): Promise<{ base: string; requests: string[] }> {
  const requests: string[] = [];
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${url.pathname}${url.search}`);
    const a = answer(url);
    res.writeHead(a.status ?? 200, { 'content-type': 'application/fhir+json' });
    res.end(JSON.stringify(a.body));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`, requests };
}

const source = (baseUrl: string) => FhirPatientSourceSchema.parse({ id: 'ehr', name: 'EHR', kind: 'fhir', baseUrl, location: 'Location/1' });
const day = { from: '2026-12-07T00:00:00.000Z', to: '2026-12-08T00:00:00.000Z' };

describe('the FHIR source follows next links, within bounds', () => {
  it(`stops after ${MAX_PAGES} pages of an endless list and says so`, async () => {
    const peer = await serve((url) => ({ body: { resourceType: 'Bundle', type: 'searchset', link: [{ relation: 'next', url: `${url.pathname}?page=${Math.random()}` }] } }));
    const result = await new FhirSourceClient(source(peer.base)).today(day, AbortSignal.timeout(30_000));
    expect(result.problems.some((p) => p.includes(`more than ${MAX_PAGES} pages for Appointment`))).toBe(true);
    expect(peer.requests.filter((r) => r.startsWith('/fhir/Appointment')).length).toBe(MAX_PAGES);
    expect(peer.requests.length).toBeLessThanOrEqual(2 * MAX_PAGES);
  });

  it('does not follow a next link to another server (it would carry the token there)', async () => {
    const peer = await serve(() => ({ body: { resourceType: 'Bundle', type: 'searchset', link: [{ relation: 'next', url: 'http://elsewhere.example/fhir/Appointment?page=2' }] } }));
    const result = await new FhirSourceClient(source(peer.base)).today(day, AbortSignal.timeout(30_000));
    expect(result.problems).toContain('EHR: a next link pointed to another server; not followed');
  });

  it('an answer that is not FHIR is a failure with the reason; a refused Encounter search is only a problem', async () => {
    const html = await serve(() => ({ body: '<html>login</html>' }));
    await expect(new FhirSourceClient(source(html.base)).lookup('M1', AbortSignal.timeout(30_000))).rejects.toMatchObject({ code: 'EXPORT_NETWORK', message: 'EHR did not answer with a FHIR Bundle: check the base URL' });
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    const noEncounters = await serve((url) => (url.pathname.endsWith('/Encounter') ? { status: 400, body: { resourceType: 'OperationOutcome' } } : { body: { resourceType: 'Bundle', type: 'searchset' } }));
    const result = await new FhirSourceClient(source(noEncounters.base)).today(day, AbortSignal.timeout(30_000));
    expect(result.problems).toEqual(['EHR answered HTTP 400 to Encounter; Encounters are not listed']);
  });
});
