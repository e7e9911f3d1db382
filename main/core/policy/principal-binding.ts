// Principals bound to users (issue 9, Identity). Key policies and grants
// name users by ARN, but a name is not a person: a user deleted and created
// again under the same name is someone else, with another unique id
// (UserRecord.userId, IAM's UserId). AWS stores the principal's unique id
// when a policy is saved and shows the ARN back while the principal exists;
// once it is deleted, the policy shows the bare unique id, which matches no
// one — not even a new user of the same name (IAM User Guide, "IAM
// identifiers", Unique identifiers). Strongroom does the same, and this file
// is the one place that rule lives:
//  - bind: PutKeyPolicy and CreateKey bind every user ARN of the account the
//    policy names in Principal or NotPrincipal (KeyRecord.policyPrincipals);
//    CreateGrant binds GranteePrincipal and RetiringPrincipal
//    (GrantRecord.granteeId, retiringId) — to the id the user has then;
//  - match: a bound ARN names a caller only while the account's user of that
//    name still has the bound id (isBound). The authorizer asks this of key
//    policies and grants, RetireGrant and ListRetirableGrants of grants;
//  - show: GetKeyPolicy and ListGrants show the ARN while that holds, and
//    the bare id once the user is gone (keyPolicyAsShown, shownAs).
// Account roots ("arn:…:root", bare account ids), "*", and principals of
// other accounts are not bound and stay as written: a tenant cannot see
// another tenant's users, and a principal of another account is never
// allowed anyway (tenants are isolated, policy/evaluate.ts).
import { userArn } from '../codecs/arn.js';
import type { KeyRecord, UserRecord } from '../model.js';
import { parseKeyPolicy, type PolicyDocument } from './document.js';
import { child, isObject, malformed } from './json-path.js';
import { parsePrincipalArn } from './principals.js';
import type { RepoReads } from '../service/ports.js';

/** The user of `account` whose ARN is exactly `arn` (same account, no path), if there is one now. */
async function userOfArn(repo: RepoReads, account: string, arn: string): Promise<UserRecord | undefined> {
  const p = parsePrincipalArn(arn);
  if (!p || p.kind !== 'user' || p.account !== account) return undefined;
  const user = await repo.user(account, p.userName);
  return user && userArn(user.account, user.userName) === arn ? user : undefined;
}

/** The id a principal bound under `arn` must carry to name someone now: that of the user holding the ARN; undefined when no one does. */
export async function currentUserId(repo: RepoReads, account: string, arn: string): Promise<string | undefined> {
  return (await userOfArn(repo, account, arn))?.userId;
}

/** Whether `arn`, bound to `userId` when it was saved, still names that user. Unbound (null) names no one. */
export async function isBound(repo: RepoReads, account: string, arn: string, userId: string | null | undefined): Promise<boolean> {
  return !!userId && userId === (await currentUserId(repo, account, arn));
}

/** A bound principal as AWS shows it: its ARN while it names its user, else the bare unique id. */
export async function shownAs(repo: RepoReads, account: string, arn: string, userId: string | null): Promise<string> {
  return userId === null || (await isBound(repo, account, arn, userId)) ? arn : userId;
}

// ---- key policies --------------------------------------------------------

/**
 * Binds a key policy about to be saved (PutKeyPolicy, CreateKey): each user
 * ARN of `account` it names as a principal must be a user that exists, and
 * is bound to that user's id. A user ARN naming no user is refused, as AWS
 * refuses it ("MalformedPolicyDocumentException: Policy contains a statement
 * with one or more invalid principals"): binding it to nothing would let a
 * user created later under that name in, which is the very thing binding
 * prevents. User ARNs of other accounts are neither checked nor bound (see
 * the top of this file).
 */
export async function bindKeyPolicy(repo: RepoReads, account: string, policy: string | PolicyDocument): Promise<Record<string, string>> {
  const doc = typeof policy === 'string' ? parseKeyPolicy(policy) : policy;
  const bound: Record<string, string> = {};
  for (const st of doc.statements) {
    for (const arn of st.principal?.users ?? []) {
      if (parsePrincipalArn(arn)?.account !== account || Object.hasOwn(bound, arn)) continue;
      const user = await userOfArn(repo, account, arn);
      if (!user) {
        const at = child(child(st.path, st.notPrincipal ? 'NotPrincipal' : 'Principal'), 'AWS');
        throw malformed(at, `${arn} is not a user of account ${account}, so the policy would name an invalid principal; create the user first, or remove it from the policy`);
      }
      bound[arn] = user.userId;
    }
  }
  return bound;
}

/**
 * Whether the key's policy, where it names `arn` as a principal, names the
 * user that holds that ARN now. False when the policy does not name it, or
 * named an earlier user of the same name.
 */
export function keyPolicyNames(repo: RepoReads, key: KeyRecord, arn: string): Promise<boolean> | boolean {
  // most policies name no user (the default policy names only the account): no lookup then
  if (!Object.hasOwn(key.policyPrincipals, arn)) return false;
  return isBound(repo, key.account, arn, key.policyPrincipals[arn]);
}

/**
 * The key policy as GetKeyPolicy shows it: the text as it was saved, or,
 * when a user it names is gone (deleted, or deleted and created again),
 * with that principal written as its bound unique id — which is also what
 * the policy now grants that ARN: nothing.
 */
export async function keyPolicyAsShown(repo: RepoReads, key: KeyRecord): Promise<string> {
  const gone = new Map<string, string>();
  for (const [arn, id] of Object.entries(key.policyPrincipals)) {
    if (!(await isBound(repo, key.account, arn, id))) gone.set(arn, id);
  }
  return gone.size === 0 ? key.policy : replacePrincipals(key.policy, gone);
}

/**
 * The policy JSON with the principal entries in `replace` swapped for their
 * replacement: only under Principal.AWS / NotPrincipal.AWS (a Condition that
 * names the ARN is a string comparison, kept as written). The text is
 * re-serialised, indented if the original was written on several lines.
 */
function replacePrincipals(json: string, replace: ReadonlyMap<string, string>): string {
  const doc = JSON.parse(json) as Record<string, unknown>;
  const swap = (v: unknown) => (typeof v === 'string' ? (replace.get(v) ?? v) : v);
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  for (const st of statements) {
    if (!isObject(st)) continue;
    for (const field of ['Principal', 'NotPrincipal']) {
      const p = st[field];
      if (isObject(p) && p.AWS !== undefined) p.AWS = Array.isArray(p.AWS) ? p.AWS.map(swap) : swap(p.AWS);
    }
  }
  return JSON.stringify(doc, null, json.includes('\n') ? 2 : undefined);
}
