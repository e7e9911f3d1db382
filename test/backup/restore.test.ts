// Backup and restore of a keychain vault against a REAL Secret Service
// (bash test/with-secret-service.sh npx vitest run test/backup): vault A,
// with keys of several specs, an alias, a key policy, users, a grant, a
// second tenant and their audit trails, and a 3-of-5 recovery split, backed
// up; restored on the same machine (its master key from the keychain) and
// "on another machine" (A's keychain entries gone: only 3 of the custodians'
// shares open the backup). Each
// restored vault does everything A did, and its trails verify, hold the
// restore, and are held by anchors that match them.
import { AsyncEntry } from '@napi-rs/keyring';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup, type BackupCreated } from '../../main/backup/create.js';
import { restoreBackup } from '../../main/backup/restore.js';
import { digestHash } from '../../main/core/audit/digest.js';
import type { Caller } from '../../main/core/service/caller.js';
import { ANCHOR_FILE } from '../../main/custody/anchor.js';
import { AppSession } from '../../main/session/app-session.js';
import { DB_FILE } from '../../main/vault/paths.js';
import { initVault, openVault, type Vault } from '../../main/vault/vault.js';
import { refused } from '../support/kms.js';
import { ADMIN_PASSPHRASE, TEST_ARGON2 } from '../support/vault.js';
import { checkRestored, listing, populate, restoreRecords, splitFive, type Fixture } from './support.js';

const service = { argon2: TEST_ARGON2 };
let work: string;
let vaultId: string;
let a: Vault | undefined;
let admin: Caller;
let fixture: Fixture;
/** the five custodians' share records, alice's to erin's */
let shares: Buffer[];
let splitId: string;
let backup: BackupCreated;
const opened: Vault[] = [];

const entry = (account: string) => new AsyncEntry('Strongroom', account);
const keychainHolds = async (account: string) => (await entry(account).getSecret()) != null;
const forgetKeychain = async () => {
  for (const account of [`vault:${vaultId}`, `vault:${vaultId}:audit-anchors`]) await entry(account).deleteCredential().catch(() => undefined);
};
const sqlite = (dir: string, sql: string) => execFileSync('sqlite3', [join(dir, DB_FILE), sql], { encoding: 'utf8' }).trim();

beforeAll(async () => {
  if (process.env.STRONGROOM_TEST_SECRET_SERVICE !== '1') {
    throw new Error('STRONGROOM_TEST_SECRET_SERVICE is not set: run these tests inside a private Secret Service with `bash test/with-secret-service.sh npx vitest run test/backup`.');
  }
  work = await mkdtemp(join(tmpdir(), 'strongroom-backup-'));
  ({ vaultId } = await initVault(join(work, 'a'), { custody: { kind: 'keychain' }, adminPassphrase: ADMIN_PASSPHRASE, service }));
  a = await openVault(join(work, 'a'), { service });
  admin = await a.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'sdk' });
  fixture = await populate(a.service, admin);
  ({ splitId, records: shares } = await splitFive(a, join(work, 'shares')));
  backup = await createBackup(a, admin, { outPath: join(work, 'a.srb') });
}, 120_000);

afterAll(async () => {
  for (const v of [a, ...opened]) await v?.close().catch(() => undefined);
  await forgetKeychain();
  await rm(work, { recursive: true, force: true });
});

describe('backup create', () => {
  it('writes the backup whole, and records it in the operator tenant’s trail with its SHA-256', async () => {
    const bytes = await readFile(join(work, 'a.srb'));
    expect(backup).toMatchObject({ VaultId: vaultId, Bytes: bytes.length, KeySlots: ['vmk', 'recovery'], Sha256: createHash('sha256').update(bytes).digest('hex') });
    const { Events } = await a!.service.call(admin, 'LookupEvents', { EventName: 'CreateBackup' });
    expect(Events).toHaveLength(1);
    const record = JSON.parse(Events[0]!.CloudTrailEvent);
    expect(record).toMatchObject({ eventSource: 'backup.strongroom.local', userIdentity: { userName: 'admin' }, readOnly: true, responseElements: { Sha256: backup.Sha256, OutPath: backup.OutPath } });
    expect(record.errorCode).toBeUndefined();
  });

  it('is refused to anyone but an operator administrator, recorded, and writes nothing', async () => {
    const acme = await a!.service.signIn({ tenant: 'acme', userName: 'admin', passphrase: 'passphrase of acme admin', region: 'local-1', source: 'sdk' });
    const bob = await a!.service.signIn({ userName: 'bob', passphrase: 'passphrase of bob', region: 'local-1', source: 'sdk' });
    for (const who of [acme, bob]) {
      const out = join(work, `refused-${who.userName}-${who.account}.srb`);
      await refused(createBackup(a!, who, { outPath: out }), 'AccessDeniedException');
      await expect(readFile(out)).rejects.toMatchObject({ code: 'ENOENT' });
      const { Events } = await a!.service.call(who === acme ? acme : admin, 'LookupEvents', { EventName: 'CreateBackup', ...(who === bob ? { UserName: 'bob' } : {}) });
      expect(JSON.parse(Events[0]!.CloudTrailEvent)).toMatchObject({ errorCode: 'AccessDeniedException' });
    }
    expect(await listing(work).then((l) => l.includes('.srb.'))).toBe(false); // no temporary file left
  });
});

