// Grants (issue 3; KMS Developer Guide "Grants in AWS KMS"): CreateGrant,
// ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant, constraints
// (EncryptionContextEquals vs EncryptionContextSubset), grant tokens in the
// cryptographic operations, and who may retire or revoke.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputOf } from '../../main/api/index.js';
import type { Caller } from '../../main/core/service/caller.js';
import { newUser, policy } from '../support/iam.js';
import { refused } from '../support/kms.js';
import { makeVault, type TestVault } from '../support/vault.js';

let t: TestVault;
let grantee: Caller; // no policy of its own: only grants let it do anything
let retirer: Caller;
let keyUser: Caller;
let KeyId: string;
let KeyArn: string;
beforeAll(async () => {
  t = await makeVault();
  grantee = await newUser(t, 'grantee');
  retirer = await newUser(t, 'retirer');
  keyUser = await newUser(t, 'key-user', { managed: ['KeyUser'] });
  ({ KeyId, Arn: KeyArn } = (await t.call('CreateKey', {})).KeyMetadata);
});
afterAll(() => t.close());

const arnOf = (user: string) => `arn:strongroom:iam::${t.admin.account}:user/${user}`;
const plaintext = Buffer.from('granted');
const encrypt = (caller: Caller, EncryptionContext?: Record<string, string>, extra: { GrantTokens?: string[] } = {}) =>
  t.call('Encrypt', { KeyId, Plaintext: plaintext, ...(EncryptionContext ? { EncryptionContext } : {}), ...extra }, caller);
/** CreateGrant on the test's key, to 'grantee' unless the input says otherwise. */
async function grant(input: Omit<InputOf<'CreateGrant'>, 'KeyId' | 'GranteePrincipal'> & { GranteePrincipal?: string }): Promise<{ GrantId: string; GrantToken: string }> {
  return t.call('CreateGrant', { KeyId, GranteePrincipal: 'grantee', ...input });
}

