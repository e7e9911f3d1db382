// Grants (KMS Developer Guide "Grants in AWS KMS"; API: CreateGrant,
// ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant). A grant lets
// one principal of the account run listed operations on one key, optionally
// only with a given encryption context; it takes effect at once here, and
// its grant token is accepted by the cryptographic operations. Its grantee
// and retiring principal are bound to the users they name at CreateGrant
// (principal-binding.ts): a user deleted and created again under the same
// name gets none of the old one's grants, and ListGrants then shows the
// old principal as its unique id.
import { z } from 'zod';
import { GRANT_OPERATIONS } from '../enums.js';
import { operation } from '../operation.js';
import { DryRun, EncryptionContext, GrantTokens, KeyId, Limit, Marker } from '../fields.js';

const Principal = z.string().min(1).max(256).meta({ description: 'A user ARN (arn:strongroom:iam::<account>:user/<name>) or user name.' });
const GrantId = z.string().regex(/^[0-9a-f]{64}$/, 'must be a grant id returned by CreateGrant');
const Constraints = z
  .object({ EncryptionContextSubset: EncryptionContext.optional(), EncryptionContextEquals: EncryptionContext.optional() })
  .strict();
const GrantEntry = z.object({
  KeyId: z.string(),
  GrantId: z.string(),
  Name: z.string().optional(),
  CreationDate: z.date(),
  GranteePrincipal: z.string(),
  RetiringPrincipal: z.string().optional(),
  IssuingAccount: z.string(),
  Operations: z.array(z.enum(GRANT_OPERATIONS)),
  Constraints: Constraints.optional(),
});




export const CreateGrant = operation({
  name: 'CreateGrant',
  action: 'kms:CreateGrant',
  summary: 'Lets a user of the account run the listed operations on a key, optionally only with a given encryption context.',
  input: () => z
    .object({
      KeyId,
      GranteePrincipal: Principal,
      RetiringPrincipal: Principal.optional(),
      Operations: z.array(z.enum(GRANT_OPERATIONS)).min(1),
      Constraints: Constraints.optional(),
      Name: z.string().regex(/^[a-zA-Z0-9:/_-]{1,256}$/).optional(),
      GrantTokens: GrantTokens.optional(),
      DryRun: DryRun.optional(),
    })
    .strict(),
  output: () => z.object({ GrantToken: z.string(), GrantId: z.string() }),
});

export const ListGrants = operation({
  name: 'ListGrants',
  action: 'kms:ListGrants',
  readOnly: true,
  summary: 'Lists the grants on a key (paged with Limit/Marker).',
  input: () => z
    .object({ KeyId, Limit: Limit(100).optional(), Marker: Marker.optional(), GrantId: GrantId.optional(), GranteePrincipal: Principal.optional() })
    .strict(),
  output: () => z.object({ Grants: z.array(GrantEntry), NextMarker: z.string().optional(), Truncated: z.boolean() }),
});

export const ListRetirableGrants = operation({
  name: 'ListRetirableGrants',
  action: 'kms:ListRetirableGrants',
  readOnly: true,
  summary: 'Lists the grants a principal may retire.',
  input: () => z.object({ RetiringPrincipal: Principal, Limit: Limit(100).optional(), Marker: Marker.optional() }).strict(),
  output: () => z.object({ Grants: z.array(GrantEntry), NextMarker: z.string().optional(), Truncated: z.boolean() }),
});

export const RetireGrant = operation({
  name: 'RetireGrant',
  action: 'kms:RetireGrant',
  summary: 'Retires a grant (by token, or by key and grant id); allowed to its retiring principal, or its grantee when the grant lists RetireGrant.',
  input: () => z.object({ GrantToken: z.string().min(1).optional(), KeyId: KeyId.optional(), GrantId: GrantId.optional(), DryRun: DryRun.optional() }).strict(),
  output: () => z.object({}),
});

export const RevokeGrant = operation({
  name: 'RevokeGrant',
  action: 'kms:RevokeGrant',
  summary: 'Revokes a grant on a key.',
  input: () => z.object({ KeyId, GrantId, DryRun: DryRun.optional() }).strict(),
  output: () => z.object({}),
});
