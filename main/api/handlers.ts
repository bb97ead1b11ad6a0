import type { ApiResult } from '../../shared/api/client.ts';
import { METHODS, PUBLIC_METHODS, type MethodName } from '../../shared/api/contract.ts';
import type { CallContext, Handlers, MethodHandlers } from '../../shared/api/handlers.ts';
import type { ApiError, DeviceStatus, HubState, Operator, StorageTrouble } from '../../shared/api/model.ts';
import { HubError, isHubError, type ErrorCode } from '../../shared/errors.ts';
import { issueSentence } from '../../shared/api/issue-words.ts';
import { BIOMED_METHODS, type BiomedMethod } from '../devices/biomed-service.ts';
import { EXPORT_METHODS, type ExportMethod, type ExportService } from '../export/export-service.ts';
import { WORKFLOW_METHODS, type Workflow } from '../workflow/workflow.ts';
import type { TodayMethod } from '../workflow/today-service.ts';
import { PATIENT_SOURCE_METHODS, type PatientSourceMethod } from '../patients/patient-source-service.ts';
import type { LookupResult } from '../../shared/patients/patient-lookup.ts';

/**
 * The code a bug crosses the API with (HTTP 500). shared/errors.ts has no code of its own for
 * "internal error"; this is the one the kit already uses for an unexpected failure.
 */
export const BUG_CODE: ErrorCode = 'INTERNAL';

// One handler per contract method, as every binding calls them through callMethod; the
// signatures come from the contract (shared/api/handlers.ts).
export type { CallContext, Handlers };

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
  /**
   * Send a device command (the manifest's `commands`) to the running session and answer with the
   * device's reply. Absent: this hub sends no commands (CONFLICT).
   */
  command?(deviceKey: string, id: string): Promise<{ accepted: boolean; reply: string }>;
  /** Set while readings cannot be stored (disk full, read-only data folder): the page's red banner. */
  storageTrouble?(): StorageTrouble | undefined;
}

export interface HandlerDeps {
  workflow: Workflow;
  devices: DeviceControl;
  /** Export's handlers, and the summary and rows that getOutbox puts together. */
  exports: MethodHandlers<ExportMethod> & Pick<ExportService, 'summary' | 'rows'>;
  /** The biomed console's handlers (ports, discovery, trace, simulators, configuration file). */
  biomed: MethodHandlers<BiomedMethod>;
  /** The Today list (patient context); absent: this hub has none (listToday answers CONFLICT). */
  today?: MethodHandlers<TodayMethod>;
  /**
   * The patient sources (docs/patient-sources.md): their settings, and the look-up selection
   * asks before the workflow applies the identification rules. Absent: no sources, every patient local.
   */
  patients?: MethodHandlers<PatientSourceMethod> & { lookup(mrn: string): Promise<LookupResult> };
  /** Facts about this hub that the header shows, and the state's current version. */
  hub: { readonly demo: boolean; readonly workstation: string; readonly stateVersion?: () => number };
}

/** Everything the header of session `ref` shows, from the workflow and the device side. */
export function hubState(deps: Pick<HandlerDeps, 'workflow' | 'devices' | 'hub'>, ref: Pick<CallContext, 'session'>): HubState {
  const { operator, patient, locked, lockAfterMs } = deps.workflow.session(ref);
  return {
    ...(operator ? { operator } : {}),
    ...(patient ? { patient } : {}),
    locked,
    lockAfterMs,
    devices: devicesWithQc(deps),
    ...storageOf(deps),
    demo: deps.hub.demo,
    workstation: deps.hub.workstation,
    ...(deps.hub.stateVersion ? { version: deps.hub.stateVersion() } : {}),
  };
}

/** The storage trouble, when there is any, as a state field. */
function storageOf(deps: Pick<HandlerDeps, 'devices'>): Pick<HubState, 'storage'> {
  const storage = deps.devices.storageTrouble?.();
  return storage ? { storage } : {};
}

/** The device list with each device's QC lock (docs/architecture.md §8 rule 11), from the workflow. */
function devicesWithQc(deps: Pick<HandlerDeps, 'workflow' | 'devices'>): DeviceStatus[] {
  return deps.devices.listDevices().map((d) => {
    const qcLock = deps.workflow.qcLockOf(d.key, d.label);
    return qcLock === undefined ? d : { ...d, qcLock };
  });
}

/** The methods `names` of a service, bound to it, as handlers. */
function handlersOf<M extends MethodName>(service: MethodHandlers<M>, names: readonly M[]): MethodHandlers<M> {
  const slice: Partial<Record<MethodName, unknown>> = {};
  for (const name of names) {
    const method = service[name] as (...args: unknown[]) => unknown;
    slice[name] = method.bind(service);
  }
  return slice as MethodHandlers<M>;
}

/**
 * The methods whose handlers are written here because they combine services; every other method
 * is implemented by exactly one service (see {@link createHandlers}).
 */
export const COMBINED_METHODS = ['getState', 'listDevices', 'capture', 'deviceCommand', 'getOutbox', 'listToday'] as const satisfies readonly MethodName[];

/**
 * The contract's handlers: each service's own methods, bound to it (the workflow's, export's and
 * the biomed console's), plus the few that combine services. TypeScript refuses the result when
 * a contract method has no handler.
 */
