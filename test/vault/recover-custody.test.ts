// Recovery shares end to end (issue 13): a keychain vault's master key split
// 3-of-5 among custodians (SplitRecoveryKey, through an app session as the
// operator administrator), the keychain entry lost, and custody
// re-established on "a new machine" from any 3 shares; 2 shares change
// nothing; a re-split revokes the old shares; the ssss form recovers the
// same key with Debian's ssss-combine. Real keychain, real files, real age.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { destroyVaultMasterKey, openVaultMasterKey, parseCustodyRecord } from '../../main/custody/vault-master-key.js';
import { openVmkWithRecoveryKey, parseRecoveryRecord } from '../../main/custody/recovery-record.js';
import { parsePaperShare } from '../../main/custody/recovery/paper.js';
import { openShareWithAgeIdentity, openShareWithPassphrase } from '../../main/custody/recovery/sealed-share.js';
import { AppSession } from '../../main/session/app-session.js';
import { recoverCustody } from '../../main/vault/recover-custody.js';
import { initVault, openVault, type Vault } from '../../main/vault/vault.js';
import { Database } from '../../main/store/sqlite.js';
import { refused } from '../support/kms.js';
import { ADMIN_PASSPHRASE, TEST_ARGON2 } from '../support/vault.js';

const CUSTODIAN_PASSPHRASES = { alice: 'alice custodian passphrase', bob: 'bob custodian passphrase' };

let dir: string;
let shares: string;
let vaultId: string;
let recipient: string;
let identityFile: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strongroom-recovery-'));
  shares = join(dir, 'shares');
  await mkdir(shares);
  ({ vaultId } = await initVault(join(dir, 'vault'), { custody: { kind: 'keychain' }, adminPassphrase: ADMIN_PASSPHRASE, service: { argon2: TEST_ARGON2 } }));
  identityFile = join(dir, 'carol.age-identity');
  execFileSync('age-keygen', ['-o', identityFile], { stdio: 'ignore' });
  recipient = execFileSync('age-keygen', ['-y', identityFile], { encoding: 'utf8' }).trim();
});

