// Users, groups, membership, login profiles and identity policies, shaped
// like AWS IAM (IAM API Reference: CreateUser, CreateLoginProfile,
// GetLoginProfile, UpdateLoginProfile, ChangePassword, CreateGroup,
// AddUserToGroup, AttachUserPolicy, PutUserPolicy, DeleteUserPolicy, …).
// Names are unique per tenant; everything is scoped by the caller's
// account. Errors use IAM's names (NoSuchEntity, EntityAlreadyExists,
// DeleteConflict, MalformedPolicyDocument, PasswordPolicyViolation).
//
// A passphrase given, reset or removed (CreateLoginProfile,
// UpdateLoginProfile, ChangePassword, DeleteLoginProfile) is reported
// with ctx.passphraseChanged: the user's sessions signed in with the old
// one end (service.ts), but the caller's own.
import { userArn } from '../codecs/arn.js';
import type { OpContext } from '../service/context.js';
import { accessDenied, KmsError, shown } from '../errors.js';
import { newUserId, type GroupRecord, type PrincipalType, type UserRecord } from '../model.js';
import { parseIdentityPolicy } from '../policy/document.js';
import { managedPolicyByArn, MANAGED_POLICIES } from '../policy/managed-policies.js';
import { clearSignInFailures } from '../service/sign-in.js';
import type { Handler } from '../service/operation.js';

const noSuch = (what: string) => new KmsError('NoSuchEntityException', `${what} cannot be found.`);
const groupArn = (account: string, name: string) => `arn:strongroom:iam::${account}:group/${name}`;
const MAX_POLICY_BYTES = 32 * 1024;

/** Every user and group is at IAM's root path (the contract's iam.ts Path). */
const ROOT_PATH = '/';
const userShape = (u: UserRecord) => ({ Path: ROOT_PATH, UserName: u.userName, UserId: u.userId, Arn: userArn(u.account, u.userName), CreateDate: new Date(u.createdAt), Enabled: !u.disabled });
const groupShape = (g: Pick<GroupRecord, 'account' | 'groupName' | 'createdAt'>) => ({
  Path: ROOT_PATH,
  GroupName: g.groupName,
  GroupId: `${g.account}:${g.groupName}`,
  Arn: groupArn(g.account, g.groupName),
  CreateDate: new Date(g.createdAt),
});
const noProfile = (userName: string) => noSuch(`Login Profile for User ${userName}`);

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

export const CreateUser: Handler<'CreateUser'> = async (ctx, input) => {
  await ctx.authorize();
  const user: UserRecord = {
    account: ctx.scope.account,
    userName: input.UserName,
    userId: newUserId(),
    passphrase: null,
    loginProfileCreatedAt: null,
    passwordResetRequired: false,
    disabled: false,
    createdAt: ctx.now,
  };
  await ctx.write(async (tx) => {
    if (await tx.user(user.account, user.userName)) throw new KmsError('EntityAlreadyExistsException', `User with name ${user.userName} already exists.`);
    await tx.insertUser(user);
  });
  return { User: userShape(user) };
};

export const GetUser: Handler<'GetUser'> = async (ctx, input) => {
  const name = input.UserName ?? ctx.caller.userName;
  // Like IAM, anyone may describe themselves; others need iam:GetUser.
  if (name !== ctx.caller.userName) await ctx.authorize();
  return { User: userShape(await mustUser(ctx, name)) };
};

export const ListUsers: Handler<'ListUsers'> = async (ctx) => {
  await ctx.authorize();
  return { Users: (await ctx.repo.users(ctx.scope.account)).map(userShape), IsTruncated: false };
};

export const DeleteUser: Handler<'DeleteUser'> = async (ctx, input) => {
  await ctx.authorize();
  if (input.UserName === ctx.caller.userName) throw new KmsError('DeleteConflictException', 'You cannot delete the user you are signed in as.');
  await ctx.write(async (tx) => {
    if (!(await tx.user(ctx.scope.account, input.UserName))) throw noSuch(`The user with name ${input.UserName}`);
    await tx.deleteUser(ctx.scope.account, input.UserName);
  });
  return {};
};

