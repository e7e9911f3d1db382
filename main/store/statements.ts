// The repository's SQL, over one Sql handle: the bodies of both the cached
// reads and the write transactions (vault-repository.ts). Rows that decide
// access are checked against their MAC as they are read and sealed as they
// are written (core/integrity/row-mac.ts). Just over 400 lines: it is the one
// implementation of RepoTx (core/service/ports.ts), statement by statement,
// and reads best as the single object that interface describes.
import { canonicalJson } from '../core/audit/chain.js';
import type {
  GroupRecord,
  IdentityPolicyRecord,
  Tag,
  UserRecord,
} from '../core/model.js';
import type { RepoTx } from '../core/service/ports.js';
import { KmsError } from '../core/errors.js';
import { RowMac, tampered } from '../core/integrity/row-mac.js';
import type { Sql, SqlValue } from './sqlite.js';
import { type ApprovalDecisionRow, toApprovalDecision, type ApprovalRequestRow, toApprovalRequest, type KeyRow, toKey, type MaterialRow, toMaterial, toImportToken, type AliasRow, toAlias, type TenantRow, toTenant, type UserRow, toUser, type GroupRow, toGroup, type PolicyRow, toPolicy, type GrantRow, toGrant, toSignInFailure, KEY_COLS, keyValues } from './rows.js';

const what = {
  tenant: (account: string) => `Tenant ${account}`,
  user: (account: string, userName: string) => `User ${userName} of account ${account}`,
  group: (account: string, groupName: string) => `Group ${groupName} of account ${account}`,
  key: (k: { account: string; keyId: string }) => `Key ${k.keyId} of account ${k.account}`,
  alias: (a: { account: string; aliasName: string }) => `Alias ${a.aliasName} of account ${a.account}`,
  grant: (g: { account: string; grantId: string }) => `Grant ${g.grantId} of account ${g.account}`,
  request: (r: { account: string; request_id: string }) => `Approval request ${r.request_id} of account ${r.account}`,
  decision: (d: { account: string; request_id: string; user_name: string }) => `The decision of ${d.user_name} on approval request ${d.request_id} of account ${d.account}`,
};

/** A row's record, or the row named as tampered when its columns do not even parse (JSON edited outside Strongroom). */
function parsed<R, T>(r: R, to: (r: R) => T, name: string): T {
  try {
    return to(r);
  } catch {
    throw tampered(name);
  }
}

/** A user with what its MAC covers: the groups it belongs to and its own identity policies. */
interface UserWithAccess {
  user: UserRecord;
  groups: string[];
  policies: IdentityPolicyRecord[];
}
interface GroupWithAccess {
  group: GroupRecord;
  policies: IdentityPolicyRecord[];
}

/**
 * Statements over one Sql handle: the bodies of both the cached reads and
 * the transaction. Every row that decides access is checked against its MAC
 * as it is read and sealed as it is written (core/integrity/row-mac.ts); a row that
 * fails is refused, named, before anything uses it.
 */
