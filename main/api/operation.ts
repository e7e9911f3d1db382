// One operation, declared once: its AWS name, the API it belongs to, the
// IAM action that authorizes it, whether it changes anything, a one-line
// summary for help texts, and its input and output schemas (zod). This is
// the contract every adapter speaks (CLI, the desktop bridge, an HTTP
// endpoint); the handlers that carry it out live on the Node side
// (main/core/operations/), bound to these declarations by name.
//
// Nothing here may import Node, a Buffer, or the core: the renderer bundles
// this folder for the browser (eslint.config.js enforces it; a test bundles
// it). Blobs are Uint8Array, which a Node Buffer is too.
import type { z } from 'zod';

/** The API an operation belongs to; the CLI groups non-kms ones as `strongroom <service> <op>`. */
export type ServiceName = 'kms' | 'iam' | 'sts' | 'tenant' | 'audit' | 'approval' | 'app';

export interface OperationSpec<N extends string = string, I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType, S extends ServiceName = ServiceName> {
  readonly name: N;
  /** default 'kms' */
  readonly service?: S;
  /** the CLI command when not derived from the name (tenant `create` for CreateTenant, approval `show` for GetApprovalRequest) */
  readonly cliName?: string;
  /** true for operations that change nothing (CloudTrail's readOnly) */
  readonly readOnly?: boolean;
  /**
   * An app operation whose action approval rules may name (CreateBackup,
   * SplitRecoveryKey): the vault service holds its call for approval like a
   * service operation's, and its requester runs the approved request by
   * calling it again with ApprovalRequestId, since the files it writes are
   * made around the service call (core/service/service.ts callInternal).
   */
  readonly approvable?: true;
  /** e.g. kms:Encrypt (AWS KMS permissions reference) */
  readonly action: string;
  readonly summary: string;
  readonly input: I;
  readonly output: O;
}

/** A declaration: the spec with its schemas as functions that build them. */
export type OperationDeclaration<N extends string, I extends z.ZodType, O extends z.ZodType, S extends ServiceName> = Omit<OperationSpec<N, I, O, S>, 'input' | 'output'> & {
  readonly input: () => I;
  readonly output: () => O;
};

/**
 * Declares an operation; `name` and `service` keep their literal types, which
 * the contract's types are keyed by. Its schemas are built on first use, not
 * when the contract loads: a CLI call needs one operation's, `help` none, and
 * building all of them was the largest part of loading the contract (issue 14).
 */
export function operation<const N extends string, I extends z.ZodType, O extends z.ZodType, const S extends ServiceName = 'kms'>(
  declaration: OperationDeclaration<N, I, O, S>,
): OperationSpec<N, I, O, S> {
  const { input, output, ...rest } = declaration;
  let inputSchema: I | undefined;
  let outputSchema: O | undefined;
  return Object.freeze({
    ...rest,
    get input() {
      return (inputSchema ??= input());
    },
    get output() {
      return (outputSchema ??= output());
    },
  });
}
