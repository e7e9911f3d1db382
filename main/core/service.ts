// The service: every operation runs as service.call(caller, name, input).
// It checks the caller is signed in, validates the input against the
// operation's schema, makes reads fresh (another process may have written),
// runs the handler with a context that applies AWS's rules, and turns every
// failure into a KmsError.
import { createSecretKey, randomInt } from 'node:crypto';
import type { z } from 'zod';
import { parseKeyRef, userArn, type Scope } from './arn.js';
import { authorize } from './authorize.js';
import type { Caller, CallSource, OpContext } from './context.js';
import { hashPassphrase, verifyPassphrase, DEFAULT_ARGON2, type Argon2Params, type PassphraseHash } from './crypto/argon2.js';
import { accessDenied, KmsError, notFound, toKmsError, validation } from './errors.js';
import { KeyMaterials } from './key-material.js';
import type { KeyRecord, TenantRecord } from './model.js';
import type { OperationDef } from './operation.js';
import { OPERATIONS } from './operations/index.js';
import type { VaultRepository } from './ports.js';
import { rotateKey } from './rotate.js';
import { formatIssues } from './validation.js';

export interface ServiceOptions {
  /** epoch ms; tests move time forward to reach deletion and rotation dates */
  clock?: () => number;
  /** where internal errors go; never given key material */
  log?: (message: string, error?: unknown) => void;
  /** Argon2id cost for new passphrases (tests may lower it; production never does) */
  argon2?: Argon2Params;
}

export interface SignInRequest {
  /** account id or tenant name; default: the first tenant */
  tenant?: string;
  userName: string;
  passphrase: string;
  region: string;
  source: CallSource;
}

const REGION = /^[a-z0-9][a-z0-9-]{0,31}$/;
const ACCOUNT = /^\d{12}$/;

export class Service {
  readonly operations: ReadonlyMap<string, OperationDef> = OPERATIONS;
  readonly #repo: VaultRepository;
  readonly #materials: KeyMaterials;
  readonly #callers = new WeakSet<Caller>();
  readonly #clock: () => number;
  readonly #log: (message: string, error?: unknown) => void;
  readonly #argon2: Argon2Params;
  #dummyHash: Promise<PassphraseHash> | undefined;

  constructor(repo: VaultRepository, vmk: Uint8Array, options: ServiceOptions = {}) {
    this.#repo = repo;
    this.#materials = new KeyMaterials(createSecretKey(vmk));
    this.#clock = options.clock ?? Date.now;
    this.#log = options.log ?? (() => {});
    this.#argon2 = options.argon2 ?? DEFAULT_ARGON2;
  }

  /** Creates a tenant with its tenant key and its administrator. Used by `init` (and, later, CreateTenant). */
  async createTenant(name: string, adminPassphrase: string): Promise<TenantRecord> {
    if (adminPassphrase.length < 8) throw validation('The administrator passphrase must be at least 8 characters long.');
    const account = await this.#newAccountId();
    const tenant: TenantRecord = { account, name, createdAt: this.#clock(), wrappedKey: this.#materials.newTenantKey(account) };
    const passphrase = await hashPassphrase(adminPassphrase, this.#argon2);
    await this.#repo.write(async (tx) => {
      if (await tx.tenantByName(name)) throw new KmsError('AlreadyExistsException', `A tenant named '${name}' already exists.`);
      await tx.insertTenant(tenant);
      await tx.insertUser({ account, userName: 'admin', passphrase, createdAt: tenant.createdAt });
    });
    return tenant;
  }

