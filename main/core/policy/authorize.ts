// Who may do what (DESIGN §5, AWS KMS Developer Guide "Determining access
// to an AWS KMS key"). Every operation asks here with its IAM action, the
// key (if any) and the request's condition keys. Explicit Deny anywhere
// wins; otherwise the key policy must allow the principal, or allow the
// account root while an identity policy of the principal allows it, or a
// grant must allow the operation. With no key (CreateKey, ListKeys, iam:*,
// tenant:*, audit:*), identity policies alone decide. Nothing is implicit.
// A user named in a key policy or a grant is the user that had that name
// when the policy or grant was saved (principal-binding.ts).
import { keyArn } from '../codecs/arn.js';
import type { Caller } from '../service/caller.js';
import { accessDenied } from '../errors.js';
import type { GrantRecord, IdentityPolicyRecord, KeyRecord } from '../model.js';
import { parseIdentityPolicy, parseKeyPolicy, type PolicyDocument } from './document.js';
import { evaluate, type Decision } from './evaluate.js';
import { managedPolicyByArn } from './managed-policies.js';
import { currentUserId, keyPolicyNames } from './principal-binding.js';
import type { RepoReads } from '../service/ports.js';

export type RequestContext = Record<string, string | string[] | undefined>;

/**
 * Condition keys every request carries (IAM "AWS global condition context
 * keys", KMS condition keys), plus `extra` (the operation's own: encryption
 * context, algorithm, …), in one new object. Built by assignment: the
 * object spreads this replaced cost ~1.2 µs per call, a conditional spread
 * being V8's slow path; this costs ~0.05 µs.
 */
export function baseContext(caller: Caller, key?: KeyRecord, extra?: RequestContext): RequestContext {
  const c: RequestContext = { 'kms:calleraccount': caller.account, 'aws:principalarn': caller.arn, 'aws:username': caller.userName };
  if (key) {
    c['kms:keyspec'] = key.keySpec;
    c['kms:keyusage'] = key.keyUsage;
    c['kms:keyorigin'] = key.origin;
  }
  return extra ? Object.assign(c, extra) : c;
}

/** kms:EncryptionContext:<k> and kms:EncryptionContextKeys for a request's encryption context. */
export function encryptionContextKeys(ec: Readonly<Record<string, string>> | undefined): RequestContext {
  const out: RequestContext = {};
  if (!ec) return out;
  out['kms:encryptioncontextkeys'] = Object.keys(ec);
  for (const [k, v] of Object.entries(ec)) out[`kms:encryptioncontext:${k}`] = v;
  return out;
}

/** The operation name a grant lists for an IAM action (kms:Encrypt → Encrypt). */
const grantOperation = (action: string) => (action.startsWith('kms:') ? action.slice(4) : undefined);

export class Authorizer {
  readonly #repo: RepoReads;
  readonly #parsed = new Map<string, PolicyDocument>();

  constructor(repo: RepoReads) {
    this.#repo = repo;
  }

  /** Resolves with the deciding Decision, or rejects with AccessDeniedException naming principal, action and resource. */
  async check(caller: Caller, action: string, key: KeyRecord | undefined, context: RequestContext): Promise<Decision> {
    const decision = await this.decide(caller.arn, caller.account, caller.userName, action, key, context);
    if (decision.effect === 'Allow') return decision;
    const service = action.split(':')[0];
    const resource = key ? keyArn(key) : `arn:strongroom:${service}:${service === 'kms' ? caller.region : ''}:${caller.account}:*`;
    // AWS's wording: "… with an explicit deny in a resource-based policy" / "in an identity-based policy"
    const why = decision.effect === 'Deny' ? ' with an explicit deny in ' + (decision.source === 'key-policy' ? 'a key policy' : 'an identity-based policy') : '';
    throw accessDenied(`User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource}${why}.`);
  }

