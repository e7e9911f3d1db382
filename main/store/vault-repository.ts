// VaultRepository (core/ports.ts) over SQLite. Reads of keys, aliases,
// material, tenants and users are cached in memory; the cache is dropped
// whenever this process writes, and whenever PRAGMA data_version shows that
// another process (the desktop app, the CLI) committed since the last look
// (https://sqlite.org/pragma.html#pragma_data_version). refresh() runs that
// check once for every call that arrived before it was issued.
import type { Scope } from '../core/arn.js';
import type { PassphraseHash } from '../core/crypto/argon2.js';
import type { AliasRecord, KeyRecord, MaterialRecord, Tag, TenantRecord, UserRecord } from '../core/model.js';
import type { RepoReads, RepoTx, VaultRepository } from '../core/ports.js';
import type { Database, Sql, SqlValue } from './sqlite.js';

type KeyRow = {
  account: string;
  key_id: string;
  region: string;
  description: string;
  key_spec: string;
  key_usage: string;
  origin: string;
  state: string;
  created_at: number;
  deletion_date: number | null;
  pending_window_days: number | null;
  rotation_period_days: number | null;
  next_rotation_at: number | null;
  current_version: number;
};

const toKey = (r: KeyRow): KeyRecord =>
  Object.freeze({
    account: r.account,
    keyId: r.key_id,
    region: r.region,
    description: r.description,
    keySpec: r.key_spec as KeyRecord['keySpec'],
    keyUsage: r.key_usage as KeyRecord['keyUsage'],
    origin: r.origin as KeyRecord['origin'],
    state: r.state as KeyRecord['state'],
    createdAt: r.created_at,
    deletionDate: r.deletion_date,
    pendingWindowDays: r.pending_window_days,
    rotationPeriodDays: r.rotation_period_days,
    nextRotationAt: r.next_rotation_at,
    currentVersion: r.current_version,
  });

type MaterialRow = { account: string; key_id: string; version: number; wrapped: Buffer; created_at: number; rotation_type: string | null };
const toMaterial = (r: MaterialRow): MaterialRecord =>
  Object.freeze({
    account: r.account,
    keyId: r.key_id,
    version: r.version,
    wrapped: r.wrapped,
    createdAt: r.created_at,
    rotationType: r.rotation_type as MaterialRecord['rotationType'],
  });

type AliasRow = { account: string; region: string; alias_name: string; key_id: string; created_at: number; updated_at: number };
const toAlias = (r: AliasRow): AliasRecord =>
  Object.freeze({ account: r.account, region: r.region, aliasName: r.alias_name, keyId: r.key_id, createdAt: r.created_at, updatedAt: r.updated_at });

type TenantRow = { account: string; name: string; created_at: number; wrapped_key: Buffer };
const toTenant = (r: TenantRow): TenantRecord => Object.freeze({ account: r.account, name: r.name, createdAt: r.created_at, wrappedKey: r.wrapped_key });

type UserRow = { account: string; user_name: string; passphrase: string; created_at: number };
const toUser = (r: UserRow): UserRecord =>
  Object.freeze({ account: r.account, userName: r.user_name, passphrase: JSON.parse(r.passphrase) as PassphraseHash, createdAt: r.created_at });

const KEY_COLS = 'account, key_id, region, description, key_spec, key_usage, origin, state, created_at, deletion_date, pending_window_days, rotation_period_days, next_rotation_at, current_version';

