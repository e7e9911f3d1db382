// DryRun (AWS KMS API Reference: the DryRun member of CreateGrant, Decrypt,
// DeriveSharedSecret, Encrypt, GenerateDataKey*, GenerateMac, ReEncrypt,
// RetireGrant, RevokeGrant, Sign, Verify, VerifyMac; Developer Guide,
// "Testing your permissions"): the call runs with every check it makes —
// its input, the key's state and usage, the key policy, grants and identity
// policies, the checks a handler makes inside its write transaction (a
// grant id that must exist) — and then changes nothing and returns nothing:
// a call that would have succeeded fails with DryRunOperationException
// (HTTP 412 in AWS), any other with the error the real call would give.
//
// How: the handler runs as usual; its first write runs inside its
// transaction and is rolled back (call-context.ts WriteGuard
// afterFirstWrite), which ends the handler there. A handler that writes
// nothing runs to its end, and its output (a plaintext, a signature, a MAC)
// is wiped, never returned. The audit record is the one every failed call
// gets (errorCode DryRunOperationException, as CloudTrail records dry runs),
// with DryRun in its requestParameters.
//
// Approval rules: a dry run is never held and never makes an approval
// request; where the tenant's rules guard the action, a dry run that passes
// every check says the real call would wait for approval.
import { describeRequirements } from '../approvals/rules.js';
import { wipeBytes } from '../crypto/wipe.js';
import { KmsError } from '../errors.js';
import type { ApprovalRequirement } from '../model.js';
import type { CallContext } from './call-context.js';
import type { OperationDef } from './operation.js';

/** Thrown at a dry run's first write, after its changes, to roll them back. */
class RolledBack extends Error {}

/** Whether a validated input asks for a dry run. */
export const isDryRun = (input: unknown): boolean => (input as { DryRun?: unknown } | undefined)?.DryRun === true;

export async function dryRun(ctx: CallContext, op: OperationDef, input: unknown, requirements: ApprovalRequirement[] | undefined): Promise<never> {
  ctx.guardWrites({
    afterFirstWrite: () => {
      throw new RolledBack();
    },
  });
  try {
    wipeBytes(await op.handler(ctx, input));
  } catch (e) {
    if (!(e instanceof RolledBack)) throw e;
  } finally {
    ctx.guardWrites(undefined);
  }
  if (requirements) {
    throw new KmsError(
      'ApprovalRequiredException',
      `The request passed every check, but ${op.name} needs ${describeRequirements(requirements)}: the call without DryRun would create an approval request. A dry run creates none.`,
    );
  }
  throw new KmsError('DryRunOperationException', 'The request would have succeeded, but the DryRun parameter was specified: nothing was done.');
}
