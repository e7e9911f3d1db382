// Users, groups, membership, login profiles and identity policies, shaped
// like AWS IAM (IAM API Reference: CreateUser, CreateLoginProfile,
// ChangePassword, CreateGroup, AddUserToGroup, AttachUserPolicy,
// PutUserPolicy, …). Names are unique per tenant; everything is scoped by
// the caller's account. Errors use IAM's names (NoSuchEntity,
// EntityAlreadyExists, DeleteConflict, MalformedPolicyDocument).
import { z } from 'zod';
import { userArn } from '../arn.js';
import type { OpContext } from '../context.js';
import { accessDenied, KmsError, shown } from '../errors.js';
import { newUserId, type PrincipalType, type UserRecord } from '../model.js';
import { parseIdentityPolicy } from '../policy/document.js';
import { managedPolicyByArn, MANAGED_POLICIES } from '../policy/managed-policies.js';
import { defineOperation } from '../operation.js';
import { clearSignInFailures } from '../sign-in.js';
import { CurrentPassphrase, IamName, NewPassphrase } from '../../api/fields.js';

const iam = { service: 'iam' as const };
const noSuch = (what: string) => new KmsError('NoSuchEntityException', `${what} cannot be found.`);
const groupArn = (account: string, name: string) => `arn:strongroom:iam::${account}:group/${name}`;
const MAX_POLICY_BYTES = 32 * 1024;
const PolicyArn = z.string().min(1).meta({ description: 'A managed policy ARN (see list-policies).' });
const PolicyDocument = z.string().min(1).meta({ description: 'An identity policy (AWS policy JSON).' });

const UserShape = z.object({ UserName: z.string(), UserId: z.string(), Arn: z.string(), CreateDate: z.date(), PasswordLastUsed: z.date().optional() });
const GroupShape = z.object({ GroupName: z.string(), GroupId: z.string(), Arn: z.string(), CreateDate: z.date() });
const userShape = (u: UserRecord) => ({ UserName: u.userName, UserId: u.userId, Arn: userArn(u.account, u.userName), CreateDate: new Date(u.createdAt) });

async function mustUser(ctx: OpContext, name: string): Promise<UserRecord> {
  const u = await ctx.repo.user(ctx.scope.account, name);
  if (!u) throw noSuch(`The user with name ${name}`);
  return u;
}

async function mustGroup(ctx: OpContext, name: string) {
  const g = await ctx.repo.group(ctx.scope.account, name);
  if (!g) throw noSuch(`The group with name ${name}`);
  return g;
}

function managedArn(arn: string): string {
  if (!managedPolicyByArn(arn)) {
    throw new KmsError('NoSuchEntityException', `Policy ${shown(arn)} does not exist. Managed policies: ${Object.values(MANAGED_POLICIES).map((m) => m.arn).join(', ')}.`);
  }
  return arn;
}

export const CreateUser = defineOperation({
  ...iam,
  name: 'CreateUser',
  action: 'iam:CreateUser',
  summary: 'Creates a user in the tenant (sign-in needs a login profile: create-login-profile).',
  input: z.object({ UserName: IamName }).strict(),
  output: z.object({ User: UserShape }),
  async handler(ctx, input) {
    await ctx.authorize();
    const user: UserRecord = { account: ctx.scope.account, userName: input.UserName, userId: newUserId(), passphrase: null, passwordResetRequired: false, disabled: false, createdAt: ctx.now };
    await ctx.write(async (tx) => {
      if (await tx.user(user.account, user.userName)) throw new KmsError('EntityAlreadyExistsException', `User with name ${user.userName} already exists.`);
      await tx.insertUser(user);
    });
    return { User: userShape(user) };
  },
});

export const GetUser = defineOperation({
  ...iam,
  name: 'GetUser',
  action: 'iam:GetUser',
  readOnly: true,
  summary: 'Describes a user (default: the caller).',
  input: z.object({ UserName: IamName.optional() }).strict(),
  output: z.object({ User: UserShape }),
  async handler(ctx, input) {
    const name = input.UserName ?? ctx.caller.userName;
    // Like IAM, anyone may describe themselves; others need iam:GetUser.
    if (name !== ctx.caller.userName) await ctx.authorize();
    return { User: userShape(await mustUser(ctx, name)) };
  },
});

