// One operation = one declaration: its AWS name, the IAM action that
// authorizes it, its input and output schemas, a one-line summary for help
// texts, and its handler. The CLI, the IPC bridge and any later HTTP
// endpoint are adapters over the table built from these (operations/index.ts).
import type { z } from 'zod';
import type { OpContext } from './context.js';

export interface OperationDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly name: string;
  /** e.g. kms:Encrypt (AWS KMS permissions reference) */
  readonly action: string;
  readonly summary: string;
  readonly input: I;
  readonly output: O;
  readonly handler: (ctx: OpContext, input: z.output<I>) => Promise<z.input<O>>;
}

export function defineOperation<I extends z.ZodType, O extends z.ZodType>(def: OperationDef<I, O>): OperationDef<I, O> {
  return def;
}
