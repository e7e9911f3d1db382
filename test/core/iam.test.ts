// IAM-shaped identity (issue 3): users, login profiles (reading, resetting),
// passphrase changes and the sessions they end, the password-reset-required
// flow, disabling users, groups and membership, managed and inline identity
// policies — each operation's success path and its IAM errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_OPERATION_NAMES } from '../../main/api/index.js';
import type { Caller } from '../../main/core/service/caller.js';
import { FREE_FAILURES } from '../../main/core/service/sign-in.js';
import { managed, newUser, passphraseOf, policy, signIn } from '../support/iam.js';
import { refused } from '../support/kms.js';
import { makeVault, type TestVault } from '../support/vault.js';

let t: TestVault;
beforeAll(async () => {
  t = await makeVault();
});
afterAll(() => t.close());

const iamUserArn = (name: string) => `arn:strongroom:iam::${t.admin.account}:user/${name}`;

describe('users', () => {
  it('CreateUser returns the user; GetUser and ListUsers show it; a second CreateUser is EntityAlreadyExistsException', async () => {
    const { User } = await t.call('CreateUser', { UserName: 'alice' });
    expect(User).toEqual({ Path: '/', UserName: 'alice', UserId: expect.stringMatching(/^AIDA[A-Z2-7]{16}$/), Arn: iamUserArn('alice'), CreateDate: new Date(t.clock.now), Enabled: true });
    // IAM's members (Path, required by IAM's model) in IAM's order, then Strongroom's own
    expect(Object.keys(User)).toEqual(['Path', 'UserName', 'UserId', 'Arn', 'CreateDate', 'Enabled']);
    expect((await t.call('GetUser', { UserName: 'alice' })).User).toEqual(User);
    expect((await t.call('ListUsers')).Users.map((u: { UserName: string }) => u.UserName)).toEqual(expect.arrayContaining(['admin', 'alice']));
    await refused(t.call('CreateUser', { UserName: 'alice' }), 'EntityAlreadyExistsException');
  });

  it('a user without a login profile cannot sign in', async () => {
    await t.call('CreateUser', { UserName: 'no-profile' });
    await refused(signIn(t, 'no-profile', 'any passphrase at all'), 'AccessDeniedException');
  });

  it('GetUser: anyone describes themselves without a policy; describing another user needs iam:GetUser', async () => {
    const bob = await newUser(t, 'bob');
    expect((await t.call('GetUser', {}, bob)).User.Arn).toBe(iamUserArn('bob'));
    expect((await t.call('GetUser', { UserName: 'bob' }, bob)).User.UserName).toBe('bob');
    const e = await refused(t.call('GetUser', { UserName: 'admin' }, bob), 'AccessDeniedException');
    expect(e.message).toContain(iamUserArn('bob'));
    expect(e.message).toContain('iam:GetUser');
    await refused(t.call('GetUser', { UserName: 'nobody' }), 'NoSuchEntityException');
  });

  it('DeleteUser removes the user with its memberships and policies; a user of the same name later starts with nothing', async () => {
    await newUser(t, 'carol', { managed: ['KeyUser'], inline: { extra: policy({ Effect: 'Allow', Action: 'kms:ListKeys', Resource: '*' }) } });
    await t.call('CreateGroup', { GroupName: 'carols' });
    await t.call('AddUserToGroup', { GroupName: 'carols', UserName: 'carol' });
    const carolId = (await t.call('GetUser', { UserName: 'carol' })).User.UserId;
    await t.call('DeleteUser', { UserName: 'carol' });
    await refused(t.call('GetUser', { UserName: 'carol' }), 'NoSuchEntityException');
    await refused(signIn(t, 'carol'), 'AccessDeniedException');
    expect((await t.call('GetGroup', { GroupName: 'carols' })).Users).toEqual([]);
    const { User } = await t.call('CreateUser', { UserName: 'carol' });
    expect(User.UserId).not.toBe(carolId);
    expect(await t.call('ListPrincipalPolicies', { UserName: 'carol' })).toEqual({ AttachedPolicies: [], InlinePolicies: [] });
    expect((await t.call('ListGroupsForUser', { UserName: 'carol' })).Groups).toEqual([]);
  });

  it('DeleteUser: an unknown user is NoSuchEntityException, yourself DeleteConflictException', async () => {
    await refused(t.call('DeleteUser', { UserName: 'nobody' }), 'NoSuchEntityException');
    const e = await refused(t.call('DeleteUser', { UserName: 'admin' }), 'DeleteConflictException');
    expect(e.message).toMatch(/signed in as/);
  });
});