/** Statements over one Sql handle: the bodies of both the cached reads and the transaction. */
function statements(sql: Sql): RepoTx {
  const one = async <R, T>(q: string, p: SqlValue[], map: (r: R) => T) => {
    const r = await sql.get<R>(q, p);
    return r === undefined ? undefined : map(r);
  };
  return {
    tenant: (account) => one('SELECT * FROM tenants WHERE account = ?', [account], toTenant),
    tenantByName: (name) => one('SELECT * FROM tenants WHERE name = ?', [name], toTenant),
    firstTenant: () => one('SELECT * FROM tenants ORDER BY rowid LIMIT 1', [], toTenant),
    user: (account, userName) => one('SELECT * FROM users WHERE account = ? AND user_name = ?', [account, userName], toUser),
    key: (s, keyId) => one(`SELECT ${KEY_COLS} FROM keys WHERE account = ? AND region = ? AND key_id = ?`, [s.account, s.region, keyId], toKey),
    keys: async (s, after, limit) =>
      (await sql.all<KeyRow>(`SELECT ${KEY_COLS} FROM keys WHERE account = ? AND region = ? AND key_id > ? ORDER BY key_id LIMIT ?`, [s.account, s.region, after ?? '', limit])).map(toKey),
    countKeys: async (account) => (await sql.get<{ n: number }>('SELECT count(*) AS n FROM keys WHERE account = ?', [account]))?.n ?? 0,
    dueKeys: async (now) =>
      (
        await sql.all<KeyRow>(
          `SELECT ${KEY_COLS} FROM keys WHERE (deletion_date IS NOT NULL AND deletion_date <= ? AND state = 'PendingDeletion')
             OR (next_rotation_at IS NOT NULL AND next_rotation_at <= ? AND state = 'Enabled')`,
          [now, now],
        )
      ).map(toKey),
    material: (account, keyId, version) =>
      one('SELECT * FROM key_materials WHERE account = ? AND key_id = ? AND version = ?', [account, keyId, version], toMaterial),
    materials: async (account, keyId) =>
      (await sql.all<MaterialRow>('SELECT * FROM key_materials WHERE account = ? AND key_id = ? ORDER BY version', [account, keyId])).map(toMaterial),
    alias: (s, name) => one('SELECT * FROM aliases WHERE account = ? AND region = ? AND alias_name = ?', [s.account, s.region, name], toAlias),
    aliases: async (s, keyId, after, limit) =>
      (
        await sql.all<AliasRow>(
          `SELECT * FROM aliases WHERE account = ? AND region = ? AND alias_name > ? ${keyId === undefined ? '' : 'AND key_id = ?'} ORDER BY alias_name LIMIT ?`,
          keyId === undefined ? [s.account, s.region, after ?? '', limit] : [s.account, s.region, after ?? '', keyId, limit],
        )
      ).map(toAlias),
    tags: async (account, keyId) =>
      (await sql.all<{ tag_key: string; tag_value: string }>('SELECT tag_key, tag_value FROM key_tags WHERE account = ? AND key_id = ? ORDER BY rowid', [account, keyId])).map(
        (r) => ({ TagKey: r.tag_key, TagValue: r.tag_value }),
      ),

    async insertTenant(t) {
      await sql.run('INSERT INTO tenants (account, name, created_at, wrapped_key) VALUES (?, ?, ?, ?)', [t.account, t.name, t.createdAt, t.wrappedKey]);
    },
    async insertUser(u) {
      await sql.run('INSERT INTO users (account, user_name, passphrase, created_at) VALUES (?, ?, ?, ?)', [u.account, u.userName, JSON.stringify(u.passphrase), u.createdAt]);
    },
    async insertKey(k) {
      await sql.run(`INSERT INTO keys (${KEY_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, keyValues(k));
    },
    async updateKey(k) {
      await sql.run(
        `UPDATE keys SET description = ?, state = ?, deletion_date = ?, pending_window_days = ?, rotation_period_days = ?, next_rotation_at = ?, current_version = ?
          WHERE account = ? AND region = ? AND key_id = ?`,
        [k.description, k.state, k.deletionDate, k.pendingWindowDays, k.rotationPeriodDays, k.nextRotationAt, k.currentVersion, k.account, k.region, k.keyId],
      );
    },
    async deleteKey(s, keyId) {
      await sql.run('DELETE FROM keys WHERE account = ? AND region = ? AND key_id = ?', [s.account, s.region, keyId]);
    },
    async insertMaterial(m) {
      await sql.run('INSERT INTO key_materials (account, key_id, version, wrapped, created_at, rotation_type) VALUES (?, ?, ?, ?, ?, ?)', [
        m.account,
        m.keyId,
        m.version,
        m.wrapped,
        m.createdAt,
        m.rotationType,
      ]);
    },
    async insertAlias(a) {
      await sql.run('INSERT INTO aliases (account, region, alias_name, key_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [
        a.account,
        a.region,
        a.aliasName,
        a.keyId,
        a.createdAt,
        a.updatedAt,
      ]);
    },
    async updateAlias(a) {
      await sql.run('UPDATE aliases SET key_id = ?, updated_at = ? WHERE account = ? AND region = ? AND alias_name = ?', [a.keyId, a.updatedAt, a.account, a.region, a.aliasName]);
    },
    async deleteAlias(s, name) {
      await sql.run('DELETE FROM aliases WHERE account = ? AND region = ? AND alias_name = ?', [s.account, s.region, name]);
    },
    async setTags(account, keyId, tags: Tag[]) {
      await sql.run('DELETE FROM key_tags WHERE account = ? AND key_id = ?', [account, keyId]);
      for (const t of tags) {
        await sql.run('INSERT INTO key_tags (account, key_id, tag_key, tag_value) VALUES (?, ?, ?, ?)', [account, keyId, t.TagKey, t.TagValue]);
      }
    },
  };
}

const keyValues = (k: KeyRecord): SqlValue[] => [
  k.account,
  k.keyId,
  k.region,
  k.description,
  k.keySpec,
  k.keyUsage,
  k.origin,
  k.state,
  k.createdAt,
  k.deletionDate,
  k.pendingWindowDays,
  k.rotationPeriodDays,
  k.nextRotationAt,
  k.currentVersion,
];

const scopeKey = (s: Scope, id: string) => `${s.account}\0${s.region}\0${id}`;

export class SqliteVaultRepository implements VaultRepository {
  readonly #db: Database;
  readonly #queued: RepoReads;
  #dataVersion: number | undefined;
  #pendingRefresh: Promise<void> | undefined;
  /** bumped by every clear, so a load that raced a clear does not refill the cache with stale data */
  #generation = 0;
  // Hot-path caches (Encrypt/Decrypt look up a key, maybe an alias, a material, a tenant).
  readonly #keys = new Map<string, KeyRecord | undefined>();
  readonly #aliases = new Map<string, AliasRecord | undefined>();
  readonly #materials = new Map<string, MaterialRecord | undefined>();
  readonly #tenants = new Map<string, TenantRecord | undefined>();

  constructor(db: Database) {
    this.#db = db;
    // Every read outside a transaction waits its turn in the connection's queue.
    const direct = statements(db.raw);
    this.#queued = Object.fromEntries(
      Object.entries(direct).map(([name, fn]) => [name, (...args: unknown[]) => db.exclusive(() => (fn as (...a: unknown[]) => Promise<unknown>)(...args))]),
    ) as unknown as RepoReads;
  }

  refresh(): Promise<void> {
    this.#pendingRefresh ??= this.#db.exclusive(async (sql) => {
      // From here on, a new call needs a new check: this one may miss its predecessors' view.
      this.#pendingRefresh = undefined;
      const row = await sql.get<{ data_version: number }>('PRAGMA data_version');
      if (row?.data_version !== this.#dataVersion) {
        this.#dataVersion = row?.data_version;
        this.#clear();
      }
    });
    return this.#pendingRefresh;
  }

  async write<T>(fn: (tx: RepoTx) => Promise<T>): Promise<T> {
    try {
      return await this.#db.transaction((sql) => fn(statements(sql)));
    } finally {
      this.#clear();
    }
  }

  close(): Promise<void> {
    this.#clear();
    return this.#db.close();
  }

  #clear(): void {
    this.#generation++;
    this.#keys.clear();
    this.#aliases.clear();
    this.#materials.clear();
    this.#tenants.clear();
  }

  async #cached<T>(map: Map<string, T | undefined>, id: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    if (map.has(id)) return map.get(id);
    const generation = this.#generation;
    const v = await load();
    if (generation === this.#generation) map.set(id, v);
    return v;
  }

  tenant(account: string) {
    return this.#cached(this.#tenants, account, () => this.#queued.tenant(account));
  }
  tenantByName(name: string) {
    return this.#queued.tenantByName(name);
  }
  firstTenant() {
    return this.#queued.firstTenant();
  }
  user(account: string, userName: string) {
    return this.#queued.user(account, userName);
  }
  key(scope: Scope, keyId: string) {
    return this.#cached(this.#keys, scopeKey(scope, keyId), () => this.#queued.key(scope, keyId));
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
    return this.#cached(this.#materials, `${account}\0${keyId}\0${version}`, () => this.#queued.material(account, keyId, version));
  }
  materials(account: string, keyId: string) {
    return this.#queued.materials(account, keyId);
  }
  alias(scope: Scope, aliasName: string) {
    return this.#cached(this.#aliases, scopeKey(scope, aliasName), () => this.#queued.alias(scope, aliasName));
  }
  aliases(scope: Scope, keyId: string | undefined, after: string | undefined, limit: number) {
    return this.#queued.aliases(scope, keyId, after, limit);
  }
  tags(account: string, keyId: string) {
    return this.#queued.tags(account, keyId);
  }
}
