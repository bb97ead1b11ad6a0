import { describe, expect, it, vi } from 'vitest';
import { METHODS, PUBLIC_METHODS } from '../../shared/api/contract.ts';
import type { Operator, ReviewItem } from '../../shared/api/model.ts';
import { HubError } from '../../shared/errors.ts';
import type { Port } from '../../shared/api/ports-model.ts';
import type { MethodHandlers } from '../../shared/api/handlers.ts';
import { BIOMED_METHODS, type BiomedMethod } from '../devices/biomed-service.ts';
import { EXPORT_METHODS } from '../export/export-service.ts';
import { WORKFLOW_METHODS, type Workflow, type WorkflowMethod } from '../workflow/workflow.ts';
import { PATIENT_SOURCE_METHODS } from '../patients/patient-source-service.ts';
import { BUG_CODE, COMBINED_METHODS, callMethod, createHandlers, type CallAccess, type HandlerDeps, type Handlers } from './handlers.ts';

const ASSISTANT: Operator = { id: 'op-1', name: 'Alex Assistant', badgeId: '1001', role: 'assistant' };
const BIOMED: Operator = { id: 'op-2', name: 'Bo Biomed', badgeId: '2001', role: 'biomed' };

const ITEM: ReviewItem = {
  id: 'r-1',
  reading: {
    driver: 'masimo-rad8',
    device: { manufacturer: 'Masimo', model: 'Rad-8', serial: '0000056661' },
    kind: 'patient',
    receivedAt: '2026-01-15T09:00:00.000Z',
    effectiveTime: '2026-01-15T09:00:00.000Z',
    observations: [],
    flags: [],
  },
  state: 'pending',
  deviceKey: 'masimo-rad8:0000056661',
  deviceLabel: 'Masimo Rad-8',
  manual: false,
};

/** A handler for each of `names` that throws: what a fake answers for a method its tests do not reach. */
function unexpectedHandlers<M extends string>(names: readonly M[]): Record<M, () => never> {
  return Object.fromEntries(
    names.map((name) => [
      name,
      (): never => {
        throw new Error(`${name} not expected here`);
      },
    ]),
  ) as Record<M, () => never>;
}

/** A Workflow that records calls; only what these tests reach does anything. */
function fakeWorkflow(operator: { current?: Operator } = {}): Workflow & { calls: string[] } {
  const calls: string[] = [];
  const reached: Omit<Workflow, WorkflowMethod> & Partial<Pick<Workflow, WorkflowMethod>> = {
    currentOperator: () => operator.current,
    currentPatient: () => undefined,
    qcLockOf: () => undefined,
    session: () => ({ ...(operator.current ? { operator: operator.current } : {}), locked: false, lockAfterMs: 300_000 }),
    admit: () => operator.current,
    within: (_ref, fn) => fn(),
    arrivalContext: () => ({}),
    signIn: (input) => {
      calls.push(`signIn ${input.badgeId}`);
      if (input.pin !== '1234') throw new HubError('AUTH_FAILED', 'Unknown badge or wrong PIN.');
      operator.current = ASSISTANT;
      return ASSISTANT;
    },
    signOut: () => ((operator.current = undefined), { ok: true as const }),
    clearPatient: () => (calls.push('clearPatient'), { ok: true as const }),
    readingArrived: (): never => {
      throw new Error('readingArrived not expected here');
    },
    listReview: () => [ITEM],
    getReview: (id) => (id === ITEM.id ? ITEM : undefined),
    getHistory: ({ mrn }) => (calls.push(`getHistory ${mrn}`), []),
    listQc: () => [],
    confirmReading: ({ readingId }) => {
      throw new HubError('PATIENT_REQUIRED', `Reading ${readingId} has no patient.`, { details: { readingId } });
    },
    listAudit: ({ limit }) => (calls.push(`listAudit ${String(limit)}`), []),
    verifyAudit: () => ({ ok: true, rows: 3, message: 'the audit log is intact' }),
    audit: (action, subject, details) => void calls.push(`audit ${action} ${subject ?? ''} ${JSON.stringify(details)}`),
    onReviewChange: () => () => undefined,
    onContextChange: () => () => undefined,
  };
  return Object.assign(unexpectedHandlers(WORKFLOW_METHODS), reached, { calls });
}

