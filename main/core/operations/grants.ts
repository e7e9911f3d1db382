// Grants (KMS Developer Guide "Grants in AWS KMS"; API: CreateGrant,
// ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant). A grant lets
// one principal of the account run listed operations on one key, optionally
// only with a given encryption context; it takes effect at once here, and
// its grant token is accepted by the cryptographic operations. Its grantee
// and retiring principal are bound to the users they name at CreateGrant
// (principal-binding.ts): a user deleted and created again under the same
// name gets none of the old one's grants, and ListGrants then shows the
// old principal as its unique id.
import { randomBytes } from 'node:crypto';
import { keyArnIn, parseKeyRef, rootArn, userArn } from '../codecs/arn.js';
import type { OpContext } from '../service/context.js';
import { accessDenied, KmsError } from '../errors.js';
import { requireNotPendingDeletion, requireUsable } from '../kms/key-state.js';
import type { GrantRecord, UserRecord } from '../model.js';
import { decodeMarker, page } from '../service/paging.js';
import { isBound, shownAs } from '../policy/principal-binding.js';
import type { Handler } from '../service/operation.js';
/** Operations that take an encryption context, the only ones a grant constraint may go with. */
const CONTEXT_OPERATIONS = new Set(['Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'RetireGrant', 'DescribeKey', 'CreateGrant']);
/** AWS's quota: 50,000 grants per key. */
export const MAX_GRANTS_PER_KEY = 50_000;


/** A grant as ListGrants shows it: each principal as its ARN while it names its user, else its unique id. */
const entry = async (ctx: OpContext, g: GrantRecord) => ({
  KeyId: keyArnIn(ctx.scope, g.keyId),
  GrantId: g.grantId,
  ...(g.name ? { Name: g.name } : {}),
  CreationDate: new Date(g.createdAt),
  GranteePrincipal: await shownAs(ctx.repo, g.account, g.granteePrincipal, g.granteeId),
  ...(g.retiringPrincipal ? { RetiringPrincipal: await shownAs(ctx.repo, g.account, g.retiringPrincipal, g.retiringId) } : {}),
  IssuingAccount: rootArn(g.account),
  Operations: g.operations,
  ...(g.constraints ? { Constraints: g.constraints } : {}),
});
const entries = (ctx: OpContext, grants: GrantRecord[]) => Promise.all(grants.map((g) => entry(ctx, g)));

/** The user of this account a principal argument names (a user name or its ARN), by syntax alone; undefined for another account's ARN. */
function principalName(ctx: OpContext, p: string): string | undefined {
  const prefix = `arn:strongroom:iam::${ctx.scope.account}:user/`;
  return p.startsWith('arn:') ? (p.startsWith(prefix) ? p.slice(prefix.length) : undefined) : p;
}

/** The user of this account a principal argument names (a user name or its ARN). Grants to other accounts cannot exist in an isolated tenant. */
async function principalUser(ctx: OpContext, p: string, field: string): Promise<UserRecord> {
  const name = principalName(ctx, p);
  const user = name === undefined ? undefined : await ctx.repo.user(ctx.scope.account, name);
  if (!user) throw new KmsError('ValidationException', `${field} '${p}' is not a user of account ${ctx.scope.account}.`);
  return user;
}

export const CreateGrant: Handler<'CreateGrant'> = async (ctx, input) => {
  // The key is resolved and authorized before the principals are looked
  // up, so a caller that may not create grants on it (or, in another
  // tenant, cannot see it: NotFoundException) learns nothing about which
  // users exist. The condition keys carry the principals' ARNs as named.
  const named = (p: string) => {
    const name = principalName(ctx, p);
    return name === undefined ? p : userArn(ctx.scope.account, name);
  };
  const operations = [...new Set(input.Operations)];
  const context = {
    'kms:grantoperations': operations,
    'kms:granteeprincipal': named(input.GranteePrincipal),
    ...(input.RetiringPrincipal !== undefined ? { 'kms:retiringprincipal': named(input.RetiringPrincipal) } : {}),
    'kms:grantisforawsresource': 'false',
  };
  const key = await ctx.key(input.KeyId, { allowAlias: false, context });
  const granteeUser = await principalUser(ctx, input.GranteePrincipal, 'GranteePrincipal');
  const retiringUser = input.RetiringPrincipal === undefined ? null : await principalUser(ctx, input.RetiringPrincipal, 'RetiringPrincipal');
  const grantee = userArn(granteeUser.account, granteeUser.userName);
  const retiring = retiringUser && userArn(retiringUser.account, retiringUser.userName);
  requireNotPendingDeletion(key);
  requireUsable(key);
  if (input.Constraints && operations.some((o) => !CONTEXT_OPERATIONS.has(o))) {
    throw new KmsError('ValidationException', 'Grant constraints apply only to operations that take an encryption context; remove them or the other operations.');
  }
  const c = input.Constraints;
  const constraints = c && (c.EncryptionContextEquals || c.EncryptionContextSubset) ? c : null;
  const grantId = randomBytes(32).toString('hex');
  const grant: GrantRecord = {
    account: key.account,
    grantId,
    keyId: key.keyId,
    name: input.Name ?? null,
    granteePrincipal: grantee,
    granteeId: granteeUser.userId,
    retiringPrincipal: retiring,
    retiringId: retiringUser?.userId ?? null,
    issuingPrincipal: ctx.caller.arn,
    operations,
    constraints,
    token: `sr-grant-token-1.${grantId}.${randomBytes(24).toString('base64url')}`,
    createdAt: ctx.now,
  };
  const saved = await ctx.write(async (tx) => {
    const existing = await tx.grants(key.account, key.keyId);
    // AWS: CreateGrant with the same Name and parameters returns the existing grant.
    const same = existing.find(
      (g) => grant.name !== null && g.name === grant.name && g.granteePrincipal === grantee && g.granteeId === grant.granteeId &&
        g.retiringPrincipal === retiring && g.retiringId === grant.retiringId &&
        JSON.stringify([...g.operations].sort()) === JSON.stringify([...operations].sort()) && JSON.stringify(g.constraints) === JSON.stringify(constraints),
    );
    if (same) return same;
    if (existing.length >= MAX_GRANTS_PER_KEY) throw new KmsError('LimitExceededException', `Key ${key.keyId} already has ${MAX_GRANTS_PER_KEY} grants.`);
    await tx.insertGrant(grant);
    return grant;
  });
  return { GrantToken: saved.token, GrantId: saved.grantId };
};

export const ListGrants: Handler<'ListGrants'> = async (ctx, input) => {
  const key = await ctx.key(input.KeyId, { allowAlias: false });
  const after = decodeMarker(input.Marker, (m) => /^[0-9a-f]{64}$/.test(m));
  let grants = await ctx.repo.grants(key.account, key.keyId);
  if (input.GrantId) grants = grants.filter((g) => g.grantId === input.GrantId);
  if (after) grants = grants.slice(grants.findIndex((g) => g.grantId === after) + 1);
  const want = input.GranteePrincipal;
  if (want) {
    // the grantee as ListGrants shows it: its ARN (or user name), or the unique id of a user that is gone
    const shown = await Promise.all(grants.map((g) => shownAs(ctx.repo, g.account, g.granteePrincipal, g.granteeId)));
    grants = grants.filter((_g, i) => shown[i] === want || shown[i] === userArn(ctx.scope.account, want));
  }
  const { items, ...paging } = page(grants, input.Limit ?? 50, (g) => g.grantId);
  return { Grants: await entries(ctx, items), ...paging };
};

export const ListRetirableGrants: Handler<'ListRetirableGrants'> = async (ctx, input) => {
  await ctx.authorize();
  const retiring = await principalUser(ctx, input.RetiringPrincipal, 'RetiringPrincipal');
  const after = decodeMarker(input.Marker, (m) => /^[0-9a-f]{64}$/.test(m));
  // only the grants that name this very user, not an earlier one of the same name
  let grants = (await ctx.repo.retirableGrants(ctx.scope.account, userArn(retiring.account, retiring.userName))).filter((g) => g.retiringId === retiring.userId);
  if (after) grants = grants.slice(grants.findIndex((g) => g.grantId === after) + 1);
  const { items, ...paging } = page(grants, input.Limit ?? 50, (g) => g.grantId);
  return { Grants: await entries(ctx, items), ...paging };
};

export const RetireGrant: Handler<'RetireGrant'> = async (ctx, input) => {
  let grant: GrantRecord | undefined;
  if (input.GrantToken !== undefined) {
    grant = await ctx.repo.grantByToken(input.GrantToken);
    if (!grant || grant.account !== ctx.scope.account) throw new KmsError('InvalidGrantTokenException', 'The grant token names no grant in this account.');
  } else if (input.KeyId !== undefined && input.GrantId !== undefined) {
    // RetireGrant is authorized by the grant itself, not by a policy, so the key is only parsed, not authorized.
    const ref = parseKeyRef(ctx.scope, input.KeyId, false);
    grant = await ctx.repo.grant(ctx.scope.account, input.GrantId);
    if (!grant || ref.kind !== 'key' || grant.keyId !== ref.keyId) throw new KmsError('InvalidGrantIdException', `There is no grant ${input.GrantId} on that key.`);
  } else {
    throw new KmsError('ValidationException', 'Specify GrantToken, or KeyId and GrantId.');
  }
  const me = ctx.caller.arn;
  const { account } = ctx.scope;
  const allowed =
    (grant.retiringPrincipal === me && (await isBound(ctx.repo, account, me, grant.retiringId))) ||
    (grant.granteePrincipal === me && grant.operations.includes('RetireGrant') && (await isBound(ctx.repo, account, me, grant.granteeId)));
  if (!allowed) throw accessDenied(`User: ${me} is not authorized to retire grant ${grant.grantId}: only its retiring principal, or its grantee when the grant allows RetireGrant.`);
  const g = grant;
  await ctx.write((tx) => tx.deleteGrant(g.account, g.grantId));
  return {};
};

export const RevokeGrant: Handler<'RevokeGrant'> = async (ctx, input) => {
  const key = await ctx.key(input.KeyId, { allowAlias: false });
  await ctx.write(async (tx) => {
    const g = await tx.grant(key.account, input.GrantId);
    if (!g || g.keyId !== key.keyId) throw new KmsError('InvalidGrantIdException', `There is no grant ${input.GrantId} on key ${key.keyId}.`);
    await tx.deleteGrant(key.account, input.GrantId);
  });
  return {};
};
