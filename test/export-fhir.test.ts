import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, Device, Observation, Provenance } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentIssues, type Exporter, type ExportItem, type SendOutcome } from '../main/export/exporter.ts';
import { createFhirExporter } from '../main/export/fhir/fhir-exporter.ts';
import { CATALOG } from '../shared/catalog.ts';
import { FhirTargetSchema, type FhirTarget } from '../shared/export/targets.ts';
import { observe, quantity } from '../shared/observation.ts';
import { deliver, everyKind, exportItem, READINGS } from './helpers/export-items.ts';
import { checkStoredResource, fhirJsIssues, medplumIssues, tableIssues } from './peers/fhir-checks.ts';
import { startFhirPeer, type FhirPeer, type FhirPeerOptions } from './peers/fhir-peer.ts';

const MRN_SYSTEM = 'https://hospital.example/mrn';
const URI = 'urn:ietf:rfc:3986';

function target(peer: FhirPeer, over: Record<string, unknown> = {}): FhirTarget {
  return FhirTargetSchema.parse({ id: 'ehr', name: 'EHR', kind: 'fhir', baseUrl: peer.baseUrl, patientIdentifierSystem: MRN_SYSTEM, ...over }) as FhirTarget;
}

function message(o: SendOutcome): string {
  return o.result === 'done' ? '' : o.message;
}

/** Observations the peer holds for one reading, found by the identifiers in its bundle. */
async function storedFor(peer: FhirPeer, exporter: Exporter, item: ExportItem): Promise<Observation[]> {
  const bundle = JSON.parse((await exporter.render(item)).body) as Bundle;
  const ids = (bundle.entry ?? []).flatMap((e) => (e.resource?.resourceType === 'Observation' ? [e.resource.identifier?.[0]?.value ?? ''] : []));
  const found = await Promise.all(ids.map((v) => peer.search<Observation>('Observation', { identifier: `${URI}|${v}` })));
  return found.flat();
}

const withTemp = (): string => mkdtempSync(join(tmpdir(), 'pochub-fhir-'));

