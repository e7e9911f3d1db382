// Quorum approvals (M-of-N, DESIGN §10; CloudHSM's quorum authentication and
// Vault's generate-root are the models). Per tenant, an administrator names
// the actions that need approval and by how many members of which group
// (PutApprovalRules). Calling such an action then runs nothing: it fails
// with ApprovalRequiredException naming an approval request that holds the
// exact validated input. Approvers, signed in as themselves, approve the
// request's hash (RequestHash, which `approval show` prints) or reject it;
// once every group of the request has its approvals (the requester never
// counts), the requester runs it with ExecuteApprovalRequest, exactly as
// approved and once. Requests expire (24 hours unless the rules say
// otherwise). The CLI names them `strongroom approval list|show|approve|
// reject|execute|get-rules|put-rules`; the desktop inbox uses the same calls.
import { z } from 'zod';
import { operation } from '../operation.js';
import { IamName, Limit, Marker } from '../fields.js';

const approval = { service: 'approval' as const };

export const RequestId = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be an approval request id (a UUID)')
  .meta({ description: 'The approval request id (ApprovalRequiredException names it; `approval list` lists them).' });

/** What an approver states they reviewed: the SHA-256 (hex) of the request as stored. */
const RequestHash = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits')
  .meta({ description: 'The RequestHash you reviewed (`approval show` prints it); a request that no longer hashes to it is refused.' });

/** The statuses of a request: Approved means every group has its approvals and the requester may execute it. */
export const APPROVAL_STATUSES = ['Pending', 'Approved', 'Rejected', 'Executed', 'Expired'] as const;

export const ApprovalRule = z
  .object({
    Actions: z
      .array(z.string().min(1).max(128))
      .min(1)
      .max(100)
      .meta({ description: 'IAM actions that need approval, e.g. kms:ScheduleKeyDeletion (GetApprovalRules lists those that can).' }),
    GroupName: IamName.meta({ description: 'The group whose members approve.' }),
    MinApprovals: z.number().int().min(1).max(16).meta({ description: 'How many distinct members of the group must approve (1–16); the requester never counts.' }),
  })
  .strict();

const Requirement = z.object({ GroupName: z.string(), MinApprovals: z.number(), Approvals: z.number() });
const Decision = z.object({ UserName: z.string(), Decision: z.enum(['Approve', 'Reject']), DecisionDate: z.date() });

/** A request as the list shows it; GetApprovalRequest adds the Input. */
const RequestSummary = z.object({
  RequestId: z.string(),
  Operation: z.string(),
  Action: z.string(),
  Requester: z.string(),
  Region: z.string(),
  Status: z.enum(APPROVAL_STATUSES),
  CreationDate: z.date(),
  ExpirationDate: z.date(),
  /** when it was executed or rejected */
  ClosedDate: z.date().optional(),
  Requirements: z.array(Requirement),
  Decisions: z.array(Decision),
  RequestHash: z.string(),
});

export const PutApprovalRules = operation({
  ...approval,
  name: 'PutApprovalRules',
  cliName: 'put-rules',
  action: 'approval:PutApprovalRules',
  summary:
    "Replaces the tenant's approval rules (which actions need how many approvals from which group). Once any rule exists, changing them needs the current quorum.",
  input: () => z
    .object({
      Rules: z.array(ApprovalRule).max(50).meta({ description: 'The rules; an empty list removes them all.' }),
      RequestExpiryHours: z.number().int().min(1).max(720).optional().meta({ description: 'How long a request waits for its approvals (1–720 hours, default 24).' }),
    })
    .strict(),
  output: () => z.object({}),
});

export const GetApprovalRules = operation({
  ...approval,
  name: 'GetApprovalRules',
  cliName: 'get-rules',
  action: 'approval:GetApprovalRules',
  readOnly: true,
  summary: "Shows the tenant's approval rules, and the actions a rule may name.",
  input: () => z.object({}).strict(),
  output: () => z.object({ Rules: z.array(ApprovalRule), RequestExpiryHours: z.number(), GuardableActions: z.array(z.string()) }),
});

export const ListApprovalRequests = operation({
  ...approval,
  name: 'ListApprovalRequests',
  cliName: 'list',
  action: 'approval:ListApprovalRequests',
  readOnly: true,
  summary: "Lists approval requests, newest first: all of the tenant's with approval:ListApprovalRequests, else those you made or may decide.",
  input: () => z
    .object({
      Status: z.enum(APPROVAL_STATUSES).optional().meta({ description: 'Only requests in this status.' }),
      Limit: Limit(100).optional(),
      Marker: Marker.optional(),
    })
    .strict(),
  output: () => z.object({ Requests: z.array(RequestSummary), NextMarker: z.string().optional(), Truncated: z.boolean() }),
});

export const GetApprovalRequest = operation({
  ...approval,
  name: 'GetApprovalRequest',
  cliName: 'show',
  action: 'approval:GetApprovalRequest',
  readOnly: true,
  summary: 'Shows an approval request: the operation and its exact input, who asked, its approvals, and the RequestHash an approver states.',
  input: () => z.object({ RequestId }).strict(),
  output: () => z.object({ Request: RequestSummary.extend({ Input: z.record(z.string(), z.unknown()) }) }),
});

export const ApproveRequest = operation({
  ...approval,
  name: 'ApproveRequest',
  cliName: 'approve',
  action: 'approval:ApproveRequest',
  readOnly: false,
  summary: 'Approves a request you reviewed, by its RequestHash; you must be in one of its groups and not its requester.',
  input: () => z.object({ RequestId, RequestHash }).strict(),
  output: () => z.object({ Request: RequestSummary }),
});

export const RejectRequest = operation({
  ...approval,
  name: 'RejectRequest',
  cliName: 'reject',
  action: 'approval:RejectRequest',
  readOnly: false,
  summary: 'Rejects a request (a member of one of its groups, or its requester withdrawing it); a rejected request never runs.',
  input: () => z.object({ RequestId }).strict(),
  output: () => z.object({ Request: RequestSummary }),
});

export const ExecuteApprovalRequest = operation({
  ...approval,
  name: 'ExecuteApprovalRequest',
  cliName: 'execute',
  action: 'approval:ExecuteApprovalRequest',
  readOnly: false,
  summary: "Runs an approved request, once, as its requester (who alone may); the output is the operation's.",
  input: () => z.object({ RequestId }).strict(),
  output: () => z.record(z.string(), z.unknown()),
});
