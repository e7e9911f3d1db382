// The policy library: parse (document.ts), conditions (conditions.ts),
// decide (evaluate.ts), explain (explain.ts), defaults (key-policies.ts,
// managed-policies.ts). Pure: no I/O, no clock.
export { MAX_POLICY_BYTES, parseIdentityPolicy, parseKeyPolicy, parsePolicy, SERVICE_PREFIXES } from './document.js';
export type { Effect, PolicyDocument, PolicyKind, PolicyVersion, PrincipalSet, Statement } from './document.js';
export { compileCondition, conditionHolds, ContextView, evaluateConditionElement } from './conditions.js';
export type { CompiledCondition, ConditionClause, ConditionContext, ContextValue, RequestContext } from './conditions.js';
export { evaluate, KEY_POLICY_NAME } from './evaluate.js';
export type { AuthzRequest, Decision, DecisionSource, IdentityPolicy } from './evaluate.js';
export { accessMatrix, explain } from './explain.js';
export type { Explanation, MatrixCell, MatrixPrincipal, StatementMatch } from './explain.js';
export { defaultKeyPolicy, KEY_ADMINISTRATOR_ACTIONS, keyUserActions, lockoutCheck } from './key-policies.js';
export type { DefaultKeyPolicyOptions } from './key-policies.js';
export { MANAGED_POLICIES, managedPolicyByArn } from './managed-policies.js';
export type { ManagedPolicy, ManagedPolicyName } from './managed-policies.js';