describe('login profiles and passphrases', () => {
  it('CreateLoginProfile lets the user sign in; a second one is EntityAlreadyExistsException; an unknown user NoSuchEntityException', async () => {
    await t.call('CreateUser', { UserName: 'dave' });
    const out = await t.call('CreateLoginProfile', { UserName: 'dave', Password: passphraseOf('dave') });
    expect(out.LoginProfile).toEqual({ UserName: 'dave', CreateDate: new Date(t.clock.now), PasswordResetRequired: false });
    const dave = await signIn(t, 'dave');
    // STS names the caller by its IAM unique id, as GetUser does
    const { User } = await t.call('GetUser', {}, dave);
    expect(User.UserId).toMatch(/^AIDA[A-Z2-7]{16}$/);
    expect(await t.call('GetCallerIdentity', {}, dave)).toEqual({ UserId: User.UserId, Account: t.admin.account, Arn: iamUserArn('dave') });
    await refused(t.call('CreateLoginProfile', { UserName: 'dave', Password: 'another passphrase' }), 'EntityAlreadyExistsException');
    await refused(t.call('CreateLoginProfile', { UserName: 'nobody', Password: 'a fine passphrase' }), 'NoSuchEntityException');
  });

  it('a passphrase shorter than 8 characters is PasswordPolicyViolationException, and no profile is made', async () => {
    await t.call('CreateUser', { UserName: 'erin' });
    const e = await refused(t.call('CreateLoginProfile', { UserName: 'erin', Password: 'short' }), 'PasswordPolicyViolationException');
    expect(e.message).toContain('8');
    await refused(signIn(t, 'erin', 'short'), 'AccessDeniedException');
    await t.call('CreateLoginProfile', { UserName: 'erin', Password: passphraseOf('erin') });
  });

  it('DeleteLoginProfile stops sign-in; without a profile it is NoSuchEntityException', async () => {
    await newUser(t, 'frank');
    await t.call('DeleteLoginProfile', { UserName: 'frank' });
    await refused(signIn(t, 'frank'), 'AccessDeniedException');
    await refused(t.call('DeleteLoginProfile', { UserName: 'frank' }), 'NoSuchEntityException');
    await refused(t.call('DeleteLoginProfile', { UserName: 'nobody' }), 'NoSuchEntityException');
  });

  it('ChangePassword: the new passphrase signs in, the old one no longer does; needs no policy', async () => {
    const gina = await newUser(t, 'gina');
    await t.call('ChangePassword', { OldPassword: passphraseOf('gina'), NewPassword: 'gina changed her passphrase' }, gina);
    await refused(signIn(t, 'gina'), 'AccessDeniedException');
    expect((await signIn(t, 'gina', 'gina changed her passphrase')).arn).toBe(iamUserArn('gina'));
  });

  it('ChangePassword: a wrong current passphrase is AccessDeniedException; the same or a short new one PasswordPolicyViolationException', async () => {
    const hank = await newUser(t, 'hank');
    await refused(t.call('ChangePassword', { OldPassword: 'not my passphrase', NewPassword: 'a new passphrase' }, hank), 'AccessDeniedException');
    await refused(t.call('ChangePassword', { OldPassword: passphraseOf('hank'), NewPassword: passphraseOf('hank') }, hank), 'PasswordPolicyViolationException');
    await refused(t.call('ChangePassword', { OldPassword: passphraseOf('hank'), NewPassword: 'short' }, hank), 'PasswordPolicyViolationException');
    // nothing changed
    await signIn(t, 'hank');
  });
});

