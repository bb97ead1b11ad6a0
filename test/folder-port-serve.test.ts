/**
 * The `folder` port kind through a real `pochub serve` and its API as the Devices and Review
 * screens use it (docs/architecture.md §6): an Accu-Chek Mobile's mounted disk, a temp folder
 * holding a Reports CSV made by the driver's own simulated meter. The readings are kept as the
 * meter's memory, imported for a patient, confirmed and exported to a file target like any
 * meter's; a second read imports nothing new; a cut or foreign file is refused whole with its
 * reason on the port; the folder gone, the port says so. Not demo mode: the demo plays this
 * meter's simulator too, and its report would look like this one.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryList } from '../shared/api/contract.ts';
import type { ReviewItem } from '../shared/api/model.ts';
import type { Port } from '../shared/api/ports-model.ts';
import { MEMORY_ROWS, reportText } from '../drivers/devices/roche-accu-chek-mobile/simulated-device.ts';
import { addOperatorByCli, startCli, type CliProcess } from './helpers/cli.ts';

const DRIVER = 'roche-accu-chek-mobile';
const PATIENT = { mrn: 'FOLDER-1', birthDate: '1970-02-03', name: 'Folder, Fran' };
const root = mkdtempSync(join(tmpdir(), 'pochub-folder-port-'));
const dataDir = join(root, 'data');
const exportDir = join(root, 'ehr-drop');
/** The meter's disk as the OS mounts it: ACCU-CHEK/Reports/*.csv one level down. */
const volume = join(root, 'media', 'ACCU-CHEK');
const reports = join(volume, 'Reports');
let hub: CliProcess;
let apiPort = 0;
let token = '';
let cookie = '';

interface Answer<T> {
  ok: boolean;
  value?: T;
  error?: { code: string; message: string };
}

