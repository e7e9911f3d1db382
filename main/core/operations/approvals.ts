// Quorum approvals (main/api/operations/approvals.ts; DESIGN §10). The
// rules are tenant settings, read and changed with IAM permission (and
// changing them is itself held by the current rules: core/approvals/rules.ts).
// A request names who may decide it, as a grant names who may retire it:
// the members of its groups approve or reject it, its requester may
// withdraw (reject) it and alone executes it — no identity policy needed,
// but an explicit Deny of the approval action still refuses. Whoever the
// IAM policies allow approval:GetApprovalRequest / ListApprovalRequests
// sees every request of the tenant; anyone else sees those they made or may
// decide.
import { accessDenied, KmsError, validation } from '../errors.js';
import type { ApprovalRequestRecord, UserRecord } from '../model.js';
import { baseContext } from '../policy/authorize.js';
import { checkHash, quorumMet, requestInput, requestView, tally } from '../approvals/request.js';
import { checkGroupSize, DEFAULT_REQUEST_EXPIRY_HOURS, guardableActions, settingsOf } from '../approvals/rules.js';
import type { OpContext } from '../service/context.js';
import { decodeMarker, page } from '../service/paging.js';
import type { Handler } from '../service/operation.js';

/** The caller's own user record (the sign-in check has just found it). */
async function me(ctx: OpContext): Promise<UserRecord> {
  const u = await ctx.repo.user(ctx.scope.account, ctx.caller.userName);
  if (!u) throw accessDenied(`${ctx.caller.arn} is disabled or no longer exists.`);
  return u;
}

/** What the caller's identity policies say about this operation's action; an explicit Deny refuses at once. */
async function iamAllows(ctx: OpContext, request?: ApprovalRequestRecord): Promise<boolean> {
  const { caller } = ctx;
  const d = await ctx.authorizer.decide(caller.arn, caller.account, caller.userName, ctx.action, undefined, baseContext(caller));
  if (d.effect === 'Deny') throw refused(ctx, request, ' with an explicit deny in an identity-based policy');
  return d.effect === 'Allow';
}

function refused(ctx: OpContext, request: ApprovalRequestRecord | undefined, why: string): KmsError {
  const on = request ? `approval request ${request.requestId}` : `the approval requests of account ${ctx.scope.account}`;
  return accessDenied(`User: ${ctx.caller.arn} is not authorized to perform: ${ctx.action} on ${on}${why}.`);
}

async function load(ctx: OpContext, requestId: string): Promise<ApprovalRequestRecord> {
  const r = await ctx.repo.approvalRequest(ctx.scope.account, requestId);
  if (!r) throw new KmsError('NotFoundException', `Approval request ${requestId} does not exist in account ${ctx.scope.account}.`);
  checkHash(r);
  return r;
}

const inGroups = (r: ApprovalRequestRecord, groups: readonly string[]) => r.requirements.some((q) => groups.includes(q.groupName));
const groupsNamed = (r: ApprovalRequestRecord) => r.requirements.map((q) => q.groupName).join(', ');

async function view(ctx: OpContext, r: ApprovalRequestRecord) {
  const decisions = await ctx.repo.approvalDecisions(r.account, r.requestId);
  return requestView(r, decisions, await tally(ctx.repo, r, decisions), ctx.now);
}

/** A request that can no longer be decided or executed. */
function requireOpen(r: ApprovalRequestRecord, now: number): void {
  if (r.status !== 'Pending') throw new KmsError('KMSInvalidStateException', `Approval request ${r.requestId} was already ${r.status.toLowerCase()}.`);
  if (now >= r.expiresAt) throw new KmsError('KMSInvalidStateException', `Approval request ${r.requestId} expired at ${new Date(r.expiresAt).toISOString()}; make a new request.`);
}

export const PutApprovalRules: Handler<'PutApprovalRules'> = async (ctx, input) => {
  await ctx.authorize();
  const settings = settingsOf(input.Rules, input.RequestExpiryHours);
  const { account } = ctx.scope;
  for (const [i, rule] of (settings?.rules ?? []).entries()) {
    // only members who can sign in can approve
    const group = await ctx.repo.group(account, rule.groupName);
    const members = group ? await ctx.repo.members(account, rule.groupName) : undefined;
    const able = members && (await Promise.all(members.map((m) => ctx.repo.user(account, m)))).filter((u) => u && !u.disabled && u.passphrase !== null).length;
    checkGroupSize(i, rule.groupName, able, rule.minApprovals);
  }
  await ctx.write(async (tx) => {
    const cur = await tx.tenant(account);
    if (!cur) throw accessDenied(`Account ${account} no longer exists.`);
    const { approvals: _replaced, ...rest } = cur;
    await tx.updateTenant(settings ? { ...rest, approvals: settings } : rest);
  });
  return {};
};

export const GetApprovalRules: Handler<'GetApprovalRules'> = async (ctx) => {
  await ctx.authorize();
  const settings = (await ctx.tenant()).approvals;
  return {
    Rules: (settings?.rules ?? []).map((r) => ({ Actions: [...r.actions], GroupName: r.groupName, MinApprovals: r.minApprovals })),
    RequestExpiryHours: settings?.requestExpiryHours ?? DEFAULT_REQUEST_EXPIRY_HOURS,
    GuardableActions: [...guardableActions()],
  };
};

/** A page's position: creation time and request id, newest first. */
const POSITION = /^(\d{1,16})\.([0-9a-f-]{36})$/;