describe('GetLoginProfile and UpdateLoginProfile', () => {
  it('GetLoginProfile: NoSuchEntityException before CreateLoginProfile and after DeleteLoginProfile; in between, its creation date and reset flag', async () => {
    await t.call('CreateUser', { UserName: 'ursula' });
    const e = await refused(t.call('GetLoginProfile', { UserName: 'ursula' }), 'NoSuchEntityException');
    expect(e.message).toBe('Login Profile for User ursula cannot be found.');
    const created = t.clock.now;
    await t.call('CreateLoginProfile', { UserName: 'ursula', Password: passphraseOf('ursula'), PasswordResetRequired: true });
    t.clock.now += 60_000;
    expect((await t.call('GetLoginProfile', { UserName: 'ursula' })).LoginProfile).toEqual({ UserName: 'ursula', CreateDate: new Date(created), PasswordResetRequired: true });
    await t.call('DeleteLoginProfile', { UserName: 'ursula' });
    await refused(t.call('GetLoginProfile', { UserName: 'ursula' }), 'NoSuchEntityException');
    expect((await refused(t.call('GetLoginProfile', { UserName: 'nobody' }), 'NoSuchEntityException')).message).toBe('The user with name nobody cannot be found.');
  });

  it('GetLoginProfile: anyone asks about their own without a policy (no UserName: the caller); about another user it needs iam:GetLoginProfile', async () => {
    const victor = await newUser(t, 'victor');
    expect((await t.call('GetLoginProfile', {}, victor)).LoginProfile.UserName).toBe('victor');
    expect((await t.call('GetLoginProfile', { UserName: 'victor' }, victor)).LoginProfile.UserName).toBe('victor');
    const e = await refused(t.call('GetLoginProfile', { UserName: 'admin' }, victor), 'AccessDeniedException');
    expect(e.message).toContain('iam:GetLoginProfile');
  });

  it('UpdateLoginProfile with a Password: one call, after which only the new passphrase signs in; the creation date stays', async () => {
    await newUser(t, 'walt');
    const before = (await t.call('GetLoginProfile', { UserName: 'walt' })).LoginProfile;
    t.clock.now += 60_000;
    expect(await t.call('UpdateLoginProfile', { UserName: 'walt', Password: 'walt was given this one' })).toEqual({});
    await refused(signIn(t, 'walt'), 'AccessDeniedException');
    expect((await signIn(t, 'walt', 'walt was given this one')).userName).toBe('walt');
    expect((await t.call('GetLoginProfile', { UserName: 'walt' })).LoginProfile).toEqual(before);
  });

  it('UpdateLoginProfile with a passphrase too short is PasswordPolicyViolationException, and changes nothing: the old passphrase signs in, no change is asked', async () => {
    await newUser(t, 'xena');
    const e = await refused(t.call('UpdateLoginProfile', { UserName: 'xena', Password: 'short', PasswordResetRequired: true }), 'PasswordPolicyViolationException');
    expect(e.message).toContain('8');
    await refused(signIn(t, 'xena', 'short'), 'AccessDeniedException');
    expect(t.vault.service.mustChangePassphrase(await signIn(t, 'xena'))).toBe(false);
    expect((await t.call('GetLoginProfile', { UserName: 'xena' })).LoginProfile.PasswordResetRequired).toBe(false);
  });

  it('PasswordResetRequired alone keeps the passphrase and makes the next sign-in change it; left out, the flag stays as it was', async () => {
    await newUser(t, 'yara');
    await t.call('UpdateLoginProfile', { UserName: 'yara', PasswordResetRequired: true });
    expect(t.vault.service.mustChangePassphrase(await signIn(t, 'yara'))).toBe(true);
    await t.call('UpdateLoginProfile', { UserName: 'yara', Password: 'yara was given this one' });
    expect((await t.call('GetLoginProfile', { UserName: 'yara' })).LoginProfile.PasswordResetRequired).toBe(true);
    await t.call('UpdateLoginProfile', { UserName: 'yara', PasswordResetRequired: false });
    expect(t.vault.service.mustChangePassphrase(await signIn(t, 'yara', 'yara was given this one'))).toBe(false);
  });

  it('UpdateLoginProfile: a user without a login profile, or no such user, is NoSuchEntityException, and no profile is made', async () => {
    await t.call('CreateUser', { UserName: 'zack' });
    const e = await refused(t.call('UpdateLoginProfile', { UserName: 'zack', Password: 'a fine passphrase' }), 'NoSuchEntityException');
    expect(e.message).toBe('Login Profile for User zack cannot be found.');
    await refused(signIn(t, 'zack', 'a fine passphrase'), 'AccessDeniedException');
    await refused(t.call('GetLoginProfile', { UserName: 'zack' }), 'NoSuchEntityException');
    expect((await refused(t.call('UpdateLoginProfile', { UserName: 'nobody', PasswordResetRequired: true }), 'NoSuchEntityException')).message).toBe(
      'The user with name nobody cannot be found.',
    );
  });

  it('a new passphrase from UpdateLoginProfile lifts a lockout after failed sign-ins; PasswordResetRequired alone does not', async () => {
    await newUser(t, 'lena');
    for (let i = 0; i < FREE_FAILURES; i++) await refused(signIn(t, 'lena', 'not her passphrase'), 'AccessDeniedException');
    expect((await refused(signIn(t, 'lena'), 'AccessDeniedException')).message).toMatch(/^Too many failed sign-ins/);
    await t.call('UpdateLoginProfile', { UserName: 'lena', PasswordResetRequired: false });
    expect((await refused(signIn(t, 'lena'), 'AccessDeniedException')).message).toMatch(/^Too many failed sign-ins/);
    await t.call('UpdateLoginProfile', { UserName: 'lena', Password: 'lena was given this one' });
    expect((await signIn(t, 'lena', 'lena was given this one')).userName).toBe('lena');
  });
});

