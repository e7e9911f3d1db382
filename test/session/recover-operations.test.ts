// The desktop's recovery operations (issue 13) in an AppSession over a real
// keychain vault and real files (run under test/with-secret-service.sh):
// a 3-of-5 split, the keychain entry lost, DescribeRecoverySplit naming the
// custodians, RecoverVaultCustody from 3 shares (a passphrase-sealed file,
// an age file with its identity, paper words typed); 2 shares and a wrong
// custodian passphrase refused, naming the share, with nothing changed;
// and RestoreBackup on the first run of a fresh directory, from shares.
import { AsyncEntry } from '@napi-rs/keyring';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup } from '../../main/backup/create.js';
import type { Caller } from '../../main/core/service/caller.js';
import { AppSession } from '../../main/session/app-session.js';
import { VaultHost } from '../../main/session/vault-host.js';
import { initVault, openVault, type Vault } from '../../main/vault/vault.js';
import { CUSTODIAN_PASSPHRASES, splitFive } from '../backup/support.js';
import { refused } from '../support/kms.js';
import { ADMIN_PASSPHRASE, TEST_ARGON2 } from '../support/vault.js';

const service = { argon2: TEST_ARGON2 };
let work: string;
let vaultId: string;
let splitId: string;
let keyId: string;
let blob: Uint8Array;
const shares = () => join(work, 'shares');

const entry = (account: string) => new AsyncEntry('Strongroom', account);
const forgetKeychain = async () => {
  for (const account of [`vault:${vaultId}`, `vault:${vaultId}:audit-anchors`]) await entry(account).deleteCredential().catch(() => undefined);
};
const listing = async (dir: string) => (await readdir(dir)).sort();

beforeAll(async () => {
  if (process.env.STRONGROOM_TEST_SECRET_SERVICE !== '1') throw new Error('run under `bash test/with-secret-service.sh npx vitest run test/session/recover-operations.test.ts`');
  work = await mkdtemp(join(tmpdir(), 'strongroom-recover-ops-'));
  ({ vaultId } = await initVault(join(work, 'vault'), { custody: { kind: 'keychain' }, adminPassphrase: ADMIN_PASSPHRASE, service }));
  const vault: Vault = await openVault(join(work, 'vault'), { service });
  try {
    const admin: Caller = await vault.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'sdk' });
    keyId = (await vault.service.call(admin, 'CreateKey', {})).KeyMetadata.KeyId;
    blob = (await vault.service.call(admin, 'Encrypt', { KeyId: keyId, Plaintext: Buffer.from('kept through the loss') })).CiphertextBlob;
    ({ splitId } = await splitFive(vault, shares()));
    await createBackup(vault, admin, { outPath: join(work, 'vault.srb') });
  } finally {
    await vault.close();
  }
}, 120_000);

afterAll(async () => {
  await forgetKeychain();
  await rm(work, { recursive: true, force: true });
});

/** Three custodians' shares as the screen gives them: alice's sealed file and passphrase, carol's age file and identity, dave's words typed. */
async function quorum() {
  return [
    { Path: 'shares/alice.share', Passphrase: CUSTODIAN_PASSPHRASES.alice },
    { Path: join(shares(), 'carol.share.age'), AgeIdentity: await readFile(join(shares(), 'carol.key'), 'utf8') },
    { Words: await readFile(join(shares(), 'dave.paper.txt'), 'utf8') },
  ];
}

/** A paper sheet with its first word mistyped. */
const mistyped = (sheet: string) => sheet.replace(/^( ?1 +)[a-z]+/m, '$1zzzz');

async function decrypts(s: AppSession): Promise<void> {
  await s.run('SignIn', { UserName: 'admin', Passphrase: ADMIN_PASSPHRASE });
  const { Plaintext } = await s.host.vault.service.call(s.caller, 'Decrypt', { CiphertextBlob: blob });
  expect(Buffer.from(Plaintext!).toString()).toBe('kept through the loss');
}

