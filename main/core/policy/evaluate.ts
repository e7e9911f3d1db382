// Authorization as AWS KMS decides it (KMS Developer Guide "Determining
// access to an AWS KMS key" and "KMS key access and permissions"; IAM
// "Policy evaluation logic"):
//  1. An explicit Deny in the key policy or in any identity policy of the
//     principal wins over every Allow, grants included ("No AWS principal
//     has any permissions to a KMS key unless that permission is provided
//     explicitly and never denied").
//  2. The key policy allows the principal directly (user ARN, "*", or the
//     root user via the account principal) → Allow.
//  3. The key policy allows the account principal (delegation) and an
//     identity policy of the principal allows the action on the key → Allow.
//     "To use an IAM policy to allow access to a KMS key, the key policy
//     must explicitly allow it."
//  4. A grant allows it → Allow.
//  5. Otherwise ImplicitDeny. Nothing is implicit: without a statement the
//     account root gets nothing either.
// Requests without a key (CreateKey, ListKeys, iam:*, tenant:*, audit:*)
// have no key policy: identity policies alone decide.
//
// Tenants are isolated (DESIGN §5): a principal of another account is never
// allowed, whatever a policy says — an account's root statement names only
// that account, and a cross-account request is refused before any policy is read.
import type { RequestContext } from './conditions.js';
import type { PolicyDocument, Statement } from './document.js';
import { RequestState, statementMatch } from './match.js';
import { parsePrincipalArn } from './principals.js';
import { arnAccount } from './wildcard.js';

export interface AuthzRequest {
  /** the caller: arn:strongroom:iam::<account>:user/<name> or …:root */
  principalArn: string;
  /** the caller's account (tenant) */
  account: string;
  /** IAM action, e.g. "kms:Encrypt"; compared case-insensitively */
  action: string;
  /** the key ARN, or "*" for requests without a resource */
  resourceArn: string;
  /** condition keys, lower-cased names (see conditions.ts) */
  context: RequestContext;
  /**
   * Whether the user ARNs a key policy names as principals may match this
   * principal's ARN. The authorizer passes true only when the policy was
   * saved naming this very user, not an earlier user of the same name
   * (core/policy/principal-binding.ts); absent, ARNs are taken as written (the pure
   * evaluation the policy tests exercise). "*", roots and accounts are unaffected.
   */
  userPrincipalBound?: boolean;
}

export type DecisionSource = 'key-policy' | 'identity-policy' | 'grant';

export interface Decision {
  effect: 'Allow' | 'Deny' | 'ImplicitDeny';
  /** where the deciding statement is; absent for ImplicitDeny */
  source?: DecisionSource;
  /** "default" for the key policy (its only name in AWS KMS), else the identity policy's name */
  policyName?: string;
  sid?: string;
  statementIndex?: number;
  /** for an Allow through an identity policy: the key policy statement that delegated to the account */
  delegatedBy?: { sid?: string; statementIndex: number };
  reason: string;
}

export interface IdentityPolicy {
  name: string;
  document: PolicyDocument;
}

/** AWS KMS gives every key policy the name "default" (ListKeyPolicies). */
export const KEY_POLICY_NAME = 'default';

/** The request state, or the ImplicitDeny that ends evaluation before any policy is read. */
export function prepareRequest(req: AuthzRequest): RequestState | Decision {
  const principal = parsePrincipalArn(req.principalArn);
  if (!principal) return { effect: 'ImplicitDeny', reason: `${JSON.stringify(req.principalArn)} is not a Strongroom principal ARN.` };
  if (principal.account !== req.account) {
    return { effect: 'ImplicitDeny', reason: `${req.principalArn} does not belong to account ${req.account}.` };
  }
  const resourceAccount = arnAccount(req.resourceArn);
  if (resourceAccount !== undefined && resourceAccount !== principal.account) {
    return { effect: 'ImplicitDeny', reason: `${req.principalArn} is in account ${principal.account}; ${req.resourceArn} belongs to another account, and tenants are isolated.` };
  }
  return new RequestState(req.principalArn, principal, req.action, req.resourceArn, resourceAccount, req.context, req.userPrincipalBound ?? true);
}

