// Users, groups, membership, login profiles and identity policies, shaped
// like AWS IAM (IAM API Reference: CreateUser, CreateLoginProfile,
// GetLoginProfile, UpdateLoginProfile, ChangePassword, CreateGroup,
// AddUserToGroup, AttachUserPolicy, PutUserPolicy, DeleteUserPolicy, …).
// Names are unique per tenant; everything is scoped by the caller's
// account. Errors use IAM's names (NoSuchEntity, EntityAlreadyExists,
// DeleteConflict, MalformedPolicyDocument, PasswordPolicyViolation).
// DisableUser and EnableUser are Strongroom's own (IAM has no such
// actions); the User shape says which state a user is in with a member of
// Strongroom's own, Enabled, after IAM's members.
import { z } from 'zod';
import { operation } from '../operation.js';
import { CurrentPassphrase, IamName, NewPassphrase } from '../fields.js';

const iam = { service: 'iam' as const };
const PolicyArn = z.string().min(1).meta({ description: 'A managed policy ARN (see list-policies).' });
const PolicyDocument = z.string().min(1).meta({ description: 'An identity policy (AWS policy JSON).' });

/**
 * IAM's Path (IAM API Reference, "IAM identifiers": required in User and
 * Group). Strongroom's users and groups have no paths: every one is at the
 * root, '/', as an IAM user created without --path is.
 */
const Path = z.string();

// Members in the order of IAM's model (botocore iam service-2.json User, Group), which the AWS CLI prints.
const UserShape = z.object({
  Path,
  UserName: z.string(),
  UserId: z.string(),
  Arn: z.string(),
  CreateDate: z.date(),
  PasswordLastUsed: z.date().optional(),
  /** Strongroom: false once DisableUser has run (until EnableUser) */
  Enabled: z.boolean(),
});
const GroupShape = z.object({ Path, GroupName: z.string(), GroupId: z.string(), Arn: z.string(), CreateDate: z.date() });
/** IAM's LoginProfile: CreateDate is when the passphrase was first given (a reset or a change keeps it). */
const LoginProfileShape = z.object({ UserName: z.string(), CreateDate: z.date(), PasswordResetRequired: z.boolean() });
const InlinePolicyName = IamName.meta({ description: 'The name of an inline policy.' });


export const CreateUser = operation({
  ...iam,
  name: 'CreateUser',
  action: 'iam:CreateUser',
  summary: 'Creates a user in the tenant (sign-in needs a login profile: create-login-profile).',
  input: () => z.object({ UserName: IamName }).strict(),
  output: () => z.object({ User: UserShape }),
});

export const GetUser = operation({
  ...iam,
  name: 'GetUser',
  action: 'iam:GetUser',
  readOnly: true,
  summary: 'Describes a user (default: the caller).',
  input: () => z.object({ UserName: IamName.optional() }).strict(),
  output: () => z.object({ User: UserShape }),
});

export const ListUsers = operation({
  ...iam,
  name: 'ListUsers',
  action: 'iam:ListUsers',
  readOnly: true,
  summary: 'Lists the users of the tenant.',
  input: () => z.object({}).strict(),
  output: () => z.object({ Users: z.array(UserShape), IsTruncated: z.boolean() }),
});

export const DeleteUser = operation({
  ...iam,
  name: 'DeleteUser',
  action: 'iam:DeleteUser',
  summary: 'Deletes a user with its memberships and inline policies.',
  input: () => z.object({ UserName: IamName }).strict(),
  output: () => z.object({}),
});

export const CreateLoginProfile = operation({
  ...iam,
  name: 'CreateLoginProfile',
  action: 'iam:CreateLoginProfile',
  summary: 'Gives a user a passphrase to sign in with (and lifts a lockout after failed sign-ins); --password-reset-required forces a change at first sign-in.',
  input: () => z.object({ UserName: IamName, Password: NewPassphrase, PasswordResetRequired: z.boolean().optional() }).strict(),
  output: () => z.object({ LoginProfile: LoginProfileShape }),
});

