// The database file alone is not trusted (DESIGN §3, issue 9): an attacker
// who can write strongroom.db but not the keychain (or, here, the vault
// passphrase) edits it with the sqlite3 shell, and gains nothing: every
// row that decides access fails its MAC, and the call is refused with a
// message naming the row. One test per protected row kind, and per audit
// artefact. Each first shows the access the attack would have given.
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openVault } from '../../main/vault/vault.js';
import { callAs } from '../support/call-as.js';
import { newTenant, newUser, passphraseOf, policy, signIn } from '../support/iam.js';
import { refused, sqlite } from '../support/kms.js';
import { makeVault, VAULT_PASSPHRASE, type TestVault } from '../support/vault.js';

let t: TestVault;
beforeEach(async () => {
  t = await makeVault();
});
afterEach(async () => t.close());

/** The vault opened afresh, as the next process would after the file was edited. */
const reopened = async () => {
  const v = await t.reopen();
  const as = (caller: Awaited<ReturnType<typeof signIn>>) => ({ call: callAs(v.service, caller) });
  const signInAs = (userName: string, passphrase = passphraseOf(userName), tenant?: string) =>
    v.service.signIn({ ...(tenant ? { tenant } : {}), userName, passphrase, region: 'local-1', source: 'sdk' });
  return { v, as, signInAs };
};
const integrity = (what: RegExp) => expect.objectContaining({ name: 'KMSInternalException', message: expect.stringMatching(new RegExp(`${what.source}.* fails its integrity check`)) });
const wide = policy({ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' });
const sq = (s: string) => s.replace(/'/g, "''");

describe('rows that decide access carry a MAC', () => {
  it('a key policy edited to let everyone in: the key is refused, named, and no one decrypts', async () => {
    const { KeyMetadata } = await t.call('CreateKey', {});
    const { CiphertextBlob } = await t.call('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: Buffer.from('payroll') });
    await newUser(t, 'eve');
    sqlite(t, `UPDATE keys SET policy = '${sq(wide)}' WHERE key_id = '${KeyMetadata.KeyId}'`);
    const { as, signInAs } = await reopened();
    const eve = as(await signInAs('eve'));
    await expect(eve.call('Decrypt', { CiphertextBlob })).rejects.toEqual(integrity(new RegExp(`Key ${KeyMetadata.KeyId} of account \\d{12}`)));
  });

  it("one tenant's admin passphrase hash copied onto another's admin does not sign in there", async () => {
    await newTenant(t, 'acme');
    const acme = sqlite(t, "SELECT account FROM tenants WHERE name = 'acme'");
    sqlite(t, `UPDATE users SET passphrase = (SELECT passphrase FROM users WHERE account = '${t.admin.account}' AND user_name = 'admin') WHERE account = '${acme}' AND user_name = 'admin'`);
    const { signInAs } = await reopened();
    await expect(signInAs('admin', 'correct horse battery staple', 'acme')).rejects.toEqual(integrity(new RegExp(`User admin of account ${acme}`)));
    // the refused sign-in is in acme's trail, as a failure naming why
    const [record] = sqlite(t, `SELECT event_json FROM audit_events WHERE account = '${acme}' AND event_name = 'ConsoleLogin'`).split('\n');
    expect(JSON.parse(record!)).toMatchObject({ responseElements: { ConsoleLogin: 'Failure' }, errorMessage: expect.stringMatching(/fails its integrity check/) });
  });

  it("a whole user row, MAC and all, copied from another tenant fails: the MAC names its account", async () => {
    await newTenant(t, 'acme');
    const acme = sqlite(t, "SELECT account FROM tenants WHERE name = 'acme'");
    sqlite(
      t,
      `UPDATE users SET passphrase = o.passphrase, mac = o.mac FROM (SELECT passphrase, mac FROM users WHERE account = '${t.admin.account}' AND user_name = 'admin') AS o
       WHERE users.account = '${acme}' AND users.user_name = 'admin'`,
    );
    const { signInAs } = await reopened();
    await expect(signInAs('admin', 'correct horse battery staple', 'acme')).rejects.toEqual(integrity(/User admin of account \d{12}/));
  });

  it("a login profile's date moved or removed in the file: the user is refused (the MAC covers a date once there is one)", async () => {
    await newUser(t, 'gil');
    await newUser(t, 'hal');
    sqlite(t, "UPDATE users SET login_profile_created_at = login_profile_created_at - 86400000 WHERE user_name = 'gil'");
    sqlite(t, "UPDATE users SET login_profile_created_at = NULL WHERE user_name = 'hal'");
    const { signInAs } = await reopened();
    await expect(signInAs('gil')).rejects.toEqual(integrity(/User gil of account \d{12}/));
    await expect(signInAs('hal')).rejects.toEqual(integrity(/User hal of account \d{12}/));
  });

  it('a group membership that carried a Deny, deleted: the user is refused', async () => {
    const { KeyMetadata } = await t.call('CreateKey', {});
    await t.call('CreateGroup', { GroupName: 'quarantine' });
    await t.call('PutGroupPolicy', { GroupName: 'quarantine', PolicyName: 'deny-all', PolicyDocument: policy({ Effect: 'Deny', Action: 'kms:*', Resource: '*' }) });
    const bob = await newUser(t, 'bob', { managed: ['KeyUser'] });
    await t.call('AddUserToGroup', { GroupName: 'quarantine', UserName: 'bob' });
    await refused(t.call('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: Buffer.from('x') }, bob), 'AccessDeniedException');
    sqlite(t, "DELETE FROM group_members WHERE user_name = 'bob'");
    const { as, signInAs } = await reopened();
    await expect(signInAs('bob')).rejects.toEqual(integrity(/User bob of account \d{12}/));
    await expect(as(await signInAs('admin', 'correct horse battery staple')).call('ListGroupsForUser', { UserName: 'bob' })).rejects.toEqual(integrity(/User bob/));
  });

  it("an identity policy's document edited, or a Deny policy deleted from a group: the owner is refused", async () => {
    await newUser(t, 'carol', { inline: { narrow: policy({ Effect: 'Allow', Action: 'kms:ListKeys', Resource: '*' }) } });
    await t.call('CreateGroup', { GroupName: 'ops' });
    await t.call('PutGroupPolicy', { GroupName: 'ops', PolicyName: 'no-delete', PolicyDocument: policy({ Effect: 'Deny', Action: 'kms:ScheduleKeyDeletion', Resource: '*' }) });
    await t.call('AttachGroupPolicy', { GroupName: 'ops', PolicyArn: 'arn:strongroom:iam::aws:policy/KeyAdministrator' });
    await newUser(t, 'dave');
    await t.call('AddUserToGroup', { GroupName: 'ops', UserName: 'dave' });
    sqlite(t, `UPDATE identity_policies SET document = '${sq(wide.replace('"Principal":"*",', ''))}' WHERE principal_name = 'carol'`);
    sqlite(t, "DELETE FROM identity_policies WHERE principal_name = 'ops' AND kind = 'inline'");
    const { as, signInAs } = await reopened();
    await expect(signInAs('carol')).rejects.toEqual(integrity(/User carol/));
    const dave = as(await signInAs('dave'));
    const { KeyMetadata } = await as(await signInAs('admin', 'correct horse battery staple')).call('CreateKey', {});
    await expect(dave.call('ScheduleKeyDeletion', { KeyId: KeyMetadata.KeyId })).rejects.toEqual(integrity(/Group ops of account \d{12}/));
  });

  it('a grant forged for a user with no access: the grant is refused, named', async () => {
    const { KeyMetadata } = await t.call('CreateKey', {});
    await newUser(t, 'eve');
    await newUser(t, 'frank');
    const frankArn = `arn:strongroom:iam::${t.admin.account}:user/frank`;
    const { GrantId } = await t.call('CreateGrant', { KeyId: KeyMetadata.KeyId, GranteePrincipal: frankArn, Operations: ['Encrypt'] });
    const { CiphertextBlob } = await t.call('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: Buffer.from('x') });
    sqlite(t, `UPDATE grants SET grantee_principal = replace(grantee_principal, 'frank', 'eve'), operations = '["Decrypt"]' WHERE grant_id = '${GrantId}'`);
    const { as, signInAs } = await reopened();
    await expect(as(await signInAs('eve')).call('Decrypt', { CiphertextBlob })).rejects.toEqual(integrity(new RegExp(`Grant ${GrantId} of account \\d{12}`)));
  });

  it('a disabled tenant switched back on in the file stays shut', async () => {
    await newTenant(t, 'acme');
    await t.call('DisableTenant', { AccountId: sqlite(t, "SELECT account FROM tenants WHERE name = 'acme'") });
    sqlite(t, "UPDATE tenants SET state = 'Enabled' WHERE name = 'acme'");
    const { signInAs } = await reopened();
    await expect(signInAs('admin', passphraseOf('acme'), 'acme')).rejects.toEqual(integrity(/Tenant \d{12}/));
  });

  it('an alias pointed at another key in the file is refused, so nothing is encrypted under the wrong key', async () => {
    const { KeyMetadata: payroll } = await t.call('CreateKey', {});
    const { KeyMetadata: other } = await t.call('CreateKey', {});
    await t.call('CreateAlias', { AliasName: 'alias/payroll', TargetKeyId: payroll.KeyId });
    sqlite(t, `UPDATE aliases SET key_id = '${other.KeyId}' WHERE alias_name = 'alias/payroll'`);
    const { as, signInAs } = await reopened();
    await expect(as(await signInAs('admin', 'correct horse battery staple')).call('Encrypt', { KeyId: 'alias/payroll', Plaintext: Buffer.from('x') })).rejects.toEqual(
      integrity(/Alias alias\/payroll of account \d{12}/),
    );
  });

  it("a key row moved onto another key id fails: the MAC names the key", async () => {
    const { KeyMetadata: a } = await t.call('CreateKey', { Description: 'a' });
    const { KeyMetadata: b } = await t.call('CreateKey', { Description: 'b' });
    sqlite(t, `UPDATE keys SET mac = (SELECT mac FROM keys WHERE key_id = '${a.KeyId}'), description = 'a' WHERE key_id = '${b.KeyId}'`);
    const { as, signInAs } = await reopened();
    await expect(as(await signInAs('admin', 'correct horse battery staple')).call('DescribeKey', { KeyId: b.KeyId })).rejects.toEqual(integrity(new RegExp(`Key ${b.KeyId}`)));
  });

  it('the custody record edited (even harmlessly) is refused when the vault opens', async () => {
    const custody = sqlite(t, "SELECT value FROM vault_meta WHERE name = 'custody'");
    sqlite(t, `UPDATE vault_meta SET value = '${sq(JSON.stringify(JSON.parse(custody), null, 1))}' WHERE name = 'custody'`);
    await expect(openVault(t.dir, { vaultPassphrase: async () => VAULT_PASSPHRASE })).rejects.toEqual(integrity(/The custody record of vault [0-9a-f-]{36}/));
  });

  it('a forged audit intent (a record an attacker wants signed) is refused when the vault opens', async () => {
    const dead = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }));
    sqlite(t, `INSERT INTO audit_intents (request_id, account, owner_pid, created_at, event_json, mac) VALUES ('forged', '${t.admin.account}', ${dead}, 0, '{"eventName":"Nothing"}', zeroblob(32))`);
    await expect(openVault(t.dir, { vaultPassphrase: async () => VAULT_PASSPHRASE })).rejects.toEqual(integrity(/The audit intent forged of account \d{12}/));
  });

  it('a file taken back to the schema before rows were sealed is refused, not sealed again', async () => {
    await newUser(t, 'eve');
    for (const table of ['tenants', 'users', 'groups', 'keys', 'aliases', 'grants', 'audit_intents']) sqlite(t, `ALTER TABLE ${table} DROP COLUMN mac`);
    sqlite(t, 'PRAGMA user_version = 6');
    await expect(openVault(t.dir, { vaultPassphrase: async () => VAULT_PASSPHRASE })).rejects.toMatchObject({
      name: 'KMSInvalidStateException',
      message: expect.stringMatching(/schema version 6, older than version \d+ it was opened at before/),
    });
  });
});
