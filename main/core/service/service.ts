// The service: every operation runs as service.call(caller, name, input).
// It checks the caller is signed in, validates the input against the
// operation's schema, makes reads fresh (another process may have written),
// runs the handler with a context that applies AWS's rules (or, for a
// DryRun, every check and nothing else: dry-run.ts), puts the output's
// members in AWS's order (api/member-order.ts), records the call in the
// tenant's audit trail, and turns every failure into a KmsError.
import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import type { z } from 'zod';
import { keyArn } from '../codecs/arn.js';
import { Authorizer } from '../policy/authorize.js';
import { CallContext, type ContextServices } from './call-context.js';
import type { Caller, CallSource } from './caller.js';
import { hashPassphrase, verifyPassphrase, DEFAULT_ARGON2, type Argon2Params, type PassphraseHash } from '../crypto/argon2.js';
import { callerOf, SignIn, type SignInRequest } from './sign-in.js';
import { credentialOf, LoginSessions, liveSession, type ResumeRequest, type SessionKey, type SessionState, type StartedSession } from './sessions.js';
import { credentialBinding } from './session-token.js';
import { accessDenied, KmsError, toKmsError, validation } from '../errors.js';
import { KeyMaterials } from '../kms/key-material.js';
import type { ApprovalRequestRecord, KeyRecord, TenantRecord } from '../model.js';
import { CONTRACT, SERVICE_OPERATION_NAMES, isOperationName, type InputOf, type OutputOf, type ServiceOperationName } from '../../api/index.js';
import type { InternalCall, OperationDef } from './operation.js';
import { HANDLERS } from '../operations/index.js';
import { buildServiceEvent, buildVaultEvent, type AuditEvent, type JsonObject, type SourceType } from '../audit/event.js';
import { CallRecord } from './call-record.js';
import type { AuditTrail, VaultRepository } from './ports.js';
import { rotateKey } from '../kms/rotate.js';
import { materialExpired, removeImportedMaterial } from '../kms/import/expiry.js';
import { insertTenant, tenantNamed } from './tenancy.js';
import { checkInputValue } from './input-bounds.js';
import { formatIssues } from './validation.js';
import { requirementsFor } from '../approvals/rules.js';
import { requestInput } from '../approvals/request.js';
import { encodeInput } from '../approvals/input-codec.js';
import { holdForApproval, runAsApproved } from './approval-gate.js';
import { dryRun, isDryRun } from './dry-run.js';
import { inSchemaOrder } from '../../api/member-order.js';

export interface ServiceOptions {
  /** epoch ms; tests move time forward to reach deletion and rotation dates */
  clock?: () => number;
  /** where internal errors go; never given key material */
  log?: (message: string, error?: unknown) => void;
  /** Argon2id cost for new passphrases (tests may lower it; production never does) */
  argon2?: Argon2Params;
  /**
   * Builds the audit trail; it is given the way to open a tenant's key (for
   * its signing key) and nothing else of the key hierarchy. Without it,
   * call() refuses to run: no call goes unrecorded.
   */
  audit?: (tenantKey: (account: string) => Promise<KeyObject>) => AuditTrail;
  /** the vault's id and session key (crypto/subkeys.ts "session"): without them, no session outlives its process (sessions.ts) */
  sessionKey?: SessionKey;
}

export type { SignInRequest } from './sign-in.js';

/** What the service remembers about a signed-in caller: what it must still match before each call (sessions.ts), and a pending passphrase change. */
interface Session extends SessionState {
  mustChangePassphrase: boolean;
}

const REGION = /^[a-z0-9][a-z0-9-]{0,31}$/;
/** While a passphrase change is pending, only these may run (IAM "Require password reset"). */
const ALLOWED_BEFORE_CHANGE = new Set(['iam:ChangePassword', 'sts:GetCallerIdentity']);
export const MIN_PASSPHRASE_LENGTH = 8;

/** Each operation of the contract with its handler (operations/index.ts proves there is one for each). */
// Each declaration with its handler: an object on top of the declaration, not a copy, so its schemas stay unbuilt until a call needs them (api/operation.ts).
const OPERATIONS: ReadonlyMap<string, OperationDef> = new Map(
  SERVICE_OPERATION_NAMES.map((name) => [name, Object.assign(Object.create(CONTRACT[name]) as OperationDef, { handler: HANDLERS[name] })]),
);

