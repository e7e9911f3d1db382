// The OpContext a handler runs with (context.ts): one object per call,
// its helpers methods on a prototype rather than a dozen closures made for
// every call (the service's per-call cost is what the symmetric and
// signing benchmarks measure against the bare primitive).
import { keyArn, keyArnIn, parseKeyRef, type Scope } from '../codecs/arn.js';
import { baseContext, type Authorizer, type RequestContext } from '../policy/authorize.js';
import type { CallRecord } from './call-record.js';
import type { Caller, CallSource } from './caller.js';
import type { KeyLookup, OpContext } from './context.js';
import type { InternalCall } from './operation.js';
import type { PassphraseHash } from '../crypto/argon2.js';
import { accessDenied, KmsError, notFound } from '../errors.js';
import type { KeyMaterials } from '../kms/key-material.js';
import { isDue } from '../kms/key-state.js';
import type { ApprovalRequestRecord, KeyRecord, TenantRecord } from '../model.js';
import type { AuditTrail, RepoReads, RepoTx, VaultRepository } from './ports.js';

/** What the service lends every call's context: the same for all calls. */
export interface ContextServices {
  repo: VaultRepository;
  audit: AuditTrail;
  materials: KeyMaterials;
  authorizer: Authorizer;
  hashPassphrase(passphrase: string): Promise<PassphraseHash>;
  verifyPassphrase(passphrase: string, hash: PassphraseHash): Promise<boolean>;
  /** applies a key's due deletion, rotation or material expiry; undefined once destroyed */
  settle(key: KeyRecord, now: number, source: CallSource): Promise<KeyRecord | undefined>;
  runDueWork(): Promise<void>;
  /** runs an approved request's operation as `caller`, its requester (service.ts) */
  runApproved(caller: Caller, request: ApprovalRequestRecord, internal?: InternalCall): Promise<Record<string, unknown>>;
}

/**
 * What the service watches a call's writes with (service.ts, core/approvals/):
 * a call held for approval stops before its first write; a call running an
 * approved request marks it executed inside its first write transaction; a
 * dry run makes its first write, checks and all, and rolls it back.
 */
export interface WriteGuard {
  /** before the first write transaction opens; throwing stops the call there, nothing written */
  beforeFirstWrite?(): void;
  /** inside the first write transaction, before the call's own changes; throwing rolls them all back */
  inFirstWrite?(tx: RepoTx): Promise<void>;
  /** inside the first write transaction, after the call's own changes (and the checks made with them); throwing rolls them all back */
  afterFirstWrite?(): void;
}

export class CallContext implements OpContext {
  readonly scope: Scope;
  readonly repo: RepoReads;
  readonly audit: AuditTrail;
  readonly materials: KeyMaterials;
  readonly authorizer: Authorizer;
  readonly #services: ContextServices;
  readonly #record: CallRecord;
  /** the caller's own new passphrase (null: removed), when this call changed it; the service keeps the caller's session on it */
  ownPassphrase: PassphraseHash | null | undefined = undefined;
  #guard: WriteGuard | undefined;

  constructor(
    readonly caller: Caller,
    readonly action: string,
    readonly now: number,
    services: ContextServices,
    /** what the call's audit record is made of (the keys it touches go into it) */
    record: CallRecord,
    /** an internal call running the approved request this call executes (service.ts callInternal) */
    readonly internal?: InternalCall,
  ) {
    this.scope = { account: caller.account, region: caller.region };
    this.repo = services.repo;
    this.audit = services.audit;
    this.materials = services.materials;
    this.authorizer = services.authorizer;
    this.#services = services;
    this.#record = record;
  }

  /** Replaces the guard of this call's writes (service.ts: a held call's request is written unguarded). */
  guardWrites(guard: WriteGuard | undefined): void {
    this.#guard = guard;
  }

  /** Whether a write transaction of this call has committed. */
  get written(): boolean {
    return this.#record.wrote;
  }