// Decisions are built with one fixed shape and the statement's precomputed
// label: evaluate() runs on every cryptographic call, and spreads and
// JSON.stringify there cost more than the matching itself.

function denyDecision(source: 'key-policy' | 'identity-policy', policyName: string, st: Statement, r: RequestState): Decision {
  const where = source === 'key-policy' ? 'the key policy' : `identity policy "${policyName}"`;
  return { effect: 'Deny', source, policyName, sid: st.sid, statementIndex: st.index, reason: `Explicit deny of ${r.action} for ${r.principalArn} in ${where}, ${st.label}.` };
}

export function evaluate(req: AuthzRequest, keyPolicy: PolicyDocument | undefined, identityPolicies: readonly IdentityPolicy[], grantAllows = false): Decision {
  const r = prepareRequest(req);
  if (!(r instanceof RequestState)) return r;

  // Key policy: any Deny ends it; remember the first direct and the first delegating Allow.
  let direct: Statement | undefined;
  let delegation: Statement | undefined;
  if (keyPolicy) {
    for (const st of keyPolicy.statements) {
      if (st.effect === 'Allow' && direct) continue; // already allowed; only a Deny could change that
      const m = statementMatch(st, r);
      if (m === 'none') continue;
      if (st.effect === 'Deny') return denyDecision('key-policy', KEY_POLICY_NAME, st, r);
      if (m === 'direct') direct = st;
      else delegation ??= st;
    }
  }

  // Identity policies: any Deny ends it (it counts even when the key policy does not delegate).
  let allowedBy: Statement | undefined;
  let allowedIn = '';
  for (const { name, document } of identityPolicies) {
    for (const st of document.statements) {
      if (st.effect === 'Allow' && allowedBy) continue;
      if (statementMatch(st, r) === 'none') continue;
      if (st.effect === 'Deny') return denyDecision('identity-policy', name, st, r);
      allowedBy = st;
      allowedIn = name;
    }
  }

  if (direct) {
    return { effect: 'Allow', source: 'key-policy', policyName: KEY_POLICY_NAME, sid: direct.sid, statementIndex: direct.index, reason: `The key policy allows ${r.principalArn} ${r.action}: ${direct.label}.` };
  }
  if (allowedBy && (!keyPolicy || delegation)) {
    const via = delegation ? `the key policy delegates to account ${r.principal.account} (${delegation.label}) and ` : '';
    return {
      effect: 'Allow',
      source: 'identity-policy',
      policyName: allowedIn,
      sid: allowedBy.sid,
      statementIndex: allowedBy.index,
      delegatedBy: delegation ? { sid: delegation.sid, statementIndex: delegation.index } : undefined,
      reason: `Allowed: ${via}identity policy "${allowedIn}" allows ${r.action}, ${allowedBy.label}.`,
    };
  }
  if (grantAllows) return { effect: 'Allow', source: 'grant', reason: `A grant on the key allows ${r.principalArn} ${r.action}.` };
  return { effect: 'ImplicitDeny', reason: implicitReason(r, keyPolicy !== undefined, delegation, allowedBy ? allowedIn : undefined) };
}

function implicitReason(r: RequestState, keyed: boolean, delegation: Statement | undefined, allowedIn: string | undefined): string {
  const who = `${r.principalArn} ${r.action}`;
  if (!keyed) return `No identity policy allows ${who}.`;
  if (delegation) return `The key policy delegates to account ${r.principal.account} (${delegation.label}), but no identity policy allows ${who}.`;
  if (allowedIn !== undefined) return `Identity policy "${allowedIn}" allows ${who}, but the key policy neither allows it nor delegates to the account.`;
  return `No key policy statement allows ${who}, and no grant does.`;
}
