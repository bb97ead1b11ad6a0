import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdtPatientSource } from '../shared/patients/patient-sources.ts';
import { storeFile } from '../main/paths.ts';
import { openStore } from '../main/store/index.ts';
import { adtMessage, sendWithMedplum, sendWithNodeHl7 } from './helpers/adt-senders.ts';
import { startCli, type CliProcess } from './helpers/cli.ts';

/**
 * The ADT listener across processes (docs/architecture.md §8, "Patient context"): a real
 * `pochub patients listen` and a real `pochub serve`, each fed by third-party MLLP clients, the
 * store read by this process as a second reader (one store, several processes).
 */
let root = '';
const children: CliProcess[] = [];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pochub-adt-cli-'));
});
afterAll(async () => {
  for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
  await Promise.all(children.map((c) => c.done));
  if (root) rmSync(root, { recursive: true, force: true });
});

function start(args: readonly string[]): CliProcess {
  const c = startCli(args);
  children.push(c);
  return c;
}

/** Configure ADT sources in a data folder, as the API or `patients set-source` would store them. */
function configure(data: string, ...sources: AdtPatientSource[]): void {
  const store = openStore(storeFile(data));
  try {
    for (const s of sources) store.patientSources.save(s, false, new Date().toISOString());
  } finally {
    store.close();
  }
}

/** Read the store the way a second process does, and close it again. */
function inStore<T>(data: string, read: (store: ReturnType<typeof openStore>) => T): T {
  const store = openStore(storeFile(data));
  try {
    return read(store);
  } finally {
    store.close();
  }
}

const adtSource = (id: string): AdtPatientSource => ({ id, name: `ADT ${id}`, kind: 'hl7-adt', enabled: true, listen: '127.0.0.1:0' });

/** The port a source took, from the process's "listening on" line. */
async function portOf(cli: CliProcess, sourceId: string): Promise<number> {
  const line = new RegExp(`ADT source ${sourceId}: listening on 127\\.0\\.0\\.1:(\\d+)`);
  await cli.waitForStderr(line);
  return Number(line.exec(cli.stderr())?.[1]);
}

describe('pochub patients listen', () => {
  it('answers ADT from two senders, prints one line per message without patient data, and stops on SIGINT', async () => {
    const data = join(root, 'listen');
    configure(data, adtSource('adt'));
    const cli = start(['patients', 'listen', '--data', data]);
    const port = await portOf(cli, 'adt');
    const [a, b] = await Promise.all([
      sendWithMedplum(port, [adtMessage({ event: 'A04', controlId: 'L1', mrn: 'MRN-L1', name: 'NGUYEN^AN', visitNumber: 'VL1' })]),
      sendWithNodeHl7(port, [adtMessage({ event: 'A04', controlId: 'L2', mrn: 'MRN-L2', name: 'OKAFOR^DANIEL', sendingApp: 'CERNER' }), adtMessage({ event: 'A31', controlId: 'L3' })]),
    ]);
    expect([a?.[0]?.code, b?.[0]?.code, b?.[1]?.code]).toEqual(['AA', 'AA', 'AR']);
    const [again] = await sendWithMedplum(port, [adtMessage({ event: 'A04', controlId: 'L1', mrn: 'MRN-L1', name: 'NGUYEN^AN', visitNumber: 'VL1' })]);
    expect(again?.code).toBe('AA');
    await cli.waitForStdout(/L1 from EPIC\^HOSP → AA \(resend/);
    // The two senders' lines may interleave; the resend comes last.
    expect(cli.stdout().trim().split('\n').sort()).toEqual([
      'ADT adt: A04 L1 from EPIC^HOSP → AA',
      'ADT adt: A04 L1 from EPIC^HOSP → AA (resend: answered as before, not applied again)',
      'ADT adt: A04 L2 from CERNER^HOSP → AA',
      'ADT adt: A31 L3 from EPIC^HOSP → AR (event A31 is not supported (only A01, A03, A04, A08, A11, A40))',
    ]);
    expect(cli.stdout() + cli.stderr()).not.toMatch(/NGUYEN|OKAFOR|19800115/);
    // Written while the listener runs: another process reads it.
    expect(inStore(data, (s) => [s.patients.get('MRN-L1')?.name, s.patients.get('MRN-L2')?.name, s.visits.get('adt:VL1')?.state])).toEqual(['NGUYEN, AN', 'OKAFOR, DANIEL', 'arrived']);
    cli.child.kill('SIGINT');
    expect((await cli.done).code).toBe(0);
    expect(inStore(data, (s) => s.db.prepare<[], { n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = 'patient.adt'").get()?.n)).toBe(2);
  }, 90_000);

  it('says plainly when there is no ADT source to listen for, or no hub store at all', async () => {
    const data = join(root, 'empty');
    configure(data);
    const run = await start(['patients', 'listen', '--data', data]).done;
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/no enabled hl7-adt patient source: add one with pochub patients set-source/);
    const none = await start(['patients', 'listen', '--data', join(root, 'nothing-here')]).done;
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/no hub store at .*nothing-here/);
  }, 60_000);
});

describe('pochub serve runs the ADT listeners', () => {
  it('applies ADT while serving, and picks up a source added while it runs', async () => {
    const data = join(root, 'serve');
    configure(data, adtSource('adt-a'));
    const hub = start(['serve', '--port', '0', '--data', data]);
    await hub.waitForStdout(/open http:\/\/127\.0\.0\.1:\d+/);
    const port = await portOf(hub, 'adt-a');
    const [ack] = await sendWithMedplum(port, [adtMessage({ event: 'A01', controlId: 'S1', mrn: 'MRN-S1', visitNumber: 'VS1' })]);
    expect(ack?.code).toBe('AA');
    expect(inStore(data, (s) => s.visits.get('adt-a:VS1')?.state)).toBe('in-progress');

    configure(data, adtSource('adt-b'));
    const second = await portOf(hub, 'adt-b');
    const [other] = await sendWithNodeHl7(second, [adtMessage({ event: 'A04', controlId: 'S2', mrn: 'MRN-S2' })]);
    expect(other?.code).toBe('AA');
    expect(inStore(data, (s) => s.patients.sourcePatient('MRN-S2')?.sourceId)).toBe('adt-b');
    hub.child.kill('SIGTERM');
    expect((await hub.done).code).toBe(0);
  }, 120_000);
});