describe('FHIR exporter against a real FHIR peer on loopback', () => {
  let peer: FhirPeer;
  let exporter: Exporter;
  const kinds = everyKind();

  beforeAll(async () => {
    peer = await startFhirPeer();
    exporter = createFhirExporter(target(peer), {});
  });
  afterAll(async () => {
    await exporter.close();
    await peer.stop();
  });

  it('delivers every kind of reading, and every stored resource passes all three checks', async () => {
    for (const { name, item } of kinds) {
      const outcome = await deliver(exporter, item);
      expect(outcome, name).toMatchObject({ result: 'done', status: 'HTTP 200' });
      expect(outcome.response).toMatch(/Observation 201 Observation\//);
    }
    const stored = [...(await peer.search('Observation')), ...(await peer.search('Device')), ...(await peer.search('Provenance'))];
    expect(stored.length).toBeGreaterThan(30);
    for (const resource of stored) expect(checkStoredResource(resource), `${resource.resourceType}/${resource.id ?? ''}`).toEqual([]);
  });

  it('stores the blood pressure as a panel with components and no value', async () => {
    const item = kinds.find((k) => k.name === 'bloodPressure')?.item as ExportItem;
    const [panel] = (await storedFor(peer, exporter, item)).filter((o) => o.code.coding?.[0]?.code === CATALOG.bpPanel.loinc);
    expect(panel?.valueQuantity).toBeUndefined();
    expect(panel?.component?.map((c) => c.code.coding?.[0]?.code)).toEqual([CATALOG.bpSystolic.loinc, CATALOG.bpDiastolic.loinc, CATALOG.bpMean.loinc]);
    expect(panel?.component?.[0]?.valueQuantity).toMatchObject({ value: 128, system: 'http://unitsofmeasure.org', code: 'mm[Hg]' });
    expect(panel?.category?.[0]?.coding?.[0]?.code).toBe('vital-signs');
  });

  it('codes SpO2 with both LOINC codes and MDC, and keeps the unmapped PI as text', async () => {
    const item = kinds.find((k) => k.name === 'spo2AndPulse')?.item as ExportItem;
    const stored = await storedFor(peer, exporter, item);
    const spo2 = stored.find((o) => o.code.coding?.some((c) => c.code === CATALOG.spo2.loinc));
    expect(spo2?.code.coding?.map((c) => c.code)).toEqual([CATALOG.spo2.loinc, ...(CATALOG.spo2.alsoLoinc ?? []), String(CATALOG.spo2.mdc?.code)]);
    const pi = stored.find((o) => o.code.text === 'PI');
    expect(pi?.code.coding).toBeUndefined();
    expect(pi?.valueString).toBe('05.09%');
    expect(pi?.note?.[0]?.text).toMatch(/not mapped to a standard code/i);
  });

  it('stores the urine strip as a panel of 12 members with SNOMED-coded ordinals and the printed text', async () => {
    const item = kinds.find((k) => k.name === 'urineStrip')?.item as ExportItem;
    const stored = await storedFor(peer, exporter, item);
    const panel = stored.find((o) => o.code.coding?.[0]?.code === CATALOG.urinePanel.loinc);
    expect(panel?.hasMember).toHaveLength(12);
    const members = stored.filter((o) => o !== panel);
    expect(new Set(members.map((m) => m.identifier?.[0]?.value)).size).toBe(12);
    for (const ref of panel?.hasMember ?? []) expect(members.map((m) => `Observation/${m.id ?? ''}`)).toContain(ref.reference);
    const protein = members.find((m) => m.code.coding?.[0]?.code === CATALOG.urineProteinPresence.loinc);
    expect(protein?.valueCodeableConcept).toEqual({ coding: [{ system: 'http://snomed.info/sct', code: '260347006', display: '+' }], text: '30 mg/dL (1+)' });
    expect(protein?.interpretation?.[0]?.coding?.[0]?.code).toBe('A');
    const colour = members.find((m) => m.code.coding?.[0]?.code === CATALOG.urineColor.loinc);
    expect(colour?.valueCodeableConcept?.text).toBe('Yellow');
    expect(panel?.method?.text).toBe('Multistix 10 SG');
  });

  it('sends a HI glucose with comparator > and interpretation HH, and meal flags as notes', async () => {
    const high = await storedFor(peer, exporter, kinds.find((k) => k.name === 'glucoseHigh')?.item as ExportItem);
    expect(high[0]?.valueQuantity).toMatchObject({ value: 600, comparator: '>', code: 'mg/dL' });
    expect(high[0]?.interpretation?.[0]?.coding?.[0]).toMatchObject({ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'HH' });
    const glucose = await storedFor(peer, exporter, kinds.find((k) => k.name === 'glucose')?.item as ExportItem);
    expect(glucose[0]?.category?.[0]?.coding?.[0]?.code).toBe('laboratory');
    expect(glucose[0]?.note?.map((n) => n.text).join(' ')).toMatch(/before meal/);
  });

  it('is exactly-once: resending the same payload is done and stores nothing new', async () => {
    const item = exportItem(READINGS.urineStrip);
    const payload = await exporter.render(item);
    const ctx = { controlId: item.controlId, readingId: item.readingId, signal: new AbortController().signal };
    expect((await exporter.send(payload, ctx)).result).toBe('done');
    const before = { obs: (await peer.search('Observation')).length, prov: (await peer.search('Provenance')).length, dev: (await peer.search('Device')).length };
    const again = await exporter.send(payload, ctx);
    expect(again.result).toBe('done');
    expect(again.response).not.toMatch(/ 201 /);
    expect((await peer.search('Observation')).length).toBe(before.obs);
    expect((await peer.search('Provenance')).length).toBe(before.prov);
    expect((await peer.search('Device')).length).toBe(before.dev);
    const bundle = JSON.parse(payload.body) as Bundle;
    for (const e of bundle.entry ?? []) {
      if (e.resource?.resourceType === 'Observation') expect(await peer.countByIdentifier('Observation', URI, e.resource.identifier?.[0]?.value ?? '')).toBe(1);
    }
    const [panel] = await storedFor(peer, exporter, item);
    expect(await peer.search<Provenance>('Provenance', { target: `Observation/${panel?.id ?? ''}` })).toHaveLength(1);
  });

  it('keeps one Device per meter even when the serial holds search delimiters', async () => {
    const a = exportItem(READINGS.weightHeightBmi);
    const b = exportItem(READINGS.weightHeightBmi);
    expect((await deliver(exporter, a)).result).toBe('done');
    expect((await deliver(exporter, b)).result).toBe('done');
    const scales = (await peer.search<Device>('Device')).filter((d) => d.manufacturer === 'Seca');
    expect(scales).toHaveLength(1);
    expect(scales[0]?.serialNumber).toBe('S-77|^&~\\');
  });

  it('refuses content that fails validation at render, and nothing reaches the peer', async () => {
    const wrongUnit = { ...observe('bodyTemperature', quantity(38.4, 'Cel')), value: quantity(38.4, 'kg') };
    const item = exportItem({ ...READINGS.temperature, observations: [wrongUnit] });
    const before = peer.requests;
    const err = await exporter.render(item).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'EXPORT_CONTENT' });
    expect(contentIssues(err).join(' ')).toMatch(/unit kg is not allowed/);
    expect(peer.requests).toBe(before);
  });

  it('turns a 400 from the server into dead, with the server\'s own words', async () => {
    // A hand-made bundle the peer's validating repository refuses (status missing).
    const bad: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [{ fullUrl: 'urn:uuid:6f1c2a52-0d7e-4a3e-9f0a-1a2b3c4d5e6f', resource: { resourceType: 'Observation', code: { text: 'x' } } as Observation, request: { method: 'POST', url: 'Observation' } }],
    };
    const outcome = await exporter.send({ body: JSON.stringify(bad), contentType: 'application/fhir+json' }, { controlId: 'X1', readingId: 'r', signal: new AbortController().signal });
    expect(outcome).toMatchObject({ result: 'dead', status: 'HTTP 400' });
    expect(message(outcome)).toMatch(/Missing required property/);
  });

  it('turns 412 (several matches on the server) into dead: reconcile by hand', async () => {
    const item = exportItem(READINGS.glucoseMolar);
    const bundle = JSON.parse((await exporter.render(item)).body) as Bundle;
    const obs = bundle.entry?.find((e) => e.resource?.resourceType === 'Observation')?.resource as Observation;
    await peer.repo.createResource({ ...obs, device: undefined });
    await peer.repo.createResource({ ...obs, device: undefined });
    const outcome = await deliver(exporter, item);
    expect(outcome).toMatchObject({ result: 'dead', status: 'HTTP 412' });
    expect(message(outcome)).toMatch(/reconcile by hand/);
  });
});

