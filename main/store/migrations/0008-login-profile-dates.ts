// When each login profile was created (IAM GetLoginProfile's CreateDate):
// users.login_profile_created_at, set with the passphrase and NULL without
// one (core/model.ts UserRecord.loginProfileCreatedAt).
//
// Existing profiles get the time the trail recorded for them, not a guess:
// the latest successful CreateLoginProfile of that user name since the user
// was created (a record of an earlier user of the same name is older than
// the user), from the records or from the intents of calls whose process
// died before recording them; a user with a passphrase and no such record
// got it when it was created, as a tenant's admin does (core/service/tenancy.ts).
//
// A user's MAC covers the date only once it is set (core/integrity/row-mac.ts),
// so the rows sealed before this migration still check. Each row is checked
// before it is sealed again with its date: a row edited outside Strongroom
// is left as it is, still refused where it is read, never sealed anew.
import { RowMac } from '../../core/integrity/row-mac.js';
import type { Sql } from '../sqlite.js';
import { toPolicy, toUser, type PolicyRow, type UserRow } from '../rows.js';

export const version = 8;
export const name = 'login-profile-dates';
export const sql = `
ALTER TABLE users ADD COLUMN login_profile_created_at INTEGER;
`;

export async function after(sql: Sql, ctx: { rowMac?: RowMac }): Promise<void> {
  const users = await sql.all<UserRow>('SELECT * FROM users WHERE passphrase IS NOT NULL');
  if (users.length === 0) return;
  if (!ctx.rowMac) throw new Error('migration 0008 seals the users it dates and needs the vault master key: run it through openVault');
  for (const r of users) {
    const groups = (await sql.all<{ group_name: string }>('SELECT group_name FROM group_members WHERE account = ? AND user_name = ?', [r.account, r.user_name])).map((m) => m.group_name);
    const policies = (await sql.all<PolicyRow>("SELECT * FROM identity_policies WHERE account = ? AND principal_type = 'user' AND principal_name = ?", [r.account, r.user_name])).map(toPolicy);
    const user = toUser(r);
    if (!macMatches(ctx.rowMac.user(user, groups, policies), r.mac)) continue;
    const dated = { ...user, loginProfileCreatedAt: (await profileCreated(sql, r)) ?? user.createdAt };
    await sql.run('UPDATE users SET login_profile_created_at = ?, mac = ? WHERE account = ? AND user_name = ?', [
      dated.loginProfileCreatedAt,
      ctx.rowMac.user(dated, groups, policies),
      r.account,
      r.user_name,
    ]);
  }
}

function macMatches(expected: Buffer, stored: Uint8Array | null): boolean {
  try {
    RowMac.check(expected, stored, 'a user');
    return true;
  } catch {
    return false;
  }
}

/** The time of the user's latest successful CreateLoginProfile since it was created, in the trail or a pending intent (epoch ms). */
async function profileCreated(sql: Sql, r: UserRow): Promise<number | undefined> {
  const recorded = await sql.get<{ t: number | null }>(
    `SELECT max(event_time) AS t FROM audit_events
      WHERE account = ?1 AND event_name = 'CreateLoginProfile' AND event_time >= ?2
        AND json_extract(event_json, '$.requestParameters.UserName') = ?3 AND json_extract(event_json, '$.errorCode') IS NULL`,
    [r.account, r.created_at, r.user_name],
  );
  const pending = await sql.all<{ time: string | null }>(
    `SELECT json_extract(event_json, '$.eventTime') AS time FROM audit_intents
      WHERE account = ?1 AND json_extract(event_json, '$.eventName') = 'CreateLoginProfile' AND json_extract(event_json, '$.requestParameters.UserName') = ?2`,
    [r.account, r.user_name],
  );
  const times = [recorded?.t ?? undefined, ...pending.map((p) => (p.time === null ? undefined : Date.parse(p.time)))].filter(
    (t): t is number => t !== undefined && Number.isFinite(t) && t >= r.created_at,
  );
  return times.length ? Math.max(...times) : undefined;
}
