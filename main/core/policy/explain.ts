// "Who can do what" (issue 3, Key policies): for a principal and an action,
// the decision plus every statement that applied, so the UI's permission
// matrix can show both the outcome and why. Uses the same statement
// matching as evaluate(); the decision is evaluate()'s own.
import type { PolicyDocument, Effect } from './document.js';
import { evaluate, KEY_POLICY_NAME, prepareRequest, type AuthzRequest, type Decision, type IdentityPolicy } from './evaluate.js';
import { RequestState, statementMatch } from './match.js';
import type { RequestContext } from './conditions.js';

export interface StatementMatch {
  source: 'key-policy' | 'identity-policy';
  policyName: string;
  sid?: string;
  statementIndex: number;
  effect: Effect;
  /** 'account': an Allow naming the principal's account, which only delegates to identity policies */
  principalMatch: 'direct' | 'account';
}

export interface Explanation {
  decision: Decision;
  /** every statement that applied to the request, key policy first, in document order */
  matches: StatementMatch[];
}

export function explain(req: AuthzRequest, keyPolicy: PolicyDocument | undefined, identityPolicies: readonly IdentityPolicy[], grantAllows = false): Explanation {
  const decision = evaluate(req, keyPolicy, identityPolicies, grantAllows);
  const r = prepareRequest(req);
  const matches: StatementMatch[] = [];
  if (!(r instanceof RequestState)) return { decision, matches };
  const scan = (source: StatementMatch['source'], policyName: string, doc: PolicyDocument) => {
    for (const st of doc.statements) {
      const m = statementMatch(st, r);
      if (m === 'none') continue;
      matches.push({ source, policyName, ...(st.sid !== undefined ? { sid: st.sid } : {}), statementIndex: st.index, effect: st.effect, principalMatch: m });
    }
  };
  if (keyPolicy) scan('key-policy', KEY_POLICY_NAME, keyPolicy);
  for (const p of identityPolicies) scan('identity-policy', p.name, p.document);
  return { decision, matches };
}

export interface MatrixPrincipal {
  arn: string;
  identityPolicies: readonly IdentityPolicy[];
}

export interface MatrixCell {
  principalArn: string;
  action: string;
  decision: Decision;
}

/**
 * One key (or none) × principals × actions. `grantAllows` answers whether a
 * grant covers a principal and action; `context` is the request context to
 * assume (conditions on keys it lacks are read as AWS reads a missing key).
 */
export function accessMatrix(
  account: string,
  resourceArn: string,
  keyPolicy: PolicyDocument | undefined,
  principals: readonly MatrixPrincipal[],
  actions: readonly string[],
  options: { context?: RequestContext; grantAllows?: (principalArn: string, action: string) => boolean } = {},
): MatrixCell[] {
  const cells: MatrixCell[] = [];
  for (const p of principals) {
    for (const action of actions) {
      const req: AuthzRequest = { principalArn: p.arn, account, action, resourceArn, context: options.context ?? {} };
      cells.push({ principalArn: p.arn, action, decision: evaluate(req, keyPolicy, p.identityPolicies, options.grantAllows?.(p.arn, action) ?? false) });
    }
  }
  return cells;
}
