// What the service runs for an operation: its declaration in the contract
// (main/api/operation.ts) and its handler (main/core/operations/). A
// handler's input is the declaration's validated input, and what it returns
// must fit the declaration's output, per operation name.
import type { z } from 'zod';
import type { Contract, OperationSpec, ServiceOperationName } from '../../api/index.js';
import type { OpContext } from './context.js';

export type Handler<N extends ServiceOperationName> = (ctx: OpContext, input: z.output<Contract[N]['input']>) => Promise<z.input<Contract[N]['output']>>;

/** One handler per operation of the contract the vault service runs (all but the `app` ones, which main/session runs). */
export type Handlers = { readonly [N in ServiceOperationName]: Handler<N> };

/** A declaration with its handler. */
export interface OperationDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> extends OperationSpec<string, I, O> {
  readonly handler: (ctx: OpContext, input: z.output<I>) => Promise<z.input<O>>;
}

/** An internal call that names an approved request: the operation, and the call's own input, which must be the input approved. */
export interface InternalCall {
  readonly op: OperationDef;
  readonly input: unknown;
}

/**
 * An operation kept out of the contract on purpose, so no adapter can reach
 * it by name (core/kms/age-unwrap.ts); the service runs it with callInternal.
 */
export function internalOperation<I extends z.ZodType, O extends z.ZodType>(def: OperationDef<I, O>): OperationDef<I, O> {
  return def;
}
