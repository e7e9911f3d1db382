// The contract: every operation Strongroom offers, by name (operation.ts
// says what a declaration holds). The CLI, the desktop bridge and any HTTP
// endpoint speak it; main/core/operations/index.ts binds each entry to its
// handler, and the compiler checks that every entry has exactly one.
// Node-free: the renderer imports it (eslint.config.js, test/api/bundle.test.ts).
import type { z } from 'zod';
import * as keys from './operations/keys.js';
import * as aliases from './operations/aliases.js';
import * as tags from './operations/tags.js';
import * as cryptographic from './operations/cryptographic.js';
import * as rotation from './operations/rotation.js';
import * as keyLastUsage from './operations/key-last-usage.js';
import * as keyPolicies from './operations/key-policies.js';
import * as grants from './operations/grants.js';
import * as iam from './operations/iam.js';
import * as sts from './operations/sts.js';
import * as tenants from './operations/tenants.js';
import * as audit from './operations/audit.js';
import * as signing from './operations/signing.js';
import * as mac from './operations/mac.js';
import * as keyAgreement from './operations/key-agreement.js';
import * as publicKey from './operations/public-key.js';
import * as dataKeyPairs from './operations/data-key-pairs.js';
import * as keyImport from './operations/import.js';
import * as approvals from './operations/approvals.js';
import * as app from './operations/app.js';

export const CONTRACT = {
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
  // app: run by the app side (main/session), not by the vault service
  SignIn: app.SignIn,
  SignOut: app.SignOut,
  GetSession: app.GetSession,
  GetVaultStatus: app.GetVaultStatus,
  CreateVault: app.CreateVault,
  UnlockVault: app.UnlockVault,
  DescribeRecoverySplit: app.DescribeRecoverySplit,
  RecoverVaultCustody: app.RecoverVaultCustody,
  RestoreBackup: app.RestoreBackup,
  EncryptFile: app.EncryptFile,
  DecryptFile: app.DecryptFile,
  ExportAuditTrail: app.ExportAuditTrail,
  VerifyAuditTrail: app.VerifyAuditTrail,
  GetAppSettings: app.GetAppSettings,
  UpdateAppSettings: app.UpdateAppSettings,
  CopyToClipboard: app.CopyToClipboard,
  ChooseFiles: app.ChooseFiles,
  SwitchRegion: app.SwitchRegion,
  ListKeyDetails: app.ListKeyDetails,
  SavePublicKey: app.SavePublicKey,
  SplitRecoveryKey: app.SplitRecoveryKey,
  CreateBackup: app.CreateBackup,
  GetRecoveryStatus: app.GetRecoveryStatus,
  RunCeremony: app.RunCeremony,
  VerifyCeremonyTranscript: app.VerifyCeremonyTranscript,
} as const;

export type Contract = typeof CONTRACT;
export type OperationName = keyof Contract;
/** What a caller passes to an operation (before validation: optional members may be left out). */
export type InputOf<N extends OperationName> = z.input<Contract[N]['input']>;
/** What an operation returns. */
export type OutputOf<N extends OperationName> = z.output<Contract[N]['output']>;

/** The operations of the `app` service (main/session runs them), and those the vault service runs (main/core). */
export type AppOperationName = { [N in OperationName]: NonNullable<Contract[N]['service']> extends 'app' ? N : never }[OperationName];
export type ServiceOperationName = Exclude<OperationName, AppOperationName>;

export const OPERATION_NAMES = Object.keys(CONTRACT) as OperationName[];
export const isAppOperation = (name: OperationName): name is AppOperationName => (CONTRACT[name] as { service?: string }).service === 'app';
export const SERVICE_OPERATION_NAMES = OPERATION_NAMES.filter((n): n is ServiceOperationName => !isAppOperation(n));
/** The vault service's operations (core/operations), which the CLI derives its commands from; the `app` ones run in main/session. */
export const SERVICE_OPERATIONS = SERVICE_OPERATION_NAMES.map((n) => CONTRACT[n]);
export { FileJobProgress } from './operations/app.js';

/** Whether `name` is an operation of the contract (adapters get names from outside). */
export const isOperationName = (name: string): name is OperationName => Object.hasOwn(CONTRACT, name);

export type { OperationSpec, ServiceName } from './operation.js';
