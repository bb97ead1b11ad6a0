import type { z } from 'zod';
import type { ApiResult } from '../../shared/api/client.ts';
import { METHODS, PUBLIC_METHODS, type MethodName, type MethodOutput } from '../../shared/api/contract.ts';
import type { ApiError, DeviceStatus, ExportAttempt, HubState, Operator, OutboxRow, OutboxSummary } from '../../shared/api/model.ts';
import type { ExportTargetView, OutboxState } from '../../shared/export/targets.ts';
import { isHubError, type ErrorCode } from '../../shared/errors.ts';
import type { Workflow } from '../workflow/workflow.ts';

/**
 * The code a bug crosses the API with (HTTP 500). shared/errors.ts has no code of its own for
 * "internal error"; this is the one the kit already uses for an unexpected failure.
 */
export const BUG_CODE: ErrorCode = 'INTERNAL';

/** A method's input after its schema has parsed it (trimmed strings, defaults filled in). */
export type MethodParsedInput<M extends MethodName> = z.output<(typeof METHODS)[M]['input']>;

/** Which binding a call came through; the Electron binding adds the sender it checked. */
export interface CallContext {
  readonly binding: 'http' | 'ipc' | 'internal';
  /** The Electron frame that sent the call (IPC binding only; checked before the call). */
  readonly sender?: { readonly id: number; readonly url: string };
}

/**
 * One handler per contract method (DESIGN.md §10): the contract is implemented once, here, and
 * every binding calls it through {@link callMethod}.
 */
export type Handlers = {
  [M in MethodName]: (input: MethodParsedInput<M>, ctx: CallContext) => Promise<MethodOutput<M>> | MethodOutput<M>;
};

/** What the handlers need of the device side: the device list and the Capture button. */
export interface DeviceControl {
  listDevices(): DeviceStatus[];
  /**
   * Make a reading now from a continuous device's live values: the stored reading's id, and
   * isNew false when those values were stored before. `captured: false` when the values are not
   * valid (sensor off); throws HubError NOT_FOUND for an unknown key and CONFLICT for a device
   * that cannot capture.
   */
  capture(deviceKey: string): { captured: false } | { captured: true; readingId: string; isNew: boolean };
}

/** What the handlers need of export (main/export ExportService implements it). */
export interface ExportControl {
  summary(): OutboxSummary[];
  rows(query: { targetId?: string; states?: readonly OutboxState[]; limit?: number }): OutboxRow[];
  row(id: number): { row: OutboxRow; attempts: ExportAttempt[] };
  retry(input: { ids?: readonly number[]; targetId?: string }): number;
  requeue(ids: readonly number[]): number;
  listTargets(): ExportTargetView[];
  saveTarget(input: unknown): Promise<ExportTargetView>;
  testTarget(targetId: string): Promise<{ ok: boolean; message: string }>;
}

type Parsed<M extends MethodName> = MethodParsedInput<M>;
type Out<M extends MethodName> = MethodOutput<M> | Promise<MethodOutput<M>>;

/**
 * What the handlers need of the biomed console's back end (issue 6): main/devices implements it
 * (ports, discovery, trace, simulators) together with the configuration file.
 */
export interface BiomedControl {
  listPorts(): Out<'listPorts'>;
  getDiscovery(): Out<'getDiscovery'>;
  scanPorts(): Out<'scanPorts'>;
  listDrivers(): Out<'listDrivers'>;
  addPort(input: Parsed<'addPort'>): Out<'addPort'>;
  assignPort(input: Parsed<'assignPort'>): Out<'assignPort'>;
  unassignPort(portId: string): Out<'unassignPort'>;
  removePort(portId: string): Out<'removePort'>;
  connectPort(portId: string): Out<'connectPort'>;
  disconnectPort(portId: string): Out<'disconnectPort'>;
  testPort(portId: string): Out<'testPort'>;
  getTrace(input: Parsed<'getTrace'>): Out<'getTrace'>;
  startRecording(input: Parsed<'startRecording'>): Out<'startRecording'>;
  stopRecording(portId: string): Out<'stopRecording'>;
  replayTrace(input: Parsed<'replayTrace'>): Out<'replayTrace'>;
  listSimulators(): Out<'listSimulators'>;
  startSimulator(input: Parsed<'startSimulator'>): Out<'startSimulator'>;
  stopSimulator(id: string): Out<'stopSimulator'>;
  exportConfig(): Out<'exportConfig'>;
  importConfig(config: unknown): Out<'importConfig'>;
}

