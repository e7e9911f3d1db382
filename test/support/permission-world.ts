// The world the permission matrix runs in: a vault with three tenants —
// the operator tenant (whose admin manages tenants), "acme" (the tenant
// under test, with one user per role, and one approval rule: changing the
// rules needs an approver's approval) and "globex" (another tenant whose
// admin tries acme's keys) — and, per scenario, acme keys of every usage
// under that scenario's key policy, plus the ciphertexts, signatures and
// MACs the cells need. Everything here is created by acme's admin through
// the service, so an "allowed" cell can really succeed.
import { generateKeyPairSync } from 'node:crypto';
import type { InputOf } from '../../main/api/index.js';
import type { Caller } from '../../main/core/service/caller.js';
import { callAs, type Call } from './call-as.js';
import { makeVault, type TestVault } from './vault.js';

export const ROLES = [
  'admin',
  'keyAdmin',
  'namedKeyAdmin',
  'keyUser',
  'namedKeyUser',
  'auditor',
  'grantee',
  'otherTenant',
  'operator',
  'unauthenticated',
] as const;
export type Role = (typeof ROLES)[number];

export const SCENARIOS = ['default policy', 'policy with Deny', 'context condition met', 'context condition not met', 'grant'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface Principal {
  role: Role;
  caller: Caller;
  userName: string;
  arn: string;
  /** the current passphrase (ChangePassword cells change it) */
  passphrase: string;
}

export interface World {
  t: TestVault;
  /** acme, the tenant under test */
  account: string;
  admin: Caller;
  operatorAccount: string;
  otherAccount: string;
  /** a tenant only tenant-management cells touch */
  spareAccount: string;
  principals: Record<Role, Principal>;
  userArn(name: string): string;
  /** calls as acme's admin */
  call: Call;
  /** a name nobody has used yet */
  fresh(prefix: string): string;
}

export const acmeUsers: Record<Exclude<Role, 'admin' | 'otherTenant' | 'operator' | 'unauthenticated'>, string> = {
  keyAdmin: 'key-admin',
  namedKeyAdmin: 'named-key-admin',
  keyUser: 'key-user',
  namedKeyUser: 'named-key-user',
  auditor: 'auditor',
  grantee: 'grantee',
};
const MANAGED = (name: string) => `arn:strongroom:iam::aws:policy/${name}`;
const IDENTITY: Partial<Record<Role, string>> = { keyAdmin: 'KeyAdministrator', keyUser: 'KeyUser', auditor: 'AuditReader' };
/** a user of acme that no cell signs in as: grants and policies that cells create go to it */
export const BYSTANDER = 'bystander';
export const GROUP = 'matrix-group';
/** acme's approvers (keyAdmin and keyUser), and acme's one approval rule: changing the rules needs one of them */
export const APPROVERS = 'matrix-approvers';
export const QUORUM_RULE = { Actions: ['approval:PutApprovalRules'], GroupName: APPROVERS, MinApprovals: 1 };
const TENANT_ADMIN_FIRST = 'first passphrase of a tenant admin';

/** Creates a tenant through the operator's admin and returns its admin, passphrase already changed. */
async function tenantAdmin(t: TestVault, name: string, passphrase: string): Promise<Caller> {
  await t.call('CreateTenant', { TenantName: name, AdminPassword: TENANT_ADMIN_FIRST });
  const first = await t.vault.service.signIn({ tenant: name, userName: 'admin', passphrase: TENANT_ADMIN_FIRST, region: 'local-1', source: 'sdk' });
  await t.vault.service.call(first, 'ChangePassword', { OldPassword: TENANT_ADMIN_FIRST, NewPassword: passphrase });
  return t.vault.service.signIn({ tenant: name, userName: 'admin', passphrase, region: 'local-1', source: 'sdk' });
}

export async function makeWorld(): Promise<World> {
  const t = await makeVault();
  let serial = 0;
  const signIn = (tenant: string, userName: string, passphrase: string) =>
    t.vault.service.signIn({ tenant, userName, passphrase, region: 'local-1', source: 'sdk' });

  const admin = await tenantAdmin(t, 'acme', 'acme admin passphrase');
  const other = await tenantAdmin(t, 'globex', 'globex admin passphrase');
  const spare = (await t.call('CreateTenant', { TenantName: 'spare', AdminPassword: TENANT_ADMIN_FIRST })).Tenant.AccountId as string;
  const call = callAs(t.vault.service, admin);
  const userArn = (name: string) => `arn:strongroom:iam::${admin.account}:user/${name}`;

  const principals = {
    admin: { role: 'admin', caller: admin, userName: 'admin', arn: admin.arn, passphrase: 'acme admin passphrase' },
    otherTenant: { role: 'otherTenant', caller: other, userName: 'admin', arn: other.arn, passphrase: 'globex admin passphrase' },
    operator: { role: 'operator', caller: t.admin, userName: 'admin', arn: t.admin.arn, passphrase: 'correct horse battery staple' },
    // a copy of a real caller: it looks signed in, but the service never made it
    unauthenticated: { role: 'unauthenticated', caller: { ...admin }, userName: 'admin', arn: admin.arn, passphrase: 'acme admin passphrase' },
  } as Record<Role, Principal>;

  for (const [role, userName] of Object.entries(acmeUsers) as [Role, string][]) {
    const passphrase = `passphrase of ${userName}`;
    await call('CreateUser', { UserName: userName });
    await call('CreateLoginProfile', { UserName: userName, Password: passphrase });
    const managed = IDENTITY[role];
    if (managed) await call('AttachUserPolicy', { UserName: userName, PolicyArn: MANAGED(managed) });
    principals[role] = { role, caller: await signIn('acme', userName, passphrase), userName, arn: userArn(userName), passphrase };
  }
  await call('CreateUser', { UserName: BYSTANDER });
  await call('CreateGroup', { GroupName: GROUP });
  await call('CreateGroup', { GroupName: APPROVERS });
  for (const u of [acmeUsers.keyAdmin, acmeUsers.keyUser]) await call('AddUserToGroup', { GroupName: APPROVERS, UserName: u });
  await call('PutApprovalRules', { Rules: [QUORUM_RULE] });

  return {
    t,
    account: admin.account,
    admin,
    operatorAccount: t.admin.account,
    otherAccount: other.account,
    spareAccount: spare,
    principals,
    userArn,
    call,
    fresh: (prefix) => `${prefix}-${++serial}`,
  };
}

// ---- scenarios ----------------------------------------------------------

type KeyKind = 'sym' | 'sign' | 'mac' | 'agree' | 'external';
const SPEC: Record<KeyKind, Pick<InputOf<'CreateKey'>, 'KeySpec' | 'KeyUsage' | 'Origin'>> = {
  sym: { KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' },
  sign: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' },
  mac: { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' },
  agree: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' },
  // a symmetric key for imported material, PendingImport until ImportKeyMaterial
  external: { KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Origin: 'EXTERNAL' },
};

/** The encryption context the finance condition and the grant's constraint ask for. */
const FINANCE = { dept: 'finance', project: 'apollo' };
const MARKETING = { dept: 'marketing', project: 'apollo' };
const DENY_SID = 'DenyDecryptToEveryone';
/** what the Sign/Verify and GenerateMac/VerifyMac cells sign */
export const MESSAGE = Buffer.from('a message');

export interface ScenarioWorld {
  name: Scenario;
  /** key ARNs, one per kind, under the scenario's key policy */
  keys: Record<KeyKind, string>;
  /** a second symmetric key (UpdateAlias's new target) */
  sym2: string;
  /** the encryption context every cell of this scenario passes */
  ec: Record<string, string>;
  ciphertext: Uint8Array;
  signature: Uint8Array;
  mac: Uint8Array;
  peerPublicKey: Buffer;
  /** a new key of this kind under the scenario's policy */
  newKey(kind?: KeyKind): Promise<string>;
  /** the scenario's key policy for a key of this kind (what PutKeyPolicy writes back) */
  policy(kind: KeyKind): Promise<string>;
}

/** The default key policy CreateKey writes naming acme's key administrator and key user. */
const namedDefault = (w: World) => ({ KeyAdministrators: [acmeUsers.namedKeyAdmin], KeyUsers: [w.userArn(acmeUsers.namedKeyUser)] });

/**
 * The condition scenario's policy: the account root (so IAM policies apply),
 * the named key administrator, and the named key user only with
 * kms:EncryptionContext:dept = finance — which a request without an
 * encryption context (Sign, GenerateMac, …) can never meet.
 */
function financePolicy(w: World): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:strongroom:iam::${w.account}:root` }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'Allow access for Key Administrators',
        Effect: 'Allow',
        Principal: { AWS: w.userArn(acmeUsers.namedKeyAdmin) },
        Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:RotateKeyOnDemand'],
        Resource: '*',
      },
      {
        Sid: 'Allow use for the finance department only',
        Effect: 'Allow',
        Principal: { AWS: w.userArn(acmeUsers.namedKeyUser) },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Sign', 'kms:Verify', 'kms:GenerateMac', 'kms:VerifyMac', 'kms:DeriveSharedSecret', 'kms:GetPublicKey'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:EncryptionContext:dept': 'finance' } },
      },
      { Sid: 'Allow describing the key', Effect: 'Allow', Principal: { AWS: w.userArn(acmeUsers.namedKeyUser) }, Action: 'kms:DescribeKey', Resource: '*' },
    ],
  });
}

export async function makeScenario(w: World, name: Scenario): Promise<ScenarioWorld> {
  const defaults: Partial<Record<KeyKind, string>> = {};
  /** the default policy of a key of this kind (read back from a key CreateKey made) */
  const defaultPolicy = async (kind: KeyKind) => {
    if (!defaults[kind]) {
      const { KeyMetadata } = await w.call('CreateKey', { ...SPEC[kind], ...namedDefault(w) });
      defaults[kind] = (await w.call('GetKeyPolicy', { KeyId: KeyMetadata.Arn })).Policy as string;
    }
    return defaults[kind];
  };
  const policy = async (kind: KeyKind): Promise<string> => {
    switch (name) {
      case 'default policy':
      case 'grant':
        return defaultPolicy(kind);
      case 'policy with Deny': {
        const doc = JSON.parse(await defaultPolicy(kind)) as { Statement: unknown[] };
        doc.Statement.push({ Sid: DENY_SID, Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' });
        return JSON.stringify(doc);
      }
      case 'context condition met':
      case 'context condition not met':
        return financePolicy(w);
    }
  };
  const ec = name === 'context condition not met' ? MARKETING : FINANCE;
  /** the grant scenario's grantee: every symmetric key of that scenario carries its grant */
  const grantTo = name === 'grant' ? w.userArn(acmeUsers.grantee) : undefined;
  const newKey = async (kind: KeyKind = 'sym'): Promise<string> => {
    // default and grant scenarios: CreateKey's KeyAdministrators/KeyUsers; the others: CreateKey's Policy
    const input = name === 'default policy' || name === 'grant' ? namedDefault(w) : { Policy: await policy(kind) };
    const arn = (await w.call('CreateKey', { ...SPEC[kind], ...input })).KeyMetadata.Arn as string;
    if (grantTo && kind === 'sym') {
      await w.call('CreateGrant', {
        KeyId: arn,
        GranteePrincipal: grantTo,
        Operations: ['Encrypt', 'Decrypt'],
        Constraints: { EncryptionContextSubset: { dept: 'finance' } },
      });
    }
    return arn;
  };
  const keys = { sym: await newKey('sym'), sign: await newKey('sign'), mac: await newKey('mac'), agree: await newKey('agree'), external: await newKey('external') };
  const sym2 = await newKey('sym');
  return {
    name,
    keys,
    sym2,
    ec,
    ciphertext: (await w.call('Encrypt', { KeyId: keys.sym, Plaintext: Buffer.from('secret'), EncryptionContext: ec })).CiphertextBlob,
    signature: (await w.call('Sign', { KeyId: keys.sign, Message: MESSAGE, SigningAlgorithm: 'ECDSA_SHA_256' })).Signature,
    mac: (await w.call('GenerateMac', { KeyId: keys.mac, Message: MESSAGE, MacAlgorithm: 'HMAC_SHA_256' })).Mac,
    peerPublicKey: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' }),
    newKey,
    policy,
  };
}