  /**
   * Runs fn in one write transaction that also writes this call's audit
   * intent (call-record.ts), so no change commits without a record that
   * stands for it. Handlers write only through here: OpContext.repo reads.
   */
  async write<T>(fn: (tx: RepoTx) => Promise<T>): Promise<T> {
    const record = this.#record;
    const guard = record.wrote ? undefined : this.#guard;
    guard?.beforeFirstWrite?.();
    const out = await this.#services.repo.write(async (tx) => {
      await guard?.inFirstWrite?.(tx);
      const result = await fn(notingKeys(tx, record.touched));
      guard?.afterFirstWrite?.();
      await tx.journal(record.intent());
      return result;
    });
    record.wrote = true;
    return out;
  }

  runApproved(request: ApprovalRequestRecord): Promise<Record<string, unknown>> {
    return this.#services.runApproved(this.caller, request, this.internal);
  }

  async tenant(): Promise<TenantRecord> {
    const t = await this.repo.tenant(this.scope.account);
    if (!t) throw accessDenied(`Account ${this.scope.account} no longer exists.`);
    return t;
  }

  async key(ref: string, opts: KeyLookup = {}): Promise<KeyRecord> {
    const key = await this.#resolve(ref, opts.allowAlias ?? true);
    await this.authorizeKey(key, opts.action, opts.context);
    return key;
  }

  async authorizeKey(key: KeyRecord, action = this.action, context: RequestContext = {}): Promise<void> {
    await this.authorizer.check(this.caller, action, key, baseContext(this.caller, key, context));
  }

  async authorize(action = this.action, context: RequestContext = {}): Promise<void> {
    await this.authorizer.check(this.caller, action, undefined, baseContext(this.caller, undefined, context));
  }

  async mutateKey(ref: string, change: (key: KeyRecord) => KeyRecord, opts: KeyLookup = {}): Promise<KeyRecord> {
    const key = await this.#resolve(ref, opts.allowAlias ?? false);
    await this.authorizeKey(key, opts.action, opts.context);
    const scope = this.scope;
    return this.write(async (tx) => {
      const cur = await tx.key(scope, key.keyId);
      if (!cur) throw notFound(`Key '${ref}' does not exist in account ${scope.account}, region ${scope.region}.`);
      const next = change(cur);
      await tx.updateKey(next);
      return next;
    });
  }

  hashPassphrase(passphrase: string): Promise<PassphraseHash> {
    return this.#services.hashPassphrase(passphrase);
  }

  verifyPassphrase(passphrase: string, hash: PassphraseHash): Promise<boolean> {
    return this.#services.verifyPassphrase(passphrase, hash);
  }

  passphraseChanged(userName: string, hash: PassphraseHash | null): void {
    if (userName === this.caller.userName) this.ownPassphrase = hash;
  }

  runDueWork(): Promise<void> {
    return this.#services.runDueWork();
  }

  async operatorAccount(): Promise<string> {
    const first = await this.repo.firstTenant();
    if (!first) throw new KmsError('KMSInternalException', 'The vault has no operator tenant.');
    return first.account;
  }

  /** A KeyId argument to a live key record, applying whatever is due on it first. */
  async #resolve(ref: string, allowAlias: boolean): Promise<KeyRecord> {
    const scope = this.scope;
    const parsed = parseKeyRef(scope, ref, allowAlias);
    let keyId: string;
    if (parsed.kind === 'alias') {
      const alias = await this.repo.alias(scope, parsed.aliasName);
      if (!alias) throw notFound(`Alias ${parsed.aliasName} does not exist in account ${scope.account}, region ${scope.region}.`);
      keyId = alias.keyId;
    } else keyId = parsed.keyId;
    let key = await this.repo.key(scope, keyId);
    if (key && isDue(key, this.now)) key = await this.#services.settle(key, this.now, this.caller.source);
    if (!key) throw notFound(`Key '${ref}' does not exist in account ${scope.account}, region ${scope.region}.`);
    this.#record.touched.push(keyArn(key));
    return key;
  }
}

/** tx, noting the keys it inserts, updates or deletes as touched: a record names the keys its call changed. */
function notingKeys(tx: RepoTx, touched: string[]): RepoTx {
  return {
    ...tx,
    insertKey: (k) => (touched.push(keyArn(k)), tx.insertKey(k)),
    updateKey: (k) => (touched.push(keyArn(k)), tx.updateKey(k)),
    deleteKey: (s, keyId) => (touched.push(keyArnIn(s, keyId)), tx.deleteKey(s, keyId)),
  };
}