afterEach(async () => {
  await destroyVaultMasterKey(vaultId, { kind: 'keychain', version: 1, service: 'Strongroom', account: `vault:${vaultId}`, kcv: '' }).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

const open = () => openVault(join(dir, 'vault'), { service: { argon2: TEST_ARGON2 } });

/** Runs SplitRecoveryKey as `admin` through an app session (what the desktop app and the CLI run). */
async function split(vault: Vault, input: Record<string, unknown>) {
  const s = new AppSession(vault, 'cli', dir);
  await s.run('SignIn', { UserName: 'admin', Passphrase: ADMIN_PASSPHRASE });
  return s.dispatch('SplitRecoveryKey', input) as Promise<{ SplitId: string; Shares: { Custodian: string; Files: string[] }[] }>;
}

/** GetRecoveryStatus as `admin`. */
async function status(vault: Vault) {
  const s = new AppSession(vault, 'cli', dir);
  await s.run('SignIn', { UserName: 'admin', Passphrase: ADMIN_PASSPHRASE });
  return s.run('GetRecoveryStatus', {});
}

const FIVE = (outDir: string) => ({
  Threshold: 3,
  OutDir: outDir,
  Custodians: [
    { Name: 'alice', Delivery: 'passphrase', Passphrase: CUSTODIAN_PASSPHRASES.alice },
    { Name: 'bob', Delivery: 'passphrase', Passphrase: CUSTODIAN_PASSPHRASES.bob },
    { Name: 'carol', Delivery: 'age', AgeRecipient: recipient },
    { Name: 'dave', Delivery: 'paper' },
    { Name: 'erin', Delivery: 'paper' },
  ],
});

/** The five share records, read back as each custodian would: passphrase, age identity, typed words. */
async function readShares(outDir: string): Promise<Buffer[]> {
  return [
    await openShareWithPassphrase(await readFile(join(outDir, 'alice.share'), 'utf8'), CUSTODIAN_PASSPHRASES.alice),
    await openShareWithPassphrase(await readFile(join(outDir, 'bob.share'), 'utf8'), CUSTODIAN_PASSPHRASES.bob),
    await openShareWithAgeIdentity(await readFile(join(outDir, 'carol.share.age'), 'utf8'), await readFile(identityFile, 'utf8')),
    parsePaperShare(await readFile(join(outDir, 'dave.paper.txt'), 'utf8')),
    parsePaperShare(await readFile(join(outDir, 'erin.paper.txt'), 'utf8')),
  ];
}

/** What a new machine lacks: the keychain entry of the vault's master key. */
async function loseKeychainEntry(): Promise<void> {
  const db = await Database.open(join(dir, 'vault', 'strongroom.db'), { create: false });
  const custody = (await db.get<{ value: string }>("SELECT value FROM vault_meta WHERE name = 'custody'"))!.value;
  await db.close();
  await destroyVaultMasterKey(vaultId, parseCustodyRecord(JSON.parse(custody)));
}

describe('recovery shares: split, lose the keychain, recover', () => {
  it('3-of-5: the files are private; 2 shares change nothing; 3 re-establish keychain custody and every key works; the trail says so', async () => {
    let vault = await open();
    const admin = await vault.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'sdk' });
    const { KeyMetadata } = await vault.service.call(admin, 'CreateKey', {});
    const { CiphertextBlob } = await vault.service.call(admin, 'Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: Buffer.from('before the loss') });
    expect(await status(vault)).toEqual({});
    const out = await split(vault, FIVE(shares));
    expect(out.Shares.map((s) => s.Custodian)).toEqual(['alice', 'bob', 'carol', 'dave', 'erin']);
    expect((await status(vault)).Split).toMatchObject({ SplitId: out.SplitId, Scheme: 'strongroom', Threshold: 3, Count: 5, Custodians: ['alice', 'bob', 'carol', 'dave', 'erin'] });
    expect((await readdir(shares)).sort()).toEqual(['alice.share', 'bob.share', 'carol.share.age', 'dave.paper.txt', 'dave.qr.svg', 'erin.paper.txt', 'erin.qr.svg']);
    for (const f of await readdir(shares)) expect((await stat(join(shares, f))).mode & 0o777).toBe(0o600);
    // the split is audited, and its record holds no share and no key
    const { Events } = await vault.service.call(admin, 'LookupEvents', { EventName: 'SplitRecoveryKey' });
    expect(Events).toHaveLength(1);
    const records = await readShares(shares);
    for (const r of records) expect(Events[0]!.CloudTrailEvent).not.toContain(r.toString('base64').slice(0, 16));
    expect(JSON.parse(Events[0]!.CloudTrailEvent)).toMatchObject({
      requestParameters: { Threshold: 3, Custodians: ['alice', 'bob', 'carol', 'dave', 'erin'].map((Name) => expect.objectContaining({ Name })) },
      responseElements: { Threshold: 3, Count: 5, Custodians: ['alice', 'bob', 'carol', 'dave', 'erin'] },
    });
    await vault.close();

    await loseKeychainEntry();
    await refused(open(), 'KMSInvalidStateException');

    // two shares: refused by name, and nothing changed (the vault still does not open)
    await refused(recoverCustody(join(dir, 'vault'), { records: [records[0]!, records[3]!] }, { kind: 'keychain' }), 'ValidationException');
    await refused(open(), 'KMSInvalidStateException');
    // a damaged share is named, not combined
    const damaged = Buffer.from(records[2]!);
    damaged[30]! ^= 1;
    await expect(recoverCustody(join(dir, 'vault'), { records: [records[0]!, damaged, records[4]!] }, { kind: 'keychain' })).rejects.toMatchObject({ name: 'InvalidCiphertextException' });

    // any three: bob, carol and erin
    const done = await recoverCustody(join(dir, 'vault'), { records: [records[1]!, records[2]!, records[4]!] }, { kind: 'keychain' });
    expect(done).toEqual({ vaultId, splitId: out.SplitId, custody: 'keychain' });
    vault = await open();
    const again = await vault.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'sdk' });
    expect(Buffer.from((await vault.service.call(again, 'Decrypt', { CiphertextBlob })).Plaintext).toString()).toBe('before the loss');
    const recovered = (await vault.service.call(again, 'LookupEvents', { EventName: 'RecoverVaultCustody' })).Events;
    expect(recovered).toHaveLength(1);
    expect(JSON.parse(recovered[0]!.CloudTrailEvent)).toMatchObject({ eventSource: 'vault.strongroom.local', additionalEventData: { vaultId, splitId: out.SplitId, sharesGiven: 3 } });
    expect((await vault.service.call(again, 'VerifyEvents', {})).Valid).toBe(true);
    await vault.close();
  });

  it('a re-split revokes the old shares; only operator administrators split; a refused split leaves no file', async () => {
    const vault = await open();
    const first = join(dir, 'first');
    const second = join(dir, 'second');
    await mkdir(first);
    await mkdir(second);
    await split(vault, FIVE(first));
    const old = await readShares(first);
    await split(vault, FIVE(second));
    const fresh = await readShares(second);
    // an existing share file is never overwritten
    await refused(split(vault, FIVE(second)), 'ValidationException');

    // another tenant's administrator may not split the vault's recovery key
    const admin = await vault.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'sdk' });
    await vault.service.call(admin, 'CreateTenant', { TenantName: 'acme', AdminPassword: 'acme first passphrase' });
    const acmeAccount = (await vault.service.call(admin, 'ListTenants', {})).Tenants.find((t) => t.TenantName === 'acme')!.AccountId;
    const acmeAdmin = await vault.service.signIn({ tenant: acmeAccount, userName: 'admin', passphrase: 'acme first passphrase', region: 'local-1', source: 'sdk' });
    await vault.service.call(acmeAdmin, 'ChangePassword', { OldPassword: 'acme first passphrase', NewPassword: 'acme own passphrase' });
    const acme = new AppSession(vault, 'cli', dir);
    await acme.run('SignIn', { Tenant: acmeAccount, UserName: 'admin', Passphrase: 'acme own passphrase' });
    const third = join(dir, 'third');
    await mkdir(third);
    await expect(acme.dispatch('SplitRecoveryKey', FIVE(third))).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringMatching(/operator administrators/) });
    expect(await readdir(third)).toEqual([]);
    await refused(acme.run('GetRecoveryStatus', {}), 'AccessDeniedException');
    await vault.close();

    await loseKeychainEntry();
    await expect(recoverCustody(join(dir, 'vault'), { records: old.slice(0, 3) }, { kind: 'keychain' })).rejects.toMatchObject({ name: 'InvalidCiphertextException', message: expect.stringMatching(/split/) });
    await recoverCustody(join(dir, 'vault'), { records: fresh.slice(2) }, { kind: 'passphrase', passphrase: 'a new vault passphrase' });
    // now a passphrase vault
    await (await openVault(join(dir, 'vault'), { vaultPassphrase: async () => 'a new vault passphrase', service: { argon2: TEST_ARGON2 } })).close();
  });

  it("the ssss form: Debian's ssss-combine recovers the recovery key, which opens the vault's master key; Strongroom recovers from the lines", async () => {
    const vault = await open();
    await split(vault, { Threshold: 2, Scheme: 'ssss', OutDir: shares, Custodians: ['ann', 'ben', 'cat'].map((Name) => ({ Name, Delivery: 'paper' })) });
    await vault.close();
    const lines = await Promise.all(['ann', 'ben', 'cat'].map(async (n) => (await readFile(join(shares, `${n}.ssss.txt`), 'utf8')).trim().split('\n').at(-1)!));
    // without Strongroom: two custodians type their lines into ssss-combine
    // (ssss-combine prints the secret on stderr)
    const hex = execFileSync('sh', ['-c', 'ssss-combine -x -q -t 2 2>&1 >/dev/null'], { input: `${lines[0]}\n${lines[2]}\n`, encoding: 'utf8' }).trim();
    expect(hex).toMatch(/^[0-9a-f]{64}$/);
    const db = await Database.open(join(dir, 'vault', 'strongroom.db'), { create: false });
    const meta = new Map((await db.all<{ name: string; value: string }>('SELECT name, value FROM vault_meta')).map((r) => [r.name, r.value]));
    await db.close();
    const vmk = openVmkWithRecoveryKey(parseRecoveryRecord(meta.get('recovery')!, vaultId), Buffer.from(hex!, 'hex'), vaultId);
    const fromKeychain = await openVaultMasterKey(vaultId, parseCustodyRecord(JSON.parse(meta.get('custody')!)));
    expect(vmk.equals(fromKeychain)).toBe(true);

    await loseKeychainEntry();
    await refused(recoverCustody(join(dir, 'vault'), { ssssLines: [lines[1]!] }, { kind: 'keychain' }), 'ValidationException');
    await recoverCustody(join(dir, 'vault'), { ssssLines: [lines[1]!, lines[2]!] }, { kind: 'keychain' });
    await (await open()).close();
  });
});