describe('a passphrase changed ends the sessions signed in with the old one', () => {
  it("UpdateLoginProfile with a Password ends the user's sessions, in this process and another; PasswordResetRequired alone does not", async () => {
    const mona = await newUser(t, 'mona', { managed: ['KeyUser'] });
    const other = await t.reopen();
    const monaElsewhere = await other.service.signIn({ userName: 'mona', passphrase: passphraseOf('mona'), region: 'local-1', source: 'cli' });
    await t.call('UpdateLoginProfile', { UserName: 'mona', PasswordResetRequired: true });
    await t.call('ListKeys', {}, mona);
    await other.service.call(monaElsewhere, 'ListKeys', {});
    await t.call('UpdateLoginProfile', { UserName: 'mona', Password: 'mona was given this one' });
    const e = await refused(t.call('ListKeys', {}, mona), 'AccessDeniedException');
    expect(e.message).toBe(`The passphrase of ${iamUserArn('mona')} was changed or removed after this session signed in: sign in again.`);
    await refused(other.service.call(monaElsewhere, 'ListKeys', {}), 'AccessDeniedException');
    // signed in again with the new one, it works (once changed, as the reset asks)
    const again = await signIn(t, 'mona', 'mona was given this one');
    await t.call('ChangePassword', { OldPassword: 'mona was given this one', NewPassword: 'mona chose this one' }, again);
    await t.call('ListKeys', {}, again);
  });

  it('ChangePassword and DeleteLoginProfile end them too; the session that changed its own passphrase goes on', async () => {
    const nick = await newUser(t, 'nick', { managed: ['KeyUser'] });
    const nickElsewhere = await signIn(t, 'nick');
    await t.call('ChangePassword', { OldPassword: passphraseOf('nick'), NewPassword: 'nick changed his' }, nick);
    await t.call('ListKeys', {}, nick);
    await refused(t.call('ListKeys', {}, nickElsewhere), 'AccessDeniedException');
    await t.call('DeleteLoginProfile', { UserName: 'nick' });
    await refused(t.call('ListKeys', {}, nick), 'AccessDeniedException');
  });

  it("an administrator resetting its own passphrase keeps the session it did it in, and ends its others", async () => {
    const boss = await newUser(t, 'boss', { managed: ['StrongroomAdministrator'] });
    const bossElsewhere = await signIn(t, 'boss');
    await t.call('UpdateLoginProfile', { UserName: 'boss', Password: 'boss reset this one' }, boss);
    await t.call('ListUsers', {}, boss);
    await refused(t.call('ListUsers', {}, bossElsewhere), 'AccessDeniedException');
    await signIn(t, 'boss', 'boss reset this one');
  });
});

describe('password reset required', () => {
  let ivan: Caller;
  beforeAll(async () => {
    ivan = await newUser(t, 'ivan', { managed: ['StrongroomAdministrator'], passwordResetRequired: true });
  });

  it('before the change, everything but ChangePassword and GetCallerIdentity is AccessDeniedException', async () => {
    for (const name of SERVICE_OPERATION_NAMES) {
      if (name === 'ChangePassword' || name === 'GetCallerIdentity') continue;
      // {} is not a valid input for most operations: the refusal comes before validation
      const e = await refused(t.dispatch(name, {}, ivan), 'AccessDeniedException');
      expect(e.message, name).toContain('must change its passphrase');
    }
    expect((await t.call('GetCallerIdentity', {}, ivan)).Arn).toBe(iamUserArn('ivan'));
  });

  it('after ChangePassword the session works, a new sign-in is not asked to change again, and the old passphrase is refused', async () => {
    await t.call('ChangePassword', { OldPassword: passphraseOf('ivan'), NewPassword: 'ivan has a new passphrase' }, ivan);
    expect((await t.call('ListUsers', {}, ivan)).Users.length).toBeGreaterThan(1);
    const again = await signIn(t, 'ivan', 'ivan has a new passphrase');
    expect((await t.call('CreateKey', {}, again)).KeyMetadata.KeyState).toBe('Enabled');
    await refused(signIn(t, 'ivan'), 'AccessDeniedException');
  });

  it('a failed ChangePassword leaves the reset pending', async () => {
    const judy = await newUser(t, 'judy', { managed: ['KeyUser'], passwordResetRequired: true });
    await refused(t.call('ChangePassword', { OldPassword: 'wrong passphrase', NewPassword: 'judy new passphrase' }, judy), 'AccessDeniedException');
    await refused(t.call('ListKeys', {}, judy), 'AccessDeniedException');
    await refused(t.call('ListKeys', {}, await signIn(t, 'judy')), 'AccessDeniedException');
  });
});

