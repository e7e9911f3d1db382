// VaultRepository (core/service/ports.ts) over SQLite. Reads of keys, aliases,
// material, tenants, users, policies and grants are cached in memory; the
// cache is dropped whenever this process writes, and whenever the change
// counter shows that another connection (the desktop app, the CLI)
// committed a change since the last look. Every write transaction bumps the
// counter; audit appends, which go through their own connection, do not, so
// they never empty the cache. refresh() runs that check once for every call
// that arrived before it was issued.
import type { Scope } from '../core/codecs/arn.js';
import type {
  AliasRecord,
  GrantRecord,
  IdentityPolicyRecord,
  KeyRecord,
  MaterialRecord,
  TenantRecord,
  UserRecord,
} from '../core/model.js';
import type { ApprovalRequestPosition, RepoReads, RepoTx, SignInFailuresTx, VaultRepository } from '../core/service/ports.js';
import { RowMac } from '../core/integrity/row-mac.js';
import { MISS, ReadCache, type Part } from './read-cache.js';
import type { Database } from './sqlite.js';
import { statements } from './statements.js';

export class SqliteVaultRepository implements VaultRepository {
  readonly #db: Database;
  readonly #queued: RepoReads;
  #changes: number | undefined;
  #pendingRefresh: Promise<void> | undefined;
  /** bumped by every clear, so a load that raced a clear does not refill the cache with stale data */
  #generation = 0;
  // Hot-path caches (Encrypt/Decrypt look up a key, maybe an alias, a material, a tenant).
  readonly #keys = new ReadCache<KeyRecord>();
  readonly #aliases = new ReadCache<AliasRecord>();
  readonly #materials = new ReadCache<MaterialRecord>();
  readonly #tenants = new ReadCache<TenantRecord>();
  readonly #users = new ReadCache<UserRecord>();
  readonly #policies = new ReadCache<IdentityPolicyRecord[]>();
  readonly #grants = new ReadCache<GrantRecord[]>();

  /** connections that live and die with this one (the audit trail's) */
  readonly #companions: readonly Database[];
  readonly #mac: RowMac;

