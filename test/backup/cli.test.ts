// `strongroom backup create` and `strongroom backup restore`, the BUILT
// binary as a user runs it, against real keychains: the shared Secret
// Service (bash test/with-secret-service.sh) is this machine's, and a
// private one of the test's own (support/private-secret-service.ts) is
// "another machine", whose keychain never held the vault's master key. The
// vault's recovery key is split 3-of-5 with `ceremony split`; on the other
// machine, 3 custodians' shares open the backup (`backup restore --share`).
// run() in-process where the terminal's prompts are the point (who is asked
// for what, and that nobody is asked for a share that will be refused).
import { AsyncEntry } from '@napi-rs/keyring';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startPrivateSecretService, type PrivateSecretService } from '../support/private-secret-service.js';
import { ensureBuilt, Workspace } from '../cli/binary.js';
import { scriptedCli } from '../support/scripted-cli.js';

beforeAll(() => {
  if (process.env.STRONGROOM_TEST_SECRET_SERVICE !== '1') {
    throw new Error('STRONGROOM_TEST_SECRET_SERVICE is not set: run these tests inside a private Secret Service with `bash test/with-secret-service.sh npx vitest run test/backup`.');
  }
  ensureBuilt();
}, 180_000);

const refusal = (operation: string, name: string) => new RegExp(`^\\nAn error occurred \\(${name}\\) when calling the ${operation} operation: `);
const PASS = { alice: 'alice custodian passphrase', bob: 'bob custodian passphrase' };


