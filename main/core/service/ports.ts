// What the core needs from persistence. main/store implements it over
// SQLite; the core knows nothing of SQL. Every read and write is scoped by
// the tenant's account (and region, for regional resources).
import type { Scope } from '../codecs/arn.js';
import type { StoredRecord } from '../audit/chain.js';
import type { AuditEvent } from '../audit/event.js';
import type { VerifyResult } from '../audit/verify.js';
import type {
  AliasRecord,
  ApprovalDecisionRecord,
  ApprovalRequestRecord,
  GrantRecord,
  GroupRecord,
  IdentityPolicyRecord,
  ImportTokenRecord,
  KeyRecord,
  MaterialRecord,
  PrincipalType,
  SignInFailureRecord,
  Tag,
  TenantRecord,
  UserRecord,
} from '../model.js';

export interface RepoReads {
  tenant(account: string): Promise<TenantRecord | undefined>;
  tenantByName(name: string): Promise<TenantRecord | undefined>;
  /** the operator tenant: the one created by `init` */
  firstTenant(): Promise<TenantRecord | undefined>;
  /** the vault's recovery record as stored (JSON), checked against its MAC; undefined before the first split */
  recoveryRecord(): Promise<string | undefined>;
  tenants(): Promise<TenantRecord[]>;
  user(account: string, userName: string): Promise<UserRecord | undefined>;
  users(account: string): Promise<UserRecord[]>;
  group(account: string, groupName: string): Promise<GroupRecord | undefined>;
  groups(account: string): Promise<GroupRecord[]>;
  /** names of the groups a user belongs to */
  groupsOfUser(account: string, userName: string): Promise<string[]>;
  /** user names in a group */
  members(account: string, groupName: string): Promise<string[]>;
  /** the policies attached to or inlined in one user or group */
  identityPolicies(account: string, type: PrincipalType, name: string): Promise<IdentityPolicyRecord[]>;
  /** every identity policy that applies to a user: its own and its groups' */
  effectivePolicies(account: string, userName: string): Promise<IdentityPolicyRecord[]>;
  grant(account: string, grantId: string): Promise<GrantRecord | undefined>;
  grantByToken(token: string): Promise<GrantRecord | undefined>;
  /** grants on one key, oldest first */
  grants(account: string, keyId: string): Promise<GrantRecord[]>;
  /** grants in the account whose retiring principal is `principal`, oldest first */
  retirableGrants(account: string, principal: string): Promise<GrantRecord[]>;

  key(scope: Scope, keyId: string): Promise<KeyRecord | undefined>;
  /** keys ordered by key id, strictly after `after` */
  keys(scope: Scope, after: string | undefined, limit: number): Promise<KeyRecord[]>;
  countKeys(account: string): Promise<number>;
  /** keys whose deletion date or rotation date is at or before `now`, any tenant */
  dueKeys(now: number): Promise<KeyRecord[]>;
  /** an unexpired-or-not import token by its id (GetParametersForImport / ImportKeyMaterial) */
  importToken(account: string, tokenId: string): Promise<ImportTokenRecord | undefined>;
  /** the keyed commitment to a key's first imported material: re-imports must match it */
  materialCommitment(account: string, keyId: string): Promise<Buffer | undefined>;

  material(account: string, keyId: string, version: number): Promise<MaterialRecord | undefined>;
  /** every material version of a key, oldest first */
  materials(account: string, keyId: string): Promise<MaterialRecord[]>;

  alias(scope: Scope, aliasName: string): Promise<AliasRecord | undefined>;
  /** aliases ordered by name, strictly after `after`, optionally only those of one key */
  aliases(scope: Scope, keyId: string | undefined, after: string | undefined, limit: number): Promise<AliasRecord[]>;

  tags(account: string, keyId: string): Promise<Tag[]>;

  /** failed sign-ins under a user name in a tenant (core/service/sign-in.ts); never cached */
  signInFailures(tenant: string, userName: string): Promise<SignInFailureRecord | undefined>;