describe('disabling users', () => {
  it('a disabled user cannot sign in; enabled again, it can', async () => {
    await newUser(t, 'kim');
    await t.call('DisableUser', { UserName: 'kim' });
    await refused(signIn(t, 'kim'), 'AccessDeniedException');
    await t.call('EnableUser', { UserName: 'kim' });
    expect((await signIn(t, 'kim')).userName).toBe('kim');
  });

  it("a disabled or deleted user's open session is refused too", async () => {
    const leo = await newUser(t, 'leo', { managed: ['KeyUser'] });
    expect((await t.call('ListKeys', {}, leo)).Keys).toBeDefined();
    await t.call('DisableUser', { UserName: 'leo' });
    await refused(t.call('ListKeys', {}, leo), 'AccessDeniedException');
    await t.call('EnableUser', { UserName: 'leo' });
    const again = await signIn(t, 'leo');
    await t.call('DeleteUser', { UserName: 'leo' });
    // a new user of the same name must not inherit the old session
    await newUser(t, 'leo', { managed: ['KeyUser'] });
    await refused(t.call('ListKeys', {}, again), 'AccessDeniedException');
  });

  it('GetUser and ListUsers say whether a user is enabled: Enabled flips with DisableUser and EnableUser', async () => {
    await newUser(t, 'otto');
    const enabled = async () => [
      (await t.call('GetUser', { UserName: 'otto' })).User.Enabled,
      (await t.call('ListUsers')).Users.find((u: { UserName: string }) => u.UserName === 'otto')?.Enabled,
    ];
    expect(await enabled()).toEqual([true, true]);
    await t.call('DisableUser', { UserName: 'otto' });
    expect(await enabled()).toEqual([false, false]);
    await t.call('EnableUser', { UserName: 'otto' });
    expect(await enabled()).toEqual([true, true]);
  });

  it('DisableUser yourself is DeleteConflictException; unknown users NoSuchEntityException', async () => {
    await refused(t.call('DisableUser', { UserName: 'admin' }), 'DeleteConflictException');
    await refused(t.call('DisableUser', { UserName: 'nobody' }), 'NoSuchEntityException');
    await refused(t.call('EnableUser', { UserName: 'nobody' }), 'NoSuchEntityException');
  });
});

describe('groups', () => {
  it('CreateGroup, ListGroups, GetGroup, ListGroupsForUser, AddUserToGroup, RemoveUserFromGroup', async () => {
    const { Group } = await t.call('CreateGroup', { GroupName: 'ops' });
    expect(Group).toEqual({ Path: '/', GroupName: 'ops', GroupId: `${t.admin.account}:ops`, Arn: `arn:strongroom:iam::${t.admin.account}:group/ops`, CreateDate: new Date(t.clock.now) });
    expect(Object.keys(Group)).toEqual(['Path', 'GroupName', 'GroupId', 'Arn', 'CreateDate']);
    await refused(t.call('CreateGroup', { GroupName: 'ops' }), 'EntityAlreadyExistsException');
    expect((await t.call('ListGroups')).Groups.map((g: { GroupName: string }) => g.GroupName)).toContain('ops');
    await t.call('CreateUser', { UserName: 'mia' });
    await t.call('AddUserToGroup', { GroupName: 'ops', UserName: 'mia' });
    await t.call('AddUserToGroup', { GroupName: 'ops', UserName: 'mia' }); // idempotent, as IAM
    expect((await t.call('GetGroup', { GroupName: 'ops' })).Users.map((u: { UserName: string }) => u.UserName)).toEqual(['mia']);
    expect((await t.call('ListGroupsForUser', { UserName: 'mia' })).Groups.map((g: { GroupName: string }) => g.GroupName)).toEqual(['ops']);
    await t.call('RemoveUserFromGroup', { GroupName: 'ops', UserName: 'mia' });
    expect((await t.call('GetGroup', { GroupName: 'ops' })).Users).toEqual([]);
    await refused(t.call('RemoveUserFromGroup', { GroupName: 'ops', UserName: 'mia' }), 'NoSuchEntityException');
  });

  it('unknown groups and users are NoSuchEntityException', async () => {
    await refused(t.call('GetGroup', { GroupName: 'nope' }), 'NoSuchEntityException');
    await refused(t.call('AddUserToGroup', { GroupName: 'nope', UserName: 'admin' }), 'NoSuchEntityException');
    await refused(t.call('AddUserToGroup', { GroupName: 'ops', UserName: 'nobody' }), 'NoSuchEntityException');
    await refused(t.call('ListGroupsForUser', { UserName: 'nobody' }), 'NoSuchEntityException');
    await refused(t.call('AttachGroupPolicy', { GroupName: 'nope', PolicyArn: managed('KeyUser') }), 'NoSuchEntityException');
  });

  it("a group's policies apply to its members, and stop applying when they leave", async () => {
    const KeyId = (await t.call('CreateKey', {})).KeyMetadata.KeyId;
    await t.call('CreateGroup', { GroupName: 'users' });
    await t.call('AttachGroupPolicy', { GroupName: 'users', PolicyArn: managed('KeyUser') });
    const nora = await newUser(t, 'nora');
    const encrypt = () => t.call('Encrypt', { KeyId, Plaintext: Buffer.from('x') }, nora);
    await refused(encrypt(), 'AccessDeniedException');
    await t.call('AddUserToGroup', { GroupName: 'users', UserName: 'nora' });
    expect((await encrypt()).KeyId).toContain(KeyId);
    await t.call('RemoveUserFromGroup', { GroupName: 'users', UserName: 'nora' });
    await refused(encrypt(), 'AccessDeniedException');
    await t.call('AddUserToGroup', { GroupName: 'users', UserName: 'nora' });
    await t.call('DetachGroupPolicy', { GroupName: 'users', PolicyArn: managed('KeyUser') });
    await refused(encrypt(), 'AccessDeniedException');
  });

  it('PutGroupPolicy: an inline group policy applies to members', async () => {
    await t.call('CreateGroup', { GroupName: 'listers' });
    await t.call('PutGroupPolicy', { GroupName: 'listers', PolicyName: 'list', PolicyDocument: policy({ Effect: 'Allow', Action: 'kms:ListKeys', Resource: '*' }) });
    const olga = await newUser(t, 'olga');
    await refused(t.call('ListKeys', {}, olga), 'AccessDeniedException');
    await t.call('AddUserToGroup', { GroupName: 'listers', UserName: 'olga' });
    expect((await t.call('ListKeys', {}, olga)).Keys.length).toBeGreaterThan(0);
    expect(await t.call('ListPrincipalPolicies', { GroupName: 'listers' })).toEqual({
      AttachedPolicies: [],
      InlinePolicies: [{ PolicyName: 'list', PolicyDocument: policy({ Effect: 'Allow', Action: 'kms:ListKeys', Resource: '*' }) }],
    });
  });
});

