// A tenant's approval rules (DESIGN §10, "Quorum"): which IAM actions need
// how many approvals from which group, and what a call of one of them must
// gather before it runs. Every rule that names an action applies to it
// (each group its own count; a group named twice asks for the larger).
//
// Changing the rules is itself guarded, so that one administrator cannot
// switch the quorum off: once any rule exists, PutApprovalRules needs the
// approvals of the rules that name approval:PutApprovalRules, or, when none
// does, of every rule — each group that guards something must agree to
// changing what it guards.
import { z } from 'zod';
import { CONTRACT, SERVICE_OPERATION_NAMES, type OperationSpec } from '../../api/index.js';
import { isSecretName } from '../audit/event.js';
import { KmsError, shown, validation } from '../errors.js';
import type { ApprovalRequirement, ApprovalSettings } from '../model.js';

export const PUT_RULES_ACTION = 'approval:PutApprovalRules';
export const DEFAULT_REQUEST_EXPIRY_HOURS = 24;

/**
 * Whether an operation's calls can be held for approval. Not the approval
 * operations themselves (but changing the rules), not GetCallerIdentity, and
 * none whose input holds a secret (a passphrase, a plaintext): a request
 * keeps its input in the vault file and shows it to its approvers.
 */
function holdable(op: OperationSpec): boolean {
  if (op.action === PUT_RULES_ACTION) return true;
  if (op.service === 'approval' || op.action === 'sts:GetCallerIdentity') return false;
  const shape = (op.input as unknown as z.ZodObject).shape as Record<string, unknown> | undefined;
  return shape !== undefined && !Object.keys(shape).some(isSecretName);
}

let guardable: readonly string[] | undefined;

/**
 * The IAM actions a rule may name: those whose every operation can be held
 * (an action may belong to two), and the app's approvable ones (a backup, a
 * re-split: api/operation.ts `approvable`).
 */
export function guardableActions(): readonly string[] {
  // worked out on first use: it reads every operation's input schema, which the contract builds only when asked (api/operation.ts)
  return (guardable ??= (() => {
    const ops = SERVICE_OPERATION_NAMES.map((n) => CONTRACT[n] as OperationSpec);
    const actions = new Set(ops.map((op) => op.action));
    const app = Object.values(CONTRACT as Record<string, OperationSpec>).filter((op) => op.approvable).map((op) => op.action);
    return [...[...actions].filter((a) => ops.filter((op) => op.action === a).every(holdable)), ...app].sort();
  })());
}

export interface RuleInput {
  Actions: string[];
  GroupName: string;
  MinApprovals: number;
}

/** PutApprovalRules' input as the settings to store (undefined: no rules), refusing an action no rule may name. */
export function settingsOf(rules: readonly RuleInput[], expiryHours: number | undefined): ApprovalSettings | undefined {
  rules.forEach((r, i) => {
    const seen = new Set<string>();
    for (const a of r.Actions) {
      if (!guardableActions().includes(a)) {
        throw validation(
          `Rules.${i}.Actions: '${shown(a)}' cannot need approval: name an action of an operation that changes or uses keys, users or tenants and takes no passphrase or plaintext (GetApprovalRules lists them).`,
        );
      }
      if (seen.has(a)) throw validation(`Rules.${i}.Actions names ${a} twice.`);
      seen.add(a);
    }
  });
  if (rules.length === 0) {
    if (expiryHours !== undefined) throw validation('RequestExpiryHours needs at least one rule.');
    return undefined;
  }
  return {
    rules: rules.map((r) => ({ actions: [...r.Actions], groupName: r.GroupName, minApprovals: r.MinApprovals })),
    requestExpiryHours: expiryHours ?? DEFAULT_REQUEST_EXPIRY_HOURS,
  };
}

/** What a call of `action` must gather before it runs; undefined when nothing guards it. */
export function requirementsFor(settings: ApprovalSettings | undefined, action: string): ApprovalRequirement[] | undefined {
  if (!settings || settings.rules.length === 0) return undefined;
  let applying = settings.rules.filter((r) => r.actions.includes(action));
  if (action === PUT_RULES_ACTION && applying.length === 0) applying = settings.rules;
  if (applying.length === 0) return undefined;
  const byGroup = new Map<string, number>();
  for (const r of applying) byGroup.set(r.groupName, Math.max(byGroup.get(r.groupName) ?? 0, r.minApprovals));
  return [...byGroup].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([groupName, minApprovals]) => ({ groupName, minApprovals }));
}

/** "2 approvals from group custodians and 1 from group auditors" */
export function describeRequirements(reqs: readonly ApprovalRequirement[]): string {
  return reqs.map((r) => `${r.minApprovals} ${r.minApprovals === 1 ? 'approval' : 'approvals'} from group ${r.groupName}`).join(' and ');
}

/** A rule whose group could never gather its approvals is refused: the action (and, through it, the rules) would be locked for good. */
export function checkGroupSize(ruleIndex: number, groupName: string, members: number | undefined, minApprovals: number): void {
  if (members === undefined) throw new KmsError('NoSuchEntityException', `Rules.${ruleIndex}: the group ${groupName} does not exist.`);
  if (members < minApprovals) {
    throw validation(
      `Rules.${ruleIndex}: the group ${groupName} has ${members} ${members === 1 ? 'member' : 'members'}, fewer than MinApprovals ${minApprovals}: its approvals could never be gathered.`,
    );
  }
}
