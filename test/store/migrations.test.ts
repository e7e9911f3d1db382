// One test per migration (main/store/migrations): applied to the schema of
// the migration before it, it creates exactly the tables listed here, all
// STRICT, and sets PRAGMA user_version. A migration without an entry in
// TABLES_CREATED fails this file. Plus: a database newer than this program
// is refused, a failed migration leaves nothing behind, and the connection
// pragmas the design relies on are in effect.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InputOf, ServiceOperationName } from '../../main/api/index.js';
import { vaultSubkey } from '../../main/core/crypto/subkeys.js';
import { RowMac } from '../../main/core/integrity/row-mac.js';
import { ANCHOR_FILE } from '../../main/custody/anchor.js';
import { openVaultMasterKey, parseCustodyRecord } from '../../main/custody/vault-master-key.js';
import { migrate, MIGRATIONS, SCHEMA_VERSION } from '../../main/store/migrations/index.js';
import { sealAllRows } from '../../main/store/seal-rows.js';
import { Database } from '../../main/store/sqlite.js';
import { DB_FILE } from '../../main/vault/paths.js';
import { initVault, openVault } from '../../main/vault/vault.js';
import { callAs } from '../support/call-as.js';
import { importMaterial } from '../support/import.js';
import { refused, sqlite } from '../support/kms.js';
import { ADMIN_PASSPHRASE, makeVault, TEST_ARGON2, VAULT_PASSPHRASE, type TestVault } from '../support/vault.js';

/** The tables each migration creates, by version. */
const TABLES_CREATED: Record<number, string[]> = {
  1: ['aliases', 'change_counter', 'key_materials', 'key_tags', 'keys', 'tenants', 'users', 'vault_meta'],
  2: ['audit_blocks', 'audit_digests', 'audit_events', 'audit_keys', 'audit_lookup'],
  3: ['grants', 'group_members', 'groups', 'identity_policies'],
  4: ['import_tokens', 'imported_materials'],
  5: ['sign_in_failures'],
  6: ['audit_intents'],
  7: [],
  8: [],
  9: ['approval_decisions', 'approval_requests'],
  10: [],
};