export interface HandlerDeps {
  workflow: Workflow;
  devices: DeviceControl;
  exports: ExportControl;
  biomed: BiomedControl;
  /** Facts about this hub that the header shows, and the state's current version. */
  hub: { readonly demo: boolean; readonly workstation: string; readonly stateVersion?: () => number };
}

/** Everything the header shows, from the workflow and the device side. */
export function hubState(deps: Pick<HandlerDeps, 'workflow' | 'devices' | 'hub'>): HubState {
  const operator = deps.workflow.currentOperator();
  const patient = deps.workflow.currentPatient();
  return {
    ...(operator ? { operator } : {}),
    ...(patient ? { patient } : {}),
    devices: deps.devices.listDevices(),
    demo: deps.hub.demo,
    workstation: deps.hub.workstation,
    ...(deps.hub.stateVersion ? { version: deps.hub.stateVersion() } : {}),
  };
}

/** The contract's handlers over a Workflow and the device manager. */
export function createHandlers(deps: HandlerDeps): Handlers {
  const { workflow, devices, exports, biomed } = deps;
  return {
    getState: () => hubState(deps),
    listReview: () => workflow.listReview(),
    getHistory: ({ mrn }) => workflow.getHistory(mrn),
    listQc: () => workflow.listQc(),
    listAudit: ({ limit }) => workflow.listAudit(limit),
    listDevices: () => devices.listDevices(),
    signIn: (input) => workflow.signIn(input),
    signOut: () => {
      workflow.signOut();
      return { ok: true };
    },
    selectPatient: (input) => workflow.selectPatient(input),
    clearPatient: (input) => {
      workflow.clearPatient(input);
      return { ok: true };
    },
    assignReadings: (input) => workflow.assignReadings(input),
    confirmReading: (input) => workflow.confirmReading(input),
    confirmDevice: (input) => workflow.confirmDevice(input),
    rejectReading: (input) => workflow.rejectReading(input),
    enterManual: (input) => workflow.enterManual(input),
    capture: ({ deviceKey }) => {
      const outcome = devices.capture(deviceKey);
      // Who pressed Capture, and whether the device had valid values, belongs in the audit log:
      // the reading it makes is then reviewed like any other.
      workflow.audit('capture', deviceKey, outcome.captured ? { captured: true, readingId: outcome.readingId, isNew: outcome.isNew } : { captured: false });
      if (!outcome.captured) return { captured: false };
      const reading = workflow.getReview(outcome.readingId);
      return { captured: true, isNew: outcome.isNew, ...(reading ? { reading } : {}) };
    },
    verifyAudit: () => workflow.verifyAudit(),
    getOutbox: ({ targetId, states, limit }) => ({
      summary: exports.summary(),
      rows: exports.rows({ ...(targetId === undefined ? {} : { targetId }), ...(states === undefined ? {} : { states }), ...(limit === undefined ? {} : { limit }) }),
    }),
    getOutboxRow: ({ id }) => exports.row(id),
    retryExport: ({ ids, targetId }) => ({ count: exports.retry({ ...(ids === undefined ? {} : { ids }), ...(targetId === undefined ? {} : { targetId }) }) }),
    requeueExport: ({ ids }) => ({ count: exports.requeue(ids) }),
    listExportTargets: () => exports.listTargets(),
    saveExportTarget: (input) => exports.saveTarget(input),
    testExportTarget: ({ targetId }) => exports.testTarget(targetId),
    listPorts: () => biomed.listPorts(),
    getDiscovery: () => biomed.getDiscovery(),
    scanPorts: () => biomed.scanPorts(),
    listDrivers: () => biomed.listDrivers(),
    addPort: (input) => biomed.addPort(input),
    assignPort: (input) => biomed.assignPort(input),
    unassignPort: ({ portId }) => biomed.unassignPort(portId),
    removePort: ({ portId }) => biomed.removePort(portId),
    connectPort: ({ portId }) => biomed.connectPort(portId),
    disconnectPort: ({ portId }) => biomed.disconnectPort(portId),
    testPort: ({ portId }) => biomed.testPort(portId),
    getTrace: (input) => biomed.getTrace(input),
    startRecording: (input) => biomed.startRecording(input),
    stopRecording: ({ portId }) => biomed.stopRecording(portId),
    replayTrace: (input) => biomed.replayTrace(input),
    listSimulators: () => biomed.listSimulators(),
    startSimulator: (input) => biomed.startSimulator(input),
    stopSimulator: ({ id }) => biomed.stopSimulator(id),
    exportConfig: () => biomed.exportConfig(),
    importConfig: ({ config }) => biomed.importConfig(config),
  };
}