export const ListUsers = defineOperation({
  ...iam,
  name: 'ListUsers',
  action: 'iam:ListUsers',
  readOnly: true,
  summary: 'Lists the users of the tenant.',
  input: z.object({}).strict(),
  output: z.object({ Users: z.array(UserShape), IsTruncated: z.boolean() }),
  async handler(ctx) {
    await ctx.authorize();
    return { Users: (await ctx.repo.users(ctx.scope.account)).map(userShape), IsTruncated: false };
  },
});

export const DeleteUser = defineOperation({
  ...iam,
  name: 'DeleteUser',
  action: 'iam:DeleteUser',
  summary: 'Deletes a user with its memberships and inline policies.',
  input: z.object({ UserName: IamName }).strict(),
  output: z.object({}),
  async handler(ctx, input) {
    await ctx.authorize();
    if (input.UserName === ctx.caller.userName) throw new KmsError('DeleteConflictException', 'You cannot delete the user you are signed in as.');
    await ctx.write(async (tx) => {
      if (!(await tx.user(ctx.scope.account, input.UserName))) throw noSuch(`The user with name ${input.UserName}`);
      await tx.deleteUser(ctx.scope.account, input.UserName);
    });
    return {};
  },
});

export const CreateLoginProfile = defineOperation({
  ...iam,
  name: 'CreateLoginProfile',
  action: 'iam:CreateLoginProfile',
  summary: 'Gives a user a passphrase to sign in with (and lifts a lockout after failed sign-ins); --password-reset-required forces a change at first sign-in.',
  input: z.object({ UserName: IamName, Password: NewPassphrase, PasswordResetRequired: z.boolean().optional() }).strict(),
  output: z.object({ LoginProfile: z.object({ UserName: z.string(), CreateDate: z.date(), PasswordResetRequired: z.boolean() }) }),
  async handler(ctx, input) {
    await ctx.authorize();
    const hash = await ctx.hashPassphrase(input.Password);
    const reset = input.PasswordResetRequired ?? false;
    await ctx.write(async (tx) => {
      const u = await tx.user(ctx.scope.account, input.UserName);
      if (!u) throw noSuch(`The user with name ${input.UserName}`);
      if (u.passphrase) throw new KmsError('EntityAlreadyExistsException', `Login Profile for user ${input.UserName} already exists.`);
      await tx.updateUser({ ...u, passphrase: hash, passwordResetRequired: reset });
      // a new passphrase from an administrator is the remedy for guessing: the lockout goes with the old one (sign-in.ts)
      await clearSignInFailures(tx, u.account, u.userName);
    });
    return { LoginProfile: { UserName: input.UserName, CreateDate: new Date(ctx.now), PasswordResetRequired: reset } };
  },
});

export const DeleteLoginProfile = defineOperation({
  ...iam,
  name: 'DeleteLoginProfile',
  action: 'iam:DeleteLoginProfile',
  summary: 'Removes a user\'s passphrase: the user can no longer sign in.',
  input: z.object({ UserName: IamName }).strict(),
  output: z.object({}),
  async handler(ctx, input) {
    await ctx.authorize();
    await ctx.write(async (tx) => {
      const u = await tx.user(ctx.scope.account, input.UserName);
      if (!u?.passphrase) throw noSuch(`Login Profile for User ${input.UserName}`);
      await tx.updateUser({ ...u, passphrase: null, passwordResetRequired: false });
    });
    return {};
  },
});