export const GetLoginProfile = operation({
  ...iam,
  name: 'GetLoginProfile',
  action: 'iam:GetLoginProfile',
  readOnly: true,
  summary: 'Tells whether a user (default: the caller) has a passphrase: when it was first given and whether it must be changed; NoSuchEntity when there is none.',
  input: () => z.object({ UserName: IamName.optional() }).strict(),
  output: () => z.object({ LoginProfile: LoginProfileShape }),
});

export const UpdateLoginProfile = operation({
  ...iam,
  name: 'UpdateLoginProfile',
  action: 'iam:UpdateLoginProfile',
  summary:
    "Resets a user's passphrase in one step (--password: the new one from STRONGROOM_NEW_PASSPHRASE or a prompt; ends the user's sessions, lifts a lockout) and/or whether it must be changed at next sign-in.",
  input: () => z.object({ UserName: IamName, Password: NewPassphrase.optional(), PasswordResetRequired: z.boolean().optional() }).strict(),
  output: () => z.object({}),
});

export const DeleteLoginProfile = operation({
  ...iam,
  name: 'DeleteLoginProfile',
  action: 'iam:DeleteLoginProfile',
  summary: 'Removes a user\'s passphrase: the user can no longer sign in.',
  input: () => z.object({ UserName: IamName }).strict(),
  output: () => z.object({}),
});

export const ChangePassword = operation({
  ...iam,
  name: 'ChangePassword',
  action: 'iam:ChangePassword',
  summary: 'Changes the caller\'s own passphrase (new one from STRONGROOM_NEW_PASSPHRASE or a prompt).',
  input: () => z.object({ OldPassword: CurrentPassphrase, NewPassword: NewPassphrase }).strict(),
  output: () => z.object({}),
});

export const DisableUser = operation({
  ...iam,
  name: 'DisableUser',
  action: 'iam:DisableUser',
  summary: 'Disables a user: it can no longer sign in (its policies and memberships stay).',
  input: () => z.object({ UserName: IamName }).strict(),
  output: () => z.object({}),
});

export const EnableUser = operation({
  ...iam,
  name: 'EnableUser',
  action: 'iam:EnableUser',
  summary: 'Re-enables a disabled user.',
  input: () => z.object({ UserName: IamName }).strict(),
  output: () => z.object({}),
});

export const CreateGroup = operation({
  ...iam,
  name: 'CreateGroup',
  action: 'iam:CreateGroup',
  summary: 'Creates a group of users.',
  input: () => z.object({ GroupName: IamName }).strict(),
  output: () => z.object({ Group: GroupShape }),
});

export const ListGroups = operation({
  ...iam,
  name: 'ListGroups',
  action: 'iam:ListGroups',
  readOnly: true,
  summary: 'Lists the groups of the tenant.',
  input: () => z.object({}).strict(),
  output: () => z.object({ Groups: z.array(GroupShape), IsTruncated: z.boolean() }),
});

export const GetGroup = operation({
  ...iam,
  name: 'GetGroup',
  action: 'iam:GetGroup',
  readOnly: true,
  summary: 'Describes a group and lists its users.',
  input: () => z.object({ GroupName: IamName }).strict(),
  output: () => z.object({ Group: GroupShape, Users: z.array(UserShape), IsTruncated: z.boolean() }),
});

export const ListGroupsForUser = operation({
  ...iam,
  name: 'ListGroupsForUser',
  action: 'iam:ListGroupsForUser',
  readOnly: true,
  summary: 'Lists the groups a user belongs to.',
  input: () => z.object({ UserName: IamName }).strict(),
  output: () => z.object({ Groups: z.array(GroupShape), IsTruncated: z.boolean() }),
});

const Membership = z.object({ GroupName: IamName, UserName: IamName }).strict();

export const AddUserToGroup = operation({
  ...iam,
  name: 'AddUserToGroup',
  action: 'iam:AddUserToGroup',
  summary: 'Adds a user to a group.',
  input: () => Membership,
  output: () => z.object({}),
});

export const RemoveUserFromGroup = operation({
  ...iam,
  name: 'RemoveUserFromGroup',
  action: 'iam:RemoveUserFromGroup',
  summary: 'Removes a user from a group.',
  input: () => Membership,
  output: () => z.object({}),
});