describe('FHIR exporter when the peer misbehaves', () => {
  let peer: FhirPeer;
  beforeAll(async () => {
    peer = await startFhirPeer();
  });
  afterAll(async () => {
    await peer.stop();
  });

  it.each([
    [500, 'retry'],
    [503, 'retry'],
    [429, 'retry'],
    [400, 'dead'],
    [422, 'dead'],
    [412, 'dead'],
  ] as const)('answers HTTP %i → %s', async (status, result) => {
    peer.setBehaviour({ status, diagnostics: `The EHR says no (${status})` });
    const outcome = await deliver(createFhirExporter(target(peer), {}), exportItem(READINGS.glucose));
    peer.setBehaviour({});
    expect(outcome).toMatchObject({ result, status: `HTTP ${status}` });
    if (status !== 412) expect(message(outcome)).toContain(`The EHR says no (${status})`);
  });

  it.each([
    ['empty', 'retry', /with 0 entries for the \d+ it was sent/],
    ['short', 'retry', /entr(y|ies) for the \d+ it was sent/],
    ['failed-entry', 'dead', /The EHR did not store this entry/],
  ] as const)('a 200 answer with a %s transaction-response is no delivery (%s), and the server’s words are kept', async (hollowAnswer, result, words) => {
    const exporter = createFhirExporter(target(peer), {});
    const item = exportItem(READINGS.glucose);
    peer.setBehaviour({ hollowAnswer });
    const outcome = await deliver(exporter, item);
    peer.setBehaviour({});
    expect(outcome).toMatchObject({ result, status: result === 'dead' ? 'HTTP 422' : 'HTTP 200' });
    expect(message(outcome)).toMatch(words);
    expect(outcome.result !== 'done' && outcome.response).toContain('transaction-response');
    // The server stored nothing; a retry (not a dead row) then delivers it exactly once.
    expect(await storedFor(peer, exporter, item)).toEqual([]);
    if (result === 'retry') {
      expect((await deliver(exporter, item)).result).toBe('done');
      expect(await storedFor(peer, exporter, item)).toHaveLength(1);
    }
  });

  it('retries when the peer drops the connection', async () => {
    peer.setBehaviour({ down: true });
    const outcome = await deliver(createFhirExporter(target(peer), {}), exportItem(READINGS.glucose));
    peer.setBehaviour({});
    expect(outcome).toMatchObject({ result: 'retry', status: 'ECONNRESET' });
    expect(message(outcome)).toMatch(/dropped the connection/);
  });

  it('retries when the peer is stopped, and delivers once it is back on the same port', async () => {
    const exporter = createFhirExporter(target(peer), {});
    const item = exportItem(READINGS.ketone);
    const payload = await exporter.render(item);
    const ctx = { controlId: item.controlId, readingId: item.readingId, signal: new AbortController().signal };
    await peer.stop();
    const down = await exporter.send(payload, ctx);
    expect(down).toMatchObject({ result: 'retry', status: 'ECONNREFUSED' });
    await peer.restart();
    expect((await exporter.send(payload, ctx)).result).toBe('done');
  });

  it('retries on timeout; the late answer was stored, and the retry finds it (exactly once)', async () => {
    const exporter = createFhirExporter(target(peer, { timeoutMs: 1000 }), {});
    const item = exportItem(READINGS.glucoseHigh);
    const payload = await exporter.render(item);
    const ctx = { controlId: item.controlId, readingId: item.readingId, signal: new AbortController().signal };
    peer.setBehaviour({ delayMs: 1500 });
    const late = await exporter.send(payload, ctx);
    peer.setBehaviour({});
    expect(late).toMatchObject({ result: 'retry', status: 'timeout' });
    const again = await exporter.send(payload, ctx);
    expect(again.result).toBe('done');
    const id = (JSON.parse(payload.body) as Bundle).entry?.find((e) => e.resource?.resourceType === 'Observation')?.resource as Observation;
    expect(await peer.countByIdentifier('Observation', URI, id.identifier?.[0]?.value ?? '')).toBe(1);
  });

  it('retries when the hub stops (the signal is aborted)', async () => {
    const ac = new AbortController();
    ac.abort();
    const outcome = await deliver(createFhirExporter(target(peer), {}), exportItem(READINGS.glucose), ac.signal);
    expect(outcome).toMatchObject({ result: 'retry', status: 'aborted' });
  });
});