export const ChangePassword = defineOperation({
  ...iam,
  name: 'ChangePassword',
  action: 'iam:ChangePassword',
  summary: 'Changes the caller\'s own passphrase (new one from STRONGROOM_NEW_PASSPHRASE or a prompt).',
  input: z.object({ OldPassword: CurrentPassphrase, NewPassword: NewPassphrase }).strict(),
  output: z.object({}),
  async handler(ctx, input) {
    // IAM lets every user change their own password without a policy.
    const u = await mustUser(ctx, ctx.caller.userName);
    if (!u.passphrase || !(await ctx.verifyPassphrase(input.OldPassword, u.passphrase))) throw accessDenied('The current passphrase is not correct.');
    if (input.OldPassword === input.NewPassword) throw new KmsError('PasswordPolicyViolationException', 'The new passphrase must differ from the current one.');
    const hash = await ctx.hashPassphrase(input.NewPassword);
    await ctx.write(async (tx) => {
      const cur = await tx.user(u.account, u.userName);
      if (!cur) throw noSuch(`The user with name ${u.userName}`);
      await tx.updateUser({ ...cur, passphrase: hash, passwordResetRequired: false });
    });
    return {};
  },
});

const setDisabled = (name: 'DisableUser' | 'EnableUser', disabled: boolean) =>
  defineOperation({
    ...iam,
    name,
    action: `iam:${name}`,
    summary: disabled ? 'Disables a user: it can no longer sign in (its policies and memberships stay).' : 'Re-enables a disabled user.',
    input: z.object({ UserName: IamName }).strict(),
    output: z.object({}),
    async handler(ctx, input) {
      await ctx.authorize();
      if (disabled && input.UserName === ctx.caller.userName) throw new KmsError('DeleteConflictException', 'You cannot disable the user you are signed in as.');
      await ctx.write(async (tx) => {
        const u = await tx.user(ctx.scope.account, input.UserName);
        if (!u) throw noSuch(`The user with name ${input.UserName}`);
        await tx.updateUser({ ...u, disabled });
      });
      return {};
    },
  });
export const DisableUser = setDisabled('DisableUser', true);
export const EnableUser = setDisabled('EnableUser', false);

export const CreateGroup = defineOperation({
  ...iam,
  name: 'CreateGroup',
  action: 'iam:CreateGroup',
  summary: 'Creates a group of users.',
  input: z.object({ GroupName: IamName }).strict(),
  output: z.object({ Group: GroupShape }),
  async handler(ctx, input) {
    await ctx.authorize();
    const account = ctx.scope.account;
    await ctx.write(async (tx) => {
      if (await tx.group(account, input.GroupName)) throw new KmsError('EntityAlreadyExistsException', `Group with name ${input.GroupName} already exists.`);
      await tx.insertGroup({ account, groupName: input.GroupName, createdAt: ctx.now });
    });
    return { Group: { GroupName: input.GroupName, GroupId: `${account}:${input.GroupName}`, Arn: groupArn(account, input.GroupName), CreateDate: new Date(ctx.now) } };
  },
});

export const ListGroups = defineOperation({
  ...iam,
  name: 'ListGroups',
  action: 'iam:ListGroups',
  readOnly: true,
  summary: 'Lists the groups of the tenant.',
  input: z.object({}).strict(),
  output: z.object({ Groups: z.array(GroupShape), IsTruncated: z.boolean() }),
  async handler(ctx) {
    await ctx.authorize();
    const groups = await ctx.repo.groups(ctx.scope.account);
    return {
      Groups: groups.map((g) => ({ GroupName: g.groupName, GroupId: `${g.account}:${g.groupName}`, Arn: groupArn(g.account, g.groupName), CreateDate: new Date(g.createdAt) })),
      IsTruncated: false,
    };
  },
});

export const GetGroup = defineOperation({
  ...iam,
  name: 'GetGroup',
  action: 'iam:GetGroup',
  readOnly: true,
  summary: 'Describes a group and lists its users.',
  input: z.object({ GroupName: IamName }).strict(),
  output: z.object({ Group: GroupShape, Users: z.array(UserShape), IsTruncated: z.boolean() }),
  async handler(ctx, input) {
    await ctx.authorize();
    const g = await mustGroup(ctx, input.GroupName);
    const users = await Promise.all((await ctx.repo.members(g.account, g.groupName)).map((n) => mustUser(ctx, n)));
    return {
      Group: { GroupName: g.groupName, GroupId: `${g.account}:${g.groupName}`, Arn: groupArn(g.account, g.groupName), CreateDate: new Date(g.createdAt) },
      Users: users.map(userShape),
      IsTruncated: false,
    };
  },
});

