// An approval request (DESIGN §10): a call held until its quorum approves
// it, keeping the exact validated input it will run with. Its hash is what
// an approver approves: an approval row names the hash it was given for,
// and an approval counts only for a request that still hashes to it, so a
// changed request cannot collect approvals given to another. The row MACs
// (core/integrity/row-mac.ts) make the request and its approvals
// unforgeable by someone who can only write the vault file.
//
// RequestHash = hex SHA-256 of the UTF-8 bytes of
//   "strongroom/approval-request/v1" || 0x00 || JCS(fields)
// where JCS is RFC 8785 canonical JSON and fields is the object
//   {account, action, createdAt, expiresAt, input, operation, region,
//    requestId, requester, requesterId, requirements: [{groupName, minApprovals}]}
// (times in epoch milliseconds, input the encoded input text of
// input-codec.ts, requirements sorted by group name).
import { hash, randomUUID } from 'node:crypto';
import { userArn } from '../codecs/arn.js';
import { canonicalJson } from '../audit/chain.js';
import { tampered } from '../integrity/row-mac.js';
import type { ApprovalDecisionRecord, ApprovalRequestRecord, ApprovalRequirement } from '../model.js';
import type { RepoReads } from '../service/ports.js';
import { decodeInput, encodeInput } from './input-codec.js';

const HOUR = 3_600_000;
const DOMAIN = 'strongroom/approval-request/v1';

type Hashed = Omit<ApprovalRequestRecord, 'hash' | 'status' | 'closedAt'>;

export function requestHash(r: Hashed): string {
  const fields = {
    account: r.account,
    action: r.action,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    input: r.input,
    operation: r.operation,
    region: r.region,
    requestId: r.requestId,
    requester: r.requester,
    requesterId: r.requesterId,
    requirements: r.requirements.map((q) => ({ groupName: q.groupName, minApprovals: q.minApprovals })),
  };
  return hash('sha256', `${DOMAIN}\0${canonicalJson(fields)}`, 'hex');
}

export interface NewRequest {
  account: string;
  region: string;
  requester: string;
  requesterId: string;
  operation: string;
  action: string;
  /** the validated input */
  input: unknown;
  requirements: ApprovalRequirement[];
  now: number;
  expiryHours: number;
}

export function newRequest(n: NewRequest): ApprovalRequestRecord {
  const fields: Hashed = {
    account: n.account,
    requestId: randomUUID(),
    region: n.region,
    requester: n.requester,
    requesterId: n.requesterId,
    operation: n.operation,
    action: n.action,
    input: encodeInput(n.input),
    requirements: n.requirements.map((q) => ({ ...q })),
    createdAt: n.now,
    expiresAt: n.now + n.expiryHours * HOUR,
  };
  return { ...fields, hash: requestHash(fields), status: 'Pending', closedAt: null };
}

/** A request whose stored hash is not its contents' (its MAC passed, so the vault's own code wrote it wrong): refused, named. */
export function checkHash(r: ApprovalRequestRecord): void {
  if (requestHash(r) !== r.hash) throw tampered(`Approval request ${r.requestId} of account ${r.account}`);
}

export interface RequirementTally extends ApprovalRequirement {
  /** approvals that count for it now */
  approvals: number;
}

/**
 * The approvals that count now, per group: each from a distinct user who is
 * not the requester, is still the user who approved (same unique id), is
 * not disabled, is a member of the group today, and approved this very
 * hash.
 */
export async function tally(repo: RepoReads, r: ApprovalRequestRecord, decisions: readonly ApprovalDecisionRecord[]): Promise<RequirementTally[]> {
  const groupsOf = new Map<string, readonly string[]>();
  for (const d of decisions) {
    if (d.decision !== 'Approve' || d.requestHash !== r.hash || d.userName === r.requester || d.requestId !== r.requestId) continue;
    const user = await repo.user(r.account, d.userName);
    if (!user || user.userId !== d.userId || user.disabled) continue;
    groupsOf.set(d.userName, await repo.groupsOfUser(r.account, d.userName));
  }
  return r.requirements.map((q) => ({ ...q, approvals: [...groupsOf.values()].filter((gs) => gs.includes(q.groupName)).length }));
}

export const quorumMet = (t: readonly RequirementTally[]): boolean => t.every((q) => q.approvals >= q.minApprovals);

export type ApprovalStatus = 'Pending' | 'Approved' | 'Rejected' | 'Executed' | 'Expired';

export function statusOf(r: ApprovalRequestRecord, t: readonly RequirementTally[], now: number): ApprovalStatus {
  if (r.status !== 'Pending') return r.status;
  if (now >= r.expiresAt) return 'Expired';
  return quorumMet(t) ? 'Approved' : 'Pending';
}

/** A request as the approval operations return it (the contract's RequestSummary; `withInput` adds the Input). */
export function requestView(r: ApprovalRequestRecord, decisions: readonly ApprovalDecisionRecord[], t: readonly RequirementTally[], now: number) {
  return {
    RequestId: r.requestId,
    Operation: r.operation,
    Action: r.action,
    Requester: userArn(r.account, r.requester),
    Region: r.region,
    Status: statusOf(r, t, now),
    CreationDate: new Date(r.createdAt),
    ExpirationDate: new Date(r.expiresAt),
    ...(r.closedAt !== null ? { ClosedDate: new Date(r.closedAt) } : {}),
    Requirements: t.map((q) => ({ GroupName: q.groupName, MinApprovals: q.minApprovals, Approvals: q.approvals })),
    Decisions: decisions.map((d) => ({ UserName: d.userName, Decision: d.decision, DecisionDate: new Date(d.decidedAt) })),
    RequestHash: r.hash,
  };
}

/** The input a request holds, as the operation will run with it. */
export const requestInput = (r: ApprovalRequestRecord): Record<string, unknown> => decodeInput(r.input);