/** The contract's method names, for bindings that must list them (Electron preload). */
export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

/** Who may call: the signed-in operator, and where bugs are reported. */
export interface CallAccess {
  currentOperator(): Operator | undefined;
  /** A handler threw something that is not a HubError, or returned a value its schema refuses. */
  reportBug(method: string, error: unknown): void;
}

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(METHODS, name);
}

const fail = (code: ErrorCode, message: string, details?: Record<string, unknown>): { ok: false; error: ApiError } => ({
  ok: false,
  error: { code, message, ...(details ? { details } : {}) },
});

/**
 * Call one contract method from any binding: unknown method → NOT_FOUND; not signed in (unless
 * the method is public) → AUTH_REQUIRED; the operator's role not among the method's `roles` →
 * FORBIDDEN; input refused by the method's schema → INPUT_INVALID (with the first issue); then
 * the handler runs and its output is checked against the contract too. HubErrors come back as
 * data; anything else, and an output the schema refuses, is a bug: reported, and BUG_CODE.
 *
 * Access is checked before the input, so a caller who may not call a method learns nothing of
 * what it accepts.
 */
export async function callMethod(handlers: Handlers, name: string, rawInput: unknown, ctx: CallContext, access: CallAccess): Promise<ApiResult<unknown>> {
  if (!isMethodName(name)) return fail('NOT_FOUND', `There is no API method "${name.slice(0, 100)}".`);
  const method = METHODS[name];
  if (!PUBLIC_METHODS.has(name)) {
    const operator = access.currentOperator();
    if (!operator) return fail('AUTH_REQUIRED', 'Sign in first.');
    const roles: readonly string[] | undefined = method.roles;
    if (roles && !roles.includes(operator.role)) {
      return fail('FORBIDDEN', `Your role (${operator.role}) may not do this; it needs: ${roles.join(' or ')}.`, { method: name, role: operator.role });
    }
  }
  const input = method.input.safeParse(rawInput);
  if (!input.success) {
    const issue = input.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    return fail('INPUT_INVALID', `${path ? `${path}: ` : ''}${issue?.message ?? 'invalid input'}`, { method: name, path, issues: input.error.issues.length });
  }
  // The input was parsed by this very method's schema, so the handler gets what it declares.
  const handler = handlers[name] as (input: unknown, ctx: CallContext) => unknown;
  let value: unknown;
  try {
    value = await handler(input.data, ctx);
  } catch (e) {
    if (isHubError(e)) return fail(e.code, e.message, e.details);
    access.reportBug(name, e);
    return fail(BUG_CODE, 'The hub hit an unexpected error; it has been logged.');
  }
  const output = method.output.safeParse(value);
  if (!output.success) {
    access.reportBug(name, new Error(`the output of ${name} does not match the contract: ${output.error.message}`));
    return fail(BUG_CODE, 'The hub produced an answer the contract does not allow; it has been logged.');
  }
  return { ok: true, value: output.data };
}