const MANAGED_POLICIES_NAMED = 'StrongroomAdministrator, KeyAdministrator, KeyUser, AuditReader';
const UserManagedPolicy = z.object({ UserName: IamName, PolicyArn }).strict();
const GroupManagedPolicy = z.object({ GroupName: IamName, PolicyArn }).strict();

export const AttachUserPolicy = operation({
  ...iam,
  name: 'AttachUserPolicy',
  action: 'iam:AttachUserPolicy',
  summary: `Attaches a managed policy to a user (${MANAGED_POLICIES_NAMED}).`,
  input: () => UserManagedPolicy,
  output: () => z.object({}),
});

export const AttachGroupPolicy = operation({
  ...iam,
  name: 'AttachGroupPolicy',
  action: 'iam:AttachGroupPolicy',
  summary: `Attaches a managed policy to a group (${MANAGED_POLICIES_NAMED}).`,
  input: () => GroupManagedPolicy,
  output: () => z.object({}),
});

export const DetachUserPolicy = operation({
  ...iam,
  name: 'DetachUserPolicy',
  action: 'iam:DetachUserPolicy',
  summary: `Detaches a managed policy from a user (${MANAGED_POLICIES_NAMED}).`,
  input: () => UserManagedPolicy,
  output: () => z.object({}),
});

export const DetachGroupPolicy = operation({
  ...iam,
  name: 'DetachGroupPolicy',
  action: 'iam:DetachGroupPolicy',
  summary: `Detaches a managed policy from a group (${MANAGED_POLICIES_NAMED}).`,
  input: () => GroupManagedPolicy,
  output: () => z.object({}),
});

export const PutUserPolicy = operation({
  ...iam,
  name: 'PutUserPolicy',
  action: 'iam:PutUserPolicy',
  summary: 'Adds or replaces an inline identity policy of a user (AWS policy JSON, at most 32 KiB).',
  input: () => z.object({ UserName: IamName, PolicyName: IamName, PolicyDocument }).strict(),
  output: () => z.object({}),
});

export const PutGroupPolicy = operation({
  ...iam,
  name: 'PutGroupPolicy',
  action: 'iam:PutGroupPolicy',
  summary: 'Adds or replaces an inline identity policy of a group (AWS policy JSON, at most 32 KiB).',
  input: () => z.object({ GroupName: IamName, PolicyName: IamName, PolicyDocument }).strict(),
  output: () => z.object({}),
});

export const DeleteUserPolicy = operation({
  ...iam,
  name: 'DeleteUserPolicy',
  action: 'iam:DeleteUserPolicy',
  summary: 'Deletes an inline identity policy of a user.',
  input: () => z.object({ UserName: IamName, PolicyName: InlinePolicyName }).strict(),
  output: () => z.object({}),
});

export const DeleteGroupPolicy = operation({
  ...iam,
  name: 'DeleteGroupPolicy',
  action: 'iam:DeleteGroupPolicy',
  summary: 'Deletes an inline identity policy of a group.',
  input: () => z.object({ GroupName: IamName, PolicyName: InlinePolicyName }).strict(),
  output: () => z.object({}),
});

export const ListPolicies = operation({
  ...iam,
  name: 'ListPolicies',
  action: 'iam:ListPolicies',
  readOnly: true,
  summary: 'Lists the managed policies that can be attached.',
  input: () => z.object({}).strict(),
  output: () => z.object({ Policies: z.array(z.object({ PolicyName: z.string(), Arn: z.string() })), IsTruncated: z.boolean() }),
});

export const ListPrincipalPolicies = operation({
  ...iam,
  name: 'ListPrincipalPolicies',
  action: 'iam:ListPrincipalPolicies',
  readOnly: true,
  summary: 'Lists the managed and inline policies of a user or group (Strongroom: one call for both kinds).',
  input: () => z.object({ UserName: IamName.optional(), GroupName: IamName.optional() }).strict(),
  output: () => z.object({
    AttachedPolicies: z.array(z.object({ PolicyArn: z.string() })),
    InlinePolicies: z.array(z.object({ PolicyName: z.string(), PolicyDocument: z.string() })),
  }),
});