  /** The decision alone, for the access matrix and the lockout check. */
  async decide(principalArn: string, account: string, userName: string, action: string, key: KeyRecord | undefined, context: RequestContext): Promise<Decision> {
    const identity = (await this.#repo.effectivePolicies(account, userName)).map((p) => this.#identity(p)).filter((p) => p !== undefined);
    const keyPolicy = key ? this.#keyPolicy(key.policy) : undefined;
    const grantAllows = key ? await this.#grantAllows(principalArn, action, key, context) : false;
    const userPrincipalBound = key ? await keyPolicyNames(this.#repo, key, principalArn) : false;
    return evaluate(
      { principalArn, account, action, resourceArn: key ? keyArn(key) : '*', context, userPrincipalBound },
      keyPolicy,
      identity,
      grantAllows,
    );
  }

  async #grantAllows(principalArn: string, action: string, key: KeyRecord, context: RequestContext): Promise<boolean> {
    const op = grantOperation(action);
    if (!op) return false;
    const grants = await this.#repo.grants(key.account, key.keyId);
    if (grants.length === 0) return false;
    // a grant is its grantee's, not a later user's of the same name (principal-binding.ts)
    const userId = await currentUserId(this.#repo, key.account, principalArn);
    return grants.some(
      (g) =>
        g.granteePrincipal === principalArn &&
        g.granteeId === userId &&
        userId !== undefined &&
        (g.operations as readonly string[]).includes(op) &&
        (op === 'DescribeKey' || constraintsHold(g, context)) &&
        delegationHolds(g, op, context),
    );
  }

  #keyPolicy(json: string): PolicyDocument {
    let doc = this.#parsed.get(json);
    if (!doc) {
      doc = parseKeyPolicy(json);
      this.#remember(json, doc);
    }
    return doc;
  }

  #identity(p: IdentityPolicyRecord): { name: string; document: PolicyDocument } | undefined {
    if (p.kind === 'attached') {
      const managed = managedPolicyByArn(p.policyName);
      return managed ? { name: p.policyName, document: managed.document } : undefined;
    }
    const json = p.document ?? '';
    let doc = this.#parsed.get(json);
    if (!doc) {
      doc = parseIdentityPolicy(json);
      this.#remember(json, doc);
    }
    return { name: `${p.principalType}/${p.principalName}/${p.policyName}`, document: doc };
  }

  #remember(json: string, doc: PolicyDocument): void {
    if (this.#parsed.size > 10_000) this.#parsed.clear();
    this.#parsed.set(json, doc);
  }
}

/**
 * A grant that lists CreateGrant lets its grantee create grants only for
 * operations the grant itself allows (KMS Developer Guide, "Granting
 * CreateGrant permission"); without this, a grant of CreateGrant alone
 * would let its grantee give itself (or anyone) Decrypt.
 */
function delegationHolds(g: GrantRecord, op: string, context: RequestContext): boolean {
  if (op !== 'CreateGrant') return true;
  const requested = context['kms:grantoperations'];
  const ops = typeof requested === 'string' ? [requested] : (requested ?? []);
  return ops.length > 0 && ops.every((o) => (g.operations as readonly string[]).includes(o));
}

/**
 * Grant constraints (KMS Developer Guide "Grant constraints"): Equals needs the exact context, Subset needs every listed pair.
 * DescribeKey is exempt ("the constraint doesn't apply to these operations"); CreateGrant under a
 * constrained grant is refused here, as its request carries no encryption context — stricter than
 * AWS, which allows child grants with equally strict constraints.
 */
function constraintsHold(g: GrantRecord, context: RequestContext): boolean {
  if (!g.constraints) return true;
  const requestKeys = (context['kms:encryptioncontextkeys'] as string[] | undefined) ?? [];
  const value = (k: string) => context[`kms:encryptioncontext:${k}`];
  const { EncryptionContextEquals: eq, EncryptionContextSubset: sub } = g.constraints;
  if (eq) {
    const keys = Object.keys(eq);
    if (keys.length !== requestKeys.length || keys.some((k) => value(k) !== eq[k])) return false;
  }
  if (sub && Object.entries(sub).some(([k, v]) => value(k) !== v)) return false;
  return true;
}
