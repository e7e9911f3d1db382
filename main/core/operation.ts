// One operation = one declaration: its AWS name, the IAM action that
// authorizes it, its input and output schemas, a one-line summary for help
// texts, and its handler. The CLI, the IPC bridge and any later HTTP
// endpoint are adapters over the table built from these (operations/index.ts).
import type { z } from 'zod';
import type { OpContext } from './context.js';

/** The API an operation belongs to; the CLI groups non-kms ones as `strongroom <service> <op>`. */
export type ServiceName = 'kms' | 'iam' | 'sts' | 'tenant' | 'audit';

export interface OperationDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly name: string;
  /** default 'kms' */
  readonly service?: ServiceName;
  /** the CLI command when not derived from the name (tenant `create` for CreateTenant) */
  readonly cliName?: string;
  /** true for operations that change nothing (CloudTrail's readOnly) */
  readonly readOnly?: boolean;
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
