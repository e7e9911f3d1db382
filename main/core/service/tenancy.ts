// Creating a tenant: an account id, a tenant key sealed under the vault
// master key, and its administrator `admin` with the StrongroomAdministrator
// managed policy. Shared by `init` (the operator tenant) and CreateTenant.
import { randomInt } from 'node:crypto';
import type { PassphraseHash } from '../crypto/argon2.js';
import { KmsError } from '../errors.js';
import type { KeyMaterials } from '../kms/key-material.js';
import { newUserId, type TenantRecord } from '../model.js';
import { MANAGED_POLICIES } from '../policy/managed-policies.js';
import type { RepoReads, RepoTx } from './ports.js';

const TENANT_NAME = /^[a-zA-Z0-9][a-zA-Z0-9 ._-]{0,63}$/;
/** What an account id looks like: `--tenant` and sign-in read such a string as an account id, never as a name. */
export const ACCOUNT_ID = /^\d{12}$/;

/** The tenant `--tenant` names: an account id (12 digits) or a tenant name (never 12 digits); none: the operator tenant. */
export function tenantNamed(repo: RepoReads, tenant: string | undefined): Promise<TenantRecord | undefined> {
  if (tenant === undefined) return repo.firstTenant();
  return ACCOUNT_ID.test(tenant) ? repo.tenant(tenant) : repo.tenantByName(tenant);
}

export async function insertTenant(
  tx: RepoTx,
  materials: KeyMaterials,
  name: string,
  adminPassphrase: PassphraseHash,
  opts: { now: number; passwordResetRequired: boolean },
): Promise<TenantRecord> {
  if (!TENANT_NAME.test(name)) {
    throw new KmsError('ValidationException', `Tenant name '${name}' is not valid: 1–64 letters, digits, spaces and . _ -, starting with a letter or digit.`);
  }
  if (ACCOUNT_ID.test(name)) {
    throw new KmsError('ValidationException', `Tenant name '${name}' is not valid: it looks like an account id (12 digits), so --tenant could not tell the two apart. Choose a name with a letter or another character in it.`);
  }
  if (await tx.tenantByName(name)) throw new KmsError('AlreadyExistsException', `A tenant named '${name}' already exists.`);
  let account: string;
  do account = String(randomInt(1, 10 ** 6)).padStart(6, '0') + String(randomInt(0, 10 ** 6)).padStart(6, '0');
  while (await tx.tenant(account));
  const tenant: TenantRecord = { account, name, createdAt: opts.now, wrappedKey: materials.newTenantKey(account), state: 'Enabled' };
  await tx.insertTenant(tenant);
  await tx.insertUser({ account, userName: 'admin', userId: newUserId(), passphrase: adminPassphrase, loginProfileCreatedAt: opts.now, passwordResetRequired: opts.passwordResetRequired, disabled: false, createdAt: opts.now });
  await tx.putIdentityPolicy({
    account,
    principalType: 'user',
    principalName: 'admin',
    kind: 'attached',
    policyName: MANAGED_POLICIES.StrongroomAdministrator.arn,
    document: null,
  });
  return tenant;
}