let dir: string;
let db: Database;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strongroom-migrations-'));
  db = await Database.open(join(dir, 'test.db'), { create: true });
});
afterEach(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

const tables = async () =>
  (await db.all<{ name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")).map((r) => r.name);
const userVersion = async () => (await db.get<{ user_version: number }>('PRAGMA user_version'))!.user_version;

/** A value of the column's declared type, and one of another type that a STRICT column must refuse. */
const VALUES: Record<string, { ok: string; wrong: string }> = {
  INTEGER: { ok: '1', wrong: "'not a number'" },
  INT: { ok: '1', wrong: "'not a number'" },
  REAL: { ok: '1.5', wrong: "'not a number'" },
  TEXT: { ok: "'text'", wrong: "X'00ff'" },
  BLOB: { ok: "X'00ff'", wrong: "'text'" },
  ANY: { ok: '1', wrong: '1' },
};

describe('each migration', () => {
  it('every migration has its expected tables listed here, in increasing version order', () => {
    expect(MIGRATIONS.length).toBeGreaterThan(0);
    const versions = MIGRATIONS.map((m) => m.version);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    expect(new Set(versions).size).toBe(versions.length);
    for (const m of MIGRATIONS) expect(TABLES_CREATED[m.version], `migration ${m.version} (${m.name}) has no entry in TABLES_CREATED`).toBeDefined();
    expect(SCHEMA_VERSION).toBe(versions[versions.length - 1]);
  });

  MIGRATIONS.forEach((m, i) => {
    const previous = i === 0 ? 0 : MIGRATIONS[i - 1]!.version;
    it(`${String(m.version).padStart(4, '0')}-${m.name}: from version ${previous} creates exactly its tables, all STRICT, and sets user_version ${m.version}`, async () => {
      expect(await migrate(db, previous)).toBe(previous);
      expect(await userVersion()).toBe(previous);
      const before = await tables();

      expect(await migrate(db, m.version)).toBe(m.version);
      expect(await userVersion()).toBe(m.version);
      const after = await tables();
      expect(before.every((t) => after.includes(t)), 'a migration must not drop tables').toBe(true);
      const created = after.filter((t) => !before.includes(t));
      expect(created).toEqual([...(TABLES_CREATED[m.version] ?? [])].sort());

      const strict = new Map((await db.all<{ name: string; strict: number }>('PRAGMA table_list')).map((r) => [r.name, r.strict]));
      for (const table of created) {
        expect(strict.get(table), `${table} is STRICT`).toBe(1);
        // A STRICT table refuses a value of the wrong type in every typed column.
        const cols = await db.all<{ name: string; type: string }>(`PRAGMA table_info("${table}")`);
        let checked = 0;
        for (const col of cols) {
          const v = VALUES[col.type.toUpperCase()];
          expect(v, `${table}.${col.name} has a type this test knows (${col.type})`).toBeDefined();
          if (!v || col.type.toUpperCase() === 'ANY') continue;
          const values = cols.map((c) => (c.name === col.name ? v.wrong : VALUES[c.type.toUpperCase()]!.ok));
          await expect(db.raw.run(`INSERT INTO "${table}" (${cols.map((c) => `"${c.name}"`).join(', ')}) VALUES (${values.join(', ')})`)).rejects.toThrow(
            new RegExp(`cannot store \\w+ value in ${col.type} column ${table}\\.${col.name}`, 'i'),
          );
          checked++;
        }
        expect(checked, `${table} has typed columns`).toBeGreaterThan(0);
      }
    });
  });

  it('migrating an up-to-date database again changes nothing', async () => {
    await migrate(db);
    const schema = await db.all('SELECT type, name, sql FROM sqlite_schema ORDER BY name');
    expect(await migrate(db)).toBe(SCHEMA_VERSION);
    expect(await db.all('SELECT type, name, sql FROM sqlite_schema ORDER BY name')).toEqual(schema);
    expect(await userVersion()).toBe(SCHEMA_VERSION);
  });

  it('a migration that fails leaves neither tables nor a new user_version behind', async () => {
    // a stray table named like the last table the first migration creates makes it fail part way
    const first = MIGRATIONS[0]!;
    const last = [...TABLES_CREATED[first.version]!].sort((a, b) => first.sql.indexOf(`CREATE TABLE ${a} `) - first.sql.indexOf(`CREATE TABLE ${b} `)).pop()!;
    expect(first.sql.indexOf(`CREATE TABLE ${last} `)).toBeGreaterThan(0);
    await db.raw.exec(`CREATE TABLE "${last}" (x INTEGER) STRICT`);
    await expect(migrate(db)).rejects.toThrow(/already exists/);
    expect(await tables()).toEqual([last]);
    expect(await userVersion()).toBe(0);
  });
});

describe('a database newer than this program', () => {
  it('is refused by migrate with KMSInvalidStateException, untouched', async () => {
    await db.raw.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    await refused(migrate(db), 'KMSInvalidStateException');
    expect(await userVersion()).toBe(SCHEMA_VERSION + 1);
    expect(await tables()).toEqual([]);
  });

  it('is refused by openVault with KMSInvalidStateException', async () => {
    const t = await makeVault();
    try {
      expect(sqlite(t, 'PRAGMA journal_mode'), 'a vault file is in WAL mode on disk').toBe('wal');
      sqlite(t, `PRAGMA user_version = ${SCHEMA_VERSION + 7}`);
      const err = await refused(openVault(t.dir, { vaultPassphrase: async () => VAULT_PASSPHRASE }), 'KMSInvalidStateException');
      expect(err.message).toContain(String(SCHEMA_VERSION + 7));
      expect(sqlite(t, 'PRAGMA user_version')).toBe(String(SCHEMA_VERSION + 7));
    } finally {
      await t.close();
    }
  });
});

describe('connection pragmas', () => {
  it('WAL journal, synchronous FULL, foreign keys on, a busy timeout', async () => {
    expect(await db.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
    expect(await db.get('PRAGMA synchronous')).toEqual({ synchronous: 2 });
    expect(await db.get('PRAGMA foreign_keys')).toEqual({ foreign_keys: 1 });
    expect(((await db.get<{ timeout: number }>('PRAGMA busy_timeout')) ?? { timeout: 0 }).timeout).toBeGreaterThan(0);
  });

  it('foreign keys are enforced: a key row for a missing tenant is refused', async () => {
    await migrate(db);
    const cols = await db.all<{ name: string; type: string; notnull: number }>('PRAGMA table_info(keys)');
    const value = (c: { name: string; type: string; notnull: number }) => {
      if (c.name === 'account') return "'000000000000'";
      if (!c.notnull) return 'NULL';
      if (c.name === 'state') return "'Enabled'";
      return VALUES[c.type.toUpperCase()]!.ok;
    };
    await expect(db.raw.run(`INSERT INTO keys (${cols.map((c) => c.name).join(', ')}) VALUES (${cols.map(value).join(', ')})`)).rejects.toThrow(/FOREIGN KEY constraint failed/);
  });
});

/** What migration 0010 adds, taken away: the key material ids (a vault put back to schema 9). */
const WITHOUT_MATERIAL_IDS = 'ALTER TABLE key_materials DROP COLUMN material_id; ';
/** What migrations 0009 and later add, taken away: the approval tables and the tenants' approval rules (a vault put back to an older schema). */
const WITHOUT_APPROVALS = `${WITHOUT_MATERIAL_IDS}DROP TABLE approval_decisions; DROP TABLE approval_requests; ALTER TABLE tenants DROP COLUMN approval_rules; `;

describe('0010-key-material-ids on a vault made before key material ids', () => {
  it('gives every material version an id: imported material the one its import commitment derives, so a re-import names it again; old ciphertexts decrypt naming theirs', async () => {
    const t = await makeVault();
    try {
      const generated = (await t.call('CreateKey', {})).KeyMetadata.KeyId as string;
      const before = (await t.call('Encrypt', { KeyId: generated, Plaintext: Buffer.from('from before') })).CiphertextBlob;
      await t.call('RotateKeyOnDemand', { KeyId: generated });
      const material = randomBytes(32);
      const imported = (await t.call('CreateKey', { Origin: 'EXTERNAL' })).KeyMetadata.KeyId as string;
      const importedId = (await importMaterial(t, imported, material)).KeyMaterialId;
      const hmac = (await t.call('CreateKey', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })).KeyMetadata.KeyId as string;
      sqlite(t, `${WITHOUT_MATERIAL_IDS}PRAGMA user_version = 9`);
      rmSync(join(t.dir, ANCHOR_FILE));
      const v = await t.reopen();
      expect(sqlite(t, 'PRAGMA user_version')).toBe(String(SCHEMA_VERSION));
      expect(sqlite(t, `SELECT count(*) FROM key_materials WHERE material_id IS NULL OR material_id NOT GLOB '${'[0-9a-f]'.repeat(64)}'`)).toBe('0');
      expect(sqlite(t, 'SELECT count(DISTINCT material_id) = count(*) FROM key_materials')).toBe('1');
      expect(sqlite(t, `SELECT count(*) FROM key_materials WHERE key_id IN ('${generated}', '${imported}', '${hmac}')`)).toBe('4');
      const admin = await v.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'sdk' });
      const call = callAs(v.service, admin);
      // the generated key: both versions named, the ciphertext from before names the first
      const [first, second] = (await call('ListKeyRotations', { KeyId: generated, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' })).Rotations.map((r) => r.KeyMaterialId);
      expect((await call('Decrypt', { CiphertextBlob: before })).KeyMaterialId).toBe(first);
      expect((await call('DescribeKey', { KeyId: generated })).KeyMetadata.CurrentKeyMaterialId).toBe(second);
      // the imported key: the id it had, derived again from the stored commitment, and the one a re-import names
      expect((await call('DescribeKey', { KeyId: imported })).KeyMetadata.CurrentKeyMaterialId).toBe(importedId);
      await call('DeleteImportedKeyMaterial', { KeyId: imported });
      expect((await importMaterial({ call }, imported, material)).KeyMaterialId).toBe(importedId);
      expect(first).not.toBe(second);
    } finally {
      await t.close();
    }
  });
});

describe('0009-approvals on a vault made before approvals', () => {
  it('adds the tables and the column; tenants keep the MACs they had, and rules can be set', async () => {
    const t = await makeVault();
    try {
      await t.call('CreateKey', { Description: 'from before' });
      await t.call('CreateGroup', { GroupName: 'custodians' });
      await t.call('AddUserToGroup', { GroupName: 'custodians', UserName: 'admin' });
      sqlite(t, `${WITHOUT_APPROVALS}PRAGMA user_version = 8`);
      rmSync(join(t.dir, ANCHOR_FILE));
      const v = await t.reopen();
      expect(sqlite(t, 'PRAGMA user_version')).toBe(String(SCHEMA_VERSION));
      expect(sqlite(t, 'SELECT count(*) FROM tenants WHERE approval_rules IS NULL')).toBe('1');
      const admin = await v.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'sdk' });
      await v.service.call(admin, 'PutApprovalRules', { Rules: [{ Actions: ['kms:DisableKey'], GroupName: 'custodians', MinApprovals: 1 }] });
      expect((await v.service.call(admin, 'GetApprovalRules', {})).Rules).toEqual([{ Actions: ['kms:DisableKey'], GroupName: 'custodians', MinApprovals: 1 }]);
      await expect(v.service.call(admin, 'ListKeys', {})).resolves.toMatchObject({ Keys: [expect.anything()] });
    } finally {
      await t.close();
    }
  });
});

describe('0007-row-macs on a vault made before rows carried MACs', () => {
  it('seals every existing row once, with the custody record, and the vault works as before', async () => {
    const t = await makeVault();
    try {
      const { KeyMetadata } = await t.call('CreateKey', { Description: 'from before' });
      await t.call('CreateAlias', { AliasName: 'alias/old', TargetKeyId: KeyMetadata.KeyId });
      await t.call('CreateGroup', { GroupName: 'ops' });
      await t.call('CreateUser', { UserName: 'olga' });
      await t.call('AddUserToGroup', { GroupName: 'ops', UserName: 'olga' });
      await t.call('CreateGrant', { KeyId: KeyMetadata.KeyId, GranteePrincipal: `arn:strongroom:iam::${t.admin.account}:user/olga`, Operations: ['Encrypt'] });
      // what a vault at schema 6 looks like: no MAC columns, no custody MAC, no login profile dates, no approvals, and no anchor yet (made by an older Strongroom)
      sqlite(t, WITHOUT_APPROVALS);
      for (const table of ['tenants', 'users', 'groups', 'keys', 'aliases', 'grants', 'audit_intents']) sqlite(t, `ALTER TABLE ${table} DROP COLUMN mac`);
      sqlite(t, 'ALTER TABLE users DROP COLUMN login_profile_created_at');
      sqlite(t, "DELETE FROM vault_meta WHERE name = 'custody_mac'; PRAGMA user_version = 6");
      rmSync(join(t.dir, ANCHOR_FILE));
      const v = await t.reopen();
      expect(sqlite(t, 'PRAGMA user_version')).toBe(String(SCHEMA_VERSION));
      for (const table of ['tenants', 'users', 'groups', 'keys', 'aliases', 'grants']) {
        expect(sqlite(t, `SELECT count(*) FROM ${table} WHERE mac IS NULL OR length(mac) <> 32`), `every ${table} row is sealed`).toBe('0');
      }
      expect(sqlite(t, "SELECT count(*) FROM vault_meta WHERE name = 'custody_mac'")).toBe('1');
      const admin = await v.service.signIn({ userName: 'admin', passphrase: 'correct horse battery staple', region: 'local-1', source: 'sdk' });
      await expect(v.service.call(admin, 'Encrypt', { KeyId: 'alias/old', Plaintext: Buffer.from('x') })).resolves.toMatchObject({ KeyId: KeyMetadata.Arn });
      await expect(v.service.call(admin, 'ListGroupsForUser', { UserName: 'olga' })).resolves.toMatchObject({ Groups: [expect.objectContaining({ GroupName: 'ops' })] });
    } finally {
      await t.close();
    }
  });
});

describe('0008-login-profile-dates on a vault made before login profiles had dates', () => {
  /** The vault as schema 7 left it: no dates, every row sealed as 0007 sealed it (without one), and no anchor (it would say 8). */
  async function asSchema7(t: TestVault): Promise<void> {
    sqlite(t, `${WITHOUT_APPROVALS}ALTER TABLE users DROP COLUMN login_profile_created_at; PRAGMA user_version = 7`);
    const db = await Database.open(join(t.dir, DB_FILE), { create: false });
    try {
      const meta = new Map((await db.all<{ name: string; value: string }>('SELECT name, value FROM vault_meta')).map((r) => [r.name, r.value]));
      const vaultId = meta.get('vault_id')!;
      const vmk = await openVaultMasterKey(vaultId, parseCustodyRecord(JSON.parse(meta.get('custody')!)), async () => VAULT_PASSPHRASE);
      await db.transaction((sql) => sealAllRows(sql, new RowMac(vaultSubkey(vmk, vaultId, 'row-mac'))));
    } finally {
      await db.close();
    }
    rmSync(join(t.dir, ANCHOR_FILE));
  }

  it('dates each passphrase by its latest successful CreateLoginProfile record, the tenant admin by its creation; a user row edited outside Strongroom stays refused', async () => {
    const t = await makeVault();
    try {
      const HOUR = 3_600_000;
      const tenantCreated = t.clock.now;
      await t.call('CreateUser', { UserName: 'bob' });
      t.clock.now += HOUR;
      const bobProfile = t.clock.now;
      await t.call('CreateLoginProfile', { UserName: 'bob', Password: 'bob first passphrase' });
      t.clock.now += HOUR;
      // a change keeps the profile's date
      const bob = await t.vault.service.signIn({ userName: 'bob', passphrase: 'bob first passphrase', region: 'local-1', source: 'sdk' });
      await t.call('ChangePassword', { OldPassword: 'bob first passphrase', NewPassword: 'bob second passphrase' }, bob);
      await t.call('CreateUser', { UserName: 'carol' });
      await t.call('CreateLoginProfile', { UserName: 'carol', Password: 'carol first passphrase' });
      t.clock.now += HOUR;
      await t.call('DeleteLoginProfile', { UserName: 'carol' });
      const carolProfile = t.clock.now;
      await t.call('CreateLoginProfile', { UserName: 'carol', Password: 'carol second passphrase' });
      t.clock.now += HOUR;
      // recorded, but refused: not a date
      await refused(t.call('CreateLoginProfile', { UserName: 'carol', Password: 'carol third passphrase' }), 'EntityAlreadyExistsException');
      await t.call('CreateUser', { UserName: 'dan' });
      await t.call('CreateUser', { UserName: 'eve' });
      await t.call('CreateLoginProfile', { UserName: 'eve', Password: 'eve first passphrase', PasswordResetRequired: true });
      await asSchema7(t);
      sqlite(t, "UPDATE users SET password_reset_required = 0 WHERE user_name = 'eve'");

      const v = await t.reopen();
      expect(sqlite(t, 'PRAGMA user_version')).toBe(String(SCHEMA_VERSION));
      const admin = await v.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'sdk' });
      const profile = async (UserName: string) => (await v.service.call(admin, 'GetLoginProfile', { UserName })).LoginProfile;
      expect(await profile('admin')).toEqual({ UserName: 'admin', CreateDate: new Date(tenantCreated), PasswordResetRequired: false });
      expect(await profile('bob')).toEqual({ UserName: 'bob', CreateDate: new Date(bobProfile), PasswordResetRequired: false });
      expect(await profile('carol')).toEqual({ UserName: 'carol', CreateDate: new Date(carolProfile), PasswordResetRequired: false });
      await refused(v.service.call(admin, 'GetLoginProfile', { UserName: 'dan' }), 'NoSuchEntityException');
      expect(sqlite(t, "SELECT user_name FROM users WHERE login_profile_created_at IS NULL ORDER BY user_name")).toBe('dan\neve');
      // sealed again with their dates: they sign in
      await v.service.signIn({ userName: 'bob', passphrase: 'bob second passphrase', region: 'local-1', source: 'sdk' });
      // eve's edit was not sealed in: she is still refused, named
      const e = await refused(v.service.call(admin, 'GetLoginProfile', { UserName: 'eve' }), 'KMSInternalException');
      expect(e.message).toMatch(/User eve of account \d{12} fails its integrity check/);
    } finally {
      await t.close();
    }
  });
});