export const CreateLoginProfile: Handler<'CreateLoginProfile'> = async (ctx, input) => {
  await ctx.authorize();
  const hash = await ctx.hashPassphrase(input.Password);
  const reset = input.PasswordResetRequired ?? false;
  await ctx.write(async (tx) => {
    const u = await tx.user(ctx.scope.account, input.UserName);
    if (!u) throw noSuch(`The user with name ${input.UserName}`);
    if (u.passphrase) throw new KmsError('EntityAlreadyExistsException', `Login Profile for user ${input.UserName} already exists.`);
    await tx.updateUser({ ...u, passphrase: hash, loginProfileCreatedAt: ctx.now, passwordResetRequired: reset });
    // a new passphrase from an administrator is the remedy for guessing: the lockout goes with the old one (sign-in.ts)
    await clearSignInFailures(tx, u.account, u.userName);
  });
  ctx.passphraseChanged(input.UserName, hash);
  return { LoginProfile: { UserName: input.UserName, CreateDate: new Date(ctx.now), PasswordResetRequired: reset } };
};

export const GetLoginProfile: Handler<'GetLoginProfile'> = async (ctx, input) => {
  const name = input.UserName ?? ctx.caller.userName;
  // as GetUser: anyone may ask about their own passphrase; asking about another's needs iam:GetLoginProfile
  if (name !== ctx.caller.userName) await ctx.authorize();
  const u = await mustUser(ctx, name);
  if (!u.passphrase) throw noProfile(name);
  // every passphrase is given with its date (migration 0008 dated the older ones)
  if (u.loginProfileCreatedAt === null) throw new KmsError('KMSInternalException', `The login profile of user ${name} has no creation date.`);
  return { LoginProfile: { UserName: u.userName, CreateDate: new Date(u.loginProfileCreatedAt), PasswordResetRequired: u.passwordResetRequired } };
};

/**
 * An administrator's reset, in one write: a new passphrase (checked like
 * CreateLoginProfile's, before anything is written, so a refused one
 * leaves the old one working), whether it must be changed at next
 * sign-in, or both. The profile keeps its creation date, as in IAM.
 */
export const UpdateLoginProfile: Handler<'UpdateLoginProfile'> = async (ctx, input) => {
  await ctx.authorize();
  const hash = input.Password === undefined ? undefined : await ctx.hashPassphrase(input.Password);
  await ctx.write(async (tx) => {
    const u = await tx.user(ctx.scope.account, input.UserName);
    if (!u) throw noSuch(`The user with name ${input.UserName}`);
    if (!u.passphrase) throw noProfile(input.UserName);
    await tx.updateUser({ ...u, passphrase: hash ?? u.passphrase, passwordResetRequired: input.PasswordResetRequired ?? u.passwordResetRequired });
    // as CreateLoginProfile: a new passphrase lifts a lockout (sign-in.ts)
    if (hash) await clearSignInFailures(tx, u.account, u.userName);
  });
  if (hash) ctx.passphraseChanged(input.UserName, hash);
  return {};
};

export const DeleteLoginProfile: Handler<'DeleteLoginProfile'> = async (ctx, input) => {
  await ctx.authorize();
  await ctx.write(async (tx) => {
    const u = await tx.user(ctx.scope.account, input.UserName);
    if (!u?.passphrase) throw noProfile(input.UserName);
    await tx.updateUser({ ...u, passphrase: null, loginProfileCreatedAt: null, passwordResetRequired: false });
  });
  ctx.passphraseChanged(input.UserName, null);
  return {};
};

export const ChangePassword: Handler<'ChangePassword'> = async (ctx, input) => {
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
  ctx.passphraseChanged(u.userName, hash);
  return {};
};

/** DisableUser and EnableUser: the same checks, a different flag. */
const setDisabled =
  (disabled: boolean): Handler<'DisableUser' | 'EnableUser'> =>
  async (ctx, input) => {
      await ctx.authorize();
      if (disabled && input.UserName === ctx.caller.userName) throw new KmsError('DeleteConflictException', 'You cannot disable the user you are signed in as.');
      await ctx.write(async (tx) => {
        const u = await tx.user(ctx.scope.account, input.UserName);
        if (!u) throw noSuch(`The user with name ${input.UserName}`);
        await tx.updateUser({ ...u, disabled });
      });
      return {};
    };
export const DisableUser = setDisabled(true);
export const EnableUser = setDisabled(false);