  /** an approval request (core/approvals/), checked against its MAC */
  approvalRequest(account: string, requestId: string): Promise<ApprovalRequestRecord | undefined>;
  /** approval requests newest first, strictly before `before` in that order */
  approvalRequests(account: string, before: ApprovalRequestPosition | undefined, limit: number): Promise<ApprovalRequestRecord[]>;
  /** the requests of a requester still Pending and not expired at `now` */
  countOpenApprovalRequests(account: string, requester: string, now: number): Promise<number>;
  /** the decisions on a request, oldest first, each checked against its MAC */
  approvalDecisions(account: string, requestId: string): Promise<ApprovalDecisionRecord[]>;
}

/** Where a page of approval requests (newest first) continues. */
export interface ApprovalRequestPosition {
  createdAt: number;
  requestId: string;
}

/**
 * A change's audit record written ahead, in the change's own transaction
 * (store migration 0006): appended in place of the call's own record if the
 * process dies before that one is written.
 */
export interface AuditIntent {
  /** the call's requestID: its own append claims the intent by it */
  requestId: string;
  account: string;
  event: AuditEvent;
}

/** Writes of the sign-in failure counts (core/service/sign-in.ts), rows no cache holds. */
export interface SignInFailuresTx {
  signInFailures(tenant: string, userName: string): Promise<SignInFailureRecord | undefined>;
  /** inserts or replaces */
  putSignInFailures(r: SignInFailureRecord): Promise<void>;
  deleteSignInFailures(tenant: string, userName: string): Promise<void>;
  /** removes the records of every name whose last failure was at or before `before`, any tenant */
  forgetSignInFailures(before: number): Promise<void>;
}

export interface RepoTx extends RepoReads, SignInFailuresTx {
  /** writes (or replaces) the intent of the call this transaction belongs to */
  journal(intent: AuditIntent): Promise<void>;
  insertTenant(t: TenantRecord): Promise<void>;
  updateTenant(t: TenantRecord): Promise<void>;
  /** stores (or replaces: a re-split revokes the old shares) the vault's recovery record, sealed with its MAC */
  putRecoveryRecord(recordJson: string): Promise<void>;
  insertUser(u: UserRecord): Promise<void>;
  /** replaces the user's passphrase and flags */
  updateUser(u: UserRecord): Promise<void>;
  /** removes a user with its memberships and policies */
  deleteUser(account: string, userName: string): Promise<void>;
  insertGroup(g: GroupRecord): Promise<void>;
  addMember(account: string, groupName: string, userName: string): Promise<void>;
  removeMember(account: string, groupName: string, userName: string): Promise<void>;
  /** inserts or replaces (same principal, kind and name) */
  putIdentityPolicy(p: IdentityPolicyRecord): Promise<void>;
  deleteIdentityPolicy(p: Pick<IdentityPolicyRecord, 'account' | 'principalType' | 'principalName' | 'kind' | 'policyName'>): Promise<void>;
  insertGrant(g: GrantRecord): Promise<void>;
  deleteGrant(account: string, grantId: string): Promise<void>;
  insertKey(k: KeyRecord): Promise<void>;
  /** replaces the key's mutable fields */
  updateKey(k: KeyRecord): Promise<void>;
  /** destroys a key with its material, aliases and tags */
  deleteKey(scope: Scope, keyId: string): Promise<void>;
  insertMaterial(m: MaterialRecord): Promise<void>;
  /** removes every material version of a key (DeleteImportedKeyMaterial, expiry of imported material) */
  deleteMaterials(account: string, keyId: string): Promise<void>;
  insertImportToken(t: ImportTokenRecord): Promise<void>;
  /** removes import tokens that expired at or before `now`, any tenant */
  deleteExpiredImportTokens(now: number): Promise<void>;
  /** records the commitment to a key's imported material (first import only) */
  setMaterialCommitment(account: string, keyId: string, commitment: Buffer): Promise<void>;
  insertAlias(a: AliasRecord): Promise<void>;
  updateAlias(a: AliasRecord): Promise<void>;
  deleteAlias(scope: Scope, aliasName: string): Promise<void>;
  /** replaces the key's whole tag set */
  setTags(account: string, keyId: string, tags: Tag[]): Promise<void>;
  insertApprovalRequest(r: ApprovalRequestRecord): Promise<void>;
  /** stores a request's new status (Rejected or Executed) and when */
  closeApprovalRequest(r: ApprovalRequestRecord): Promise<void>;
  /** a user's decision; a second one by the same user on the same request is refused by the table's key */
  insertApprovalDecision(d: ApprovalDecisionRecord): Promise<void>;
}

