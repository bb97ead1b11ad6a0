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

/** What a handler of method M answers: the output, or a promise of it. */
export type MethodResult<M extends MethodName> = MethodOutput<M> | Promise<MethodOutput<M>>;

/**
 * One handler per contract method. `Ctx` is what the binding passes along (main/api's
 * CallContext); a service that does not care which binding called leaves the argument out.
 */
export type Handlers<Ctx = unknown> = {
  [M in MethodName]: (input: MethodParsedInput<M>, ctx: Ctx) => MethodResult<M>;
};

/**
 * The handlers of the methods `M`, as one service implements them, e.g.
 * `class BiomedService implements MethodHandlers<BiomedMethod>`.
 */
export type MethodHandlers<M extends MethodName> = Pick<Handlers, M>;
