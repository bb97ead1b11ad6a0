import type { z } from 'zod';
import type { METHODS, MethodName, MethodOutput } from './contract.ts';

/**
 * The handler signatures derived from the contract, and nothing else (types only). The domain
 * services (main/workflow, main/devices, main/export) implement their slice of {@link Handlers}
 * from here, so they need not import main/api, and a new method is written once in the contract
 * and once in the service that implements it.
 */

/** A method's input after its schema has parsed it (trimmed strings, defaults filled in). */
export type MethodParsedInput<M extends MethodName> = z.output<(typeof METHODS)[M]['input']>;

/** Which binding a call came through; the Electron binding adds the sender it checked. */
export interface CallContext {
  readonly binding: 'http' | 'ipc' | 'internal';
  /**
   * The client's session (docs/architecture.md §8): a browser's cookie, `ipc:<window>` for an
   * Electron window, `internal` for the hub's own calls. Who is signed in is per session.
   */
  readonly session: string;
  /** The Electron frame that sent the call (IPC binding only; checked before the call). */
  readonly sender?: { readonly id: number; readonly url: string };
}

/** What a handler of method M answers: the output, or a promise of it. */
export type MethodResult<M extends MethodName> = MethodOutput<M> | Promise<MethodOutput<M>>;

/**
 * One handler per contract method, as main/api's callMethod calls them for every binding. A
 * service that does not care which binding called leaves the context argument out.
 */
export type Handlers<Ctx = CallContext> = {
  [M in MethodName]: (input: MethodParsedInput<M>, ctx: Ctx) => MethodResult<M>;
};

/**
 * The handlers of the methods `M`, as one service implements them, e.g.
 * `class BiomedService implements MethodHandlers<BiomedMethod>`.
 */
export type MethodHandlers<M extends MethodName> = Pick<Handlers, M>;