export const ListApprovalRequests: Handler<'ListApprovalRequests'> = async (ctx, input) => {
  const all = await iamAllows(ctx);
  const marker = decodeMarker(input.Marker, (s) => POSITION.test(s));
  const [, time, id] = marker ? (POSITION.exec(marker) ?? []) : [];
  const before = time !== undefined && id !== undefined ? { createdAt: Number(time), requestId: id } : undefined;
  const limit = input.Limit ?? 50;
  const { userName } = await me(ctx);
  const groups = await ctx.repo.groupsOfUser(ctx.scope.account, userName);
  const rows = await ctx.repo.approvalRequests(ctx.scope.account, before, limit + 1);
  // A page may hold fewer than Limit requests (those the caller may not see, or in another status, are left out);
  // NextMarker goes on after the last request read, as AWS's list operations may return short pages.
  const { items, ...paging } = page(rows, limit, (r) => `${r.createdAt}.${r.requestId}`);
  const Requests = [];
  for (const r of items) {
    if (!all && r.requester !== userName && !inGroups(r, groups)) continue;
    checkHash(r);
    const v = await view(ctx, r);
    if (input.Status === undefined || v.Status === input.Status) Requests.push(v);
  }
  return { Requests, ...paging };
};

export const GetApprovalRequest: Handler<'GetApprovalRequest'> = async (ctx, input) => {
  const r = await load(ctx, input.RequestId);
  const all = await iamAllows(ctx, r);
  const { userName } = await me(ctx);
  if (!all && r.requester !== userName && !inGroups(r, await ctx.repo.groupsOfUser(r.account, userName))) {
    throw refused(ctx, r, `: only its requester, members of its groups (${groupsNamed(r)}) and those an identity policy allows may see it`);
  }
  return { Request: { ...(await view(ctx, r)), Input: requestInput(r) } };
};

/** ApproveRequest and RejectRequest: one decision per user and request, each row naming the hash decided on. */
async function decide(ctx: OpContext, r: ApprovalRequestRecord, decision: 'Approve' | 'Reject') {
  const user = await me(ctx);
  const account = r.account;
  await ctx.write(async (tx) => {
    const cur = await tx.approvalRequest(account, r.requestId);
    if (!cur || cur.hash !== r.hash) throw new KmsError('NotFoundException', `Approval request ${r.requestId} does not exist in account ${account}.`);
    requireOpen(cur, ctx.now);
    const prior = (await tx.approvalDecisions(account, r.requestId)).find((d) => d.userName === user.userName);
    if (prior) {
      throw new KmsError('AlreadyExistsException', `${ctx.caller.arn} already ${prior.decision === 'Approve' ? 'approved' : 'rejected'} approval request ${r.requestId}; each user decides once.`);
    }
    await tx.insertApprovalDecision({ account, requestId: r.requestId, userName: user.userName, userId: user.userId, decision, requestHash: r.hash, decidedAt: ctx.now });
    if (decision === 'Reject') await tx.closeApprovalRequest({ ...cur, status: 'Rejected', closedAt: ctx.now });
  });
  return { Request: await view(ctx, (await ctx.repo.approvalRequest(account, r.requestId)) ?? r) };
}

export const ApproveRequest: Handler<'ApproveRequest'> = async (ctx, input) => {
  const r = await load(ctx, input.RequestId);
  await iamAllows(ctx, r);
  const { userName } = await me(ctx);
  if (r.requester === userName) throw refused(ctx, r, ': you made this request, and a requester cannot approve their own');
  if (!inGroups(r, await ctx.repo.groupsOfUser(r.account, userName))) throw refused(ctx, r, `: only members of its groups (${groupsNamed(r)}) may approve it`);
  // the approval names the hash the approver reviewed: a request that no longer hashes to it is not the one reviewed
  if (input.RequestHash !== r.hash) {
    throw validation(`RequestHash ${input.RequestHash} is not the hash of approval request ${r.requestId}: it is not the request you reviewed. Review it again (GetApprovalRequest).`);
  }
  return decide(ctx, r, 'Approve');
};

export const RejectRequest: Handler<'RejectRequest'> = async (ctx, input) => {
  const r = await load(ctx, input.RequestId);
  await iamAllows(ctx, r);
  const { userName } = await me(ctx);
  if (r.requester !== userName && !inGroups(r, await ctx.repo.groupsOfUser(r.account, userName))) {
    throw refused(ctx, r, `: only members of its groups (${groupsNamed(r)}) and its requester may reject it`);
  }
  return decide(ctx, r, 'Reject');
};

export const ExecuteApprovalRequest: Handler<'ExecuteApprovalRequest'> = async (ctx, input) => {
  const r = await load(ctx, input.RequestId);
  await iamAllows(ctx, r);
  const user = await me(ctx);
  if (r.requester !== user.userName || r.requesterId !== user.userId) {
    throw refused(ctx, r, `: only its requester (${r.requester}) may execute it`);
  }
  requireOpen(r, ctx.now);
  const decisions = await ctx.repo.approvalDecisions(r.account, r.requestId);
  const counted = await tally(ctx.repo, r, decisions);
  if (!quorumMet(counted)) {
    const missing = counted.filter((q) => q.approvals < q.minApprovals).map((q) => `${q.approvals} of the ${q.minApprovals} approvals it needs from group ${q.groupName}`);
    throw new KmsError('KMSInvalidStateException', `Approval request ${r.requestId} has ${missing.join(' and ')}.`);
  }
  return ctx.runApproved(r);
};