export function statements(sql: Sql, mac: RowMac): RepoTx {
  const one = async <R, T>(q: string, p: SqlValue[], map: (r: R) => T) => {
    const r = await sql.get<R>(q, p);
    return r === undefined ? undefined : map(r);
  };
  const tenant = (r: TenantRow) => {
    const t = parsed(r, toTenant, what.tenant(r.account));
    RowMac.check(mac.tenant(t), r.mac, what.tenant(t.account));
    return t;
  };
  const key = (r: KeyRow) => {
    const k = toKey(r);
    RowMac.check(mac.key(k), r.mac, what.key(k));
    return k;
  };
  const alias = (r: AliasRow) => {
    const a = toAlias(r);
    RowMac.check(mac.alias(a), r.mac, what.alias(a));
    return a;
  };
  const approvalRequest = (r: ApprovalRequestRow) => {
    const a = parsed(r, toApprovalRequest, what.request(r));
    RowMac.check(mac.approvalRequest(a), r.mac, what.request(r));
    return a;
  };
  const approvalDecision = (r: ApprovalDecisionRow) => {
    const d = parsed(r, toApprovalDecision, what.decision(r));
    RowMac.check(mac.approvalDecision(d), r.mac, what.decision(r));
    return d;
  };
  const grant = (r: GrantRow) => {
    const g = toGrant(r);
    RowMac.check(mac.grant(g), r.mac, what.grant(g));
    return g;
  };
  /** An account's users (or one of them), each checked with its groups and policies. */
  const usersWithAccess = async (account: string, userName?: string): Promise<UserWithAccess[]> => {
    const only = userName === undefined ? '' : ' AND user_name = ?2';
    const params = userName === undefined ? [account] : [account, userName];
    const rows = await sql.all<UserRow>(`SELECT * FROM users WHERE account = ?1${only} ORDER BY user_name`, params);
    if (rows.length === 0) return [];
    const memberships = await sql.all<{ user_name: string; group_name: string }>(`SELECT user_name, group_name FROM group_members WHERE account = ?1${only} ORDER BY group_name`, params);
    const policies = (
      await sql.all<PolicyRow>(
        `SELECT * FROM identity_policies WHERE account = ?1 AND principal_type = 'user'${only.replace('user_name', 'principal_name')} ORDER BY kind, policy_name`,
        params,
      )
    ).map(toPolicy);
    return rows.map((r) => {
      const user = toUser(r);
      const groups = memberships.filter((m) => m.user_name === r.user_name).map((m) => m.group_name);
      const own = policies.filter((p) => p.principalName === r.user_name);
      RowMac.check(mac.user(user, groups, own), r.mac, what.user(account, r.user_name));
      return { user, groups, policies: own };
    });
  };
  /** An account's groups (or one of them), each checked with its policies. */
  const groupsWithAccess = async (account: string, groupName?: string): Promise<GroupWithAccess[]> => {
    const only = groupName === undefined ? '' : ' AND group_name = ?2';
    const params = groupName === undefined ? [account] : [account, groupName];
    const rows = await sql.all<GroupRow>(`SELECT * FROM groups WHERE account = ?1${only} ORDER BY group_name`, params);
    if (rows.length === 0) return [];
    const policies = (
      await sql.all<PolicyRow>(
        `SELECT * FROM identity_policies WHERE account = ?1 AND principal_type = 'group'${only.replace('group_name', 'principal_name')} ORDER BY kind, policy_name`,
        params,
      )
    ).map(toPolicy);
    return rows.map((r) => {
      const group = toGroup(r);
      const own = policies.filter((p) => p.principalName === r.group_name);
      RowMac.check(mac.group(group, own), r.mac, what.group(account, r.group_name));
      return { group, policies: own };
    });
  };
  const oneUser = async (account: string, userName: string) => (await usersWithAccess(account, userName))[0];
  const oneGroup = async (account: string, groupName: string) => (await groupsWithAccess(account, groupName))[0];
  /** Re-seals a user after a change to it or what its MAC covers; `before` was checked in this transaction. */
  const resealUser = async (account: string, userName: string) => {
    const [r] = await sql.all<UserRow>('SELECT * FROM users WHERE account = ? AND user_name = ?', [account, userName]);
    if (!r) return;
    const groups = (await sql.all<{ group_name: string }>('SELECT group_name FROM group_members WHERE account = ? AND user_name = ?', [account, userName])).map((m) => m.group_name);
    const policies = (await sql.all<PolicyRow>("SELECT * FROM identity_policies WHERE account = ? AND principal_type = 'user' AND principal_name = ?", [account, userName])).map(toPolicy);
    await sql.run('UPDATE users SET mac = ? WHERE account = ? AND user_name = ?', [mac.user(toUser(r), groups, policies), account, userName]);
  };
  const resealGroup = async (account: string, groupName: string) => {
    const [r] = await sql.all<GroupRow>('SELECT * FROM groups WHERE account = ? AND group_name = ?', [account, groupName]);
    if (!r) return;
    const policies = (await sql.all<PolicyRow>("SELECT * FROM identity_policies WHERE account = ? AND principal_type = 'group' AND principal_name = ?", [account, groupName])).map(toPolicy);
    await sql.run('UPDATE groups SET mac = ? WHERE account = ? AND group_name = ?', [mac.group(toGroup(r), policies), account, groupName]);
  };
  /** Checks the owner of identity policies as it is now (so a change never seals a forged row), or throws. */
  const checkOwner = async (account: string, type: 'user' | 'group', name: string) => {
    const found = type === 'user' ? await oneUser(account, name) : await oneGroup(account, name);
    if (!found) throw new KmsError('NoSuchEntityException', `The ${type} ${name} does not exist in account ${account}.`);
  };
  return {
    tenant: (account) => one('SELECT * FROM tenants WHERE account = ?', [account], tenant),
    tenantByName: (name) => one('SELECT * FROM tenants WHERE name = ?', [name], tenant),
    firstTenant: () => one('SELECT * FROM tenants ORDER BY rowid LIMIT 1', [], tenant),
    async recoveryRecord() {
      const rows = await sql.all<{ name: string; value: string }>("SELECT name, value FROM vault_meta WHERE name IN ('recovery', 'recovery_mac')");
      const record = rows.find((r) => r.name === 'recovery')?.value;
      if (record === undefined) return undefined;
      const stored = rows.find((r) => r.name === 'recovery_mac')?.value;
      RowMac.check(mac.recovery(record), stored === undefined ? undefined : Buffer.from(stored, 'base64'), 'The recovery record');
      return record;
    },
    tenants: async () => (await sql.all<TenantRow>('SELECT * FROM tenants ORDER BY rowid')).map(tenant),
    user: async (account, userName) => (await oneUser(account, userName))?.user,
    users: async (account) => (await usersWithAccess(account)).map((u) => u.user),
    group: async (account, groupName) => (await oneGroup(account, groupName))?.group,
    groups: async (account) => (await groupsWithAccess(account)).map((g) => g.group),
    groupsOfUser: async (account, userName) => (await oneUser(account, userName))?.groups ?? [],
    members: async (account, groupName) => (await usersWithAccess(account)).filter((u) => u.groups.includes(groupName)).map((u) => u.user.userName),
    identityPolicies: async (account, type, name) => (type === 'user' ? await oneUser(account, name) : await oneGroup(account, name))?.policies ?? [],
    effectivePolicies: async (account, userName) => {
      const u = await oneUser(account, userName);
      if (!u) return [];
      const out = [...u.policies];
      for (const groupName of [...u.groups].sort()) {
        const g = await oneGroup(account, groupName);
        // the user's MAC says it is in this group: a group row that is gone was deleted outside Strongroom
        if (!g) throw tampered(`${what.user(account, userName)} (its group ${groupName} is gone)`);
        out.push(...g.policies);
      }
      return out;
    },
    grant: (account, grantId) => one('SELECT * FROM grants WHERE account = ? AND grant_id = ?', [account, grantId], grant),
    grantByToken: (token) => one('SELECT * FROM grants WHERE token = ?', [token], grant),
    grants: async (account, keyId) => (await sql.all<GrantRow>('SELECT * FROM grants WHERE account = ? AND key_id = ? ORDER BY created_at, rowid', [account, keyId])).map(grant),
    retirableGrants: async (account, principal) =>
      (await sql.all<GrantRow>('SELECT * FROM grants WHERE account = ? AND retiring_principal = ? ORDER BY created_at, rowid', [account, principal])).map(grant),
    key: (s, keyId) => one(`SELECT ${KEY_COLS} FROM keys WHERE account = ? AND region = ? AND key_id = ?`, [s.account, s.region, keyId], key),
    keys: async (s, after, limit) =>
      (await sql.all<KeyRow>(`SELECT ${KEY_COLS} FROM keys WHERE account = ? AND region = ? AND key_id > ? ORDER BY key_id LIMIT ?`, [s.account, s.region, after ?? '', limit])).map(key),
    countKeys: async (account) => (await sql.get<{ n: number }>('SELECT count(*) AS n FROM keys WHERE account = ?', [account]))?.n ?? 0,
    // Background work over every tenant: a row that fails its MAC is left out here (and refused,
    // named, when a call uses it), so one damaged key cannot stop the vault from opening.
    dueKeys: async (now) =>
      (
        await sql.all<KeyRow>(
          `SELECT ${KEY_COLS} FROM keys WHERE (deletion_date IS NOT NULL AND deletion_date <= ? AND state = 'PendingDeletion')
             OR (next_rotation_at IS NOT NULL AND next_rotation_at <= ? AND state = 'Enabled')
             OR (valid_to IS NOT NULL AND valid_to <= ? AND state IN ('Enabled', 'Disabled'))`,
          [now, now, now],
        )
      ).flatMap((r) => {
        try {
          return [key(r)];
        } catch {
          return [];
        }
      }),
    material: (account, keyId, version) =>
      one('SELECT * FROM key_materials WHERE account = ? AND key_id = ? AND version = ?', [account, keyId, version], toMaterial),
    importToken: (account, tokenId) => one('SELECT * FROM import_tokens WHERE account = ? AND token_id = ?', [account, tokenId], toImportToken),
    materialCommitment: (account, keyId) =>
      one('SELECT commitment FROM imported_materials WHERE account = ? AND key_id = ?', [account, keyId], (r: { commitment: Buffer }) => r.commitment),
    materials: async (account, keyId) =>
      (await sql.all<MaterialRow>('SELECT * FROM key_materials WHERE account = ? AND key_id = ? ORDER BY version', [account, keyId])).map(toMaterial),
    alias: (s, name) => one('SELECT * FROM aliases WHERE account = ? AND region = ? AND alias_name = ?', [s.account, s.region, name], alias),
    aliases: async (s, keyId, after, limit) =>
      (
        await sql.all<AliasRow>(
          `SELECT * FROM aliases WHERE account = ? AND region = ? AND alias_name > ? ${keyId === undefined ? '' : 'AND key_id = ?'} ORDER BY alias_name LIMIT ?`,
          keyId === undefined ? [s.account, s.region, after ?? '', limit] : [s.account, s.region, after ?? '', keyId, limit],
        )
      ).map(alias),
    tags: async (account, keyId) =>
      (await sql.all<{ tag_key: string; tag_value: string }>('SELECT tag_key, tag_value FROM key_tags WHERE account = ? AND key_id = ? ORDER BY rowid', [account, keyId])).map(
        (r) => ({ TagKey: r.tag_key, TagValue: r.tag_value }),
      ),
    signInFailures: (tenant, userName) =>
      one('SELECT * FROM sign_in_failures WHERE tenant = ? AND user_name = ?', [tenant, userName], toSignInFailure),
    approvalRequest: (account, requestId) => one('SELECT * FROM approval_requests WHERE account = ? AND request_id = ?', [account, requestId], approvalRequest),
    approvalRequests: async (account, before, limit) =>
      (
        await sql.all<ApprovalRequestRow>(
          `SELECT * FROM approval_requests WHERE account = ?1 ${before ? 'AND (created_at, request_id) < (?2, ?3)' : ''} ORDER BY created_at DESC, request_id DESC LIMIT ?4`,
          before ? [account, before.createdAt, before.requestId, limit] : [account, null, null, limit],
        )
      ).map(approvalRequest),
    countOpenApprovalRequests: async (account, requester, now) =>
      (await sql.get<{ n: number }>("SELECT count(*) AS n FROM approval_requests WHERE account = ? AND requester = ? AND status = 'Pending' AND expires_at > ?", [account, requester, now]))
        ?.n ?? 0,
    approvalDecisions: async (account, requestId) =>
      (await sql.all<ApprovalDecisionRow>('SELECT * FROM approval_decisions WHERE account = ? AND request_id = ? ORDER BY decided_at, rowid', [account, requestId])).map(approvalDecision),

    async journal(i) {
      // The writer's pid tells recovery whether the intent's process is still alive (store/audit/recover.ts).
      const eventJson = canonicalJson(i.event);
      await sql.run('INSERT OR REPLACE INTO audit_intents (request_id, account, owner_pid, created_at, event_json, mac) VALUES (?, ?, ?, ?, ?, ?)', [
        i.requestId,
        i.account,
        process.pid,
        Date.now(),
        eventJson,
        mac.intent(i.requestId, i.account, eventJson),
      ]);
    },
    async insertTenant(t) {
      await sql.run('INSERT INTO tenants (account, name, created_at, wrapped_key, state, approval_rules, mac) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        t.account,
        t.name,
        t.createdAt,
        t.wrappedKey,
        t.state,
        t.approvals ? canonicalJson(t.approvals) : null,
        mac.tenant(t),
      ]);
    },
    async putRecoveryRecord(record) {
      await sql.run("INSERT OR REPLACE INTO vault_meta (name, value) VALUES ('recovery', ?), ('recovery_mac', ?)", [record, mac.recovery(record).toString('base64')]);
    },
    async updateTenant(t) {
      await sql.run('UPDATE tenants SET name = ?, state = ?, approval_rules = ?, mac = ? WHERE account = ?', [
        t.name,
        t.state,
        t.approvals ? canonicalJson(t.approvals) : null,
        mac.tenant(t),
        t.account,
      ]);
    },
    async updateUser(u) {
      const before = await oneUser(u.account, u.userName);
      if (!before) return;
      await sql.run('UPDATE users SET passphrase = ?, login_profile_created_at = ?, password_reset_required = ?, disabled = ?, mac = ? WHERE account = ? AND user_name = ?', [
        u.passphrase === null ? null : JSON.stringify(u.passphrase),
        u.loginProfileCreatedAt,
        u.passwordResetRequired ? 1 : 0,
        u.disabled ? 1 : 0,
        mac.user(u, before.groups, before.policies),
        u.account,
        u.userName,
      ]);
    },
    async deleteUser(account, userName) {
      await sql.run("DELETE FROM identity_policies WHERE account = ? AND principal_type = 'user' AND principal_name = ?", [account, userName]);
      await sql.run('DELETE FROM users WHERE account = ? AND user_name = ?', [account, userName]);
    },
    async insertGroup(g) {
      await sql.run('INSERT INTO groups (account, group_name, created_at, mac) VALUES (?, ?, ?, ?)', [g.account, g.groupName, g.createdAt, mac.group(g, [])]);
    },
    async addMember(account, groupName, userName) {
      await checkOwner(account, 'user', userName);
      await sql.run('INSERT OR IGNORE INTO group_members (account, group_name, user_name) VALUES (?, ?, ?)', [account, groupName, userName]);
      await resealUser(account, userName);
    },
    async removeMember(account, groupName, userName) {
      await checkOwner(account, 'user', userName);
      await sql.run('DELETE FROM group_members WHERE account = ? AND group_name = ? AND user_name = ?', [account, groupName, userName]);
      await resealUser(account, userName);
    },
    async putIdentityPolicy(p) {
      await checkOwner(p.account, p.principalType, p.principalName);
      await sql.run(
        'INSERT OR REPLACE INTO identity_policies (account, principal_type, principal_name, kind, policy_name, document) VALUES (?, ?, ?, ?, ?, ?)',
        [p.account, p.principalType, p.principalName, p.kind, p.policyName, p.document],
      );
      await (p.principalType === 'user' ? resealUser : resealGroup)(p.account, p.principalName);
    },
    async deleteIdentityPolicy(p) {
      await checkOwner(p.account, p.principalType, p.principalName);
      await sql.run('DELETE FROM identity_policies WHERE account = ? AND principal_type = ? AND principal_name = ? AND kind = ? AND policy_name = ?', [
        p.account,
        p.principalType,
        p.principalName,
        p.kind,
        p.policyName,
      ]);
      await (p.principalType === 'user' ? resealUser : resealGroup)(p.account, p.principalName);
    },
    async insertGrant(g) {
      await sql.run(
        `INSERT INTO grants (account, grant_id, key_id, name, grantee_principal, retiring_principal, issuing_principal, operations, constraints, token, created_at, grantee_id, retiring_id, mac)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          g.account,
          g.grantId,
          g.keyId,
          g.name,
          g.granteePrincipal,
          g.retiringPrincipal,
          g.issuingPrincipal,
          JSON.stringify(g.operations),
          g.constraints === null ? null : JSON.stringify(g.constraints),
          g.token,
          g.createdAt,
          g.granteeId,
          g.retiringId,
          mac.grant(g),
        ],
      );
    },
    async deleteGrant(account, grantId) {
      await sql.run('DELETE FROM grants WHERE account = ? AND grant_id = ?', [account, grantId]);
    },
    async insertUser(u) {
      await sql.run('INSERT INTO users (account, user_name, user_id, passphrase, login_profile_created_at, password_reset_required, disabled, created_at, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
        u.account,
        u.userName,
        u.userId,
        u.passphrase === null ? null : JSON.stringify(u.passphrase),
        u.loginProfileCreatedAt,
        u.passwordResetRequired ? 1 : 0,
        u.disabled ? 1 : 0,
        u.createdAt,
        mac.user(u, [], []),
      ]);
    },
    async insertKey(k) {
      await sql.run(`INSERT INTO keys (${KEY_COLS}) VALUES (${KEY_COLS.split(',').map(() => '?').join(', ')})`, [...keyValues(k), mac.key(k)]);
    },
    async updateKey(k) {
      await sql.run(
        `UPDATE keys SET description = ?, state = ?, deletion_date = ?, pending_window_days = ?, rotation_period_days = ?, next_rotation_at = ?,
            current_version = ?, policy = ?, valid_to = ?, expiration_model = ?, policy_principals = ?, mac = ?
          WHERE account = ? AND region = ? AND key_id = ?`,
        [
          k.description,
          k.state,
          k.deletionDate,
          k.pendingWindowDays,
          k.rotationPeriodDays,
          k.nextRotationAt,
          k.currentVersion,
          k.policy,
          k.validTo,
          k.expirationModel,
          JSON.stringify(k.policyPrincipals),
          mac.key(k),
          k.account,
          k.region,
          k.keyId,
        ],
      );
    },
    async deleteKey(s, keyId) {
      await sql.run('DELETE FROM keys WHERE account = ? AND region = ? AND key_id = ?', [s.account, s.region, keyId]);
    },
    async deleteMaterials(account, keyId) {
      await sql.run('DELETE FROM key_materials WHERE account = ? AND key_id = ?', [account, keyId]);
    },
    async insertImportToken(t) {
      await sql.run(
        'INSERT INTO import_tokens (account, key_id, token_id, wrapping_algorithm, wrapping_key_spec, wrapped_private_key, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [t.account, t.keyId, t.tokenId, t.wrappingAlgorithm, t.wrappingKeySpec, t.wrappedPrivateKey, t.createdAt, t.expiresAt],
      );
    },
    async deleteExpiredImportTokens(now) {
      await sql.run('DELETE FROM import_tokens WHERE expires_at <= ?', [now]);
    },
    async setMaterialCommitment(account, keyId, commitment) {
      await sql.run('INSERT INTO imported_materials (account, key_id, commitment) VALUES (?, ?, ?)', [account, keyId, commitment]);
    },
    async insertMaterial(m) {
      await sql.run('INSERT INTO key_materials (account, key_id, version, wrapped, created_at, rotation_type, material_id) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        m.account,
        m.keyId,
        m.version,
        m.wrapped,
        m.createdAt,
        m.rotationType,
        m.materialId,
      ]);
    },
    async insertAlias(a) {
      await sql.run('INSERT INTO aliases (account, region, alias_name, key_id, created_at, updated_at, mac) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        a.account,
        a.region,
        a.aliasName,
        a.keyId,
        a.createdAt,
        a.updatedAt,
        mac.alias(a),
      ]);
    },
    async updateAlias(a) {
      await sql.run('UPDATE aliases SET key_id = ?, updated_at = ?, mac = ? WHERE account = ? AND region = ? AND alias_name = ?', [
        a.keyId,
        a.updatedAt,
        mac.alias(a),
        a.account,
        a.region,
        a.aliasName,
      ]);
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
    async insertApprovalRequest(r) {
      await sql.run(
        `INSERT INTO approval_requests (account, request_id, region, requester, requester_id, operation, action, input, requirements, created_at, expires_at, request_hash, status, closed_at, mac)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          r.account,
          r.requestId,
          r.region,
          r.requester,
          r.requesterId,
          r.operation,
          r.action,
          r.input,
          JSON.stringify(r.requirements),
          r.createdAt,
          r.expiresAt,
          r.hash,
          r.status,
          r.closedAt,
          mac.approvalRequest(r),
        ],
      );
    },
    async closeApprovalRequest(r) {
      await sql.run('UPDATE approval_requests SET status = ?, closed_at = ?, mac = ? WHERE account = ? AND request_id = ?', [
        r.status,
        r.closedAt,
        mac.approvalRequest(r),
        r.account,
        r.requestId,
      ]);
    },
    async insertApprovalDecision(d) {
      await sql.run(
        'INSERT INTO approval_decisions (account, request_id, user_name, user_id, decision, request_hash, decided_at, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [d.account, d.requestId, d.userName, d.userId, d.decision, d.requestHash, d.decidedAt, mac.approvalDecision(d)],
      );
    },
    async putSignInFailures(r) {
      await sql.run('INSERT OR REPLACE INTO sign_in_failures (tenant, user_name, failures, last_failure_at, locked_until) VALUES (?, ?, ?, ?, ?)', [
        r.tenant,
        r.userName,
        r.failures,
        r.lastFailureAt,
        r.lockedUntil,
      ]);
    },
    async deleteSignInFailures(tenant, userName) {
      await sql.run('DELETE FROM sign_in_failures WHERE tenant = ? AND user_name = ?', [tenant, userName]);
    },
    async forgetSignInFailures(before) {
      await sql.run('DELETE FROM sign_in_failures WHERE last_failure_at <= ?', [before]);
    },
  };
}
