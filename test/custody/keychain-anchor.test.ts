// The anchor of a keychain-custody vault lives in the OS keychain beside
// its master key (custody/anchor.ts), against a REAL Secret Service
// (bash test/with-secret-service.sh): someone who can write the database
// file, but not the keychain, can neither trim the audit trail unnoticed
// nor take the file back to a schema whose rows would be sealed again.
import { AsyncEntry } from '@napi-rs/keyring';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { destroyVaultMasterKey } from '../../main/custody/vault-master-key.js';
import { DB_FILE } from '../../main/vault/paths.js';
import { initVault, openVault } from '../../main/vault/vault.js';
import { ADMIN_PASSPHRASE, TEST_ARGON2 } from '../support/vault.js';

let dir: string;
let vaultId: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strongroom-keychain-anchor-'));
  ({ vaultId } = await initVault(dir, { custody: { kind: 'keychain' }, adminPassphrase: ADMIN_PASSPHRASE, service: { argon2: TEST_ARGON2 } }));
});
afterEach(async () => {
  await new AsyncEntry('Strongroom', `vault:${vaultId}:audit-anchors`).deleteCredential().catch(() => undefined);
  await destroyVaultMasterKey(vaultId, { kind: 'keychain', version: 1, service: 'Strongroom', account: `vault:${vaultId}`, kcv: '' }).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

const sqlite = (sql: string) => execFileSync('sqlite3', [join(dir, DB_FILE), sql], { encoding: 'utf8' }).trim();
const anchorDocument = async () => {
  const s = (await new AsyncEntry('Strongroom', `vault:${vaultId}:audit-anchors`).getSecret()) as ArrayLike<number> | null;
  return s == null ? undefined : JSON.parse(Buffer.from(Array.from(s)).toString('utf8'));
};
const open = () => openVault(dir, { service: { argon2: TEST_ARGON2 } });

describe('the anchor in the OS keychain', () => {
  it('holds the schema from init on, and each trail’s newest digest once one is written', async () => {
    expect(await anchorDocument()).toMatchObject({ version: 1, schema: expect.any(Number), accounts: {} });
    const v = await open();
    const admin = await v.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'cli' });
    await v.service.call(admin, 'CreateKey', {});
    await v.close();
    const doc = await anchorDocument();
    const signed = Number(sqlite(`SELECT max(to_seq) FROM audit_digests WHERE account = '${admin.account}'`));
    expect(doc.accounts[admin.account]).toEqual({ toSeq: signed, digestHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('a trail cut back in the file is named as cut back', async () => {
    const v = await open();
    const admin = await v.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'cli' });
    for (let i = 0; i < 3; i++) await v.service.call(admin, 'CreateKey', {});
    await v.close();
    sqlite(`DROP TRIGGER audit_events_append_only_delete; DROP TRIGGER audit_digests_append_only_delete;
            DELETE FROM audit_events WHERE seq > 1; DELETE FROM audit_digests;`);
    const w = await open();
    const again = await w.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'cli' });
    const r = (await w.service.call(again, 'VerifyEvents', {})) as { Valid: boolean; Problems: { Kind: string; Message: string }[] };
    expect(r.Valid).toBe(false);
    expect(r.Problems).toContainEqual(expect.objectContaining({ Kind: 'truncated', Message: expect.stringMatching(/was cut back: records 2\.\.\d+ were signed/) }));
    await expect(w.close()).rejects.toMatchObject({ name: 'KMSInternalException' });
  });

  it('a file taken back to an older schema is refused', async () => {
    sqlite('PRAGMA user_version = 6');
    await expect(open()).rejects.toMatchObject({ name: 'KMSInvalidStateException', message: expect.stringMatching(/schema version 6, older than version/) });
  });

  it('an anchor that vanishes from the keychain while the vault is open is refused, not taken as none', async () => {
    const v = await open();
    const admin = await v.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'cli' });
    await v.service.call(admin, 'CreateKey', {});
    // what a read of a keychain gone away returns: no entry
    expect(await new AsyncEntry('Strongroom', `vault:${vaultId}:audit-anchors`).deleteCredential()).toBe(true);
    const failed = await v.close().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failed).toMatchObject({ name: 'KMSInternalException', cause: { name: 'KMSInvalidStateException', message: expect.stringMatching(/read before, is no longer there/) } });
    expect(await anchorDocument()).toBeUndefined(); // and nothing was written in its place
  });
});