describe('RecoverVaultCustody: the keychain entry lost, 3 custodians re-establish custody', () => {
  it('describes the split, refuses 2 shares and a wrong passphrase by name with nothing changed, then recovers from 3 and opens', async () => {
    await forgetKeychain();
    const host = new VaultHost(join(work, 'vault'), { service });
    const s = new AppSession(host, 'desktop', work);
    try {
      await refused(host.open(), 'KMSInvalidStateException');
      const status = await s.run('GetVaultStatus', {});
      expect(status).toMatchObject({ Exists: true, Open: false, Problem: { Name: 'KMSInvalidStateException', Message: expect.stringMatching(/keychain has no master key/) } });

      // the file dialog passes the sign-in gate while no vault is open (here there are no dialogs: refused as such)
      expect((await refused(s.run('ChooseFiles', { Purpose: 'open' }), 'ValidationException')).message).toMatch(/no file dialogs here/);
      expect(await s.run('DescribeRecoverySplit', {})).toEqual({ VaultId: vaultId, SplitId: splitId, Scheme: 'strongroom', Threshold: 3, Count: 5, Custodians: ['alice', 'bob', 'carol', 'dave', 'erin'] });

      // malformed input: both a path and words, custody without its passphrase, no shares
      for (const bad of [
        { Shares: [{ Path: 'a', Words: 'b' }], Custody: 'keychain' },
        { Shares: [{ Path: 'a' }], Custody: 'passphrase' },
        { Shares: [], Custody: 'keychain' },
      ]) {
        await refused(s.dispatch('RecoverVaultCustody', bad), 'ValidationException');
      }
      const before = await listing(join(work, 'vault'));
      const [alice, carol, dave] = await quorum();

      // two shares: refused, nothing changed
      const two = await refused(s.run('RecoverVaultCustody', { Shares: [alice!, dave!], Custody: 'keychain' }), 'ValidationException');
      expect(two.message).toMatch(/3/);
      // a wrong custodian passphrase names the share, and is not echoed
      const wrong = await refused(s.run('RecoverVaultCustody', { Shares: [{ ...alice!, Passphrase: 'not alice passphrase' }, carol!, dave!], Custody: 'keychain' }), 'AccessDeniedException');
      expect(wrong.message).toMatch(/^shares\/alice\.share: /);
      expect(wrong.message).not.toContain('not alice passphrase');
      // an age share without its identity, named
      const noId = await refused(s.run('RecoverVaultCustody', { Shares: [alice!, { Path: carol!.Path! }, dave!], Custody: 'keychain' }), 'ValidationException');
      expect(noId.message).toMatch(/carol\.share\.age is an age share/);
      // mistyped words: named as the typed share, the words not echoed
      const typo = await refused(s.run('RecoverVaultCustody', { Shares: [alice!, carol!, { Words: mistyped(dave!.Words!) }], Custody: 'keychain' }), 'InvalidCiphertextException');
      expect(typo.message).toMatch(/share 3 \(typed\)/);
      expect(await listing(join(work, 'vault'))).toEqual(before);
      expect(host.isOpen).toBe(false);
      await refused(host.open(), 'KMSInvalidStateException');

      // three: custody back in this keychain, the vault open, the key decrypts
      const recovered = await s.run('RecoverVaultCustody', { Shares: [alice!, carol!, dave!], Custody: 'keychain' });
      expect(recovered).toEqual(expect.objectContaining({ Exists: true, Open: true, VaultId: vaultId, Custody: 'keychain' }));
      expect(recovered.Problem).toBeUndefined();
      await s.run('SignOut', {});
      await refused(s.run('ChooseFiles', { Purpose: 'open' }), 'AccessDeniedException'); // once open, only a signed-in session
      await decrypts(s);
      const { Events } = await host.vault.service.call(s.caller, 'LookupEvents', { EventName: 'RecoverVaultCustody' });
      expect(Events).toHaveLength(1);
      const record = Events[0]!.CloudTrailEvent;
      expect(JSON.parse(record)).toMatchObject({ eventSource: 'vault.strongroom.local', additionalEventData: { vaultId, splitId, sharesGiven: 3, custody: 'keychain' } });
      for (const secret of [CUSTODIAN_PASSPHRASES.alice, 'AGE-SECRET-KEY', dave!.Words!.split(/\s+/).find((w) => /^[a-z]{4,}$/.test(w))!]) expect(record).not.toContain(secret);

      // once open, it is refused: custody changes only while the vault is not open
      await refused(s.run('RecoverVaultCustody', { Shares: [alice!, carol!, dave!], Custody: 'keychain' }), 'KMSInvalidStateException');
    } finally {
      await host.close();
    }
  }, 120_000);
});

describe('RestoreBackup: the first run on another machine, from shares', () => {
  it('describes the backup’s split, restores into the empty directory with 3 shares under a new vault passphrase, and opens it', async () => {
    await forgetKeychain();
    const dir = join(work, 'fresh');
    const host = new VaultHost(dir, { service });
    const s = new AppSession(host, 'desktop', work);
    try {
      expect(await s.run('GetVaultStatus', {})).toMatchObject({ Exists: false, Open: false });
      expect(await s.run('DescribeRecoverySplit', { BackupPath: 'vault.srb' })).toEqual({ VaultId: vaultId, SplitId: splitId, Scheme: 'strongroom', Threshold: 3, Count: 5, Custodians: ['alice', 'bob', 'carol', 'dave', 'erin'] });
      await refused(s.run('DescribeRecoverySplit', { BackupPath: 'no-such.srb' }), 'ValidationException');
      const [alice, carol, dave] = await quorum();

      // without shares, this machine's keychain holds nothing of it and no passphrase is given
      const none = await refused(s.run('RestoreBackup', { InPath: 'vault.srb', Custody: 'keychain' }), 'KMSInvalidStateException');
      expect(none.message).toMatch(/give 3 of the 5 custodians' recovery shares \(alice, bob, carol, dave, erin/);
      const wrong = await refused(s.run('RestoreBackup', { InPath: 'vault.srb', Shares: [alice!, carol!, { ...dave!, Words: mistyped(dave!.Words!) }], Custody: 'keychain' }), 'InvalidCiphertextException');
      expect(wrong.message).toMatch(/share 3 \(typed\)/);
      expect(existsSync(join(dir, 'strongroom.db'))).toBe(false);

      const restored = await s.run('RestoreBackup', { InPath: 'vault.srb', Shares: [alice!, carol!, dave!], Custody: 'passphrase', VaultPassphrase: 'the new vault passphrase' });
      expect(restored).toMatchObject({ Status: { Exists: true, Open: true, VaultId: vaultId, Custody: 'passphrase' }, OpenedWith: 'RecoveryShares', Accounts: [expect.stringMatching(/^\d{12}$/)] });
      await decrypts(s);
      await refused(s.run('RestoreBackup', { InPath: 'vault.srb', Shares: [alice!, carol!, dave!], Custody: 'keychain' }), 'KMSInvalidStateException');
      await host.close();

      // it is a passphrase vault now: it opens with the new passphrase, and a restore over it is refused
      const again = new VaultHost(dir, { service });
      try {
        await refused(new AppSession(again, 'desktop', work).run('RestoreBackup', { InPath: 'vault.srb', Shares: [alice!, carol!, dave!], Custody: 'keychain' }), 'AlreadyExistsException');
        await again.open('the new vault passphrase');
      } finally {
        await again.close();
      }
    } finally {
      await host.close();
    }
  }, 120_000);
});