describe('0005-identity binds the principals of existing key policies and grants', () => {
  const account = '111111111111';
  const other = '222222222222';
  const arn = (acct: string, name: string) => `arn:strongroom:iam::${acct}:user/${name}`;
  const ALICE = 'AIDAALICEALICEALICE2';
  const keyCols = (keyId: string, policy: string) =>
    [account, keyId, 'local-1', '', 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', 'AWS_KMS', 'Enabled', 0, null, null, null, null, 1, policy, null, null] as const;

  it('binds user ARNs of the account to the users that hold them; a user already gone gets one placeholder id that matches no user', async () => {
    await migrate(db, 4);
    await db.raw.run('INSERT INTO tenants (account, name, created_at, wrapped_key) VALUES (?, ?, 0, ?), (?, ?, 0, ?)', [account, 'a', Buffer.alloc(1), other, 'b', Buffer.alloc(1)]);
    await db.raw.run('INSERT INTO users (account, user_name, user_id, created_at) VALUES (?, ?, ?, 0), (?, ?, ?, 0)', [account, 'alice', ALICE, other, 'bob', 'AIDABOBINTHEOTHERONE']);
    const both = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:strongroom:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
        { Effect: 'Allow', Principal: { AWS: [arn(account, 'alice'), arn(other, 'bob'), other] }, Action: 'kms:Encrypt', Resource: '*' },
        { Effect: 'Deny', NotPrincipal: { AWS: arn(account, 'bob') }, Action: 'kms:Decrypt', Resource: '*' },
        // a Condition naming a user is a string comparison: not bound
        { Effect: 'Deny', Principal: '*', Action: 'kms:Sign', Resource: '*', Condition: { ArnEquals: { 'aws:PrincipalArn': arn(account, 'carol') } } },
      ],
    });
    const single = JSON.stringify({ Statement: { Effect: 'Allow', Principal: { AWS: arn(account, 'alice') }, Action: 'kms:*', Resource: '*' } });
    const none = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }] });
    const cols = 'account, key_id, region, description, key_spec, key_usage, origin, state, created_at, deletion_date, pending_window_days, rotation_period_days, next_rotation_at, current_version, policy, valid_to, expiration_model';
    for (const [id, policy] of [['k-both', both], ['k-single', single], ['k-none', none]] as const) {
      await db.raw.run(`INSERT INTO keys (${cols}) VALUES (${cols.split(',').map(() => '?').join(', ')})`, [...keyCols(id, policy)]);
    }
    await db.raw.run(
      `INSERT INTO grants (account, grant_id, key_id, grantee_principal, retiring_principal, issuing_principal, operations, token, created_at)
       VALUES (?, 'g1', 'k-both', ?, ?, 'x', '[]', 't1', 0), (?, 'g2', 'k-single', ?, NULL, 'x', '[]', 't2', 0)`,
      [account, arn(account, 'alice'), arn(account, 'bob'), account, arn(account, 'bob')],
    );

    await migrate(db, 5);
    const bindings = new Map(
      (await db.all<{ key_id: string; policy_principals: string }>('SELECT key_id, policy_principals FROM keys ORDER BY key_id')).map((r) => [r.key_id, JSON.parse(r.policy_principals)]),
    );
    const gone = bindings.get('k-both')[arn(account, 'bob')] as string;
    expect(gone).toMatch(/^AIDA0[0-9A-F]{15}$/);
    expect(bindings.get('k-both')).toEqual({ [arn(account, 'alice')]: ALICE, [arn(account, 'bob')]: gone });
    expect(bindings.get('k-single')).toEqual({ [arn(account, 'alice')]: ALICE });
    expect(bindings.get('k-none')).toEqual({});
    expect(await db.all('SELECT grant_id, grantee_id, retiring_id FROM grants ORDER BY grant_id')).toEqual([
      { grant_id: 'g1', grantee_id: ALICE, retiring_id: gone },
      { grant_id: 'g2', grantee_id: gone, retiring_id: null },
    ]);
    // nothing left behind
    expect(await db.all("SELECT name FROM sqlite_temp_schema WHERE type = 'table'")).toEqual([]);
  });

  it('an existing vault keeps working: its key users and grantees keep their access, a re-created user gets none of it', async () => {
    const vaultDir = join(dir, 'vault');
    const service = { argon2: TEST_ARGON2 };
    await initVault(vaultDir, { custody: { kind: 'passphrase', passphrase: VAULT_PASSPHRASE }, adminPassphrase: ADMIN_PASSPHRASE, service });
    const open = () => openVault(vaultDir, { vaultPassphrase: async () => VAULT_PASSPHRASE, service });
    const session = async () => {
      const vault = await open();
      const signIn = (userName: string, passphrase: string) => vault.service.signIn({ userName, passphrase, region: 'local-1', source: 'sdk' });
      const admin = await signIn('admin', ADMIN_PASSPHRASE);
      const call = async <N extends ServiceOperationName>(name: N, input: InputOf<N>, as?: string) => vault.service.call(as ? await signIn(as, 'temp passphrase') : admin, name, input);
      return { vault, call };
    };
    const x = Buffer.from('x');

    const before = await session();
    await before.call('CreateUser', { UserName: 'temp' });
    await before.call('CreateLoginProfile', { UserName: 'temp', Password: 'temp passphrase' });
    const byPolicy = (await before.call('CreateKey', { KeyUsers: ['temp'] })).KeyMetadata.KeyId as string;
    const byGrant = (await before.call('CreateKey', {})).KeyMetadata.KeyId as string;
    await before.call('CreateGrant', { KeyId: byGrant, GranteePrincipal: 'temp', Operations: ['Encrypt'] });
    const policy = (await before.call('GetKeyPolicy', { KeyId: byPolicy })).Policy;
    await before.vault.close();
    // the vault as schema version 4 left it: no bindings, no sign-in counts, no audit intents, no row MACs, no login profile dates, and no anchor
    const file = join(vaultDir, DB_FILE);
    execFileSync('sqlite3', [
      file,
      WITHOUT_APPROVALS +
        'ALTER TABLE keys DROP COLUMN policy_principals; ALTER TABLE grants DROP COLUMN grantee_id; ALTER TABLE grants DROP COLUMN retiring_id; DROP TABLE sign_in_failures; ' +
        'DROP TABLE audit_intents; ' +
        ['tenants', 'users', 'groups', 'keys', 'aliases', 'grants'].map((t) => `ALTER TABLE ${t} DROP COLUMN mac; `).join('') +
        "ALTER TABLE users DROP COLUMN login_profile_created_at; DELETE FROM vault_meta WHERE name = 'custody_mac'; PRAGMA user_version = 4;",
    ]);
    rmSync(join(vaultDir, ANCHOR_FILE));

    const after = await session();
    try {
      expect(execFileSync('sqlite3', [file, 'PRAGMA user_version'], { encoding: 'utf8' }).trim()).toBe(String(SCHEMA_VERSION));
      expect((await after.call('GetKeyPolicy', { KeyId: byPolicy })).Policy).toBe(policy);
      await after.call('Encrypt', { KeyId: byPolicy, Plaintext: x }, 'temp');
      await after.call('Encrypt', { KeyId: byGrant, Plaintext: x }, 'temp');
      await after.call('DeleteUser', { UserName: 'temp' });
      await after.call('CreateUser', { UserName: 'temp' });
      await after.call('CreateLoginProfile', { UserName: 'temp', Password: 'temp passphrase' });
      await refused(after.call('Encrypt', { KeyId: byPolicy, Plaintext: x }, 'temp'), 'AccessDeniedException');
      await refused(after.call('Encrypt', { KeyId: byGrant, Plaintext: x }, 'temp'), 'AccessDeniedException');
    } finally {
      await after.vault.close();
    }
  });
});