export interface VaultRepository extends RepoReads {
  /**
   * After this resolves, reads see every commit made by any process before
   * it was called. Calls made together share one check.
   */
  refresh(): Promise<void>;
  /**
   * Runs fn in one write transaction (BEGIN IMMEDIATE … COMMIT): all of it
   * lands or none of it does, and no other writer interleaves.
   */
  write<T>(fn: (tx: RepoTx) => Promise<T>): Promise<T>;
  /**
   * As write(), for the sign-in failure counts alone: no cache holds them,
   * so it leaves the change counter alone and no process drops its caches
   * because someone mistyped a passphrase.
   */
  writeSignInFailures<T>(fn: (tx: SignInFailuresTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Lookup filters of the audit trail (CloudTrail LookupEvents' attributes). */
export interface AuditLookup {
  startTime?: Date | number | string;
  endTime?: Date | number | string;
  eventName?: string;
  /** any of these event names (GetKeyLastUsage's cryptographic operations) */
  eventNames?: readonly string[];
  /** only records of calls that succeeded (no errorCode) */
  succeeded?: boolean;
  userName?: string;
  /** a key ARN, or a bare key id */
  keyArn?: string;
  limit?: number;
  nextToken?: string;
}

/**
 * The tenant-chained, signed audit trail (DESIGN §6). append resolves only
 * once the record is durable; the service fails a call whose record could
 * not be written. main/store/audit/audit-log.ts implements it.
 */
export interface AuditTrail {
  /**
   * Appends a record; resolves once it is durable. With `claims`, the
   * record replaces the intent of that requestId (see AuditIntent), in the
   * same transaction; if recovery already appended the intent's record, it
   * appends nothing.
   */
  append(account: string, event: AuditEvent, claims?: string): Promise<void>;
  /**
   * Resolves when the account's trail can be written and signed (its
   * signing key opens); rejects with a KmsError otherwise. Runs before
   * every call, so a trail that cannot be kept stops calls (DESIGN §6).
   */
  ready(account: string): Promise<void>;
  /**
   * Appends the records of intents whose writer died (after a crash), and
   * signs the tails they extend. With `all`, of every intent, its writer
   * alive or not: in a vault restored from a backup, the processes that
   * wrote its intents worked on another copy, and none will claim one here.
   */
  recover(opts?: { all?: boolean }): Promise<void>;
  lookup(account: string, filters?: AuditLookup): Promise<{ events: { seq: number; event: AuditEvent }[]; nextToken?: string }>;
  exportText(account: string): Promise<string>;
  verifyStored(account: string): Promise<VerifyResult>;
  publicKeyPem(account: string): Promise<string>;
  /** The seq of the account's newest record, once every append made so far is committed (0 for none). */
  head(account: string): Promise<number>;
  /** The account's records after seq `after` up to seq `upTo`, in order (a ceremony transcript lists them, main/ceremony). */
  records(account: string, after: number, upTo: number): Promise<StoredRecord[]>;
  /** Signs a statement that is not a digest (core/audit/statement.ts) with the account's audit signing key; the signature, base64. */
  signStatement(account: string, statement: { type: string }): Promise<string>;
  close(): Promise<void>;
}