export const ListGroupsForUser = defineOperation({
  ...iam,
  name: 'ListGroupsForUser',
  action: 'iam:ListGroupsForUser',
  readOnly: true,
  summary: 'Lists the groups a user belongs to.',
  input: z.object({ UserName: IamName }).strict(),
  output: z.object({ Groups: z.array(GroupShape), IsTruncated: z.boolean() }),
  async handler(ctx, input) {
    await ctx.authorize();
    await mustUser(ctx, input.UserName);
    const groups = await Promise.all((await ctx.repo.groupsOfUser(ctx.scope.account, input.UserName)).map((n) => mustGroup(ctx, n)));
    return {
      Groups: groups.map((g) => ({ GroupName: g.groupName, GroupId: `${g.account}:${g.groupName}`, Arn: groupArn(g.account, g.groupName), CreateDate: new Date(g.createdAt) })),
      IsTruncated: false,
    };
  },
});

const membership = (name: 'AddUserToGroup' | 'RemoveUserFromGroup', add: boolean) =>
  defineOperation({
    ...iam,
    name,
    action: `iam:${name}`,
    summary: add ? 'Adds a user to a group.' : 'Removes a user from a group.',
    input: z.object({ GroupName: IamName, UserName: IamName }).strict(),
    output: z.object({}),
    async handler(ctx, input) {
      await ctx.authorize();
      const account = ctx.scope.account;
      await ctx.write(async (tx) => {
        if (!(await tx.group(account, input.GroupName))) throw noSuch(`The group with name ${input.GroupName}`);
        if (!(await tx.user(account, input.UserName))) throw noSuch(`The user with name ${input.UserName}`);
        if (add) await tx.addMember(account, input.GroupName, input.UserName);
        else {
          if (!(await tx.groupsOfUser(account, input.UserName)).includes(input.GroupName)) throw noSuch(`User ${input.UserName} in group ${input.GroupName}`);
          await tx.removeMember(account, input.GroupName, input.UserName);
        }
      });
      return {};
    },
  });
export const AddUserToGroup = membership('AddUserToGroup', true);
export const RemoveUserFromGroup = membership('RemoveUserFromGroup', false);

async function mustPrincipal(ctx: OpContext, type: PrincipalType, name: string): Promise<void> {
  if (type === 'user') await mustUser(ctx, name);
  else await mustGroup(ctx, name);
}

const attach = (name: 'AttachUserPolicy' | 'AttachGroupPolicy' | 'DetachUserPolicy' | 'DetachGroupPolicy', type: PrincipalType, on: boolean) => {
  return defineOperation({
    ...iam,
    name,
    action: `iam:${name}`,
    summary: `${on ? 'Attaches a managed policy to' : 'Detaches a managed policy from'} a ${type} (StrongroomAdministrator, KeyAdministrator, KeyUser, AuditReader).`,
    input: type === 'user' ? z.object({ UserName: IamName, PolicyArn }).strict() : z.object({ GroupName: IamName, PolicyArn }).strict(),
    output: z.object({}),
    async handler(ctx, input) {
      await ctx.authorize();
      const principalName = 'UserName' in input ? input.UserName : input.GroupName;
      const policyName = managedArn(input.PolicyArn);
      await mustPrincipal(ctx, type, principalName);
      const row = { account: ctx.scope.account, principalType: type, principalName, kind: 'attached' as const, policyName };
      await ctx.write(async (tx) => {
        if (on) await tx.putIdentityPolicy({ ...row, document: null });
        else {
          const has = (await tx.identityPolicies(row.account, type, principalName)).some((p) => p.kind === 'attached' && p.policyName === policyName);
          if (!has) throw noSuch(`Policy ${policyName} attached to ${type} ${principalName}`);
          await tx.deleteIdentityPolicy(row);
        }
      });
      return {};
    },
  });
};
export const AttachUserPolicy = attach('AttachUserPolicy', 'user', true);
export const AttachGroupPolicy = attach('AttachGroupPolicy', 'group', true);
export const DetachUserPolicy = attach('DetachUserPolicy', 'user', false);
export const DetachGroupPolicy = attach('DetachGroupPolicy', 'group', false);