export const CreateGroup: Handler<'CreateGroup'> = async (ctx, input) => {
  await ctx.authorize();
  const account = ctx.scope.account;
  await ctx.write(async (tx) => {
    if (await tx.group(account, input.GroupName)) throw new KmsError('EntityAlreadyExistsException', `Group with name ${input.GroupName} already exists.`);
    await tx.insertGroup({ account, groupName: input.GroupName, createdAt: ctx.now });
  });
  return { Group: groupShape({ account, groupName: input.GroupName, createdAt: ctx.now }) };
};

export const ListGroups: Handler<'ListGroups'> = async (ctx) => {
  await ctx.authorize();
  const groups = await ctx.repo.groups(ctx.scope.account);
  return {
    Groups: groups.map(groupShape),
    IsTruncated: false,
  };
};

export const GetGroup: Handler<'GetGroup'> = async (ctx, input) => {
  await ctx.authorize();
  const g = await mustGroup(ctx, input.GroupName);
  const users = await Promise.all((await ctx.repo.members(g.account, g.groupName)).map((n) => mustUser(ctx, n)));
  return {
    Group: groupShape(g),
    Users: users.map(userShape),
    IsTruncated: false,
  };
};

export const ListGroupsForUser: Handler<'ListGroupsForUser'> = async (ctx, input) => {
  await ctx.authorize();
  await mustUser(ctx, input.UserName);
  const groups = await Promise.all((await ctx.repo.groupsOfUser(ctx.scope.account, input.UserName)).map((n) => mustGroup(ctx, n)));
  return {
    Groups: groups.map(groupShape),
    IsTruncated: false,
  };
};

/** AddUserToGroup and RemoveUserFromGroup. */
const membership =
  (add: boolean): Handler<'AddUserToGroup' | 'RemoveUserFromGroup'> =>
  async (ctx, input) => {
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
    };
export const AddUserToGroup = membership(true);
export const RemoveUserFromGroup = membership(false);

async function mustPrincipal(ctx: OpContext, type: PrincipalType, name: string): Promise<void> {
  if (type === 'user') await mustUser(ctx, name);
  else await mustGroup(ctx, name);
}

/** Attach/Detach User/Group Policy: one rule, for a user or a group, attaching or detaching. */
const attach =
  (type: PrincipalType, on: boolean): Handler<'AttachUserPolicy' | 'AttachGroupPolicy' | 'DetachUserPolicy' | 'DetachGroupPolicy'> =>
  async (ctx, input) => {
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
    };
export const AttachUserPolicy = attach('user', true);
export const AttachGroupPolicy = attach('group', true);
export const DetachUserPolicy = attach('user', false);
export const DetachGroupPolicy = attach('group', false);

/** PutUserPolicy and PutGroupPolicy. */
const putInline =
  (type: PrincipalType): Handler<'PutUserPolicy' | 'PutGroupPolicy'> =>
  async (ctx, input) => {
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
    };
export const PutUserPolicy = putInline('user');
export const PutGroupPolicy = putInline('group');

/** DeleteUserPolicy and DeleteGroupPolicy: an inline policy goes; attached managed ones are DetachUserPolicy's. */
const deleteInline =
  (type: PrincipalType): Handler<'DeleteUserPolicy' | 'DeleteGroupPolicy'> =>
  async (ctx, input) => {
      await ctx.authorize();
      const principalName = 'UserName' in input ? input.UserName : input.GroupName;
      const row = { account: ctx.scope.account, principalType: type, principalName, kind: 'inline' as const, policyName: input.PolicyName };
      await ctx.write(async (tx) => {
        if (!(type === 'user' ? await tx.user(row.account, principalName) : await tx.group(row.account, principalName))) throw noSuch(`The ${type} with name ${principalName}`);
        const has = (await tx.identityPolicies(row.account, type, principalName)).some((p) => p.kind === 'inline' && p.policyName === input.PolicyName);
        if (!has) throw noSuch(`The ${type} policy with name ${input.PolicyName}`);
        await tx.deleteIdentityPolicy(row);
      });
      return {};
    };
export const DeleteUserPolicy = deleteInline('user');
export const DeleteGroupPolicy = deleteInline('group');

export const ListPolicies: Handler<'ListPolicies'> = async (ctx) => {
  await ctx.authorize();
  return { Policies: Object.entries(MANAGED_POLICIES).map(([PolicyName, m]) => ({ PolicyName, Arn: m.arn })), IsTruncated: false };
};

export const ListPrincipalPolicies: Handler<'ListPrincipalPolicies'> = async (ctx, input) => {
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
};