export class Service {
  readonly #repo: VaultRepository;
  readonly #materials: KeyMaterials;
  readonly #authorizer: Authorizer;
  readonly #sessions = new WeakMap<Caller, Session>();
  readonly #clock: () => number;
  readonly #log: (message: string, error?: unknown) => void;
  readonly #argon2: Argon2Params;
  readonly #audit: AuditTrail;
  /** what every call's context borrows from the service (call-context.ts) */
  readonly #callServices: ContextServices;
  /** sign-in: the check, its audit record, the slowing of repeated failures (sign-in.ts) */
  readonly #signIn: SignIn;
  /** sessions that outlive their process: their tokens, checks and records (sessions.ts) */
  readonly #logins: LoginSessions;

  constructor(repo: VaultRepository, vmk: Uint8Array, options: ServiceOptions = {}) {
    this.#repo = repo;
    this.#materials = new KeyMaterials(createSecretKey(vmk));
    this.#authorizer = new Authorizer(repo);
    this.#clock = options.clock ?? Date.now;
    this.#log = options.log ?? (() => {});
    this.#argon2 = options.argon2 ?? DEFAULT_ARGON2;
    this.#audit = options.audit ? options.audit((account) => this.#tenantKey(account)) : NO_AUDIT;
    this.#callServices = {
      repo,
      audit: this.#audit,
      materials: this.#materials,
      authorizer: this.#authorizer,
      hashPassphrase: (p) => this.hashPassphrase(p),
      verifyPassphrase: (p, h) => verifyPassphrase(p, h),
      settle: (key, now, source) => this.#settle(key, now, source),
      runDueWork: () => this.runDueWork(),
      runApproved: (caller, request, internal) => this.#runApproved(caller, request, internal),
    };
    this.#signIn = new SignIn({ repo, audit: this.#audit, clock: this.#clock, argon2: this.#argon2, log: this.#log });
    this.#logins = new LoginSessions({ repo, audit: this.#audit, clock: this.#clock, log: this.#log, sessionKey: options.sessionKey });
  }

  async #tenantKey(account: string): Promise<KeyObject> {
    const t = await this.#repo.tenant(account);
    if (!t) throw new KmsError('KMSInternalException', `There is no tenant ${account}.`);
    return this.#materials.tenantKey(t);
  }

  /**
   * Creates a tenant with its tenant key and its administrator `admin`
   * (StrongroomAdministrator attached). Used by `init` and by CreateTenant.
   */
  async createTenant(name: string, adminPassphrase: string, opts: { passwordResetRequired?: boolean } = {}): Promise<TenantRecord> {
    const passphrase = await this.hashPassphrase(adminPassphrase);
    return this.#repo.write((tx) =>
      insertTenant(tx, this.#materials, name, passphrase, { now: this.#clock(), passwordResetRequired: opts.passwordResetRequired ?? false }),
    );
  }

  /** An Argon2id hash of a new passphrase at the service's cost. */
  hashPassphrase(passphrase: string): Promise<PassphraseHash> {
    checkNewPassphrase(passphrase);
    return hashPassphrase(passphrase, this.#argon2);
  }

  /**
   * Authenticates a user (sign-in.ts): every failure is the same
   * AccessDeniedException after the same Argon2id work, is recorded in the
   * audit trail, and counts towards locking the user name out for a while.
   */
  async signIn(req: SignInRequest): Promise<Caller> {
    checkRegion(req.region);
    const { tenant, user } = await this.#signIn.authenticate(req);
    const caller = callerOf(tenant, user, req);
    this.#sessions.set(caller, { mustChangePassphrase: user.passwordResetRequired, userId: user.userId, credential: credentialOf(user) });
    return caller;
  }

  /**
   * Signs in as signIn does (the passphrase checked, failures recorded and
   * slowed), then starts a session of `durationSeconds` that later processes
   * resume with its token, without the passphrase (sessions.ts): the CLI's
   * `strongroom login`. The login is recorded with the session's id and expiry.
   */
  async startSession(req: SignInRequest, durationSeconds: number): Promise<StartedSession & { caller: Caller }> {
    checkRegion(req.region);
    this.#logins.check(durationSeconds); // before the passphrase: a bad duration costs no sign-in
    const { tenant, user } = await this.#signIn.authenticate(req);
    const caller = callerOf(tenant, user, req);
    const started = await this.#logins.start(caller, user, durationSeconds);
    this.#sessions.set(caller, {
      mustChangePassphrase: user.passwordResetRequired,
      userId: user.userId,
      credential: credentialOf(user),
      token: { id: started.sessionId, expiresAt: started.expiresAt },
    });
    return { ...started, caller };
  }

  /**
   * A caller for the session `token` names, without the passphrase and so
   * without Argon2id (sessions.ts): refused, and recorded as refused, once the
   * session has expired (ExpiredTokenException), its user is disabled or
   * deleted or its passphrase changed, its tenant disabled, or the token is
   * not this vault's session of `req`'s tenant and user (AccessDeniedException).
   * Every call the caller makes is recorded with the session's id.
   */
  async resumeSession(token: string, req: ResumeRequest): Promise<Caller> {
    checkRegion(req.region);
    try {
      const { tenant, user, state } = await this.#logins.resume(token, req);
      const caller = callerOf(tenant, user, req);
      this.#sessions.set(caller, { ...state, mustChangePassphrase: user.passwordResetRequired });
      return caller;
    } catch (e) {
      if (!(e instanceof KmsError)) this.#log('resuming a session failed', e);
      throw toKmsError(e);
    }
  }

  /** Records the end of the session `token` names (the CLI's `strongroom logout`); undefined when it is no session of this vault. */
  endSession(token: string, region: string, source: CallSource): Promise<{ sessionId: string } | undefined> {
    return this.#logins.end(token, region, source);
  }

  /** The account id of the tenant `tenant` names (an account id or a name; none: the operator tenant), or undefined: where a stored session is looked up. */
  async accountOf(tenant: string | undefined): Promise<string | undefined> {
    await this.#repo.refresh();
    return (await tenantNamed(this.#repo, tenant))?.account;
  }

  /**
   * The same signed-in user in another region (the desktop app's region
   * switcher, app operation SwitchRegion). A region is the caller's choice at
   * sign-in, not something proven, so moving asks for no passphrase; the new
   * caller shares the sign-in's state (a pending passphrase change stays
   * pending). `caller` stays signed in until signed out.
   */
  inRegion(caller: Caller, region: string): Caller {
    const session = this.#sessions.get(caller);
    if (!session) throw accessDenied('The request is not signed in: sign in first.');
    checkRegion(region);
    const moved: Caller = Object.freeze({ ...caller, region });
    this.#sessions.set(moved, session);
    return moved;
  }

  /** Ends a sign-in: calls made with `caller` from now on are refused as not signed in. */
  signOut(caller: Caller): void {
    this.#sessions.delete(caller);
  }

  /**
   * Records a call an adapter refused before it reached an operation — a
   * message from a frame that is not the app's, an unknown channel, an
   * oversized or malformed message, an app operation's bad input — so the
   * trail shows every refusal, as CloudTrail shows calls AWS refused. Runs
   * nothing; a caller that is not signed in is recorded as unauthenticated.
   */
  async recordRefusal(caller: Caller | undefined, name: string, action: string, error: KmsError): Promise<void> {
    const signedIn = caller !== undefined && this.#sessions.has(caller) ? caller : undefined;
    await this.#record(new CallRecord(signedIn, name, action, undefined, this.#clock()), caller, undefined, error);
  }

  /**
   * Records something done to the whole vault (buildVaultEvent: custody
   * recovered from shares, a restore from a backup) in every tenant's trail,
   * and resolves once every record is durable.
   */
  async recordVaultEvent(operation: string, details: JsonObject, source: SourceType): Promise<void> {
    const time = this.#clock();
    for (const t of await this.#repo.tenants()) {
      await this.#append(t.account, buildVaultEvent({ time, operation, account: t.account, region: 'local-1', details, source }), undefined, operation);
    }
  }

  /** Whether `caller` is signed in and must change its passphrase before anything but ChangePassword. */
  mustChangePassphrase(caller: Caller): boolean {
    return this.#sessions.get(caller)?.mustChangePassphrase ?? false;
  }

  /** Runs one operation, typed by its name. Resolves with its output or rejects with a KmsError. */
  call<N extends ServiceOperationName>(caller: Caller, name: N, input: InputOf<N>): Promise<OutputOf<N>> {
    return this.#run(caller, name, OPERATIONS.get(name), input) as Promise<OutputOf<N>>;
  }

  /**
   * Runs an operation an adapter names (a CLI command, a bridge message):
   * the name and the input come from outside, so both are checked here (an
   * unknown name is a ValidationException, recorded like any call).
   */
  dispatch(caller: Caller, name: string, input: unknown): Promise<unknown> {
    return this.#run(caller, name, isOperationName(name) ? OPERATIONS.get(name) : undefined, input);
  }

  /**
   * Runs an internal operation: one kept out of the operation table on
   * purpose, so no adapter (CLI, IPC) can reach it by name — the age ssh-rsa
   * unwrap (core/kms/age-unwrap.ts) that main/files/age-decrypt.ts needs. Same
   * sign-in, validation, authorization and error handling as call(). With
   * `approvalRequestId`, runs that approved request instead, which must hold
   * this operation with this input (an `approvable` one: approval-gate.ts).
   */
  callInternal(caller: Caller, op: OperationDef, input: unknown, approvalRequestId?: string): Promise<unknown> {
    if (approvalRequestId === undefined) return this.#run(caller, op.name, op, input);
    // An approved request of an approvable internal operation (a backup, a re-split) runs as
    // ExecuteApprovalRequest runs any request, checked and recorded alike, with this call's operation.
    return this.#run(caller, 'ExecuteApprovalRequest', OPERATIONS.get('ExecuteApprovalRequest'), { RequestId: approvalRequestId }, undefined, { op, input });
  }

  /**
   * Runs `op` for `caller`. With `approved`, the call runs an approved
   * request (ExecuteApprovalRequest): it is not held again, and the request
   * is marked executed with its first write (approval-gate.ts).
   */
  async #run(caller: Caller, name: string, op: OperationDef | undefined, input: unknown, approved?: ApprovalRequestRecord, internal?: InternalCall): Promise<unknown> {
    const session = this.#sessions.get(caller);
    const record = new CallRecord(session ? { ...caller, accessKeyId: session.token?.id } : undefined, name, op?.action ?? 'kms:Unknown', op?.readOnly, this.#clock());
    let out: unknown;
    let error: KmsError | undefined;
    try {
      if (!session) throw accessDenied('The request is not signed in: sign in first.');
      if (!op) throw validation(isOperationName(name) ? `${name} is an operation of the app (main/session), not of the vault service.` : `Unknown operation '${name}'.`);
      if (session.mustChangePassphrase && !ALLOWED_BEFORE_CHANGE.has(op.action)) {
        throw accessDenied(`${caller.arn} must change its passphrase before anything else (strongroom iam change-password).`);
      }
      // Before zod or anything else walks it: a request nested thousands deep is refused, not a stack overflow.
      checkInputValue(input, 'The request');
      const parsed = op.input.safeParse(input ?? {});
      if (!parsed.success) throw validation(formatIssues(parsed.error.issues));
      record.input = parsed.data;
      // A trail that cannot be written and signed stops every call before it does anything (DESIGN §6),
      // but those that read the trail: they are how its owner finds out what is wrong with it.
      if (op.service !== 'audit') await this.#audit.ready(caller.account);
      await this.#repo.refresh();
      // A session ends when it expires, its tenant or user is disabled, its user deleted, or its passphrase changed, even in another process.
      const { tenant, user } = liveSession(caller, session, await this.#repo.tenant(caller.account), await this.#repo.user(caller.account, caller.userName), this.#clock());
      const data = parsed.data as z.output<typeof op.input> & { GrantTokens?: string[] };
      if (data.GrantTokens) await this.#checkGrantTokens(caller, data.GrantTokens);
      const ctx = new CallContext(caller, op.action, record.time, this.#callServices, record, internal);
      // the tenant's approval rules (core/approvals/): a guarded call is held until its quorum approves it
      const requirements = approved ? undefined : requirementsFor(tenant.approvals, op.action);
      if (approved) out = await runAsApproved(ctx, op, data, approved, record);
      else if (isDryRun(data)) await dryRun(ctx, op, data, requirements);
      else if (!requirements) out = await op.handler(ctx, data);
      else await holdForApproval(ctx, op, data, { requirements, settings: tenant.approvals, user, record, internal: OPERATIONS.get(op.name) !== op && !op.approvable });
      if (ctx.ownPassphrase !== undefined) session.credential = credentialBinding(ctx.ownPassphrase?.hash ?? null);
      if (op.action === 'iam:ChangePassword') session.mustChangePassphrase = false;
      // AWS's member order, whatever order the handler built them in (api/member-order.ts)
      out = inSchemaOrder(op.output, out);
    } catch (e) {
      error = toKmsError(e);
      if (error.fault === 'server') this.#log(`${name} failed`, e);
    }
    await this.#record(record, caller, out, error);
    if (error) throw error;
    return out;
  }

  /**
   * Appends the call's record and waits until it is durable (DESIGN §6): a
   * result is returned only after its audit record is committed, and a call
   * whose record cannot be written fails. A call that wrote claims the
   * intent its write transaction left (call-record.ts).
   */
  async #record(record: CallRecord, claimed: unknown, output: unknown, error: KmsError | undefined): Promise<void> {
    // A call that is not signed in names no tenant it may be trusted about: it goes to the
    // operator tenant's trail as Unauthenticated (what CloudTrail does with anonymous calls).
    const account = record.caller?.account ?? (await this.#repo.firstTenant())?.account;
    if (!account) return;
    const region = record.caller?.region ?? (typeof (claimed as Caller)?.region === 'string' ? (claimed as Caller).region : 'local-1');
    await this.#append(account, record.event(account, region, output, error), record.wrote ? record.requestId : undefined, record.operation);
  }

  async #append(account: string, event: AuditEvent, claims: string | undefined, what: string): Promise<void> {
    try {
      await this.#audit.append(account, event, claims);
    } catch (e) {
      this.#log(`the audit record of ${what} could not be written`, e);
      if (e instanceof KmsError && e.name === 'DependencyTimeoutException') throw e; // the vault is locked: retry later
      throw new KmsError('KMSInternalException', 'The audit record of this call could not be written, so the call did not complete; see the Strongroom log.');
    }
  }

  /**
   * ExecuteApprovalRequest: the request's operation with its stored input, as
   * `caller` (its requester) in the request's region. With `internal`, the
   * call that names the request (callInternal) must be the call approved:
   * the same operation with the same input.
   */
  async #runApproved(caller: Caller, request: ApprovalRequestRecord, internal?: InternalCall): Promise<Record<string, unknown>> {
    const id = request.requestId;
    if (internal && (internal.op.name !== request.operation || internal.op.action !== request.action)) {
      throw validation(`Approval request ${id} holds ${request.operation}, not ${internal.op.name}.`);
    }
    const op = internal?.op ?? OPERATIONS.get(request.operation);
    if (!op || op.action !== request.action) {
      const rerun = isOperationName(request.operation) && CONTRACT[request.operation].approvable;
      throw new KmsError(
        'KMSInvalidStateException',
        rerun
          ? `Approval request ${id} holds ${request.operation}, which writes its files where it runs: its requester runs it by calling ${request.operation} again, as approved, naming the request (ApprovalRequestId; the CLI's --approval-request-id).`
          : `Approval request ${id} names ${request.operation}, which this Strongroom does not run.`,
      );
    }
    if (internal) {
      const parsed = op.input.safeParse(internal.input);
      if (!parsed.success || encodeInput(parsed.data) !== request.input) {
        throw validation(`Approval request ${id} approved ${op.name} with other input than this call's: call it as approved (GetApprovalRequest shows the input), or make a new request.`);
      }
    }
    const as = caller.region === request.region ? caller : this.inRegion(caller, request.region);
    return (await this.#run(as, op.name, op, requestInput(request), request)) as Record<string, unknown>;
  }

  /** Appends the records of changes whose process died before recording them (after a crash); with `all`, of every change without one (ports.ts AuditTrail.recover). */
  recoverAudit(opts: { all?: boolean } = {}): Promise<void> {
    return this.#audit.recover(opts);
  }

  /** Destroys keys past their deletion date and rotates keys past their rotation date, in every tenant. */
  async runDueWork(): Promise<void> {
    const now = this.#clock();
    for (const key of await this.#repo.dueKeys(now)) await this.#settle(key, now);
  }

  /** Writes the audit trail's closing digests, then closes the repository. */
  async close(): Promise<void> {
    try {
      await this.#audit.close();
    } finally {
      this.#materials.clear();
      await this.#repo.close();
    }
  }

  async #checkGrantTokens(caller: Caller, tokens: string[]): Promise<void> {
    for (const token of tokens) {
      const grant = await this.#repo.grantByToken(token);
      if (!grant || grant.account !== caller.account) {
        throw new KmsError('InvalidGrantTokenException', 'A grant token is not valid: it names no grant in this account (it may have been retired or revoked).');
      }
    }
  }

  /**
   * Applies a key's due deletion, material expiry or rotation; returns the
   * key as it now is (undefined once destroyed). What Strongroom does on its
   * own is recorded like a call (buildServiceEvent), with an intent in the
   * same transaction, so a crash cannot separate it from its record.
   */
  async #settle(key: KeyRecord, now: number, source: CallSource = 'sdk'): Promise<KeyRecord | undefined> {
    const tenant = await this.#repo.tenant(key.account);
    const requestId = randomUUID();
    let event: AuditEvent | undefined;
    const next = await this.#repo.write(async (tx) => {
      const cur = await tx.key(key, key.keyId);
      if (!cur) return undefined;
      let what: string | undefined;
      let result: KeyRecord | undefined = cur;
      if (cur.state === 'PendingDeletion' && cur.deletionDate !== null && cur.deletionDate <= now) {
        await tx.deleteKey(cur, cur.keyId);
        this.#materials.forget(cur.account, cur.keyId);
        what = 'DeleteKey';
        result = undefined;
      } else if (materialExpired(cur, now)) {
        // imported material past its ValidTo: deleted, the key PendingImport
        result = await removeImportedMaterial(tx, cur);
        this.#materials.forget(cur.account, cur.keyId);
        what = 'DeleteExpiredKeyMaterial';
      } else if (tenant && cur.state === 'Enabled' && cur.nextRotationAt !== null && cur.nextRotationAt <= now) {
        result = await rotateKey(tx, this.#materials, tenant, cur, now, 'AUTOMATIC');
        what = 'RotateKey';
      }
      if (what) {
        event = buildServiceEvent({ time: now, operation: what, account: cur.account, region: cur.region, keyArn: keyArn(cur), source, requestId });
        await tx.journal({ requestId, account: cur.account, event });
      }
      return result;
    });
    if (event) await this.#append(key.account, event, requestId, event.eventName);
    return next;
  }
}

/** A service built without an audit trail (vault init) runs no operations. */
const NO_AUDIT: AuditTrail = {
  append: async () => {
    throw new Error('this service has no audit trail');
  },
  ready: async () => {
    throw new Error('this service has no audit trail');
  },
  recover: async () => {},
  lookup: async () => ({ events: [] }),
  exportText: async () => '',
  verifyStored: async () => {
    throw new Error('this service has no audit trail');
  },
  publicKeyPem: async () => {
    throw new Error('this service has no audit trail');
  },
  head: async () => 0,
  records: async () => [],
  signStatement: async () => {
    throw new Error('this service has no audit trail');
  },
  close: async () => {},
};

function checkRegion(region: string): void {
  if (!REGION.test(region)) throw validation(`Region '${region}' is not valid: use lower-case letters, digits and '-', like local-1.`);
}

function checkNewPassphrase(p: string): void {
  if (p.length < MIN_PASSPHRASE_LENGTH) {
    throw new KmsError('PasswordPolicyViolationException', `A passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters long.`);
  }
}