/** Export behind the handlers' interface: records what the handlers asked of it. */
function fakeExports(): HandlerDeps['exports'] & { calls: string[] } {
  const calls: string[] = [];
  const view = { target: { id: 'ehr', name: 'EHR', kind: 'file' as const, enabled: true, retry: { baseMs: 2000, maxMs: 300000 }, directory: '/tmp/x', format: 'ndjson' as const, patientIdentifierSystem: 'urn:pochub:mrn' }, hasSecret: false, updatedAt: '2026-11-27T10:00:00.000Z' };
  const reached: Partial<HandlerDeps['exports']> = {
    summary: () => [],
    rows: (q) => (calls.push(`rows ${JSON.stringify(q)}`), []),
    getOutboxRow: ({ id }) => {
      throw new HubError('NOT_FOUND', `There is no outbox row ${id}.`);
    },
    retryExport: (input) => (calls.push(`retry ${JSON.stringify(input)}`), { count: 2 }),
    requeueExport: ({ ids }) => (calls.push(`requeue ${ids.join(',')}`), { count: ids.length }),
    listExportTargets: () => [view],
    saveExportTarget: async (input) => (calls.push(`save ${JSON.stringify(input)}`), view),
    testExportTarget: async ({ targetId }) => ({ ok: targetId === 'ehr', message: `tested ${targetId}` }),
  };
  return Object.assign(unexpectedHandlers([...EXPORT_METHODS, 'summary', 'rows'] as const), reached, { calls });
}

const PORT: Port = {
  id: 'serial:/dev/ttyUSB0',
  transport: 'serial',
  path: '/dev/ttyUSB0',
  origin: 'discovered',
  present: true,
  match: { kind: 'none', driverIds: [], message: 'No USB ids for this port.' },
  state: 'idle',
  health: { readings: 0, checksumErrors: 0, timeouts: 0, sessions: 0, hints: [] },
  recording: false,
};

/**
 * The biomed console's back end as the handlers see it: records what it was asked. A method
 * these tests do not reach throws, so a new biomed method needs no change here.
 */
function fakeBiomed(): MethodHandlers<BiomedMethod> & { calls: string[] } {
  const calls: string[] = [];
  const port = (what: string) => (input?: unknown): Port => (calls.push(`${what} ${JSON.stringify(input ?? {})}`), PORT);
  const reached: Partial<MethodHandlers<BiomedMethod>> = {
    listPorts: () => (calls.push('listPorts'), [PORT]),
    getDiscovery: () => ({ polling: true, pollMs: 2000, problems: [] }),
    scanPorts: async () => (calls.push('scanPorts'), { polling: true, pollMs: 2000, lastScanAt: '2026-01-15T09:00:00.000Z', problems: [] }),
    listDrivers: () => [],
    addPort: port('addPort'),
    assignPort: port('assignPort'),
    unassignPort: port('unassignPort'),
    removePort: async ({ portId }) => (calls.push(`removePort ${portId}`), []),
    connectPort: port('connectPort'),
    disconnectPort: port('disconnectPort'),
    testPort: ({ portId }) => (calls.push(`testPort ${portId}`), { ok: true, message: 'answered' }),
    getTrace: () => [],
    startRecording: port('startRecording'),
    stopRecording: () => ({ fileName: 'x.trace', trace: '', frames: 0 }),
    replayTrace: async () => ({ readings: [], end: 'completed', problems: [] }),
    listSimulators: () => [],
    startSimulator: async (input) => ({ id: 'sim-1', driverId: input.driverId, scenario: 'stream', path: input.path, startedAt: '2026-01-15T09:00:00.000Z' }),
    stopSimulator: () => ({ ok: true }),
    exportConfig: () => ({ format: 'pochub-workstation-config', version: 1, discovery: { autoConnect: true, pollMs: 2000 }, review: { resultAgeMinutes: 60 }, ports: [], memoryImport: { recentWindowMinutes: 120 }, exportTargets: [] }),
    importConfig: ({ config }) => (calls.push(`importConfig ${JSON.stringify(config)}`), { ports: 0, exportTargets: 0 }),
    getConfigFollow: () => (calls.push('getConfigFollow'), { following: false, localOverrides: [] }),
    followConfig: (input) => (calls.push(`followConfig ${input.url} ${input.intervalSeconds}`), { outcome: 'applied', message: 'applied', status: { following: true, localOverrides: [] } }),
  };
  return Object.assign(unexpectedHandlers(BIOMED_METHODS), reached, { calls });
}

