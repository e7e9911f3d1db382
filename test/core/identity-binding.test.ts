// Principals bound to users (issue 9, Identity; main/core/policy/principal-binding.ts):
// a key policy or grant that names a user names the user who had that name
// when it was saved. Deleted and created again under the same name, the new
// user gets none of the old one's key-policy rights, NotPrincipal
// exemptions or grants; GetKeyPolicy and ListGrants show the old principal
// as its unique id, as AWS does. Through the real service and vault.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../main/core/service/caller.js';
import { newTenant, newUser, policy } from '../support/iam.js';
import { refused } from '../support/kms.js';
import { makeVault, type TestVault } from '../support/vault.js';

let t: TestVault;
beforeAll(async () => {
  t = await makeVault();
});
afterAll(() => t.close());

const x = Buffer.from('x');
const arnOf = (name: string) => `arn:strongroom:iam::${t.admin.account}:user/${name}`;
const root = () => `arn:strongroom:iam::${t.admin.account}:root`;
const rootStatement = () => ({ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: root() }, Action: 'kms:*', Resource: '*' });
const userIdOf = async (name: string): Promise<string> => (await t.call('GetUser', { UserName: name })).User.UserId;
const getPolicy = async (KeyId: string): Promise<string> => (await t.call('GetKeyPolicy', { KeyId })).Policy;
const newKey = async (input: object = {}): Promise<string> => (await t.call('CreateKey', input)).KeyMetadata.KeyId;

/** Deletes a user and creates another of the same name (with a login profile), signed in. */
async function recreate(name: string): Promise<Caller> {
  await t.call('DeleteUser', { UserName: name });
  return newUser(t, name);
}