describe('restore on the same machine', () => {
  it('opens the backup with the master key in this keychain, and restores under a vault passphrase', async () => {
    const dir = join(work, 'same');
    const r = await restoreBackup({ inPath: join(work, 'a.srb'), dir, custody: { kind: 'passphrase', passphrase: 'a new vault passphrase' }, service });
    expect(r).toMatchObject({ VaultId: vaultId, Custody: 'passphrase', OpenedWith: 'VaultMasterKey', Accounts: [fixture.operator, fixture.acme], Backup: { Sha256: backup.Sha256 } });
    expect((await listing(dir)).split('\n').map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['. 700', `${ANCHOR_FILE} 600`, `${DB_FILE} 600`]);
    const v = await openVault(dir, { vaultPassphrase: async () => 'a new vault passphrase', service });
    opened.push(v);
    expect(v.custody).toBe('passphrase');
    await checkRestored(v.service, fixture, { sha256: backup.Sha256, vaultId, createdAt: backup.CreatedAt });
    // vault A is untouched: its trail still verifies against its own anchors
    expect((await a!.service.call(admin, 'VerifyEvents', {})).Valid).toBe(true);
    expect(await restoreRecords(a!.service, admin)).toEqual([]);
  });

  it('refuses a keychain restore where this keychain holds the vault already, writing nothing', async () => {
    const dir = join(work, 'same-keychain');
    await mkdir(dir, { mode: 0o755 });
    await writeFile(join(dir, 'notes.txt'), 'kept as it is');
    const before = await listing(dir);
    const e = await refused(restoreBackup({ inPath: join(work, 'a.srb'), dir, service }), 'AlreadyExistsException');
    expect(e.message).toMatch(/already holds vault .*passphrase custody/);
    expect(await listing(dir)).toBe(before);
    expect((await a!.service.call(admin, 'VerifyEvents', {})).Valid).toBe(true);
  });

  it('never restores over a vault', async () => {
    const before = await listing(join(work, 'same'));
    await refused(restoreBackup({ inPath: join(work, 'a.srb'), dir: join(work, 'same'), custody: { kind: 'passphrase', passphrase: 'another one' }, service }), 'AlreadyExistsException');
    expect(await listing(join(work, 'same'))).toBe(before);
  });
});

describe('restore on another machine', () => {
  // This keychain forgets vault A (and A is closed): the master key is nowhere here.
  beforeAll(async () => {
    await a!.close();
    a = undefined;
    await forgetKeychain();
  });

  it('without shares, says the keychain lacks the master key, names the custodians, and writes nothing', async () => {
    const dir = join(work, 'elsewhere-refused');
    const e = await refused(restoreBackup({ inPath: join(work, 'a.srb'), dir, service }), 'KMSInvalidStateException');
    expect(e.message).toMatch(new RegExp(`holds no master key for vault ${vaultId}.* give 3 of the 5 custodians' recovery shares \\(alice, bob, carol, dave, erin; split ${splitId}\\)`));
    expect(await listing(dir)).toBe('absent');
    expect(await keychainHolds(`vault:${vaultId}`)).toBe(false);
  });

  it('opens the backup with 3 of the 5 shares and keeps the master key in this keychain; the anchors match the restored trails', async () => {
    const dir = join(work, 'elsewhere');
    // bob's (a passphrase-sealed file), carol's (an age file) and erin's (paper words)
    const r = await restoreBackup({ inPath: join(work, 'a.srb'), dir, shares: { records: [shares[1]!, shares[2]!, shares[4]!] }, service });
    expect(r).toMatchObject({ VaultId: vaultId, Custody: 'keychain', OpenedWith: 'RecoveryShares', Accounts: [fixture.operator, fixture.acme] });
    expect(await keychainHolds(`vault:${vaultId}`)).toBe(true);

    // the anchors: new, in this keychain, each naming the newest digest of its tenant's restored trail
    const anchors = JSON.parse(Buffer.from((await entry(`vault:${vaultId}:audit-anchors`).getSecret())!).toString('utf8'));
    for (const account of [fixture.operator, fixture.acme]) {
      const [toSeq, json] = sqlite(dir, `SELECT to_seq, digest_json FROM audit_digests WHERE account = '${account}' ORDER BY to_seq DESC LIMIT 1`).split('|');
      expect(Number(toSeq)).toBe(Number(sqlite(dir, `SELECT max(seq) FROM audit_events WHERE account = '${account}'`)));
      expect(anchors.accounts[account]).toEqual({ toSeq: Number(toSeq), digestHash: digestHash(JSON.parse(json!)) });
    }

    const v = await openVault(dir, { service });
    expect(v.custody).toBe('keychain');
    await checkRestored(v.service, fixture, { sha256: backup.Sha256, vaultId, createdAt: backup.CreatedAt });
    const restored = await restoreRecords(v.service, await v.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'sdk' }));
    expect(restored[0]).toMatchObject({ additionalEventData: { OpenedWith: 'RecoveryShares', Custody: 'keychain' } });
    // the restored vault keeps the recovery split: the same custodians' shares would recover it
    const status = new AppSession(v, 'cli', work);
    await status.run('SignIn', { UserName: 'admin', Passphrase: ADMIN_PASSPHRASE });
    expect((await status.run('GetRecoveryStatus', {})).Split).toMatchObject({ SplitId: splitId, Threshold: 3, Count: 5 });
    await v.close();

    // the anchors hold: the restored trail cut back is named as cut back
    sqlite(dir, `DROP TRIGGER audit_events_append_only_delete; DROP TRIGGER audit_digests_append_only_delete;
                 DELETE FROM audit_events WHERE account = '${fixture.operator}' AND seq > 3; DELETE FROM audit_digests WHERE account = '${fixture.operator}';`);
    const w = await openVault(dir, { service });
    opened.push(w);
    const again = await w.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'sdk' });
    const verified = await w.service.call(again, 'VerifyEvents', {});
    expect(verified.Valid).toBe(false);
    expect(verified.Problems).toContainEqual(expect.objectContaining({ Kind: 'truncated', Message: expect.stringMatching(/was cut back/) }));
  });
});