describe('identity policies', () => {
  it('ListPolicies: the four managed policies', async () => {
    expect((await t.call('ListPolicies')).Policies).toEqual(
      ['StrongroomAdministrator', 'KeyAdministrator', 'KeyUser', 'AuditReader'].map((PolicyName) => ({ PolicyName, Arn: `arn:strongroom:iam::aws:policy/${PolicyName}` })),
    );
  });

  it('AttachUserPolicy / DetachUserPolicy change what the user may do; ListPrincipalPolicies shows them', async () => {
    const pat = await newUser(t, 'pat');
    await refused(t.call('CreateKey', {}, pat), 'AccessDeniedException');
    await t.call('AttachUserPolicy', { UserName: 'pat', PolicyArn: managed('KeyAdministrator') });
    await t.call('AttachUserPolicy', { UserName: 'pat', PolicyArn: managed('KeyAdministrator') }); // idempotent
    expect(await t.call('ListPrincipalPolicies', { UserName: 'pat' })).toEqual({ AttachedPolicies: [{ PolicyArn: managed('KeyAdministrator') }], InlinePolicies: [] });
    const KeyId = (await t.call('CreateKey', {}, pat)).KeyMetadata.KeyId;
    // a key administrator manages keys but does not use them
    await refused(t.call('Encrypt', { KeyId, Plaintext: Buffer.from('x') }, pat), 'AccessDeniedException');
    await refused(t.call('CreateUser', { UserName: 'pats-friend' }, pat), 'AccessDeniedException');
    await t.call('DetachUserPolicy', { UserName: 'pat', PolicyArn: managed('KeyAdministrator') });
    await refused(t.call('CreateKey', {}, pat), 'AccessDeniedException');
    await refused(t.call('DetachUserPolicy', { UserName: 'pat', PolicyArn: managed('KeyAdministrator') }), 'NoSuchEntityException');
  });

  it('an unknown managed policy ARN or principal is NoSuchEntityException', async () => {
    const e = await refused(t.call('AttachUserPolicy', { UserName: 'pat', PolicyArn: 'arn:strongroom:iam::aws:policy/PowerUser' }), 'NoSuchEntityException');
    expect(e.message).toContain(managed('KeyUser'));
    await refused(t.call('AttachUserPolicy', { UserName: 'nobody', PolicyArn: managed('KeyUser') }), 'NoSuchEntityException');
    await refused(t.call('PutUserPolicy', { UserName: 'nobody', PolicyName: 'p', PolicyDocument: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) }), 'NoSuchEntityException');
    await refused(t.call('ListPrincipalPolicies', { UserName: 'nobody' }), 'NoSuchEntityException');
  });

  it('ListPrincipalPolicies needs exactly one of UserName and GroupName', async () => {
    await refused(t.call('ListPrincipalPolicies', {}), 'ValidationException');
    await refused(t.call('ListPrincipalPolicies', { UserName: 'admin', GroupName: 'ops' }), 'ValidationException');
  });

  it('PutUserPolicy: an inline policy allows, a second put of the same name replaces it', async () => {
    const quinn = await newUser(t, 'quinn');
    await t.call('PutUserPolicy', { UserName: 'quinn', PolicyName: 'p', PolicyDocument: policy({ Effect: 'Allow', Action: 'kms:ListKeys', Resource: '*' }) });
    await t.call('ListKeys', {}, quinn);
    await t.call('PutUserPolicy', { UserName: 'quinn', PolicyName: 'p', PolicyDocument: policy({ Effect: 'Allow', Action: 'kms:GenerateRandom', Resource: '*' }) });
    await refused(t.call('ListKeys', {}, quinn), 'AccessDeniedException');
    await t.call('GenerateRandom', { NumberOfBytes: 4 }, quinn);
    expect((await t.call('ListPrincipalPolicies', { UserName: 'quinn' })).InlinePolicies).toHaveLength(1);
  });

  it('DeleteUserPolicy removes an inline policy and what it allowed; a policy or user that is not there is NoSuchEntityException', async () => {
    const pia = await newUser(t, 'pia', {
      inline: { list: policy({ Effect: 'Allow', Action: 'kms:ListKeys', Resource: '*' }), random: policy({ Effect: 'Allow', Action: 'kms:GenerateRandom', Resource: '*' }) },
    });
    await t.call('ListKeys', {}, pia);
    expect(await t.call('DeleteUserPolicy', { UserName: 'pia', PolicyName: 'list' })).toEqual({});
    await refused(t.call('ListKeys', {}, pia), 'AccessDeniedException');
    await t.call('GenerateRandom', { NumberOfBytes: 4 }, pia);
    expect((await t.call('ListPrincipalPolicies', { UserName: 'pia' })).InlinePolicies.map((p: { PolicyName: string }) => p.PolicyName)).toEqual(['random']);
    expect((await refused(t.call('DeleteUserPolicy', { UserName: 'pia', PolicyName: 'list' }), 'NoSuchEntityException')).message).toBe('The user policy with name list cannot be found.');
    await refused(t.call('DeleteUserPolicy', { UserName: 'nobody', PolicyName: 'random' }), 'NoSuchEntityException');
  });

  it("DeleteGroupPolicy: a group's inline Deny stops applying to its members once deleted", async () => {
    const KeyId = (await t.call('CreateKey', {})).KeyMetadata.KeyId;
    await t.call('CreateGroup', { GroupName: 'frozen' });
    await t.call('PutGroupPolicy', { GroupName: 'frozen', PolicyName: 'no-encrypt', PolicyDocument: policy({ Effect: 'Deny', Action: 'kms:Encrypt', Resource: '*' }) });
    const quentin = await newUser(t, 'quentin', { managed: ['KeyUser'] });
    await t.call('AddUserToGroup', { GroupName: 'frozen', UserName: 'quentin' });
    const encrypt = () => t.call('Encrypt', { KeyId, Plaintext: Buffer.from('x') }, quentin);
    await refused(encrypt(), 'AccessDeniedException');
    await t.call('DeleteGroupPolicy', { GroupName: 'frozen', PolicyName: 'no-encrypt' });
    expect((await encrypt()).KeyId).toContain(KeyId);
    expect((await t.call('ListPrincipalPolicies', { GroupName: 'frozen' })).InlinePolicies).toEqual([]);
    expect((await refused(t.call('DeleteGroupPolicy', { GroupName: 'frozen', PolicyName: 'no-encrypt' }), 'NoSuchEntityException')).message).toBe(
      'The group policy with name no-encrypt cannot be found.',
    );
    await refused(t.call('DeleteGroupPolicy', { GroupName: 'nope', PolicyName: 'no-encrypt' }), 'NoSuchEntityException');
  });

  it("an identity policy's Resource limits it to the keys it names", async () => {
    const one = (await t.call('CreateKey', {})).KeyMetadata;
    const two = (await t.call('CreateKey', {})).KeyMetadata;
    const vera = await newUser(t, 'vera', { inline: { one: policy({ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:DescribeKey'], Resource: one.Arn }) } });
    await t.call('Encrypt', { KeyId: one.KeyId, Plaintext: Buffer.from('x') }, vera);
    await refused(t.call('Encrypt', { KeyId: two.KeyId, Plaintext: Buffer.from('x') }, vera), 'AccessDeniedException');
    // a wildcard over this account's keys in this region
    await t.call('PutUserPolicy', { UserName: 'vera', PolicyName: 'one', PolicyDocument: policy({ Effect: 'Allow', Action: 'kms:Encrypt', Resource: `arn:strongroom:kms:local-1:${t.admin.account}:key/*` }) });
    await t.call('Encrypt', { KeyId: two.KeyId, Plaintext: Buffer.from('x') }, vera);
    // another region's keys only: nothing here
    await t.call('PutUserPolicy', { UserName: 'vera', PolicyName: 'one', PolicyDocument: policy({ Effect: 'Allow', Action: 'kms:Encrypt', Resource: `arn:strongroom:kms:west-2:${t.admin.account}:key/*` }) });
    await refused(t.call('Encrypt', { KeyId: two.KeyId, Plaintext: Buffer.from('x') }, vera), 'AccessDeniedException');
  });

  it("an explicit Deny in an identity policy beats StrongroomAdministrator's Allow", async () => {
    const rita = await newUser(t, 'rita', {
      managed: ['StrongroomAdministrator'],
      inline: { 'no-deletion': policy({ Sid: 'NoDeletion', Effect: 'Deny', Action: 'kms:ScheduleKeyDeletion', Resource: '*' }) },
    });
    const KeyId = (await t.call('CreateKey', {}, rita)).KeyMetadata.KeyId;
    const e = await refused(t.call('ScheduleKeyDeletion', { KeyId }, rita), 'AccessDeniedException');
    expect(e.message).toContain(`${iamUserArn('rita')} is not authorized to perform: kms:ScheduleKeyDeletion`);
    expect(e.message).toContain('with an explicit deny in an identity-based policy');
    await t.call('DisableKey', { KeyId }, rita);
  });

  it.each([
    ['not JSON', '{"Version":', /JSON/],
    ['a Principal (identity policies have none)', policy({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }), /^Statement\[0\]\.Principal: /],
    ['a bad Effect', policy({ Effect: 'Permit', Action: '*', Resource: '*' }), /^Statement\[0\]\.Effect: /],
    ['an unknown service prefix', policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), /^Statement\[0\]\.Action: /],
    ['a misspelt condition key', policy({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContxt': 'x' } } }), /^Statement\[0\]\.Condition\.StringEquals\["kms:EncryptionContxt"\]: /],
    ['more than 32 KiB', policy({ Sid: 'x'.repeat(33 * 1024), Effect: 'Allow', Action: '*', Resource: '*' }), /32/],
  ])('PutUserPolicy with %s is MalformedPolicyDocumentException naming where', async (_why, PolicyDocument, where) => {
    await t.call('CreateUser', { UserName: 'tom' }).catch(() => undefined);
    const e = await refused(t.call('PutUserPolicy', { UserName: 'tom', PolicyName: 'bad', PolicyDocument }), 'MalformedPolicyDocumentException');
    expect(e.message).toMatch(where);
    expect((await t.call('ListPrincipalPolicies', { UserName: 'tom' })).InlinePolicies).toEqual([]);
  });
});

describe('who may manage identities', () => {
  it('without iam:* nobody creates users, attaches policies or changes other users', async () => {
    const uma = await newUser(t, 'uma', { managed: ['KeyAdministrator', 'KeyUser', 'AuditReader'] });
    for (const [op, input] of [
      ['CreateUser', { UserName: 'x' }],
      ['AttachUserPolicy', { UserName: 'uma', PolicyArn: managed('StrongroomAdministrator') }],
      ['PutUserPolicy', { UserName: 'uma', PolicyName: 'all', PolicyDocument: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) }],
      ['CreateLoginProfile', { UserName: 'no-profile', Password: 'a fine passphrase' }],
      ['UpdateLoginProfile', { UserName: 'admin', Password: 'a fine passphrase' }],
      ['DeleteUserPolicy', { UserName: 'uma', PolicyName: 'any' }],
      ['AddUserToGroup', { GroupName: 'ops', UserName: 'uma' }],
      ['DisableUser', { UserName: 'admin' }],
      ['ListUsers', {}],
    ] as const) {
      const e = await refused(t.call(op, input, uma), 'AccessDeniedException');
      expect(e.message).toContain(`iam:${op}`);
    }
    expect(await t.call('ListPrincipalPolicies', { UserName: 'uma' })).toMatchObject({ InlinePolicies: [] });
  });
});