  constructor(db: Database, mac: RowMac, companions: readonly Database[] = []) {
    this.#db = db;
    this.#mac = mac;
    this.#companions = companions;
    // Every read outside a transaction waits its turn in the connection's queue, and runs in a read
    // transaction: a user, its groups and its policies are checked against one MAC, so they must be
    // read from one snapshot even while another process writes.
    const direct = statements(db.raw, mac);
    this.#queued = Object.fromEntries(
      Object.entries(direct).map(([name, fn]) => [
        name,
        (...args: unknown[]) =>
          db.exclusive(async (sql) => {
            await sql.exec('BEGIN');
            try {
              return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
            } finally {
              await sql.exec('COMMIT');
            }
          }),
      ]),
    ) as unknown as RepoReads;
  }

  refresh(): Promise<void> {
    this.#pendingRefresh ??= this.#db.exclusive(async (sql) => {
      // From here on, a new call needs a new check: this one may miss its predecessors' view.
      this.#pendingRefresh = undefined;
      // kept prepared (sqlite.ts): one trip through the threadpool, so the check costs the calls waiting on it little
      const row = await sql.get<{ value: number }>("SELECT value FROM change_counter WHERE id = 'vault'", [], { keep: true });
      if (row?.value !== this.#changes) {
        this.#changes = row?.value;
        this.#clear();
      }
    });
    return this.#pendingRefresh;
  }

  async write<T>(fn: (tx: RepoTx) => Promise<T>): Promise<T> {
    try {
      return await this.#db.transaction(async (sql) => {
        const out = await fn(statements(sql, this.#mac));
        await sql.run("UPDATE change_counter SET value = value + 1 WHERE id = 'vault'");
        return out;
      });
    } finally {
      this.#clear();
    }
  }

  writeSignInFailures<T>(fn: (tx: SignInFailuresTx) => Promise<T>): Promise<T> {
    return this.#db.transaction((sql) => fn(statements(sql, this.#mac)));
  }

  async close(): Promise<void> {
    this.#clear();
    await Promise.all(this.#companions.map((c) => c.close()));
    await this.#db.close();
  }

  #clear(): void {
    this.#generation++;
    this.#keys.clear();
    this.#aliases.clear();
    this.#materials.clear();
    this.#tenants.clear();
    this.#users.clear();
    this.#policies.clear();
    this.#grants.clear();
  }

  #cached<T>(cache: ReadCache<T>, path: Part[], load: () => Promise<T | undefined>): Promise<T | undefined> {
    // a hit (the hot path: several per call) costs no async function
    const hit = cache.get(...path);
    if (hit !== MISS) return Promise.resolve(hit);
    return this.#load(cache, path, load);
  }

  async #load<T>(cache: ReadCache<T>, path: Part[], load: () => Promise<T | undefined>): Promise<T | undefined> {
    const generation = this.#generation;
    const v = await load();
    if (generation === this.#generation) cache.set(v, ...path);
    return v;
  }

  tenant(account: string) {
    return this.#cached(this.#tenants, [account], () => this.#queued.tenant(account));
  }
  tenantByName(name: string) {
    return this.#queued.tenantByName(name);
  }
  recoveryRecord() {
    return this.#queued.recoveryRecord();
  }
  firstTenant() {
    return this.#queued.firstTenant();
  }
  tenants() {
    return this.#queued.tenants();
  }
  user(account: string, userName: string) {
    return this.#cached(this.#users, [account, userName], () => this.#queued.user(account, userName));
  }
  users(account: string) {
    return this.#queued.users(account);
  }
  group(account: string, groupName: string) {
    return this.#queued.group(account, groupName);
  }
  groups(account: string) {
    return this.#queued.groups(account);
  }
  groupsOfUser(account: string, userName: string) {
    return this.#queued.groupsOfUser(account, userName);
  }
  members(account: string, groupName: string) {
    return this.#queued.members(account, groupName);
  }
  identityPolicies(account: string, type: 'user' | 'group', name: string) {
    return this.#queued.identityPolicies(account, type, name);
  }
  effectivePolicies(account: string, userName: string) {
    return this.#cached(this.#policies, [account, userName], () => this.#queued.effectivePolicies(account, userName)) as Promise<IdentityPolicyRecord[]>;
  }
  grant(account: string, grantId: string) {
    return this.#queued.grant(account, grantId);
  }
  grantByToken(token: string) {
    return this.#queued.grantByToken(token);
  }
  grants(account: string, keyId: string) {
    return this.#cached(this.#grants, [account, keyId], () => this.#queued.grants(account, keyId)) as Promise<GrantRecord[]>;
  }
  retirableGrants(account: string, principal: string) {
    return this.#queued.retirableGrants(account, principal);
  }
  key(scope: Scope, keyId: string) {
    return this.#cached(this.#keys, [scope.account, scope.region, keyId], () => this.#queued.key(scope, keyId));
  }
  keys(scope: Scope, after: string | undefined, limit: number) {
    return this.#queued.keys(scope, after, limit);
  }
  countKeys(account: string) {
    return this.#queued.countKeys(account);
  }
  dueKeys(now: number) {
    return this.#queued.dueKeys(now);
  }
  material(account: string, keyId: string, version: number) {
    return this.#cached(this.#materials, [account, keyId, version], () => this.#queued.material(account, keyId, version));
  }
  materials(account: string, keyId: string) {
    return this.#queued.materials(account, keyId);
  }
  importToken(account: string, tokenId: string) {
    return this.#queued.importToken(account, tokenId);
  }
  materialCommitment(account: string, keyId: string) {
    return this.#queued.materialCommitment(account, keyId);
  }
  alias(scope: Scope, aliasName: string) {
    return this.#cached(this.#aliases, [scope.account, scope.region, aliasName], () => this.#queued.alias(scope, aliasName));
  }
  aliases(scope: Scope, keyId: string | undefined, after: string | undefined, limit: number) {
    return this.#queued.aliases(scope, keyId, after, limit);
  }
  tags(account: string, keyId: string) {
    return this.#queued.tags(account, keyId);
  }
  signInFailures(tenant: string, userName: string) {
    return this.#queued.signInFailures(tenant, userName);
  }
  // approvals: read rarely, never cached
  approvalRequest(account: string, requestId: string) {
    return this.#queued.approvalRequest(account, requestId);
  }
  approvalRequests(account: string, before: ApprovalRequestPosition | undefined, limit: number) {
    return this.#queued.approvalRequests(account, before, limit);
  }
  countOpenApprovalRequests(account: string, requester: string, now: number) {
    return this.#queued.countOpenApprovalRequests(account, requester, now);
  }
  approvalDecisions(account: string, requestId: string) {
    return this.#queued.approvalDecisions(account, requestId);
  }
}