export function createHandlers(deps: HandlerDeps): Handlers {
  const { workflow, devices, exports, biomed } = deps;
  return {
    ...handlersOf(workflow, WORKFLOW_METHODS),
    ...handlersOf(exports, EXPORT_METHODS),
    ...handlersOf(biomed, BIOMED_METHODS),
    ...(deps.patients ? handlersOf(deps.patients, PATIENT_SOURCE_METHODS) : noPatientSources()),
    // The EHR is asked first (a network call), then the workflow applies the rules synchronously.
    selectPatient: async (input, ctx) => workflow.selectPatient(input, ctx, deps.patients ? await deps.patients.lookup(input.mrn) : undefined),
    getState: (_input, ctx) => hubState(deps, ctx),
    listDevices: () => devicesWithQc(deps),
    deviceCommand: async ({ deviceKey, command }) => {
      if (!devices.command) throw new HubError('CONFLICT', 'This hub sends no device commands.');
      try {
        const reply = await devices.command(deviceKey, command);
        // Who made the cuff inflate, and what the device said, belongs in the audit log.
        workflow.audit('device.command', deviceKey, { command, accepted: reply.accepted, reply: reply.reply });
        return reply;
      } catch (e) {
        workflow.audit('device.command', deviceKey, { command, failed: e instanceof Error ? e.message : String(e) });
        throw e;
      }
    },
    capture: ({ deviceKey }) => {
      const outcome = devices.capture(deviceKey);
      // Who pressed Capture, and whether the device had valid values, belongs in the audit log:
      // the reading it makes is then reviewed like any other.
      workflow.audit('capture', deviceKey, outcome.captured ? { captured: true, readingId: outcome.readingId, isNew: outcome.isNew } : { captured: false });
      if (!outcome.captured) return { captured: false };
      const reading = workflow.getReview(outcome.readingId);
      return { captured: true, isNew: outcome.isNew, ...(reading ? { reading } : {}) };
    },
    listToday: (input, ctx) => {
      if (!deps.today) throw new HubError('CONFLICT', 'This hub keeps no Today list.');
      return deps.today.listToday(input, ctx);
    },
    getOutbox: ({ targetId, states, limit }) => ({
      summary: exports.summary(),
      rows: exports.rows({ ...(targetId === undefined ? {} : { targetId }), ...(states === undefined ? {} : { states }), ...(limit === undefined ? {} : { limit }) }),
    }),
  };
}

/** The patient-source methods of a hub built without the service: each says so. */
function noPatientSources(): MethodHandlers<PatientSourceMethod> {
  const refuse = (): never => {
    throw new HubError('CONFLICT', 'This hub has no patient sources.');
  };
  return { listPatientSources: () => [], savePatientSource: refuse, removePatientSource: refuse, testPatientSource: refuse };
}

/** Who may call: the signed-in operator of the caller's session, and where bugs are reported. */
export interface CallAccess {
  /**
   * The operator signed in in the caller's session, or undefined. `activity`: the call is
   * something the person did (a command), which postpones the inactivity lock.
   * @throws HubError LOCKED when the session is locked.
   */
  admit(ctx: CallContext, activity: boolean): Operator | undefined;
  /** Run the handler as a call of the caller's session (audit rows name its operator). */
  within?<T>(ctx: CallContext, fn: () => T): T;
  /** A handler threw something that is not a HubError, or returned a value its schema refuses. */
  reportBug(method: string, error: unknown): void;
}

function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(METHODS, name);
}

const fail = (code: ErrorCode, message: string, details?: Record<string, unknown>): { ok: false; error: ApiError } => ({
  ok: false,
  error: { code, message, ...(details ? { details } : {}) },
});

/**
 * Call one contract method from any binding: unknown method → NOT_FOUND; the caller's session
 * locked (unless the method is public) → LOCKED; not signed in there → AUTH_REQUIRED; the operator's role not among the method's `roles` →
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
    let operator: Operator | undefined;
    try {
      operator = access.admit(ctx, method.kind === 'command');
    } catch (e) {
      if (isHubError(e)) return fail(e.code, e.message, e.details);
      access.reportBug(name, e);
      return fail(BUG_CODE, 'The hub hit an unexpected error; it has been logged.');
    }
    if (!operator) return fail('AUTH_REQUIRED', 'Sign in first.');
    const roles: readonly string[] | undefined = method.roles;
    if (roles && !roles.includes(operator.role)) {
      return fail('FORBIDDEN', `Your role (${operator.role}) may not do this; it needs: ${roles.join(' or ')}.`, { method: name, role: operator.role });
    }
  }
  const input = method.input.safeParse(rawInput);
  if (!input.success) {
    // A person reads this message: the field in words, never the schema's own wording
    // (docs/architecture.md §14); the path stays in the details for a program.
    const issue = input.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    return fail('INPUT_INVALID', issueSentence(issue), { method: name, path, issues: input.error.issues.length });
  }
  // The input was parsed by this very method's schema, so the handler gets what it declares.
  const handler = handlers[name] as (input: unknown, ctx: CallContext) => unknown;
  let value: unknown;
  try {
    const run = (): unknown => handler(input.data, ctx);
    value = await (access.within ? access.within(ctx, run) : run());
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
