import { RowMac } from '../core/integrity/row-mac.js';
import type { Sql } from './sqlite.js';
import { type KeyRow, toKey, type AliasRow, toAlias, type TenantRow, toTenant, type UserRow, toUser, type GroupRow, toGroup, type PolicyRow, toPolicy, type GrantRow, toGrant, KEY_COLS } from './rows.js';

/**
 * Seals every row that decides access, as it is now (migration 0007: a
 * vault made before rows carried MACs). Trusts what it reads: it runs once,
 * when the vault is first opened by a Strongroom that seals rows, in the
 * transaction that adds the MAC columns.
 */
export async function sealAllRows(sql: Sql, mac: RowMac): Promise<void> {
  for (const r of await sql.all<TenantRow>('SELECT * FROM tenants')) {
    await sql.run('UPDATE tenants SET mac = ? WHERE account = ?', [mac.tenant(toTenant(r)), r.account]);
  }
  for (const r of await sql.all<UserRow>('SELECT * FROM users')) {
    const groups = (await sql.all<{ group_name: string }>('SELECT group_name FROM group_members WHERE account = ? AND user_name = ?', [r.account, r.user_name])).map((m) => m.group_name);
    const policies = (await sql.all<PolicyRow>("SELECT * FROM identity_policies WHERE account = ? AND principal_type = 'user' AND principal_name = ?", [r.account, r.user_name])).map(toPolicy);
    await sql.run('UPDATE users SET mac = ? WHERE account = ? AND user_name = ?', [mac.user(toUser(r), groups, policies), r.account, r.user_name]);
  }
  for (const r of await sql.all<GroupRow>('SELECT * FROM groups')) {
    const policies = (await sql.all<PolicyRow>("SELECT * FROM identity_policies WHERE account = ? AND principal_type = 'group' AND principal_name = ?", [r.account, r.group_name])).map(toPolicy);
    await sql.run('UPDATE groups SET mac = ? WHERE account = ? AND group_name = ?', [mac.group(toGroup(r), policies), r.account, r.group_name]);
  }
  for (const r of await sql.all<KeyRow>(`SELECT ${KEY_COLS} FROM keys`)) {
    await sql.run('UPDATE keys SET mac = ? WHERE account = ? AND key_id = ?', [mac.key(toKey(r)), r.account, r.key_id]);
  }
  for (const r of await sql.all<AliasRow>('SELECT * FROM aliases')) {
    await sql.run('UPDATE aliases SET mac = ? WHERE account = ? AND region = ? AND alias_name = ?', [mac.alias(toAlias(r)), r.account, r.region, r.alias_name]);
  }
  for (const r of await sql.all<GrantRow>('SELECT * FROM grants')) {
    await sql.run('UPDATE grants SET mac = ? WHERE account = ? AND grant_id = ?', [mac.grant(toGrant(r)), r.account, r.grant_id]);
  }
  for (const r of await sql.all<{ request_id: string; account: string; event_json: string }>('SELECT request_id, account, event_json FROM audit_intents')) {
    await sql.run('UPDATE audit_intents SET mac = ? WHERE request_id = ?', [mac.intent(r.request_id, r.account, r.event_json), r.request_id]);
  }
  const meta = new Map((await sql.all<{ name: string; value: string }>("SELECT name, value FROM vault_meta WHERE name IN ('vault_id', 'custody')")).map((r) => [r.name, r.value]));
  const vaultId = meta.get('vault_id');
  const custody = meta.get('custody');
  if (vaultId !== undefined && custody !== undefined) {
    await sql.run("INSERT OR REPLACE INTO vault_meta (name, value) VALUES ('custody_mac', ?)", [mac.custody(vaultId, custody).toString('base64')]);
  }
}