function setup(signedIn?: Operator) {
  const who: { current?: Operator } = signedIn ? { current: signedIn } : {};
  const workflow = fakeWorkflow(who);
  const devices = {
    listDevices: () => [],
    // masimo-rad8:1 has valid values (its line was stored before as ITEM); any other has none.
    capture: vi.fn((key: string) => (key === 'masimo-rad8:1' ? { captured: true as const, readingId: ITEM.id, isNew: false } : { captured: false as const })),
    // ge-dinamap:1 answers Start BP; any other device is not connected.
    command: vi.fn(async (key: string, id: string) => {
      if (key !== 'ge-dinamap:1') throw new HubError('CONFLICT', 'GE DINAMAP is not connected right now.');
      return { accepted: true, reply: `" NC!?" (${id})` };
    }),
  };
  const exports = fakeExports();
  const biomed = fakeBiomed();
  const handlers = createHandlers({ workflow, devices, exports, biomed, hub: { demo: true, workstation: 'room-3' } });
  const bugs: unknown[] = [];
  const access: CallAccess = { admit: () => who.current, reportBug: (_m, e) => bugs.push(e) };
  const call = (name: string, input: unknown, h: Handlers = handlers) => callMethod(h, name, input, { binding: 'internal', session: 'internal' }, access);
  return { workflow, devices, exports, biomed, handlers, bugs, call, who };
}

describe('the contract is implemented once', () => {
  it('has exactly one handler per contract method, no more, no less', () => {
    const { handlers } = setup();
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(METHODS).sort());
    for (const handler of Object.values(handlers)) expect(typeof handler).toBe('function');
  });
});