const putInline = (name: 'PutUserPolicy' | 'PutGroupPolicy', type: PrincipalType) => {
  return defineOperation({
    ...iam,
    name,
    action: `iam:${name}`,
    summary: `Adds or replaces an inline identity policy of a ${type} (AWS policy JSON, at most 32 KiB).`,
    input:
      type === 'user'
        ? z.object({ UserName: IamName, PolicyName: IamName, PolicyDocument }).strict()
        : z.object({ GroupName: IamName, PolicyName: IamName, PolicyDocument }).strict(),
    output: z.object({}),
    async handler(ctx, input) {
      await ctx.authorize();
      const principalName = 'UserName' in input ? input.UserName : input.GroupName;
      if (Buffer.byteLength(input.PolicyDocument) > MAX_POLICY_BYTES) {
        throw new KmsError('MalformedPolicyDocumentException', `The policy document is larger than ${MAX_POLICY_BYTES} bytes.`);
      }
      parseIdentityPolicy(input.PolicyDocument);
      await mustPrincipal(ctx, type, principalName);
      await ctx.write((tx) =>
        tx.putIdentityPolicy({ account: ctx.scope.account, principalType: type, principalName, kind: 'inline', policyName: input.PolicyName, document: input.PolicyDocument }),
      );
      return {};
    },
  });
};
export const PutUserPolicy = putInline('PutUserPolicy', 'user');
export const PutGroupPolicy = putInline('PutGroupPolicy', 'group');

export const ListPolicies = defineOperation({
  ...iam,
  name: 'ListPolicies',
  action: 'iam:ListPolicies',
  readOnly: true,
  summary: 'Lists the managed policies that can be attached.',
  input: z.object({}).strict(),
  output: z.object({ Policies: z.array(z.object({ PolicyName: z.string(), Arn: z.string() })), IsTruncated: z.boolean() }),
  async handler(ctx) {
    await ctx.authorize();
    return { Policies: Object.entries(MANAGED_POLICIES).map(([PolicyName, m]) => ({ PolicyName, Arn: m.arn })), IsTruncated: false };
  },
});

export const ListPrincipalPolicies = defineOperation({
  ...iam,
  name: 'ListPrincipalPolicies',
  action: 'iam:ListPrincipalPolicies',
  readOnly: true,
  summary: 'Lists the managed and inline policies of a user or group (Strongroom: one call for both kinds).',
  input: z.object({ UserName: IamName.optional(), GroupName: IamName.optional() }).strict(),
  output: z.object({
    AttachedPolicies: z.array(z.object({ PolicyArn: z.string() })),
    InlinePolicies: z.array(z.object({ PolicyName: z.string(), PolicyDocument: z.string() })),
  }),
  async handler(ctx, input) {
    await ctx.authorize();
    if ((input.UserName === undefined) === (input.GroupName === undefined)) throw new KmsError('ValidationException', 'Specify exactly one of UserName and GroupName.');
    const type: PrincipalType = input.UserName !== undefined ? 'user' : 'group';
    const name = (input.UserName ?? input.GroupName)!;
    await mustPrincipal(ctx, type, name);
    const rows = await ctx.repo.identityPolicies(ctx.scope.account, type, name);
    return {
      AttachedPolicies: rows.filter((r) => r.kind === 'attached').map((r) => ({ PolicyArn: r.policyName })),
      InlinePolicies: rows.filter((r) => r.kind === 'inline').map((r) => ({ PolicyName: r.policyName, PolicyDocument: r.document ?? '' })),
    };
  },
});