describe('strongroom backup of a vault with a 3-of-5 recovery split', () => {
  // a keychain vault on this machine: no vault passphrase anywhere
  const ws = new Workspace({ STRONGROOM_VAULT_PASSPHRASE: undefined });
  let other: PrivateSecretService;
  let vaultId = '';
  let splitId = '';
  let created: { VaultId: string; Sha256: string; KeySlots: string[] };
  /** what each key did before the backup, as the restored vault must do it again */
  const keys: { id: string; decrypt: string[]; plaintext: string }[] = [];
  let signer = '';
  const elsewhere = (dir: string) => ({ DBUS_SESSION_BUS_ADDRESS: other.address, STRONGROOM_VAULT: ws.path(dir) });
  /** the private keychain holds nothing of the vault */
  const otherKeychainEmpty = async () => {
    for (const account of [`vault:${vaultId}`, `vault:${vaultId}:audit-anchors`]) {
      expect(await other.run('secret-tool', ['lookup', 'service', 'Strongroom', 'username', account]).then(() => true, () => false), account).toBe(false);
    }
  };

  beforeAll(async () => {
    other = await startPrivateSecretService();
    expect((await ws.run(['init'])).code).toBe(0);
    // keys of three kinds, each with a ciphertext of its own, and a signature
    writeFileSync(ws.path('plain.txt'), 'restored elsewhere\n');
    for (const [i, spec, extra] of [
      [0, 'SYMMETRIC_DEFAULT', []],
      [1, 'SYMMETRIC_DEFAULT', ['--encryption-context', 'purpose=backup']],
      [2, 'RSA_2048', ['--encryption-algorithm', 'RSAES_OAEP_SHA_256']],
    ] as const) {
      const usage = spec === 'RSA_2048' ? ['--key-usage', 'ENCRYPT_DECRYPT'] : [];
      const key = await ws.json<{ KeyMetadata: { KeyId: string } }>(['create-key', '--key-spec', spec, ...usage]);
      const id = key.KeyMetadata.KeyId;
      const enc = await ws.sh(`strongroom encrypt --key-id ${id} --plaintext fileb://plain.txt ${extra.join(' ')} --output text --query CiphertextBlob | base64 --decode > ct${i}.bin`);
      expect(enc.stderr).toBe('');
      keys.push({ id, plaintext: 'restored elsewhere\n', decrypt: [`--ciphertext-blob`, `fileb://ct${i}.bin`, ...(spec === 'RSA_2048' ? ['--key-id', id] : []), ...extra] });
    }
    signer = (await ws.json<{ KeyMetadata: { KeyId: string } }>(['create-key', '--key-spec', 'ECC_NIST_P256', '--key-usage', 'SIGN_VERIFY'])).KeyMetadata.KeyId;
    const sig = await ws.sh(`strongroom sign --key-id ${signer} --message fileb://plain.txt --message-type RAW --signing-algorithm ECDSA_SHA_256 --output text --query Signature | base64 --decode > sig.bin`);
    expect(sig.stderr).toBe('');

    // the split, as a ceremony makes it
    execFileSync('age-keygen', ['-o', ws.path('carol.key')], { stdio: 'ignore' });
    const recipient = execFileSync('age-keygen', ['-y', ws.path('carol.key')], { encoding: 'utf8' }).trim();
    writeFileSync(ws.path('alice.pass'), `${PASS.alice}\n`);
    writeFileSync(ws.path('bob.pass'), `${PASS.bob}\n`);
    const split = await ws.run([
      'ceremony', 'split', '--threshold', '3',
      '--custodian', 'alice=passphrase-file:alice.pass',
      '--custodian', 'bob=passphrase-file:bob.pass',
      '--custodian', `carol=age:${recipient}`,
      '--custodian', 'dave=paper',
      '--custodian', 'erin=paper',
      '--out-dir', 'shares',
    ]);
    expect(split.code, split.stderr).toBe(0);
    ({ VaultId: vaultId, SplitId: splitId } = JSON.parse(split.stdout));
  }, 120_000);
  afterAll(async () => {
    // this machine's keychain: what init put there
    for (const account of [`vault:${vaultId}`, `vault:${vaultId}:audit-anchors`]) await new AsyncEntry('Strongroom', account).deleteCredential().catch(() => undefined);
    await other?.stop();
    ws.remove();
  });

  test('create: a sealed backup whose recovery slot is the vault’s split, as JSON', async () => {
    const r = await ws.run(['backup', 'create', '--out', 'vault.srb']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    created = JSON.parse(r.stdout);
    expect(created).toMatchObject({ OutPath: ws.path('vault.srb'), VaultId: vaultId, KeySlots: ['vmk', 'recovery'], Sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const file = readFileSync(ws.path('vault.srb'));
    expect(file.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x53, 0x52, 0x42, 0x0d, 0x0a, 0x1a, 0x0a]));
    const header = JSON.parse(file.subarray(13, 13 + file.readUInt32BE(9)).toString());
    expect(header.keySlots.recovery).toMatchObject({ commitment: { splitId, threshold: 3, count: 5 }, custodians: ['alice', 'bob', 'carol', 'dave', 'erin'] });
  });

  test('on another machine: without shares, with two, or with a mistyped one, refused by name and nothing written', async () => {
    const without = await ws.run(['backup', 'restore', '--in', 'vault.srb'], elsewhere('refused'));
    expect(without.code).toBe(254);
    expect(without.stderr).toMatch(refusal('RestoreBackup', 'KMSInvalidStateException'));
    expect(without.stderr).toContain(`give 3 of the 5 custodians' recovery shares (alice, bob, carol, dave, erin; split ${splitId})`);

    const two = await ws.run(['backup', 'restore', '--in', 'vault.srb', '--share', 'shares/alice.share', '--share-passphrase-file', 'alice=alice.pass', '--share', 'shares/dave.paper.txt'], elsewhere('refused'));
    expect(two.stdout).toBe('');
    expect(two.code).toBe(254);
    expect(two.stderr).toBe('\nAn error occurred (ValidationException) when calling the RestoreBackup operation: 2 of the 3 shares needed were given (shares 1 and 4); 1 more is needed.\n');

    // erin's sheet with its 7th word changed to another word of the list
    const sheet = readFileSync(ws.path('shares/erin.paper.txt'), 'utf8');
    const seventh = / 7 ([a-z]+)/.exec(sheet)![1]!;
    const other7 = seventh === 'zoo' ? 'abandon' : 'zoo';
    writeFileSync(ws.path('erin-typo.txt'), sheet.replace(` 7 ${seventh}`, ` 7 ${other7}`));
    const typo = await ws.run(['backup', 'restore', '--in', 'vault.srb', '--share', 'shares/alice.share', '--share-passphrase-file', 'alice=alice.pass', '--share', 'erin-typo.txt', '--share', 'shares/dave.paper.txt'], elsewhere('refused'));
    expect(typo.code).toBe(254);
    expect(typo.stderr).toMatch(/^\nAn error occurred \(InvalidCiphertextException\) when calling the RestoreBackup operation: erin-typo\.txt: Word 7 does not fit the share's checksum/);
    for (const r of [two, typo]) {
      expect(r.stderr).not.toContain(PASS.alice);
      expect(r.stderr).not.toContain(other7);
    }
    expect(existsSync(ws.path('refused'))).toBe(false);
    await otherKeychainEmpty();
  });

  test('on another machine, 3 shares (a passphrase file, an age identity, paper words) restore into its keychain; every key does what it did', async () => {
    const r = await ws.run(
      [
        'backup', 'restore', '--in', 'vault.srb',
        '--share', 'shares/bob.share', '--share-passphrase-file', 'bob=bob.pass',
        '--share', 'shares/carol.share.age', '--identity', 'carol.key',
        '--share', 'shares/erin.paper.txt',
      ],
      elsewhere('elsewhere'),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ VaultDirectory: ws.path('elsewhere'), VaultId: vaultId, Custody: 'keychain', OpenedWith: 'RecoveryShares', Backup: { Sha256: created.Sha256 } });
    expect(await other.run('secret-tool', ['lookup', 'service', 'Strongroom', 'username', `vault:${vaultId}`]).then(() => true, () => false)).toBe(true);

    for (const k of keys) {
      const dec = await ws.sh(`strongroom decrypt ${k.decrypt.join(' ')} --output text --query Plaintext | base64 --decode > out.txt`, elsewhere('elsewhere'));
      expect(dec.stderr, k.id).toBe('');
      expect(readFileSync(ws.path('out.txt'), 'utf8')).toBe(k.plaintext);
    }
    const verify = await ws.run(['verify', '--key-id', signer, '--message', 'fileb://plain.txt', '--message-type', 'RAW', '--signature', 'fileb://sig.bin', '--signing-algorithm', 'ECDSA_SHA_256'], elsewhere('elsewhere'));
    expect(JSON.parse(verify.stdout)).toMatchObject({ SignatureValid: true });
    const events = await ws.run(['audit', 'lookup-events', '--event-name', 'RestoreBackup'], elsewhere('elsewhere'));
    expect(events.code).toBe(0);
    const [event] = JSON.parse(events.stdout).Events;
    expect(JSON.parse(event.CloudTrailEvent)).toMatchObject({ sourceType: 'cli', additionalEventData: { OpenedWith: 'RecoveryShares', Backup: { Sha256: created.Sha256, SourceVaultId: vaultId } } });
    expect(JSON.parse((await ws.run(['audit', 'verify'], elsewhere('elsewhere'))).stdout)).toMatchObject({ Valid: true });
  });

  test('on this machine under a vault passphrase: the keychain’s master key opens the backup', async () => {
    const same = { STRONGROOM_VAULT: ws.path('same'), STRONGROOM_VAULT_PASSPHRASE: 'a vault passphrase for the copy' };
    const r = await ws.run(['backup', 'restore', '--in', 'vault.srb', '--passphrase-only'], same);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ Custody: 'passphrase', OpenedWith: 'VaultMasterKey' });
    expect(JSON.parse((await ws.run(['list-keys'], same)).stdout).Keys).toHaveLength(4);
    // a keychain restore here is refused: this keychain holds the vault already
    const again = await ws.run(['backup', 'restore', '--in', 'vault.srb'], { STRONGROOM_VAULT: ws.path('same-keychain') });
    expect(again.code).toBe(254);
    expect(again.stderr).toMatch(refusal('RestoreBackup', 'AlreadyExistsException'));
    expect(existsSync(ws.path('same-keychain'))).toBe(false);
  });

  test('at the terminal: a sealed share’s custodian is asked by name (a mistyped try asked again), paper words typed', async () => {
    const words = readFileSync(ws.path('shares/dave.paper.txt'), 'utf8')
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .join(' ')
      .split(/\s+/)
      .filter((w) => /^[a-z]+$/.test(w));
    expect(words).toHaveLength(45);
    const lines = Array.from({ length: 9 }, (_, i) => words.slice(i * 5, i * 5 + 5).join(' '));
    const c = scriptedCli(ws.dir, { STRONGROOM_VAULT: ws.path('typed'), STRONGROOM_VAULT_PASSPHRASE: 'the copy’s vault passphrase' }, ['not alice', PASS.alice, ...lines]);
    expect(await c.run(['backup', 'restore', '--in', 'vault.srb', '--share', 'shares/alice.share', '--share-words', '--share', 'shares/erin.paper.txt', '--passphrase-only']), c.err()).toBe(0);
    expect(c.prompts).toEqual([
      'Passphrase of custodian alice (share 1 of 5, alice.share): ',
      'Passphrase of custodian alice (share 1 of 5, alice.share): ',
      ...Array.from({ length: 9 }, (_, i) => `Paper share 1, words ${i * 5 + 1}-${i * 5 + 5} of 45: `),
    ]);
    expect(c.err()).toBe("That is not the passphrase of alice's share; try again.\n");
    expect(JSON.parse(c.out())).toMatchObject({ Custody: 'passphrase', OpenedWith: 'RecoveryShares' });
  });

  test('a changed backup is refused, exit 254, nothing written', async () => {
    const bytes = readFileSync(ws.path('vault.srb'));
    bytes[bytes.length - 100]! ^= 0x10;
    writeFileSync(ws.path('changed.srb'), bytes);
    const r = await ws.run(['backup', 'restore', '--in', 'changed.srb', '--share', 'shares/dave.paper.txt', '--share', 'shares/erin.paper.txt', '--share', 'shares/bob.share', '--share-passphrase-file', 'bob=bob.pass'], elsewhere('from-changed'));
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(refusal('RestoreBackup', 'InvalidCiphertextException'));
    expect(r.stderr).toMatch(/Segment \d+ failed authentication/);
    expect(existsSync(ws.path('from-changed'))).toBe(false);
  });

  test('after a new split: the old backup refuses a new sealed share before anyone is asked for its passphrase, and still opens with the old shares', async () => {
    const resplit = await ws.run(['ceremony', 'split', '--threshold', '2', '--custodian', 'alice=passphrase-file:alice.pass', '--custodian', 'bob=paper', '--out-dir', 'shares2']);
    expect(resplit.code, resplit.stderr).toBe(0);
    const newSplit = JSON.parse(resplit.stdout).SplitId;
    const c = scriptedCli(ws.dir, { STRONGROOM_VAULT: ws.path('resplit') });
    expect(await c.run(['backup', 'restore', '--in', 'vault.srb', '--share', 'shares2/alice.share', '--share', 'shares/dave.paper.txt', '--share', 'shares/erin.paper.txt'])).toBe(254);
    expect(c.err()).toBe(
      `\nAn error occurred (InvalidCiphertextException) when calling the RestoreBackup operation: shares2/alice.share is share 1 of another recovery split of this vault (split ${newSplit}): ` +
        `this backup opens with the shares of split ${splitId}, the split in force when it was made.\n`,
    );
    expect(c.prompts).toEqual([]);
    // a new share in a form with no clear header is refused by the split's commitment, named by its file
    const paper = await ws.run(['backup', 'restore', '--in', 'vault.srb', '--share', 'shares2/bob.paper.txt', '--share', 'shares/dave.paper.txt', '--share', 'shares/erin.paper.txt'], elsewhere('resplit'));
    expect(paper.code).toBe(254);
    expect(paper.stderr).toBe(
      `\nAn error occurred (InvalidCiphertextException) when calling the RestoreBackup operation: The share from shares2/bob.paper.txt is share 2 of another recovery split of this vault (split ${newSplit}): ` +
        `this backup opens with the shares of split ${splitId}, the split in force when it was made.\n`,
    );
    expect(existsSync(ws.path('resplit'))).toBe(false);
    // the re-split did not revoke the old shares for this backup (docs/backup-format.md, Security notes)
    const old = await ws.run(
      ['backup', 'restore', '--in', 'vault.srb', '--share', 'shares/dave.paper.txt', '--share', 'shares/erin.paper.txt', '--share', 'shares/alice.share', '--share-passphrase-file', 'alice=alice.pass', '--passphrase-only'],
      { ...elsewhere('resplit'), STRONGROOM_VAULT_PASSPHRASE: 'another copy' },
    );
    expect(old.stderr).toBe('');
    expect(JSON.parse(old.stdout)).toMatchObject({ VaultId: vaultId, OpenedWith: 'RecoveryShares' });
    // the new backup carries the new split
    const r = await ws.run(['backup', 'create', '--out', 'after.srb']);
    expect(JSON.parse(readFileSync(ws.path('after.srb')).subarray(13, 13 + readFileSync(ws.path('after.srb')).readUInt32BE(9)).toString()).keySlots.recovery.commitment.splitId).toBe(newSplit);
    expect(r.code).toBe(0);
  });

  test('only an operator administrator backs up', async () => {
    expect((await ws.run(['iam', 'create-user', '--user-name', 'bob'])).code).toBe(0);
    expect((await ws.run(['iam', 'create-login-profile', '--user-name', 'bob'], { STRONGROOM_NEW_PASSPHRASE: 'passphrase of bob' })).code).toBe(0);
    const r = await ws.run(['--user', 'bob', 'backup', 'create', '--out', 'by-bob.srb'], { STRONGROOM_PASSPHRASE: 'passphrase of bob' });
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(refusal('CreateBackup', 'AccessDeniedException'));
    expect(existsSync(ws.path('by-bob.srb'))).toBe(false);
  });

  test('usage errors exit 252 with the usage; help exits 0', async () => {
    for (const [args, message] of [
      [['backup', 'create'], /the following arguments are required: --out/],
      [['backup', 'restore'], /the following arguments are required: --in/],
      [['backup', 'create', '--out', 'x.srb', '--passphrase-only'], /Unknown options: --passphrase-only/],
      [['backup', 'create', '--out', 'x.srb', '--share', 'shares/bob.share'], /Unknown options: --share/],
      [['backup', 'restore', '--in', 'vault.srb', '--recovery-key-file', 'recovery.hex'], /Unknown options: --recovery-key-file/],
      [['backup', 'restore', '--in', 'vault.srb', '--share', 'missing.share'], /argument --share: cannot read missing\.share: No such file or directory/],
      [['backup', 'restore', '--in', 'vault.srb', '--identity', 'carol.key'], /argument --identity: it opens shares, and no share is given/],
      [['backup', 'restore', '--in', 'vault.srb', '--share', 'shares/carol.share.age'], /shares\/carol\.share\.age is an age share: give its custodian's age identity with --identity FILE/],
      [['backup', 'restore', '--in', 'vault.srb', '--share', 'shares/bob.share', '--share-passphrase-file', 'bob'], /argument --share-passphrase-file: expected NAME=PATH/],
      [['backup', 'restore', '--in', 'vault.srb', '--passphrase-only=yes'], /argument --passphrase-only: takes no value/],
    ] as const) {
      const r = await ws.run(args);
      expect(r.code, args.join(' ')).toBe(252);
      expect(r.stderr).toMatch(new RegExp(`usage: strongroom \\[global options\\] ${args.slice(0, 2).join(' ')}`));
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    expect((await ws.run(['backup', 'frobnicate'])).code).toBe(252);
    const help = await ws.run(['backup', 'restore', 'help']);
    expect(help.code).toBe(0);
    for (const option of ['--share', '--share-words', '--identity', '--share-passphrase-file', '--passphrase-only']) expect(help.stdout).toContain(`  ${option}\n`);
    expect(help.stdout).not.toContain('--recovery-key-file');
    expect((await ws.run(['help'])).stdout).toContain('backup create');
  });
});

describe('a second vault: no split, then an ssss split', () => {
  // a passphrase vault (the workspace's vault passphrase): its anchors are in its folder, not a keychain
  const ws = new Workspace();
  let vaultId = '';
  afterAll(() => ws.remove());

  test('a backup made while the vault had no split refuses shares (ValidationException), before anyone is asked anything', async () => {
    expect((await ws.run(['init', '--passphrase-only'])).code).toBe(0);
    expect((await ws.run(['create-key'])).code).toBe(0);
    vaultId = JSON.parse((await ws.run(['backup', 'create', '--out', 'none.srb'])).stdout).VaultId;
    writeFileSync(ws.path('alice.pass'), `${PASS.alice}\n`);
    expect((await ws.run(['ceremony', 'split', '--threshold', '2', '--custodian', 'alice=passphrase-file:alice.pass', '--custodian', 'bob=paper', '--out-dir', 'shares'])).code).toBe(0);
    // no passphrase file for alice's sealed share: had she been asked, the refusal would say there is no terminal
    const r = await ws.run(['backup', 'restore', '--in', 'none.srb', '--share', 'shares/alice.share', '--share', 'shares/bob.paper.txt'], { STRONGROOM_VAULT: ws.path('restored') });
    expect(r.code).toBe(254);
    expect(r.stderr).toBe(
      "\nAn error occurred (ValidationException) when calling the RestoreBackup operation: none.srb is a backup made while its vault had no recovery split: no custodian's shares open it. Restore it with the vault's master key (give no --share).\n",
    );
    expect(existsSync(ws.path('restored'))).toBe(false);
  });

  test('the ssss form: two lines restore its backup; a line of the vault’s own earlier split is not a share of it', async () => {
    const split = await ws.run(['ceremony', 'split', '--scheme', 'ssss', '--threshold', '2', '--custodian', 'ann=paper', '--custodian', 'ben=paper', '--custodian', 'cat=paper', '--out-dir', 'ssss']);
    expect(split.code, split.stderr).toBe(0);
    expect((await ws.run(['backup', 'create', '--out', 'ssss.srb'])).code).toBe(0);
    const mixed = await ws.run(['backup', 'restore', '--in', 'ssss.srb', '--share', 'ssss/ann.ssss.txt', '--share', 'shares/bob.paper.txt'], { STRONGROOM_VAULT: ws.path('restored') });
    expect(mixed.code).toBe(254);
    expect(mixed.stderr).toContain("shares/bob.paper.txt is a Strongroom share, but this backup's recovery split is in the ssss form");
    const r = await ws.run(['backup', 'restore', '--in', 'ssss.srb', '--share', 'ssss/cat.ssss.txt', '--share', 'ssss/ann.ssss.txt', '--passphrase-only'], { STRONGROOM_VAULT: ws.path('restored') });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ VaultId: vaultId, Custody: 'passphrase', OpenedWith: 'RecoveryShares' });
    expect(JSON.parse((await ws.run(['list-keys'], { STRONGROOM_VAULT: ws.path('restored') })).stdout).Keys).toHaveLength(1);
  });
});