describe('callMethod', () => {
  it('an unknown method is NOT_FOUND, whoever asks', async () => {
    const { call } = setup(ASSISTANT);
    const r = await call('dropTables', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call('toString', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('public methods work signed out; every other method says AUTH_REQUIRED', async () => {
    const { call } = setup();
    const state = await call('getState', {});
    expect(state).toEqual({ ok: true, value: { devices: [], demo: true, workstation: 'room-3', locked: false, lockAfterMs: 300_000 } });
    for (const name of Object.keys(METHODS).filter((m) => !PUBLIC_METHODS.has(m as keyof typeof METHODS))) {
      const r = await call(name, {});
      expect(r, name).toMatchObject({ ok: false, error: { code: 'AUTH_REQUIRED' } });
    }
  });

  it('input is checked against the schema: wrong type, unknown field and missing field are INPUT_INVALID naming the field', async () => {
    const { call, workflow } = setup(ASSISTANT);
    const wrongType = await call('getHistory', { mrn: 42 });
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID', details: { path: 'mrn' } } });
    if (!wrongType.ok) expect(wrongType.error.message).toBe('MRN has the wrong kind of value (expected text).');
    const unknownField = await call('listReview', { sneaky: true });
    expect(unknownField).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    if (!unknownField.ok) expect(unknownField.error.message).toContain('sneaky');
    expect(await call('confirmReading', {})).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID', details: { path: 'readingId' } } });
    expect(await call('listAudit', { limit: 5000 })).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID', details: { path: 'limit' } } });
    expect(await call('signIn', 'not an object')).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(workflow.calls).toEqual([]);
  });

  it('INPUT_INVALID reaches a person as a sentence naming the field in words, never the schema message', async () => {
    const { call } = setup(ASSISTANT);
    const message = async (method: string, input: unknown): Promise<string> => {
      const r = await call(method as 'signIn', input as never);
      return r.ok ? 'ok' : r.error.message;
    };
    expect(await message('signIn', { badgeId: 'B'.repeat(101), pin: '1234' })).toBe('Badge ID is too long (at most 100 characters).');
    expect(await message('signIn', { badgeId: 'B-1', pin: '12' })).toBe('PIN is too short (at least 4 characters).');
    expect(await message('signIn', { badgeId: '  ', pin: '1234' })).toBe('Badge ID is empty: fill it in.');
    expect(await message('selectPatient', { mrn: 'M'.repeat(65), birthDate: '1980-01-01' })).toBe('MRN is too long (at most 64 characters).');
    expect(await message('selectPatient', { mrn: 'M-1', birthDate: '1980-02-30' })).toBe('Date of birth must be a real date, written YYYY-MM-DD.');
    expect(await message('rejectReading', { readingId: 'r', reason: 'other', note: 'n'.repeat(501) })).toBe('Note is too long (at most 500 characters).');
    expect(await message('rejectReading', { readingId: 'r', reason: 'because' })).toMatch(/^Reason must be one of: wrong-patient, /);
    expect(await message('confirmReading', {})).toBe('Reading is missing.');
    expect(await message('listAudit', { limit: 5000 })).toBe('Limit is too large (at most 1000).');
  });

  it('the handler gets the parsed input (trimmed as the schema says)', async () => {
    const { call, workflow } = setup();
    const r = await call('signIn', { badgeId: '  1001 ', pin: '1234' });
    expect(r).toEqual({ ok: true, value: ASSISTANT });
    expect(workflow.calls).toEqual(['signIn 1001']);
  });

  it("roles: a method with roles refuses other operators with FORBIDDEN and serves the listed ones", async () => {
    const assistant = setup(ASSISTANT);
    const refused = await assistant.call('verifyAudit', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { role: 'assistant' } } });
    const biomed = setup(BIOMED);
    expect(await biomed.call('verifyAudit', {})).toEqual({ ok: true, value: { ok: true, rows: 3, message: 'the audit log is intact' } });
    expect(METHODS.verifyAudit.roles).toEqual(['admin', 'biomed']);
  });

  it('access is checked before input: a caller who may not call learns nothing about the payload', async () => {
    const { call } = setup();
    expect(await call('confirmReading', { readingId: 7 })).toMatchObject({ ok: false, error: { code: 'AUTH_REQUIRED' } });
    const assistant = setup(ASSISTANT);
    expect(await assistant.call('verifyAudit', { bogus: 1 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('HubErrors cross as data with their code, message and details', async () => {
    const { call } = setup(ASSISTANT);
    expect(await call('confirmReading', { readingId: 'r-9' })).toEqual({
      ok: false,
      error: { code: 'PATIENT_REQUIRED', message: 'Reading r-9 has no patient.', details: { readingId: 'r-9' } },
    });
    const failedSignIn = await setup().call('signIn', { badgeId: '1001', pin: '9999' });
    expect(failedSignIn).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
  });

  it('an output the contract does not allow is a bug: reported, and no value leaves', async () => {
    const { call, handlers, bugs } = setup(ASSISTANT);
    const broken = { ...handlers, listReview: () => [{ ...ITEM, state: 'lost' }] } as unknown as Handlers;
    const r = await call('listReview', {}, broken);
    expect(r).toMatchObject({ ok: false, error: { code: BUG_CODE } });
    expect(JSON.stringify(r)).not.toContain('lost');
    expect(bugs).toHaveLength(1);
    expect(String(bugs[0])).toContain('listReview');
  });

  it('a thrown non-HubError is a bug: reported, answered without its internals', async () => {
    const { call, handlers, bugs } = setup(ASSISTANT);
    const throwing: Handlers = {
      ...handlers,
      listQc: () => {
        throw new TypeError('secret internals: cannot read x of undefined');
      },
    };
    const r = await call('listQc', {}, throwing);
    expect(r).toMatchObject({ ok: false, error: { code: BUG_CODE } });
    expect(JSON.stringify(r)).not.toContain('secret');
    expect(bugs).toEqual([expect.any(TypeError)]);
  });

  it('async handlers are awaited; output is returned as parsed', async () => {
    const { call, handlers } = setup(ASSISTANT);
    const slow: Handlers = { ...handlers, listReview: async () => [ITEM] };
    expect(await call('listReview', {}, slow)).toEqual({ ok: true, value: [ITEM] });
  });
});

describe('handlers', () => {
  it('capture asks the device side and records who pressed it in the audit log', async () => {
    const { call, devices, workflow } = setup(ASSISTANT);
    // The answer names the reading, so the page can say when it is one stored (and decided) before.
    expect(await call('capture', { deviceKey: 'masimo-rad8:1' })).toEqual({ ok: true, value: { captured: true, isNew: false, reading: ITEM } });
    expect(devices.capture).toHaveBeenCalledWith('masimo-rad8:1');
    expect(await call('capture', { deviceKey: 'masimo-rad8:2' })).toEqual({ ok: true, value: { captured: false } });
    expect(workflow.calls).toEqual([`audit capture masimo-rad8:1 {"captured":true,"readingId":"${ITEM.id}","isNew":false}`, 'audit capture masimo-rad8:2 {"captured":false}']);
  });

  it('deviceCommand: assistants and biomed send, admins may not; every attempt audited as device.command', async () => {
    const { call, devices, workflow } = setup(ASSISTANT);
    expect(await call('deviceCommand', { deviceKey: 'ge-dinamap:1', command: 'start-bp' })).toEqual({ ok: true, value: { accepted: true, reply: '" NC!?" (start-bp)' } });
    expect(devices.command).toHaveBeenCalledWith('ge-dinamap:1', 'start-bp');
    expect(await call('deviceCommand', { deviceKey: 'ge-dinamap:2', command: 'start-bp' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(workflow.calls).toEqual([
      'audit device.command ge-dinamap:1 {"command":"start-bp","accepted":true,"reply":"\\" NC!?\\" (start-bp)"}',
      'audit device.command ge-dinamap:2 {"command":"start-bp","failed":"GE DINAMAP is not connected right now."}',
    ]);
    expect(await call('deviceCommand', { deviceKey: 'ge-dinamap:1', command: 'Start BP' })).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(await setup(BIOMED).call('deviceCommand', { deviceKey: 'ge-dinamap:1', command: 'cancel-bp' })).toMatchObject({ ok: true, value: { accepted: true } });
    const admin = setup({ id: 'op-3', name: 'Ada Admin', badgeId: '3001', role: 'admin' });
    expect(await admin.call('deviceCommand', { deviceKey: 'ge-dinamap:1', command: 'start-bp' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(METHODS.deviceCommand.roles).toEqual(['assistant', 'biomed']);
  });

  it('commands without a value of their own answer {ok: true}; listAudit passes its limit', async () => {
    const { call, workflow, who } = setup(ASSISTANT);
    expect(await call('clearPatient', {})).toEqual({ ok: true, value: { ok: true } });
    expect(await call('listAudit', { limit: 20 })).toEqual({ ok: true, value: [] });
    expect(await call('signOut', {})).toEqual({ ok: true, value: { ok: true } });
    expect(who.current).toBeUndefined();
    expect(workflow.calls).toEqual(['clearPatient', 'listAudit 20']);
  });
});

describe('export methods', () => {
  const ADMIN: Operator = { id: 'op-9', name: 'Avery Admin', badgeId: '9001', role: 'admin' };

  it('an assistant may see the outbox and retry failed rows, but not requeue dead ones or change targets', async () => {
    const t = setup(ASSISTANT);
    expect(await t.call('getOutbox', { states: ['failed', 'dead'] })).toEqual({ ok: true, value: { summary: [], rows: [] } });
    expect(t.exports.calls).toContain('rows {"states":["failed","dead"]}');
    expect(await t.call('retryExport', { targetId: 'ehr' })).toEqual({ ok: true, value: { count: 2 } });
    expect(await t.call('requeueExport', { ids: [3] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await t.call('listExportTargets', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(t.exports.calls.filter((c) => c.startsWith('requeue'))).toEqual([]);
  });

  it('an admin requeues, saves and tests targets; bad input never reaches export', async () => {
    const t = setup(ADMIN);
    expect(await t.call('requeueExport', { ids: [3, 4] })).toEqual({ ok: true, value: { count: 2 } });
    expect(await t.call('testExportTarget', { targetId: 'ehr' })).toEqual({ ok: true, value: { ok: true, message: 'tested ehr' } });
    const bad = await t.call('saveExportTarget', { target: { id: 'EHR!', kind: 'fhir', name: 'x', baseUrl: 'http://ehr.example.org/fhir', patientIdentifierSystem: 'urn:x' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(t.exports.calls.some((c) => c.startsWith('save'))).toBe(false);
    expect(await t.call('getOutboxRow', { id: 7 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('biomed methods', () => {
  const ADMIN: Operator = { id: 'op-9', name: 'Avery Admin', badgeId: '9001', role: 'admin' };

  it('an assistant may not see or change ports, drivers, simulators or the configuration', async () => {
    const t = setup(ASSISTANT);
    for (const [name, input] of [
      ['listPorts', {}],
      ['listDrivers', {}],
      ['assignPort', { portId: 'serial:/dev/ttyUSB0', driverId: 'masimo-rad8' }],
      ['removePort', { portId: 'serial:/dev/ttyUSB0' }],
      ['scanPorts', {}],
      ['getDiscovery', {}],
      ['startSimulator', { driverId: 'masimo-rad8', path: '/tmp/a' }],
      ['exportConfig', {}],
      ['importConfig', { config: {} }],
    ] as const) {
      expect(await t.call(name, input), name).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(t.biomed.calls).toEqual([]);
  });

  it('biomed staff work the ports but may not import a configuration: that is for an admin', async () => {
    const t = setup(BIOMED);
    expect(await t.call('listPorts', {})).toEqual({ ok: true, value: [PORT] });
    expect(await t.call('assignPort', { portId: PORT.id, driverId: 'masimo-rad8', autoConnect: false })).toMatchObject({ ok: true, value: { id: PORT.id } });
    expect(await t.call('testPort', { portId: PORT.id })).toEqual({ ok: true, value: { ok: true, message: 'answered' } });
    expect(await t.call('removePort', { portId: PORT.id })).toEqual({ ok: true, value: [] });
    expect(await t.call('exportConfig', {})).toMatchObject({ ok: true, value: { format: 'pochub-workstation-config' } });
    expect(await t.call('importConfig', { config: { format: 'pochub-workstation-config' } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(t.biomed.calls).toEqual(['listPorts', `assignPort {"portId":"${PORT.id}","driverId":"masimo-rad8","autoConnect":false}`, `testPort ${PORT.id}`, `removePort ${PORT.id}`]);
  });

  it('an admin imports a configuration; input outside the contract never reaches the service', async () => {
    const t = setup(ADMIN);
    expect(await t.call('importConfig', { config: { ports: [] } })).toEqual({ ok: true, value: { ports: 0, exportTargets: 0 } });
    expect(await t.call('addPort', { transport: 'usb', path: '/dev/x' })).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    // A meter's folder: absolute, and never a NUL (the file system calls would throw on it).
    expect(await t.call('addPort', { transport: 'folder', path: 'media/ACCU-CHEK' })).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID', message: expect.stringContaining('not an absolute folder path') } });
    expect(await t.call('addPort', { transport: 'folder', path: '/media/ACCU\u0000CHEK' })).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID', message: expect.stringContaining('NUL') } });
    expect(await t.call('assignPort', { portId: PORT.id, driverId: 'masimo-rad8', settings: { baudRate: 9600 } })).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(t.biomed.calls).toEqual(['importConfig {"ports":[]}']);
  });

  it('only an admin follows a central configuration; a plain-http URL or a short interval never reaches the service', async () => {
    const biomed = setup(BIOMED);
    for (const name of ['getConfigFollow', 'checkConfigFollow', 'unfollowConfig'] as const) expect(await biomed.call(name, {}), name).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await biomed.call('followConfig', { url: 'https://it.example/pochub.json', publicKeyPem: 'x' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(biomed.biomed.calls).toEqual([]);
    const t = setup(ADMIN);
    expect(await t.call('getConfigFollow', {})).toEqual({ ok: true, value: { following: false, localOverrides: [] } });
    expect(await t.call('followConfig', { url: 'http://10.0.0.5/pochub.json', publicKeyPem: 'x' })).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(await t.call('followConfig', { url: 'https://it.example/pochub.json', publicKeyPem: 'x', intervalSeconds: 5 })).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(await t.call('followConfig', { url: 'https://it.example/pochub.json', publicKeyPem: 'x' })).toMatchObject({ ok: true, value: { outcome: 'applied' } });
    expect(t.biomed.calls).toEqual(['getConfigFollow', 'followConfig https://it.example/pochub.json 900']);
  });
});

describe('one handler per method', () => {
  it('each contract method is implemented by exactly one service, or combined here', () => {
    const owners = [...WORKFLOW_METHODS, ...EXPORT_METHODS, ...BIOMED_METHODS, ...PATIENT_SOURCE_METHODS, ...COMBINED_METHODS];
    expect(new Set(owners).size).toBe(owners.length);
    expect([...owners].sort()).toEqual(Object.keys(METHODS).sort());
  });
});
