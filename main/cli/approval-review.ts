// `strongroom approval approve --request-id ID` at a terminal, without
// --request-hash: the approver's "show, then ask" of a key ceremony (the
// DNSSEC root KSK scripts read each step aloud before anyone signs; CloudHSM
// quorum approvers sign the token they were shown). The command fetches the
// request (GetApprovalRequest), shows all of it, and asks the approver to
// type the first characters of its RequestHash: typing them proves the
// approver had the hash in front of them, and the approval then names
// exactly the hash shown, so a request changed after it was shown is refused
// by the service (ApproveRequest compares the hashes). Anything else typed
// approves nothing. Without a terminal (a script) --request-hash stays
// required, so nothing waits for an answer nobody will type.
import type { OperationName, OutputOf } from '../api/index.js';
import { KmsError } from '../core/errors.js';
import type { OperationCommand } from './operation-commands.js';
import { askOnce, type Prompt } from './credentials.js';
import { isoTimestamp, toJson } from './format-output.js';

/** The operation whose answer the approver reviews. */
const SHOW = 'GetApprovalRequest' satisfies OperationName;

/** How many leading characters of the RequestHash the approver types. */
export const CONFIRM_CHARS = 8;

/** Calls an operation as the signed-in user. */
export type Call = (operation: string, input: Record<string, unknown>) => Promise<unknown>;

export interface Review {
  /** the required field the review fills when the command line leaves it out */
  readonly field: string;
  /** the command's help on it */
  readonly help: string;
  /** shows what the call decides on and asks the user to confirm it; resolves to the field's value, or rejects (nothing is called) */
  confirm(input: Readonly<Record<string, unknown>>, call: Call, ask: Prompt): Promise<string>;
}

const approveReview: Review = {
  field: 'RequestHash',
  help:
    'At a terminal, leave out --request-hash: the command shows the request first (GetApprovalRequest: its ' +
    'operation, requester, the exact input it will run with, the approvals it needs and has, its expiry and ' +
    `its RequestHash) and asks you to type the first ${CONFIRM_CHARS} characters of the RequestHash. It approves ` +
    'that hash only if they match; anything else approves nothing and exits 254. When standard input is not ' +
    'a terminal (a script), --request-hash is required.',
  async confirm(input, call, ask) {
    const requestId = input['RequestId'];
    const { Request } = (await call(SHOW, { RequestId: requestId })) as OutputOf<typeof SHOW>;
    const hash = Request.RequestHash;
    const answer = await askOnce(
      ask,
      `${describeRequest(Request)}\nApprove this request? Type the first ${CONFIRM_CHARS} characters of its RequestHash to approve it (anything else approves nothing): `,
      'confirmation',
      'give --request-hash, or run the command in a terminal',
    );
    const typed = answer.trim().toLowerCase();
    if (typed.length < CONFIRM_CHARS || !hash.startsWith(typed)) {
      throw new KmsError('ValidationException', `What you typed is not the first ${CONFIRM_CHARS} characters of the RequestHash of approval request ${Request.RequestId}; nothing was approved.`);
    }
    return hash;
  },
};

/** The review a command makes at a terminal, if it makes one. */
export function reviewOf(cmd: OperationCommand): Review | undefined {
  return cmd.op.name === 'ApproveRequest' ? approveReview : undefined;
}

type ShownRequest = OutputOf<'GetApprovalRequest'>['Request'];

/**
 * A request as an approver reads it. Every value the requester chose (the
 * input) and every name is shown with its control and format characters
 * escaped, so that no escape sequence or bidi override can make the
 * terminal show something other than what would run.
 */
export function describeRequest(r: ShownRequest): string {
  const needs = r.Requirements.map((q) => `${q.MinApprovals} approval${q.MinApprovals === 1 ? '' : 's'} from group ${q.GroupName} (${q.Approvals} so far)`);
  const decisions = r.Decisions.map((d) => `${d.UserName} ${d.Decision === 'Approve' ? 'approved' : 'rejected'} at ${isoTimestamp(d.DecisionDate)}`);
  const input = JSON.stringify(toJson(r.Input), null, 4).split('\n');
  const rows: [string, string[]][] = [
    ['Operation', [`${r.Operation} (${r.Action}), in region ${r.Region}`]],
    ['Requester', [r.Requester]],
    ['Status', [r.Status]],
    ['Created', [isoTimestamp(r.CreationDate)]],
    ['Expires', [isoTimestamp(r.ExpirationDate)]],
    ['Needs', needs],
    ['Decisions', decisions.length ? decisions : ['none yet']],
    ['Input', ['exactly as it will run:', ...input.map((l) => `  ${l}`)]],
    ['RequestHash', [r.RequestHash]],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const lines = rows.flatMap(([label, values]) => values.map((v, i) => `  ${(i === 0 ? label : '').padEnd(width)}${printable(v)}`));
  return [`Approval request ${printable(r.RequestId)}`, ...lines, ''].join('\n');
}

/** `text` with its control, format and line-separator characters shown as \uXXXX. */
export function printable(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}
