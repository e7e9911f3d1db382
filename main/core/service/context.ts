// What a handler gets: who is calling, in which account and region, the
// time the call began, the repository, and the key helpers that apply
// AWS's rules (resolve KeyId, authorize, key-state checks).
import type { Scope } from '../codecs/arn.js';
import type { Authorizer, RequestContext } from '../policy/authorize.js';
import type { PassphraseHash } from '../crypto/argon2.js';
import type { KeyMaterials } from '../kms/key-material.js';
import type { ApprovalRequestRecord, KeyRecord, TenantRecord } from '../model.js';
import type { AuditTrail, RepoReads, RepoTx } from './ports.js';
import type { Caller } from './caller.js';

// Caller's old home: the modules that still import it from here (service.ts, call-context.ts, …)
// keep compiling until they import caller.js.

export interface KeyLookup {
  /** AWS takes aliases for cryptographic operations and DescribeKey, not for management */
  allowAlias?: boolean;
  /** the IAM action to authorize, when not the operation's own (ReEncryptTo) */
  action?: string;
  /** condition keys of the request (encryption context, algorithm, …) */
  context?: RequestContext;
}

export interface OpContext {
  readonly caller: Caller;
  readonly scope: Scope;
  /** when the call began, epoch ms; one value for the whole call */
  readonly now: number;
  /** reads; every write goes through write() */
  readonly repo: RepoReads;
  /**
   * Runs fn in one write transaction (all of it lands or none of it does)
   * together with this call's audit intent: a crash after the commit still
   * leaves a record of the change (DESIGN §6).
   */
  write<T>(fn: (tx: RepoTx) => Promise<T>): Promise<T>;
  readonly audit: AuditTrail;
  readonly materials: KeyMaterials;
  /** the IAM action of the operation being run */
  readonly action: string;
  /**
   * Resolves a KeyId argument (id, ARN, alias, alias ARN) to a live key the
   * caller may run this operation on. Due deletions and rotations happen
   * here, so a key past its deletion date is NotFound at once.
   */
  key(ref: string, opts?: KeyLookup): Promise<KeyRecord>;
  /** Authorizes an action that has no key resource (CreateKey, ListKeys, iam:*, …). */
  authorize(action?: string, context?: RequestContext): Promise<void>;
  /** Authorizes an action on a key already resolved. */
  authorizeKey(key: KeyRecord, action?: string, context?: RequestContext): Promise<void>;
  readonly authorizer: Authorizer;
  /** an Argon2id hash of a new passphrase (PasswordPolicyViolationException if too weak) */
  hashPassphrase(passphrase: string): Promise<PassphraseHash>;
  verifyPassphrase(passphrase: string, hash: PassphraseHash): Promise<boolean>;
  /**
   * Says this call gave `userName` a new passphrase (or removed it: null),
   * once the change is written. The user's sessions signed in with the old
   * one end at their next call (service.ts); when the caller is that user,
   * its own session goes on: it made the change.
   */
  passphraseChanged(userName: string, hash: PassphraseHash | null): void;
  /** the operator tenant's account: only its administrators manage tenants */
  operatorAccount(): Promise<string>;
  /**
   * Resolves a key id or key ARN (no aliases, as AWS's management actions
   * take), then in one write transaction re-reads the key, applies `change`
   * (which may throw to refuse) and stores the result.
   */
  mutateKey(ref: string, change: (key: KeyRecord) => KeyRecord, opts?: KeyLookup): Promise<KeyRecord>;
  /** The caller's tenant record (for sealing new key material). */
  tenant(): Promise<TenantRecord>;
  /** Destroys keys past their deletion date and rotates keys past their rotation date. */
  runDueWork(): Promise<void>;
  /**
   * Runs an approved request's operation as the caller (its requester),
   * through the whole call path again — sign-in, validation, authorization,
   * its own audit record — marking the request executed in the operation's
   * first write transaction (ExecuteApprovalRequest).
   */
  runApproved(request: ApprovalRequestRecord): Promise<Record<string, unknown>>;
}
