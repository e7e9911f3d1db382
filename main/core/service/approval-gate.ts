// Where the tenant's approval rules (core/approvals/) meet the call path
// (service.ts), in one place.
//
// Holding a call: the handler runs as usual — resolving its keys,
// authorizing the caller for the action itself, checking key states and its
// input — up to its first write, which it does not make (a call that writes
// nothing runs to its end and its output is dropped). So a caller who may
// not do the action gets AccessDenied, not a request. Then the request is
// stored, in a write transaction with the call's audit intent, and the call
// fails with ApprovalRequiredException naming it; its audit record is the
// request's creation. (Checks a handler makes inside its write transaction,
// such as a grant id existing for RevokeGrant, run at execution.)
//
// Running an approved request: the same call path again, as the requester,
// with the stored input, authorized again; the request is marked executed
// inside the operation's first write transaction, so the change and the
// mark commit together or not at all, and a second execution finds it
// executed and rolls back. An operation that writes nothing is marked in a
// transaction of its own before its output is returned, so its output is
// returned once.
import { encodeInput } from '../approvals/input-codec.js';
import { newRequest } from '../approvals/request.js';
import { DEFAULT_REQUEST_EXPIRY_HOURS, describeRequirements } from '../approvals/rules.js';
import { ApprovalRequiredError, KmsError } from '../errors.js';
import type { ApprovalRequestRecord, ApprovalRequirement, ApprovalSettings, UserRecord } from '../model.js';
import type { CallContext } from './call-context.js';
import type { CallRecord } from './call-record.js';
import type { OperationDef } from './operation.js';
import type { RepoTx } from './ports.js';

/** How many of one user's requests may wait at once (each is a row in the vault file). */
export const MAX_OPEN_REQUESTS = 100;

/** Thrown at a held call's first write: the handler got that far, so the caller may do the action. */
class HeldForApproval extends Error {}

export async function holdForApproval(
  ctx: CallContext,
  op: OperationDef,
  input: unknown,
  held: {
    requirements: ApprovalRequirement[];
    settings: ApprovalSettings | undefined;
    user: UserRecord;
    record: CallRecord;
    /** an operation kept out of the contract (age decryption's unwrap): no request could run it, so none is made */
    internal: boolean;
  },
): Promise<never> {
  ctx.guardWrites({
    beforeFirstWrite: () => {
      throw new HeldForApproval();
    },
  });
  try {
    await op.handler(ctx, input);
  } catch (e) {
    if (!(e instanceof HeldForApproval)) throw e;
  }
  ctx.guardWrites(undefined);
  if (held.internal) throw cannotHold(op, held.requirements);
  const request = newRequest({
    account: ctx.scope.account,
    region: ctx.scope.region,
    requester: held.user.userName,
    requesterId: held.user.userId,
    operation: op.name,
    action: op.action,
    input,
    requirements: held.requirements,
    now: ctx.now,
    expiryHours: held.settings?.requestExpiryHours ?? DEFAULT_REQUEST_EXPIRY_HOURS,
  });
  // (before the write: the intent it journals names the request too)
  held.record.additional = { approvalRequestId: request.requestId, requestHash: request.hash };
  try {
    await ctx.write(async (tx) => {
      if ((await tx.countOpenApprovalRequests(request.account, request.requester, ctx.now)) >= MAX_OPEN_REQUESTS) {
        throw new KmsError('LimitExceededException', `${ctx.caller.arn} already has ${MAX_OPEN_REQUESTS} approval requests waiting; reject some, or let them expire.`);
      }
      await tx.insertApprovalRequest(request);
    });
  } catch (e) {
    held.record.additional = undefined; // no request was stored
    throw e;
  }
  throw new ApprovalRequiredError(
    `${op.name} needs ${describeRequirements(request.requirements)}: approval request ${request.requestId} holds this call until ${new Date(request.expiresAt).toISOString()}. ` +
      (op.approvable
        ? `Approvers approve it by its RequestHash; then its requester calls ${op.name} again, as approved, naming the request (ApprovalRequestId).`
        : 'Approvers approve it by its RequestHash; then its requester runs it with ExecuteApprovalRequest.'),
    request.requestId,
  );
}

/** A call of an internal operation (age decryption's unwrap) cannot wait for approval: refused, nothing stored. */
function cannotHold(op: OperationDef, requirements: ApprovalRequirement[]): KmsError {
  return new KmsError(
    'ApprovalRequiredException',
    `${op.action} needs ${describeRequirements(requirements)}, and ${op.name} cannot wait for approvals: call the operation itself to create an approval request.`,
  );
}

export async function runAsApproved(ctx: CallContext, op: OperationDef, input: unknown, request: ApprovalRequestRecord, record: CallRecord): Promise<unknown> {
  record.additional = { approvalRequestId: request.requestId };
  // the input as validated now must be the input approved (a schema that changed its mind is not a licence to run something else)
  if (encodeInput(input) !== request.input) {
    throw new KmsError('KMSInvalidStateException', `Approval request ${request.requestId} no longer validates to the input that was approved; make a new request.`);
  }
  ctx.guardWrites({ inFirstWrite: (tx) => markExecuted(tx, request, ctx.now) });
  const out = await op.handler(ctx, input);
  if (!ctx.written) await ctx.write(async () => {});
  return out;
}

async function markExecuted(tx: RepoTx, request: ApprovalRequestRecord, now: number): Promise<void> {
  const cur = await tx.approvalRequest(request.account, request.requestId);
  if (!cur || cur.hash !== request.hash) throw new KmsError('NotFoundException', `Approval request ${request.requestId} does not exist in account ${request.account}.`);
  if (cur.status !== 'Pending') throw new KmsError('KMSInvalidStateException', `Approval request ${cur.requestId} was already ${cur.status.toLowerCase()}.`);
  if (now >= cur.expiresAt) throw new KmsError('KMSInvalidStateException', `Approval request ${cur.requestId} expired at ${new Date(cur.expiresAt).toISOString()}.`);
  await tx.closeApprovalRequest({ ...cur, status: 'Executed', closedAt: now });
}
