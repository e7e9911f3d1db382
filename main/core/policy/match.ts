// Does one statement apply to one request? Shared by evaluate() (the hot
// path) and explain() (the "who can do what" view), so both read policies
// the same way.
//
// Principal semantics (IAM "Principal" / "NotPrincipal", KMS "Default key
// policy"):
//  - "*" names every principal directly;
//  - a user ARN names that user directly — provided the policy was saved
//    naming this very user (RequestState.userBound; core/policy/principal-binding.ts);
//  - the account (root ARN or bare id) names the account principal: for the
//    root user that is direct, for an IAM user of the account it only
//    *delegates* — the user also needs an identity policy allowing the
//    action ("When the principal in a key policy statement is the account
//    principal, the policy statement doesn't give any IAM users or roles
//    permission … Instead, it allows the account to use IAM policies");
//    in a Deny it covers everyone in the account;
//  - NotPrincipal (Deny only): the statement applies unless every identity
//    the request carries is listed — for a user, both the user ARN and its
//    account ("you must also specify the account ARN of the principal that
//    must not be denied. Otherwise, the policy might deny access to the
//    entire account containing the principal").
import { ContextView, conditionHolds, type ContextValue, type RequestContext } from './conditions.js';
import type { Statement } from './document.js';
import type { ParsedPrincipal } from './principals.js';
import { matchArnParts, matchPatternSet, splitArn } from './wildcard.js';

type PrincipalMatch = 'none' | 'direct' | 'account';

/** Per-request state: lower-cased action, parsed principal, lazily built condition context. */
export class RequestState {
  readonly principalArn: string;
  readonly principal: ParsedPrincipal;
  readonly action: string;
  readonly resourceArn: string;
  readonly resourceAccount: string | undefined;
  /** whether the policy's user ARNs may match this principal (AuthzRequest.userPrincipalBound) */
  readonly userBound: boolean;
  readonly #context: RequestContext;
  #view: ContextView | undefined;
  #resourceParts: readonly string[] | undefined | null = null;

  constructor(
    principalArn: string,
    principal: ParsedPrincipal,
    action: string,
    resourceArn: string,
    resourceAccount: string | undefined,
    context: RequestContext,
    userBound = true,
  ) {
    this.principalArn = principalArn;
    this.principal = principal;
    this.action = action.toLowerCase(); // IAM: action names are case-insensitive
    this.resourceArn = resourceArn;
    this.resourceAccount = resourceAccount;
    this.userBound = userBound;
    this.#context = context;
  }

  /** Built on first use: statements without conditions never pay for it. */
  get view(): ContextView {
    this.#view ??= new ContextView(this.#context, (k) => this.#implied(k));
    return this.#view;
  }

  /** The resource ARN's six components, split once; undefined for "*". */
  get resourceParts(): readonly string[] | undefined {
    if (this.#resourceParts === null) this.#resourceParts = splitArn(this.resourceArn);
    return this.#resourceParts;
  }

  /**
   * Global keys the request implies when the caller did not set them
   * (IAM "AWS global condition context keys"; KMS kms:CallerAccount).
   */
  #implied(lowerKey: string): ContextValue {
    switch (lowerKey) {
      case 'aws:principalarn':
        return this.principalArn;
      case 'kms:calleraccount':
      case 'aws:principalaccount':
        return this.principal.account;
      case 'aws:username':
        return this.principal.kind === 'user' ? this.principal.userName : undefined;
      case 'aws:principaltype':
        return this.principal.kind === 'user' ? 'User' : 'Account';
      case 'aws:resourceaccount':
        return this.resourceAccount;
      default:
        return undefined;
    }
  }
}

export function principalMatch(st: Statement, r: RequestState): PrincipalMatch {
  const set = st.principal;
  if (!set) return 'direct'; // identity policy: it belongs to the principal it is attached to
  const p = r.principal;
  if (st.notPrincipal) {
    if (set.any) return 'none';
    const userListed = p.kind === 'root' || (r.userBound && set.users.has(r.principalArn));
    return userListed && set.accounts.has(p.account) ? 'none' : 'direct';
  }
  if (set.any) return 'direct';
  if (p.kind === 'user' && r.userBound && set.users.has(r.principalArn)) return 'direct';
  if (set.accounts.has(p.account)) return p.kind === 'root' ? 'direct' : 'account';
  return 'none';
}

const actionMatches = (st: Statement, r: RequestState): boolean => matchPatternSet(st.actions, r.action) !== st.notAction;

function resourceMatches(st: Statement, r: RequestState): boolean {
  let hit = st.anyResource;
  if (!hit) {
    const parts = r.resourceParts;
    for (const p of st.resources) {
      if (matchArnParts(p, parts)) {
        hit = true;
        break;
      }
    }
  }
  return hit !== st.notResource;
}

/** How the statement applies to the request, or 'none'. Cheapest tests first; conditions last. */
export function statementMatch(st: Statement, r: RequestState): PrincipalMatch {
  if (!actionMatches(st, r) || !resourceMatches(st, r)) return 'none';
  const pm = principalMatch(st, r);
  if (pm === 'none') return 'none';
  if (st.condition && !conditionHolds(st.condition, r.view)) return 'none';
  return pm;
}
