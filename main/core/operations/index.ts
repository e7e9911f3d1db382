// The handlers of the contract (main/api/index.ts), by operation name. The
// `satisfies` below is the proof that every operation has exactly one
// handler of the right type: a missing, extra or duplicated entry, or a
// handler whose input or output does not fit its declaration, does not
// compile.
import type { Handlers } from '../service/operation.js';
import * as keys from './keys.js';
import * as aliases from './aliases.js';
import * as tags from './tags.js';
import * as cryptographic from './cryptographic.js';
import * as rotation from './rotation.js';
import * as keyLastUsage from './key-last-usage.js';
import * as keyPolicies from './key-policies.js';
import * as grants from './grants.js';
import * as iam from './iam.js';
import * as sts from './sts.js';
import * as tenants from './tenants.js';
import * as audit from './audit.js';
import * as signing from './signing.js';
import * as mac from './mac.js';
import * as keyAgreement from './key-agreement.js';
import * as publicKey from './public-key.js';
import * as dataKeyPairs from './data-key-pairs.js';
import * as keyImport from './import.js';
import * as approvals from './approvals.js';

export const HANDLERS = {
  // keys
  CreateKey: keys.CreateKey,
  DescribeKey: keys.DescribeKey,
  ListKeys: keys.ListKeys,
  UpdateKeyDescription: keys.UpdateKeyDescription,
  EnableKey: keys.EnableKey,
  DisableKey: keys.DisableKey,
  ScheduleKeyDeletion: keys.ScheduleKeyDeletion,
  CancelKeyDeletion: keys.CancelKeyDeletion,
  // aliases
  CreateAlias: aliases.CreateAlias,
  UpdateAlias: aliases.UpdateAlias,
  DeleteAlias: aliases.DeleteAlias,
  ListAliases: aliases.ListAliases,
  // tags
  TagResource: tags.TagResource,
  UntagResource: tags.UntagResource,
  ListResourceTags: tags.ListResourceTags,
  // cryptographic
  Encrypt: cryptographic.Encrypt,
  Decrypt: cryptographic.Decrypt,
  ReEncrypt: cryptographic.ReEncrypt,
  GenerateDataKey: cryptographic.GenerateDataKey,
  GenerateDataKeyWithoutPlaintext: cryptographic.GenerateDataKeyWithoutPlaintext,
  GenerateRandom: cryptographic.GenerateRandom,
  // rotation
  EnableKeyRotation: rotation.EnableKeyRotation,
  DisableKeyRotation: rotation.DisableKeyRotation,
  GetKeyRotationStatus: rotation.GetKeyRotationStatus,
  RotateKeyOnDemand: rotation.RotateKeyOnDemand,
  ListKeyRotations: rotation.ListKeyRotations,
  // key-last-usage
  GetKeyLastUsage: keyLastUsage.GetKeyLastUsage,
  // key-policies
  GetKeyPolicy: keyPolicies.GetKeyPolicy,
  PutKeyPolicy: keyPolicies.PutKeyPolicy,
  ListKeyPolicies: keyPolicies.ListKeyPolicies,
  GetKeyAccessMatrix: keyPolicies.GetKeyAccessMatrix,
  // grants
  CreateGrant: grants.CreateGrant,
  ListGrants: grants.ListGrants,
  ListRetirableGrants: grants.ListRetirableGrants,
  RetireGrant: grants.RetireGrant,
  RevokeGrant: grants.RevokeGrant,
  // iam
  CreateUser: iam.CreateUser,
  GetUser: iam.GetUser,
  ListUsers: iam.ListUsers,
  DeleteUser: iam.DeleteUser,
  CreateLoginProfile: iam.CreateLoginProfile,
  GetLoginProfile: iam.GetLoginProfile,
  UpdateLoginProfile: iam.UpdateLoginProfile,
  DeleteLoginProfile: iam.DeleteLoginProfile,
  ChangePassword: iam.ChangePassword,
  DisableUser: iam.DisableUser,
  EnableUser: iam.EnableUser,
  CreateGroup: iam.CreateGroup,
  ListGroups: iam.ListGroups,
  GetGroup: iam.GetGroup,
  ListGroupsForUser: iam.ListGroupsForUser,
  AddUserToGroup: iam.AddUserToGroup,
  RemoveUserFromGroup: iam.RemoveUserFromGroup,
  AttachUserPolicy: iam.AttachUserPolicy,
  AttachGroupPolicy: iam.AttachGroupPolicy,
  DetachUserPolicy: iam.DetachUserPolicy,
  DetachGroupPolicy: iam.DetachGroupPolicy,
  PutUserPolicy: iam.PutUserPolicy,
  PutGroupPolicy: iam.PutGroupPolicy,
  DeleteUserPolicy: iam.DeleteUserPolicy,
  DeleteGroupPolicy: iam.DeleteGroupPolicy,
  ListPolicies: iam.ListPolicies,
  ListPrincipalPolicies: iam.ListPrincipalPolicies,
  // sts
  GetCallerIdentity: sts.GetCallerIdentity,
  // tenants
  CreateTenant: tenants.CreateTenant,
  ListTenants: tenants.ListTenants,
  DisableTenant: tenants.DisableTenant,
  EnableTenant: tenants.EnableTenant,
  // audit
  LookupEvents: audit.LookupEvents,
  ExportEvents: audit.ExportEvents,
  VerifyEvents: audit.VerifyEvents,
  GetAuditPublicKey: audit.GetAuditPublicKey,
  // signing
  Sign: signing.Sign,
  Verify: signing.Verify,
  // mac
  GenerateMac: mac.GenerateMac,
  VerifyMac: mac.VerifyMac,
  // key-agreement
  DeriveSharedSecret: keyAgreement.DeriveSharedSecret,
  // public-key
  GetPublicKey: publicKey.GetPublicKey,
  ExportPublicKey: publicKey.ExportPublicKey,
  // data-key-pairs
  GenerateDataKeyPair: dataKeyPairs.GenerateDataKeyPair,
  GenerateDataKeyPairWithoutPlaintext: dataKeyPairs.GenerateDataKeyPairWithoutPlaintext,
  // import
  GetParametersForImport: keyImport.GetParametersForImport,
  ImportKeyMaterial: keyImport.ImportKeyMaterial,
  DeleteImportedKeyMaterial: keyImport.DeleteImportedKeyMaterial,
  // approvals (quorum)
  PutApprovalRules: approvals.PutApprovalRules,
  GetApprovalRules: approvals.GetApprovalRules,
  ListApprovalRequests: approvals.ListApprovalRequests,
  GetApprovalRequest: approvals.GetApprovalRequest,
  ApproveRequest: approvals.ApproveRequest,
  RejectRequest: approvals.RejectRequest,
  ExecuteApprovalRequest: approvals.ExecuteApprovalRequest,
} satisfies Handlers;