describe('key policies', () => {
  it('a user named by CreateKey --key-users, deleted and created again, cannot use the key; GetKeyPolicy shows the old id', async () => {
    const temp = await newUser(t, 'temp');
    const oldId = await userIdOf('temp');
    const KeyId = await newKey({ KeyUsers: ['temp'] });
    const { CiphertextBlob } = await t.call('Encrypt', { KeyId, Plaintext: x }, temp);
    const asSaved = await getPolicy(KeyId);
    expect(asSaved).toContain(JSON.stringify(arnOf('temp')));

    const again = await recreate('temp');
    expect(await userIdOf('temp')).not.toBe(oldId);
    const e = await refused(t.call('Encrypt', { KeyId, Plaintext: x }, again), 'AccessDeniedException');
    expect(e.message).toContain(`User: ${arnOf('temp')} is not authorized to perform: kms:Encrypt`);
    await refused(t.call('Decrypt', { CiphertextBlob }, again), 'AccessDeniedException');
    await refused(t.call('DescribeKey', { KeyId }, again), 'AccessDeniedException');

    // AWS shows a deleted principal as its unique id; the new user's ARN is named nowhere
    const shown = JSON.parse(await getPolicy(KeyId));
    const use = shown.Statement.find((s: { Sid: string }) => s.Sid === 'Allow use of the key');
    expect(use.Principal).toEqual({ AWS: oldId });
    expect(JSON.stringify(shown)).not.toContain(arnOf('temp'));
    // everything else as saved
    const saved = JSON.parse(asSaved);
    expect(shown.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(saved.Statement.map((s: { Sid: string }) => s.Sid));
    expect(shown.Statement[0]).toEqual(saved.Statement[0]);
    // the matrix agrees: the user of that name now has nothing on the key
    const matrix = await t.call('GetKeyAccessMatrix', { KeyId });
    const row = matrix.Principals.find((p: { UserName: string }) => p.UserName === 'temp');
    expect(row?.Decisions.find((d: { Action: string }) => d.Action === 'kms:Encrypt')?.Decision).toBe('ImplicitDeny');
    await t.call('DeleteUser', { UserName: 'temp' });
  });

  it('PutKeyPolicy binds too; putting the policy again binds the name to the user who has it now', async () => {
    const first = await newUser(t, 'rebound');
    const doc = policy(rootStatement(), { Sid: 'Use', Effect: 'Allow', Principal: { AWS: [arnOf('rebound'), arnOf('admin')] }, Action: 'kms:Encrypt', Resource: '*' });
    const KeyId = await newKey();
    await t.call('PutKeyPolicy', { KeyId, Policy: doc });
    await t.call('Encrypt', { KeyId, Plaintext: x }, first);
    // while its users exist, the policy reads exactly as it was given
    expect(await getPolicy(KeyId)).toBe(doc);

    const oldId = await userIdOf('rebound');
    const second = await recreate('rebound');
    await refused(t.call('Encrypt', { KeyId, Plaintext: x }, second), 'AccessDeniedException');
    const shown = JSON.parse(await getPolicy(KeyId));
    expect(shown.Statement[1].Principal.AWS).toEqual([oldId, arnOf('admin')]);

    // the shown policy cannot be put back as it is: the id names no one (AWS: invalid principal)
    const e = await refused(t.call('PutKeyPolicy', { KeyId, Policy: JSON.stringify(shown) }), 'MalformedPolicyDocumentException');
    expect(e.message).toMatch(/^Statement\[1\]\.Principal\.AWS\[0\]: .*unique id of a user that was deleted/);
    // an administrator who means the new user names it again
    await t.call('PutKeyPolicy', { KeyId, Policy: doc });
    await t.call('Encrypt', { KeyId, Plaintext: x }, second);
    expect(await getPolicy(KeyId)).toBe(doc);
    await t.call('DeleteUser', { UserName: 'rebound' });
  });

  it('a NotPrincipal exemption from a Deny is the old user\'s, not the new one\'s', async () => {
    const exempt = await newUser(t, 'exempt', { managed: ['KeyUser'] });
    const KeyId = await newKey({
      Policy: policy(rootStatement(), { Sid: 'OnlyExemptEncrypts', Effect: 'Deny', NotPrincipal: { AWS: [arnOf('exempt'), root()] }, Action: 'kms:Encrypt', Resource: '*' }),
    });
    await t.call('Encrypt', { KeyId, Plaintext: x }, exempt);
    const again = await recreate('exempt');
    await t.call('AttachUserPolicy', { UserName: 'exempt', PolicyArn: 'arn:strongroom:iam::aws:policy/KeyUser' });
    const e = await refused(t.call('Encrypt', { KeyId, Plaintext: x }, again), 'AccessDeniedException');
    expect(e.message).toContain('explicit deny in a key policy');
    // the new user's other rights through the root statement are untouched
    await t.call('DescribeKey', { KeyId }, again);
    await t.call('DeleteUser', { UserName: 'exempt' });
  });

  it('a policy naming a user that does not exist is refused (AWS: invalid principal), the old policy stays', async () => {
    const KeyId = await newKey();
    const before = await getPolicy(KeyId);
    const ghost = policy(rootStatement(), { Sid: 'Ghost', Effect: 'Allow', Principal: { AWS: arnOf('ghost') }, Action: 'kms:Encrypt', Resource: '*' });
    const e = await refused(t.call('PutKeyPolicy', { KeyId, Policy: ghost }), 'MalformedPolicyDocumentException');
    expect(e.message).toBe(
      `Statement[1].Principal.AWS: ${arnOf('ghost')} is not a user of account ${t.admin.account}, so the policy would name an invalid principal; create the user first, or remove it from the policy`,
    );
    expect(await getPolicy(KeyId)).toBe(before);
    await refused(t.call('CreateKey', { Policy: ghost }), 'MalformedPolicyDocumentException');
    // a user ARN with a path is not the ARN of the user of that name
    const withPath = policy(rootStatement(), { Effect: 'Allow', Principal: { AWS: `arn:strongroom:iam::${t.admin.account}:user/ops/admin` }, Action: 'kms:Encrypt', Resource: '*' });
    await refused(t.call('PutKeyPolicy', { KeyId, Policy: withPath }), 'MalformedPolicyDocumentException');
    // a user created later under the name gets nothing from a refused policy, obviously; nor from a Condition naming it
    const cond = policy(rootStatement(), {
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { ArnEquals: { 'aws:PrincipalArn': arnOf('ghost') } },
    });
    await t.call('PutKeyPolicy', { KeyId, Policy: cond });
    expect(await getPolicy(KeyId)).toBe(cond);
  });

  it('principals of other accounts and the account root are kept as written, and bind to no one', async () => {
    const other = await newTenant(t, 'binding-other');
    await t.call('CreateUser', { UserName: 'outsider' }, other);
    const outsider = `arn:strongroom:iam::${other.account}:user/outsider`;
    const doc = policy(rootStatement(), { Sid: 'Outside', Effect: 'Allow', Principal: { AWS: [outsider, other.account, 'arn:strongroom:iam::999999999999:user/nobody'] }, Action: 'kms:Encrypt', Resource: '*' });
    const KeyId = await newKey({ Policy: doc });
    expect(await getPolicy(KeyId)).toBe(doc);
    // deleting the other tenant's user changes nothing here: it was never bound
    await t.call('DeleteUser', { UserName: 'outsider' }, other);
    expect(await getPolicy(KeyId)).toBe(doc);
  });
});

describe('grants', () => {
  it('a grantee deleted and created again gets none of the old grants; ListGrants shows the old id', async () => {
    const grantee = await newUser(t, 'g-user');
    const oldId = await userIdOf('g-user');
    const KeyId = await newKey();
    const { GrantId } = await t.call('CreateGrant', { KeyId, GranteePrincipal: 'g-user', Operations: ['Encrypt', 'DescribeKey'] });
    await t.call('Encrypt', { KeyId, Plaintext: x }, grantee);
    expect((await t.call('ListGrants', { KeyId })).Grants[0]?.GranteePrincipal).toBe(arnOf('g-user'));

    const again = await recreate('g-user');
    await refused(t.call('Encrypt', { KeyId, Plaintext: x }, again), 'AccessDeniedException');
    await refused(t.call('DescribeKey', { KeyId }, again), 'AccessDeniedException');
    const [shown] = (await t.call('ListGrants', { KeyId })).Grants;
    expect(shown).toMatchObject({ GrantId, GranteePrincipal: oldId });
    // filtering: the ARN now names the new user, who has no grant; the old id finds the old grant
    expect((await t.call('ListGrants', { KeyId, GranteePrincipal: arnOf('g-user') })).Grants).toEqual([]);
    expect((await t.call('ListGrants', { KeyId, GranteePrincipal: 'g-user' })).Grants).toEqual([]);
    expect((await t.call('ListGrants', { KeyId, GranteePrincipal: oldId })).Grants.map((g: { GrantId: string }) => g.GrantId)).toEqual([GrantId]);
    const matrix = await t.call('GetKeyAccessMatrix', { KeyId });
    const row = matrix.Principals.find((p: { UserName: string }) => p.UserName === 'g-user');
    expect(row?.Decisions.find((d: { Action: string }) => d.Action === 'kms:Encrypt')?.Decision).toBe('ImplicitDeny');

    // a grant made to the new user is the new user's
    await t.call('CreateGrant', { KeyId, GranteePrincipal: 'g-user', Operations: ['Encrypt'] });
    await t.call('Encrypt', { KeyId, Plaintext: x }, again);
    await t.call('DeleteUser', { UserName: 'g-user' });
  });

  it('a retiring principal deleted and created again cannot retire the old grants, nor list them', async () => {
    const retirer = await newUser(t, 'r-user');
    const oldId = await userIdOf('r-user');
    const KeyId = await newKey();
    const first = await t.call('CreateGrant', { KeyId, GranteePrincipal: 'admin', RetiringPrincipal: 'r-user', Operations: ['Encrypt'] });
    expect((await t.call('ListRetirableGrants', { RetiringPrincipal: 'r-user' })).Grants.map((g: { GrantId: string }) => g.GrantId)).toEqual([first.GrantId]);
    // a second grant the first user retires itself, while it exists
    const second = await t.call('CreateGrant', { KeyId, GranteePrincipal: 'admin', RetiringPrincipal: 'r-user', Operations: ['Decrypt'] });
    await t.call('RetireGrant', { KeyId, GrantId: second.GrantId }, retirer);

    const again = await recreate('r-user');
    await refused(t.call('RetireGrant', { KeyId, GrantId: first.GrantId }, again), 'AccessDeniedException');
    await refused(t.call('RetireGrant', { GrantToken: first.GrantToken }, again), 'AccessDeniedException');
    expect((await t.call('ListRetirableGrants', { RetiringPrincipal: 'r-user' })).Grants).toEqual([]);
    const [shown] = (await t.call('ListGrants', { KeyId })).Grants;
    expect(shown).toMatchObject({ GrantId: first.GrantId, GranteePrincipal: t.admin.arn, RetiringPrincipal: oldId });
    // the grant still works for its grantee, who is the same user as before
    await t.call('Encrypt', { KeyId, Plaintext: x });
    await t.call('DeleteUser', { UserName: 'r-user' });
  });

  it('a grantee that retires its own grant (RetireGrant listed) must be the same user', async () => {
    await newUser(t, 'self-retire');
    const KeyId = await newKey();
    const { GrantId } = await t.call('CreateGrant', { KeyId, GranteePrincipal: 'self-retire', Operations: ['Encrypt', 'RetireGrant'] });
    const again = await recreate('self-retire');
    await refused(t.call('RetireGrant', { KeyId, GrantId }, again), 'AccessDeniedException');
    expect((await t.call('ListGrants', { KeyId })).Grants.map((g: { GrantId: string }) => g.GrantId)).toEqual([GrantId]);
    await t.call('DeleteUser', { UserName: 'self-retire' });
  });
});