async function call<T>(method: string, input: unknown = {}): Promise<Answer<T>> {
  const res = await fetch(`http://127.0.0.1:${apiPort}/api/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(input),
  });
  const set = res.headers.get('set-cookie');
  if (set) cookie = set.split(';')[0] ?? '';
  return (await res.json()) as Answer<T>;
}

async function value<T>(method: string, input: unknown = {}): Promise<T> {
  const r = await call<T>(method, input);
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

const portId = `folder:${volume}`;
const portNow = async (): Promise<Port | undefined> => (await value<Port[]>('listPorts')).find((p) => p.id === portId);
/** The port once its session number `n` has ended (a folder read ends by itself). */
async function afterSession(n: number): Promise<Port> {
  let port: Port | undefined;
  await expect
    .poll(
      async () => {
        port = await portNow();
        return port && port.health.sessions >= n && port.state !== 'connecting' && port.state !== 'connected';
      },
      { timeout: 60_000, interval: 200 },
    )
    .toBe(true);
  return port as Port;
}
const memoryOf = async (deviceKey: string): Promise<MemoryList['results']> => (await value<MemoryList>('listMemory', { deviceKey })).results;
const reviewOf = async (): Promise<ReviewItem[]> => (await value<ReviewItem[]>('listReview')).filter((i) => i.reading.driver === DRIVER);

/** A new report, newer than any before it (the link reads the newest). */
let reportN = 0;
function writeReport(text: string): void {
  reportN++;
  const file = join(reports, `report-${reportN}.csv`);
  writeFileSync(file, text);
  const at = new Date(Date.now() + reportN * 60_000);
  utimesSync(file, at, at);
}

beforeAll(async () => {
  mkdirSync(reports, { recursive: true });
  mkdirSync(exportDir);
  await addOperatorByCli(dataDir, { name: 'Folder Admin', badge: '4001', role: 'admin', pin: '4567' });
  hub = startCli(['serve', '--port', '0', '--data', dataDir]);
  await hub.waitForStdout(/open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/);
  const url = new URL(/open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(hub.stdout())?.[1] ?? '');
  apiPort = Number(url.port);
  token = url.searchParams.get('token') ?? '';
  await value('signIn', { badgeId: '4001', pin: '4567' });
  await value('saveExportTarget', { target: { id: 'folder-drop', name: 'Folder drop', kind: 'file', directory: exportDir, retry: { baseMs: 100, maxMs: 1000 } } });
}, 60_000);

afterAll(async () => {
  hub?.child.kill('SIGTERM');
  await hub?.done;
  rmSync(root, { recursive: true, force: true });
});

describe('a folder port (a meter mounted as a disk) in pochub serve', () => {
  it('refuses a relative path and a NUL in the API, naming the field', async () => {
    const relative = await call('addPort', { transport: 'folder', path: 'media/ACCU-CHEK' });
    expect(relative).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(relative.error?.message).toContain('not an absolute folder path');
    const nul = await call('addPort', { transport: 'folder', path: `${volume}\u0000x` });
    expect(nul).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(nul.error?.message).toContain('NUL');
    expect((await value<Port[]>('listPorts')).some((p) => p.transport === 'folder')).toBe(false);
  });

  // safety: SR-ROLE-3
  it('reads the newest report: kept as memory, imported for the patient, confirmed and exported once; a second read imports nothing new', async () => {
    writeReport(reportText(Date.now(), MEMORY_ROWS));
    const added = await value<Port>('addPort', { transport: 'folder', path: `${volume}/` });
    expect(added).toMatchObject({ id: portId, transport: 'folder', path: volume, origin: 'manual', present: true, state: 'idle', match: { kind: 'none' } });
    // Only a driver that reads report files fits; the refusal says why.
    const wrong = await call('assignPort', { portId, driverId: 'masimo-rad8' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(wrong.error?.message).toContain("a meter's mounted folder of report files");

    expect((await value<Port>('assignPort', { portId, driverId: DRIVER })).assignment).toMatchObject({ driverId: DRIVER, role: 'memory' });
    const read = await afterSession(1);
    expect(read.state).toBe('idle');
    expect(read.present).toBe(true);
    expect(read.health.lastError).toBeUndefined();
    // MEMORY_ROWS: six patient results, a control test and a row without a result.
    expect(read.health.readings).toBe(7);
    const deviceKey = read.deviceKey ?? '';
    expect(deviceKey).not.toBe('');

    // Test connection reads the report and names the meter, keeping nothing.
    expect(await value('testPort', { portId })).toMatchObject({ ok: true, message: expect.stringContaining('UI12345678') });

    // Memory: out of review until imported for the chosen patient.
    expect(await reviewOf()).toEqual([]);
    const memory = await memoryOf(deviceKey);
    expect(memory.map((m) => m.item.reading.kind).sort()).toEqual(['patient', 'patient', 'patient', 'patient', 'patient', 'patient']);
    expect(memory.every((m) => !m.recent)).toBe(true);
    await value('selectPatient', { ...PATIENT, createLocal: true });
    const ids = memory.map((m) => m.item.id);
    expect(await call('importReadings', { readingIds: ids })).toMatchObject({ ok: false });
    expect(await value<ReviewItem[]>('importReadings', { readingIds: ids, acknowledgeOld: true })).toHaveLength(6);
    const pending = await reviewOf();
    expect(pending).toHaveLength(6);
    for (const item of pending) {
      const acknowledge = [...(item.checks?.critical.length ? ['critical'] : []), ...(item.checks?.old ? ['old'] : [])];
      expect((await value<ReviewItem>('confirmReading', { readingId: item.id, acknowledge })).state).toBe('confirmed');
    }

    // Exported like any meter's: one line per result in the file target's folder.
    const exported = (): string => (existsSync(exportDir) ? readdirSync(exportDir).map((f) => readFileSync(join(exportDir, f), 'utf8')).join('') : '');
    await expect.poll(() => exported().split('\n').filter((l) => l.includes(DRIVER) || l.includes('14743-9')).length, { timeout: 60_000, interval: 200 }).toBeGreaterThanOrEqual(6);
    for (const v of ['5.8', '7.4', '12.1', '4.2', '9.9', '5.1']) expect(exported()).toContain(v);

    // Read now again: the same report, nothing new anywhere.
    expect((await value<Port>('connectPort', { portId })).id).toBe(portId);
    const again = await afterSession(2);
    expect(again.health.lastError).toBeUndefined();
    expect(await memoryOf(deviceKey)).toEqual([]);
    expect((await reviewOf()).filter((i) => i.state === 'pending')).toEqual([]);
  }, 180_000);

  it('refuses a cut report and a foreign CSV whole, with the reason on the port', async () => {
    const before = await portNow();
    const deviceKey = before?.deviceKey ?? '';
    const sessions = before?.health.sessions ?? 0;
    const next = reportText(Date.now() + 6 * 3_600_000, MEMORY_ROWS);
    writeReport(next.slice(0, -9));
    await value('connectPort', { portId });
    const cut = await afterSession(sessions + 1);
    expect(cut.state).toBe('error');
    expect(cut.health.lastError).toContain('nothing was imported');
    expect(await memoryOf(deviceKey)).toEqual([]);

    writeReport('Name;Value\r\nfoo;1\r\n');
    await value('connectPort', { portId });
    const foreign = await afterSession(sessions + 2);
    expect(foreign.state).toBe('error');
    expect(foreign.health.lastError).toMatch(/not .*Accu-Chek|Accu-Chek report .*not/);
    expect(foreign.health.lastError).toContain('nothing was imported');
    expect(await memoryOf(deviceKey)).toEqual([]);

    // A report with one row in a unit no meter writes: the whole file is refused, the good row too.
    const rows = reportText(Date.now() + 7 * 3_600_000, [{ result: '6.1' }, { result: '7.2' }]).split('\r\n');
    rows[4] = rows[4]?.replace('mmol/l', 'mmol/x') ?? '';
    writeReport(rows.join('\r\n'));
    await value('connectPort', { portId });
    const badRow = await afterSession(sessions + 3);
    expect(badRow.state).toBe('error');
    expect(badRow.health.lastError).toContain('has a row that is not a result');
    expect(badRow.health.lastError).toContain('nothing was imported');
    expect(badRow.health.lastError).not.toContain('interrupted');
    expect(await memoryOf(deviceKey)).toEqual([]);
  }, 120_000);

  it('says the folder is gone when the meter is unplugged (its disk unmounted), and reads again once it is back', async () => {
    rmSync(volume, { recursive: true, force: true });
    const gone = await portNow();
    expect(gone).toMatchObject({ present: false, state: 'absent' });
    expect(gone?.health.hints[0]).toContain(`The folder ${volume} is not there`);
    const refused = await call('connectPort', { portId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(refused.error?.message).toContain('is not there');

    // A file where the folder was: named as such, not a crash.
    mkdirSync(join(root, 'media'), { recursive: true });
    writeFileSync(volume, 'not a folder');
    expect((await portNow())?.health.hints[0]).toContain('is a file, not a folder');
    rmSync(volume);

    // Back, with a report holding one new result: Read now imports just that one.
    mkdirSync(reports, { recursive: true });
    writeReport(reportText(Date.now(), [{ result: '6.6' }]));
    const back = await portNow();
    expect(back).toMatchObject({ present: true });
    const sessions = back?.health.sessions ?? 0;
    await value('connectPort', { portId });
    const read = await afterSession(sessions + 1);
    expect(read.state).toBe('idle');
    const memory = await memoryOf(read.deviceKey ?? '');
    expect(memory.map((m) => m.item.reading.observations[0]?.value)).toEqual([expect.objectContaining({ value: 6.6 })]);
  }, 120_000);
});