  /**
   * Authenticates a user. Unknown tenant, unknown user and wrong passphrase
   * all give the same AccessDeniedException after the same Argon2id work,
   * so the answer reveals nothing and each guess costs ~250 ms.
   */
  async signIn(req: SignInRequest): Promise<Caller> {
    if (!REGION.test(req.region)) throw validation(`Region '${req.region}' is not valid: use lower-case letters, digits and '-', like local-1.`);
    await this.#repo.refresh();
    const tenant =
      req.tenant === undefined
        ? await this.#repo.firstTenant()
        : ACCOUNT.test(req.tenant)
          ? await this.#repo.tenant(req.tenant)
          : await this.#repo.tenantByName(req.tenant);
    const user = tenant ? await this.#repo.user(tenant.account, req.userName) : undefined;
    const ok = await verifyPassphrase(req.passphrase, user?.passphrase ?? (await this.#dummy()));
    if (!tenant || !user || !ok) throw accessDenied('Sign-in failed: unknown tenant or user, or wrong passphrase.');
    const caller: Caller = Object.freeze({
      account: tenant.account,
      region: req.region,
      userName: user.userName,
      arn: userArn(tenant.account, user.userName),
      source: req.source,
    });
    this.#callers.add(caller);
    return caller;
  }

  /** Runs one operation. Resolves with its output or rejects with a KmsError. */
  async call(caller: Caller, name: string, input: unknown): Promise<unknown> {
    try {
      if (!this.#callers.has(caller)) throw accessDenied('The request is not signed in: sign in first.');
      const op = this.operations.get(name);
      if (!op) throw validation(`Unknown operation '${name}'.`);
      const parsed = op.input.safeParse(input ?? {});
      if (!parsed.success) throw validation(formatIssues(parsed.error.issues));
      await this.#repo.refresh();
      const ctx = this.#context(caller, op);
      return await op.handler(ctx, parsed.data as z.output<typeof op.input>);
    } catch (e) {
      const err = toKmsError(e);
      if (err.fault === 'server') this.#log(`${name} failed`, e);
      throw err;
    }
  }

  /** Destroys keys past their deletion date and rotates keys past their rotation date, in every tenant. */
  async runDueWork(): Promise<void> {
    const now = this.#clock();
    for (const key of await this.#repo.dueKeys(now)) await this.#settle(key, now);
  }

  close(): Promise<void> {
    this.#materials.clear();
    return this.#repo.close();
  }

  #context(caller: Caller, op: OperationDef): OpContext {
    const scope: Scope = { account: caller.account, region: caller.region };
    const now = this.#clock();
    const repo = this.#repo;
    const settle = (key: KeyRecord) => this.#settle(key, now);
    const tenant = async () => {
      const t = await repo.tenant(scope.account);
      if (!t) throw accessDenied(`Account ${scope.account} no longer exists.`);
      return t;
    };
    const resolve = async (ref: string, allowAlias: boolean): Promise<KeyRecord> => {
      const parsed = parseKeyRef(scope, ref, allowAlias);
      let keyId: string;
      if (parsed.kind === 'alias') {
        const alias = await repo.alias(scope, parsed.aliasName);
        if (!alias) throw notFound(`Alias ${parsed.aliasName} does not exist in account ${scope.account}, region ${scope.region}.`);
        keyId = alias.keyId;
      } else keyId = parsed.keyId;
      let key = await repo.key(scope, keyId);
      if (key && isDue(key, now)) key = await settle(key);
      if (!key) throw notFound(`Key '${ref}' does not exist in account ${scope.account}, region ${scope.region}.`);
      return key;
    };
    return {
      caller,
      scope,
      now,
      repo,
      materials: this.#materials,
      action: op.action,
      tenant,
      async key(ref, opts = {}) {
        const key = await resolve(ref, opts.allowAlias ?? true);
        authorize(caller, opts.action ?? op.action, key);
        return key;
      },
      async authorize(action) {
        authorize(caller, action ?? op.action);
      },
      async mutateKey(ref, change, opts = {}) {
        const key = await resolve(ref, opts.allowAlias ?? false);
        authorize(caller, op.action, key);
        return repo.write(async (tx) => {
          const cur = await tx.key(scope, key.keyId);
          if (!cur) throw notFound(`Key '${ref}' does not exist in account ${scope.account}, region ${scope.region}.`);
          const next = change(cur);
          await tx.updateKey(next);
          return next;
        });
      },
      runDueWork: () => this.runDueWork(),
    };
  }

  /** Applies a key's due deletion or rotation; returns the key as it now is (undefined once destroyed). */
  async #settle(key: KeyRecord, now: number): Promise<KeyRecord | undefined> {
    const tenant = await this.#repo.tenant(key.account);
    return this.#repo.write(async (tx) => {
      const cur = await tx.key(key, key.keyId);
      if (!cur) return undefined;
      if (cur.state === 'PendingDeletion' && cur.deletionDate !== null && cur.deletionDate <= now) {
        await tx.deleteKey(cur, cur.keyId);
        this.#materials.forget(cur.account, cur.keyId);
        return undefined;
      }
      if (tenant && cur.state === 'Enabled' && cur.nextRotationAt !== null && cur.nextRotationAt <= now) {
        return rotateKey(tx, this.#materials, tenant, cur, now, 'AUTOMATIC');
      }
      return cur;
    });
  }

  async #newAccountId(): Promise<string> {
    for (;;) {
      const id = String(randomInt(1, 10 ** 6)).padStart(6, '0') + String(randomInt(0, 10 ** 6)).padStart(6, '0');
      if (!(await this.#repo.tenant(id))) return id;
    }
  }

  #dummy(): Promise<PassphraseHash> {
    this.#dummyHash ??= hashPassphrase('strongroom-no-such-user', this.#argon2);
    return this.#dummyHash;
  }
}

/** AWS rotates enabled keys only; a disabled key's rotation waits until it is enabled again. */
function isDue(key: KeyRecord, now: number): boolean {
  return (
    (key.state === 'PendingDeletion' && key.deletionDate !== null && key.deletionDate <= now) ||
    (key.state === 'Enabled' && key.nextRotationAt !== null && key.nextRotationAt <= now)
  );
}