describe('FHIR exporter authentication', () => {
  it('sends a bearer token; a wrong or missing token is a retry that asks to fix the credentials', async () => {
    const peer = await startFhirPeer({ bearerToken: 's3cret' });
    try {
      const t = target(peer, { auth: { type: 'bearer' } });
      expect((await deliver(createFhirExporter(t, { secret: 's3cret' }), exportItem(READINGS.glucose))).result).toBe('done');
      const wrong = await deliver(createFhirExporter(t, { secret: 'nope' }), exportItem(READINGS.glucose));
      expect(wrong).toMatchObject({ result: 'retry', status: 'HTTP 401' });
      expect(message(wrong)).toMatch(/credentials/);
      const missing = await deliver(createFhirExporter(t, {}), exportItem(READINGS.glucose));
      expect(missing.result).toBe('retry');
      expect(message(missing)).toMatch(/No bearer token is stored/);
    } finally {
      await peer.stop();
    }
  });

  describe.each([
    ['RS384', () => generateKeyPairSync('rsa', { modulusLength: 2048 })],
    ['ES384', () => generateKeyPairSync('ec', { namedCurve: 'P-384' })],
  ] as const)('SMART Backend Services with %s', (alg, makeKeys) => {
    let dir: string;
    let peer: FhirPeer;
    let keys: { privateKey: KeyObject; publicKey: KeyObject };
    beforeAll(async () => {
      dir = withTemp();
      keys = makeKeys();
      writeFileSync(join(dir, 'hub.pem'), keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
      peer = await startFhirPeer({ smart: { clientId: 'pochub-room3', publicKey: keys.publicKey, algorithms: [alg] } });
    });
    afterAll(async () => {
      await peer.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    const smartTarget = (over: Record<string, unknown> = {}): FhirTarget =>
      target(peer, { auth: { type: 'smart', clientId: 'pochub-room3', privateKeyFile: join(dir, 'hub.pem'), keyId: 'key-1', alg, ...over } });

    it('gets a token with a signed assertion the server verifies, reuses it, and renews it after a 401', async () => {
      const exporter = createFhirExporter(smartTarget(), {});
      expect((await deliver(exporter, exportItem(READINGS.glucose))).result).toBe('done');
      expect(peer.tokenRequests.at(-1)).toMatchObject({
        ok: true,
        header: { alg, kid: 'key-1' },
        claims: { iss: 'pochub-room3', sub: 'pochub-room3', aud: peer.tokenUrl },
        scope: 'system/Observation.c system/Provenance.c system/Device.cru',
      });
      const claims = peer.tokenRequests.at(-1)?.claims ?? {};
      expect(Number(claims.exp) - Number(claims.iat)).toBeLessThanOrEqual(300);
      const count = peer.tokenRequests.length;
      expect((await deliver(exporter, exportItem(READINGS.ketone))).result).toBe('done');
      expect(peer.tokenRequests.length).toBe(count);
      peer.revokeTokens();
      expect((await deliver(exporter, exportItem(READINGS.temperature))).result).toBe('done');
      expect(peer.tokenRequests.length).toBe(count + 1);
      expect(new Set(peer.tokenRequests.map((r) => r.claims?.jti)).size).toBe(peer.tokenRequests.length);
    });

    it('test() gets a token too', async () => {
      const result = await createFhirExporter(smartTarget(), {}).test(new AbortController().signal);
      expect(result).toEqual({ ok: true, message: 'Connected: the server speaks FHIR 4.0.1 and the hub got an access token.' });
    });

    it('retries with a clear message when the server does not know the key', async () => {
      const other = alg === 'RS384' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-384' });
      writeFileSync(join(dir, 'other.pem'), other.privateKey.export({ type: 'pkcs8', format: 'pem' }));
      const outcome = await deliver(createFhirExporter(smartTarget({ privateKeyFile: join(dir, 'other.pem') }), {}), exportItem(READINGS.glucose));
      expect(outcome).toMatchObject({ result: 'retry', status: 'HTTP 400' });
      expect(message(outcome)).toMatch(/refused the hub's credentials/);
      const noFile = await deliver(createFhirExporter(smartTarget({ privateKeyFile: join(dir, 'missing.pem') }), {}), exportItem(READINGS.glucose));
      expect(message(noFile)).toMatch(/Cannot read the SMART private key file/);
    });
  });
});

describe('FHIR exporter over TLS', () => {
  let dir: string;
  let peer: FhirPeer;
  beforeAll(async () => {
    dir = withTemp();
    execFileSync('/usr/bin/openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    const { readFileSync } = await import('node:fs');
    const tls: FhirPeerOptions['tls'] = { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
    peer = await startFhirPeer({ tls });
  });
  afterAll(async () => {
    await peer.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a self-signed certificate without caFile (retry, the message names the certificate)', async () => {
    const outcome = await deliver(createFhirExporter(target(peer), {}), exportItem(READINGS.glucose));
    expect(outcome.result).toBe('retry');
    expect(message(outcome)).toMatch(/certificate/);
    expect(message(outcome)).toMatch(/caFile/);
    const tested = await createFhirExporter(target(peer), {}).test(new AbortController().signal);
    expect(tested.ok).toBe(false);
    expect(tested.message).toMatch(/certificate/);
  });

  it('accepts it when caFile names it', async () => {
    const exporter = createFhirExporter(target(peer, { caFile: join(dir, 'cert.pem') }), {});
    expect((await deliver(exporter, exportItem(READINGS.glucose))).result).toBe('done');
    expect((await exporter.test(new AbortController().signal)).ok).toBe(true);
  });

  it('says so when the caFile cannot be read', async () => {
    const outcome = await deliver(createFhirExporter(target(peer, { caFile: join(dir, 'nope.pem') }), {}), exportItem(READINGS.glucose));
    expect(outcome).toMatchObject({ result: 'retry', status: 'config' });
    expect(message(outcome)).toMatch(/Cannot read the CA certificate file/);
  });
});

describe('FHIR exporter test()', () => {
  it('reports the FHIR version, a wrong version, and an unreachable server in plain words', async () => {
    const ok = await startFhirPeer();
    const old = await startFhirPeer({ fhirVersion: '3.0.2' });
    try {
      const signal = new AbortController().signal;
      expect(await createFhirExporter(target(ok), {}).test(signal)).toEqual({ ok: true, message: 'Connected: the server speaks FHIR 4.0.1.' });
      expect(await createFhirExporter(target(old), {}).test(signal)).toEqual({ ok: false, message: 'The server speaks FHIR 3.0.2, but POC Hub sends FHIR R4 (4.0.x).' });
      const wrongBase = await createFhirExporter(target(ok, { baseUrl: ok.baseUrl.replace('/fhir', '/nothing') }), {}).test(signal);
      expect(wrongBase.ok).toBe(false);
      expect(wrongBase.message).toMatch(/no FHIR CapabilityStatement/);
      await ok.stop();
      const down = await createFhirExporter(target(ok), {}).test(signal);
      expect(down.ok).toBe(false);
      expect(down.message).toMatch(/Connection refused/);
    } finally {
      await ok.stop();
      await old.stop();
    }
  });
});

describe('the three checks are not vacuous', () => {
  it('each one catches what it is for', () => {
    const good: Observation = {
      resourceType: 'Observation',
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: CATALOG.heartRate.loinc }] },
      subject: { reference: 'Patient/1' },
      effectiveDateTime: '2026-11-27T09:15:00+00:00',
      valueQuantity: { value: 72, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    };
    expect(checkStoredResource(good)).toEqual([]);
    expect(medplumIssues({ ...good, subject: undefined })).not.toEqual([]);
    expect(fhirJsIssues({ ...good, status: 'done' as Observation['status'] })).not.toEqual([]);
    expect(tableIssues({ ...good, valueQuantity: { value: 72, unit: 'bpm', system: 'http://unitsofmeasure.org', code: 'bpm' } })).not.toEqual([]);
    expect(tableIssues({ ...good, code: { coding: [{ system: 'http://loinc.org', code: '1234-5' }] } })).not.toEqual([]);
  });
});