describe('CreateGrant and ListGrants', () => {
  it('returns a grant id and token; ListGrants shows the grant as AWS does', async () => {
    const out = await grant({ RetiringPrincipal: arnOf('retirer'), Operations: ['Encrypt', 'Decrypt', 'Encrypt'], Name: 'app-1', Constraints: { EncryptionContextSubset: { app: 'one' } } });
    expect(out.GrantId).toMatch(/^[0-9a-f]{64}$/);
    expect(out.GrantToken.length).toBeGreaterThan(64);
    const { Grants, Truncated } = await t.call('ListGrants', { KeyId, GrantId: out.GrantId });
    expect(Truncated).toBe(false);
    expect(Grants).toEqual([
      {
        KeyId: KeyArn,
        GrantId: out.GrantId,
        Name: 'app-1',
        CreationDate: new Date(t.clock.now),
        GranteePrincipal: arnOf('grantee'),
        RetiringPrincipal: arnOf('retirer'),
        IssuingAccount: `arn:strongroom:iam::${t.admin.account}:root`,
        Operations: ['Encrypt', 'Decrypt'],
        Constraints: { EncryptionContextSubset: { app: 'one' } },
      },
    ]);
    // the same Name and parameters again: the same grant (AWS CreateGrant idempotency)
    const again = await grant({ RetiringPrincipal: 'retirer', Operations: ['Decrypt', 'Encrypt'], Name: 'app-1', Constraints: { EncryptionContextSubset: { app: 'one' } } });
    expect(again.GrantId).toBe(out.GrantId);
    await t.call('RevokeGrant', { KeyId, GrantId: out.GrantId });
  });

  it('ListGrants filters by grantee and pages with Limit/Marker', async () => {
    const k = (await t.call('CreateKey', {})).KeyMetadata.KeyId;
    const ids = [];
    for (const who of ['grantee', 'retirer', 'grantee']) ids.push((await t.call('CreateGrant', { KeyId: k, GranteePrincipal: who, Operations: ['Encrypt'] })).GrantId);
    const byGrantee = (await t.call('ListGrants', { KeyId: k, GranteePrincipal: arnOf('grantee') })).Grants.map((g: { GrantId: string }) => g.GrantId);
    expect(byGrantee).toEqual([ids[0], ids[2]]);
    const first = await t.call('ListGrants', { KeyId: k, Limit: 2 });
    expect(first.Truncated).toBe(true);
    const rest = await t.call('ListGrants', { KeyId: k, Limit: 2, Marker: first.NextMarker });
    expect([...first.Grants, ...rest.Grants].map((g: { GrantId: string }) => g.GrantId)).toEqual(ids);
    expect(rest.Truncated).toBe(false);
  });

  it('a grantee or retiring principal that is not a user of the account is ValidationException', async () => {
    await refused(grant({ GranteePrincipal: 'nobody', Operations: ['Encrypt'] }), 'ValidationException');
    await refused(grant({ GranteePrincipal: 'arn:strongroom:iam::999999999999:user/grantee', Operations: ['Encrypt'] }), 'ValidationException');
    await refused(grant({ RetiringPrincipal: 'nobody', Operations: ['Encrypt'] }), 'ValidationException');
  });

  it('constraints only with operations that take an encryption context', async () => {
    const sign = (await t.call('CreateKey', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata.KeyId;
    await refused(
      t.call('CreateGrant', { KeyId: sign, GranteePrincipal: 'grantee', Operations: ['Sign'], Constraints: { EncryptionContextEquals: { a: 'b' } } }),
      'ValidationException',
    );
    await t.call('CreateGrant', { KeyId: sign, GranteePrincipal: 'grantee', Operations: ['Sign'] });
  });

  it('no grants on a disabled key or a key pending deletion', async () => {
    const k = (await t.call('CreateKey', {})).KeyMetadata.KeyId;
    await t.call('DisableKey', { KeyId: k });
    await refused(t.call('CreateGrant', { KeyId: k, GranteePrincipal: 'grantee', Operations: ['Encrypt'] }), 'DisabledException');
    await t.call('ScheduleKeyDeletion', { KeyId: k });
    await refused(t.call('CreateGrant', { KeyId: k, GranteePrincipal: 'grantee', Operations: ['Encrypt'] }), 'KMSInvalidStateException');
  });

  it('CreateGrant needs kms:CreateGrant: a key user may not hand its use on', async () => {
    const e = await refused(t.call('CreateGrant', { KeyId, GranteePrincipal: 'grantee', Operations: ['Encrypt'] }, keyUser), 'AccessDeniedException');
    expect(e.message).toContain('kms:CreateGrant');
    // and is told nothing about which users exist
    await refused(t.call('CreateGrant', { KeyId, GranteePrincipal: 'nobody', Operations: ['Encrypt'] }, keyUser), 'AccessDeniedException');
  });
});

describe('what a grant allows', () => {
  it('a grant lets a principal with no policy run the listed operations, and nothing else', async () => {
    await refused(encrypt(grantee), 'AccessDeniedException');
    const g = await grant({ Operations: ['Encrypt'] });
    const { CiphertextBlob } = await encrypt(grantee);
    await refused(t.call('Decrypt', { CiphertextBlob }, grantee), 'AccessDeniedException');
    await refused(t.call('DescribeKey', { KeyId }, grantee), 'AccessDeniedException');
    await refused(t.call('GenerateDataKey', { KeyId, KeySpec: 'AES_256' }, grantee), 'AccessDeniedException');
    await t.call('RevokeGrant', { KeyId, GrantId: g.GrantId });
    await refused(encrypt(grantee), 'AccessDeniedException');
  });

  it('EncryptionContextEquals: exactly that context — no pair more, none less, no other value', async () => {
    const g = await grant({ Operations: ['Encrypt', 'Decrypt'], Constraints: { EncryptionContextEquals: { dept: 'finance', app: 'ledger' } } });
    const { CiphertextBlob } = await encrypt(grantee, { app: 'ledger', dept: 'finance' });
    expect(Buffer.from((await t.call('Decrypt', { CiphertextBlob, EncryptionContext: { dept: 'finance', app: 'ledger' } }, grantee)).Plaintext)).toEqual(plaintext);
    await refused(encrypt(grantee, { dept: 'finance', app: 'ledger', extra: 'x' }), 'AccessDeniedException');
    await refused(encrypt(grantee, { dept: 'finance' }), 'AccessDeniedException');
    await refused(encrypt(grantee, { dept: 'finance', app: 'payroll' }), 'AccessDeniedException');
    await refused(encrypt(grantee, { dept: 'Finance', app: 'ledger' }), 'AccessDeniedException');
    await refused(encrypt(grantee), 'AccessDeniedException');
    await t.call('RevokeGrant', { KeyId, GrantId: g.GrantId });
  });

  it('EncryptionContextSubset: the listed pairs plus any others', async () => {
    const g = await grant({ Operations: ['Encrypt', 'Decrypt'], Constraints: { EncryptionContextSubset: { dept: 'finance' } } });
    await encrypt(grantee, { dept: 'finance' });
    const { CiphertextBlob } = await encrypt(grantee, { dept: 'finance', app: 'ledger', year: '2026' });
    await t.call('Decrypt', { CiphertextBlob, EncryptionContext: { dept: 'finance', app: 'ledger', year: '2026' } }, grantee);
    await refused(encrypt(grantee, { app: 'ledger' }), 'AccessDeniedException');
    await refused(encrypt(grantee, { dept: 'marketing', app: 'ledger' }), 'AccessDeniedException');
    await refused(encrypt(grantee), 'AccessDeniedException');
    await t.call('RevokeGrant', { KeyId, GrantId: g.GrantId });
  });

  it('an explicit Deny in the key policy beats a grant', async () => {
    const denied = (
      await t.call('CreateKey', {
        Policy: policy(
          { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:strongroom:iam::${t.admin.account}:root` }, Action: 'kms:*', Resource: '*' },
          { Sid: 'NoEncryptForGrantee', Effect: 'Deny', Principal: { AWS: arnOf('grantee') }, Action: 'kms:Encrypt', Resource: '*' },
        ),
      })
    ).KeyMetadata.KeyId;
    await t.call('CreateGrant', { KeyId: denied, GranteePrincipal: 'grantee', Operations: ['Encrypt'] });
    const e = await refused(t.call('Encrypt', { KeyId: denied, Plaintext: plaintext }, grantee), 'AccessDeniedException');
    expect(e.message).toContain('explicit deny in a key policy');
  });

  it('a grant listing CreateGrant lets the grantee pass on only operations of that grant (no self-promotion)', async () => {
    const g = await grant({ Operations: ['Encrypt', 'CreateGrant'] });
    // not to itself, not to others: Decrypt is not in the grant it holds
    const e = await refused(t.call('CreateGrant', { KeyId, GranteePrincipal: 'grantee', Operations: ['Decrypt'] }, grantee), 'AccessDeniedException');
    expect(e.message).toContain('kms:CreateGrant');
    await refused(t.call('CreateGrant', { KeyId, GranteePrincipal: 'retirer', Operations: ['Encrypt', 'Decrypt'] }, grantee), 'AccessDeniedException');
    await refused(t.call('CreateGrant', { KeyId, GranteePrincipal: 'retirer', Operations: ['DescribeKey'] }, grantee), 'AccessDeniedException');
    const child = await t.call('CreateGrant', { KeyId, GranteePrincipal: 'retirer', Operations: ['Encrypt'] }, grantee);
    await encrypt(retirer);
    await refused(t.call('Decrypt', { CiphertextBlob: (await encrypt(retirer)).CiphertextBlob }, retirer), 'AccessDeniedException');
    await t.call('RevokeGrant', { KeyId, GrantId: child.GrantId });
    await t.call('RevokeGrant', { KeyId, GrantId: g.GrantId });
  });

  it('a constraint does not apply to DescribeKey (AWS: "the constraint doesn\'t apply to these operations")', async () => {
    const g = await grant({ Operations: ['Encrypt', 'DescribeKey'], Constraints: { EncryptionContextSubset: { dept: 'finance' } } });
    expect((await t.call('DescribeKey', { KeyId }, grantee)).KeyMetadata.KeyId).toBe(KeyId);
    await refused(encrypt(grantee), 'AccessDeniedException');
    await t.call('RevokeGrant', { KeyId, GrantId: g.GrantId });
  });

  it('grants of one key do not reach another key', async () => {
    const other = (await t.call('CreateKey', {})).KeyMetadata.KeyId;
    const g = await grant({ Operations: ['Encrypt'] });
    await refused(t.call('Encrypt', { KeyId: other, Plaintext: plaintext }, grantee), 'AccessDeniedException');
    await t.call('RevokeGrant', { KeyId, GrantId: g.GrantId });
  });
});

describe('grant tokens', () => {
  it("a live grant's token is accepted in GrantTokens; unknown, retired and revoked tokens are InvalidGrantTokenException", async () => {
    const g = await grant({ Operations: ['Encrypt', 'Decrypt'], RetiringPrincipal: 'retirer' });
    const { CiphertextBlob } = await encrypt(grantee, undefined, { GrantTokens: [g.GrantToken] });
    await t.call('Decrypt', { CiphertextBlob, GrantTokens: [g.GrantToken] }, grantee);
    await t.call('DescribeKey', { KeyId, GrantTokens: [g.GrantToken] });
    await refused(encrypt(grantee, undefined, { GrantTokens: ['not-a-token'] }), 'InvalidGrantTokenException');
    await refused(encrypt(grantee, undefined, { GrantTokens: [g.GrantToken, 'not-a-token'] }), 'InvalidGrantTokenException');
    await t.call('RetireGrant', { GrantToken: g.GrantToken }, retirer);
    await refused(encrypt(grantee, undefined, { GrantTokens: [g.GrantToken] }), 'InvalidGrantTokenException');
    const h = await grant({ Operations: ['Encrypt'] });
    await t.call('RevokeGrant', { KeyId, GrantId: h.GrantId });
    await refused(encrypt(keyUser, undefined, { GrantTokens: [h.GrantToken] }), 'InvalidGrantTokenException');
  });

  it('a token does not widen a grant: its constraints still apply', async () => {
    const g = await grant({ Operations: ['Encrypt'], Constraints: { EncryptionContextSubset: { dept: 'finance' } } });
    await refused(encrypt(grantee, { dept: 'hr' }, { GrantTokens: [g.GrantToken] }), 'AccessDeniedException');
    await encrypt(grantee, { dept: 'finance' }, { GrantTokens: [g.GrantToken] });
    await t.call('RevokeGrant', { KeyId, GrantId: g.GrantId });
  });
});

describe('ListRetirableGrants, RetireGrant, RevokeGrant', () => {
  it('ListRetirableGrants lists the grants a principal may retire (needs kms:ListRetirableGrants)', async () => {
    const g = await grant({ Operations: ['Encrypt'], RetiringPrincipal: 'retirer' });
    const { Grants } = await t.call('ListRetirableGrants', { RetiringPrincipal: 'retirer' });
    expect(Grants.map((x: { GrantId: string }) => x.GrantId)).toContain(g.GrantId);
    for (const x of Grants) expect(x.RetiringPrincipal).toBe(arnOf('retirer'));
    expect((await t.call('ListRetirableGrants', { RetiringPrincipal: arnOf('key-user') })).Grants).toEqual([]);
    await refused(t.call('ListRetirableGrants', { RetiringPrincipal: 'retirer' }, retirer), 'AccessDeniedException');
    await refused(t.call('ListRetirableGrants', { RetiringPrincipal: 'nobody' }), 'ValidationException');
    await t.call('RevokeGrant', { KeyId, GrantId: g.GrantId });
  });

  it('the retiring principal retires by key and grant id; the grant stops working', async () => {
    const g = await grant({ Operations: ['Encrypt'], RetiringPrincipal: 'retirer' });
    await encrypt(grantee);
    await t.call('RetireGrant', { KeyId: KeyArn, GrantId: g.GrantId }, retirer);
    await refused(encrypt(grantee), 'AccessDeniedException');
    expect((await t.call('ListGrants', { KeyId, GrantId: g.GrantId })).Grants).toEqual([]);
    await refused(t.call('RetireGrant', { KeyId, GrantId: g.GrantId }, retirer), 'InvalidGrantIdException');
  });

  it('the grantee retires only when the grant lists RetireGrant; nobody else does, the administrator included', async () => {
    const plain = await grant({ Operations: ['Encrypt'], RetiringPrincipal: 'retirer' });
    for (const caller of [grantee, keyUser, t.admin]) {
      const e = await refused(t.call('RetireGrant', { KeyId, GrantId: plain.GrantId }, caller), 'AccessDeniedException');
      expect(e.message).toContain(caller.arn);
    }
    await refused(t.call('RetireGrant', { GrantToken: plain.GrantToken }, grantee), 'AccessDeniedException');
    const selfRetiring = await grant({ Operations: ['Encrypt', 'RetireGrant'] });
    await refused(t.call('RetireGrant', { GrantToken: selfRetiring.GrantToken }, retirer), 'AccessDeniedException');
    await t.call('RetireGrant', { GrantToken: selfRetiring.GrantToken }, grantee);
    await t.call('RetireGrant', { GrantToken: plain.GrantToken }, retirer);
    expect((await t.call('ListGrants', { KeyId })).Grants).toEqual([]);
  });

  it('RetireGrant: an unknown grant id, a grant of another key, a bad token, or neither is refused', async () => {
    const g = await grant({ Operations: ['Encrypt'], RetiringPrincipal: 'retirer' });
    const other = (await t.call('CreateKey', {})).KeyMetadata.KeyId;
    await refused(t.call('RetireGrant', { KeyId, GrantId: '0'.repeat(64) }, retirer), 'InvalidGrantIdException');
    await refused(t.call('RetireGrant', { KeyId: other, GrantId: g.GrantId }, retirer), 'InvalidGrantIdException');
    await refused(t.call('RetireGrant', { GrantToken: 'sr-grant-token-1.bogus' }, retirer), 'InvalidGrantTokenException');
    await refused(t.call('RetireGrant', { KeyId }, retirer), 'ValidationException');
    await refused(t.call('RetireGrant', {}, retirer), 'ValidationException');
    await t.call('RevokeGrant', { KeyId, GrantId: g.GrantId });
  });

  it('RevokeGrant needs kms:RevokeGrant on the key; an unknown grant or a grant of another key is InvalidGrantIdException', async () => {
    const g = await grant({ Operations: ['Encrypt'], RetiringPrincipal: 'retirer' });
    await refused(t.call('RevokeGrant', { KeyId, GrantId: g.GrantId }, retirer), 'AccessDeniedException');
    await refused(t.call('RevokeGrant', { KeyId, GrantId: g.GrantId }, keyUser), 'AccessDeniedException');
    const keyAdmin = await newUser(t, 'key-admin', { managed: ['KeyAdministrator'] });
    const other = (await t.call('CreateKey', {})).KeyMetadata.KeyId;
    await refused(t.call('RevokeGrant', { KeyId: other, GrantId: g.GrantId }, keyAdmin), 'InvalidGrantIdException');
    await t.call('RevokeGrant', { KeyId, GrantId: g.GrantId }, keyAdmin);
    await refused(t.call('RevokeGrant', { KeyId, GrantId: g.GrantId }), 'InvalidGrantIdException');
    await refused(encrypt(grantee), 'AccessDeniedException');
  });

  it("a key's grants go with the key", async () => {
    const k = (await t.call('CreateKey', {})).KeyMetadata.KeyId;
    const g = await t.call('CreateGrant', { KeyId: k, GranteePrincipal: 'grantee', Operations: ['Encrypt'], RetiringPrincipal: 'retirer' });
    await t.call('ScheduleKeyDeletion', { KeyId: k, PendingWindowInDays: 7 });
    t.clock.now += 8 * 86_400_000;
    await t.call('ListKeys');
    await refused(t.call('RetireGrant', { GrantToken: g.GrantToken }, retirer), 'InvalidGrantTokenException');
    expect((await t.call('ListRetirableGrants', { RetiringPrincipal: 'retirer' })).Grants.map((x: { GrantId: string }) => x.GrantId)).not.toContain(g.GrantId);
  });
});
