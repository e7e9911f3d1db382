// Users for the authorization tests: created by a tenant's admin through
// the service, given managed or inline policies, and signed in.
import type { Caller } from '../../main/core/service/caller.js';
import type { TestVault } from './vault.js';

export const managed = (name: 'StrongroomAdministrator' | 'KeyAdministrator' | 'KeyUser' | 'AuditReader') => `arn:strongroom:iam::aws:policy/${name}`;
export const policy = (...statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
export const passphraseOf = (userName: string) => `passphrase of ${userName}`;

interface NewUser {
  /** managed policy names to attach */
  managed?: Parameters<typeof managed>[0][];
  /** inline policies by name */
  inline?: Record<string, string>;
  passwordResetRequired?: boolean;
  /** who creates it (default: the vault's admin) */
  as?: Caller;
  /** tenant to sign in to (default: the creator's account) */
  tenant?: string;
}

/** Signs a user in to the vault's tenant (or `tenant`) in local-1. */
export function signIn(t: TestVault, userName: string, passphrase = passphraseOf(userName), tenant?: string): Promise<Caller> {
  return t.vault.service.signIn({ ...(tenant ? { tenant } : {}), userName, passphrase, region: 'local-1', source: 'sdk' });
}

/** Creates a user with a login profile (passphrase `passphrase of <name>`) and the given policies, and signs it in. */
export async function newUser(t: TestVault, userName: string, opts: NewUser = {}): Promise<Caller> {
  const as = opts.as ?? t.admin;
  await t.call('CreateUser', { UserName: userName }, as);
  await t.call('CreateLoginProfile', { UserName: userName, Password: passphraseOf(userName), PasswordResetRequired: opts.passwordResetRequired ?? false }, as);
  for (const m of opts.managed ?? []) await t.call('AttachUserPolicy', { UserName: userName, PolicyArn: managed(m) }, as);
  for (const [PolicyName, PolicyDocument] of Object.entries(opts.inline ?? {})) await t.call('PutUserPolicy', { UserName: userName, PolicyName, PolicyDocument }, as);
  return signIn(t, userName, passphraseOf(userName), opts.tenant ?? as.account);
}

export const TENANT_ADMIN_PASSPHRASE = 'first passphrase of a tenant admin';

/** Creates a tenant (as the operator's admin) and returns its admin signed in, first passphrase already changed to `passphrase of <tenant>`. */
export async function newTenant(t: TestVault, name: string): Promise<Caller> {
  await t.call('CreateTenant', { TenantName: name, AdminPassword: TENANT_ADMIN_PASSPHRASE });
  const first = await signIn(t, 'admin', TENANT_ADMIN_PASSPHRASE, name);
  await t.call('ChangePassword', { OldPassword: TENANT_ADMIN_PASSPHRASE, NewPassword: passphraseOf(name) }, first);
  return signIn(t, 'admin', passphraseOf(name), name);
}
