// `strongroom ceremony split` and `ceremony recover` (issue 13) through the
// command line: the built binary as a shell runs it, and run() in-process
// where the terminal's prompts are the point (who is asked for what, and
// that nobody is asked when the command line is wrong). Real keychain (run
// under test/with-secret-service.sh), real vault files, real age-keygen,
// age and ssss-combine.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { destroyVaultMasterKey, parseCustodyRecord } from '../../main/custody/vault-master-key.js';
import { Database } from '../../main/store/sqlite.js';
import { ADMIN_PASSPHRASE, ensureBuilt, Workspace } from './binary.js';
import { scriptedCli } from '../support/scripted-cli.js';

beforeAll(() => {
  if (process.env.STRONGROOM_TEST_SECRET_SERVICE !== '1') {
    throw new Error('STRONGROOM_TEST_SECRET_SERVICE is not set: run these tests with `bash test/with-secret-service.sh npx vitest run test/cli/ceremony.test.ts`.');
  }
  ensureBuilt();
}, 180_000);

const PASS = { alice: 'alice custodian passphrase', bob: 'bob custodian passphrase' };

/** The vault's meta rows (custody record, its MAC, the recovery record): what a refused recovery must leave as it was. */
async function vaultMeta(vault: string): Promise<Record<string, string>> {
  const db = await Database.open(join(vault, 'strongroom.db'), { create: false });
  try {
    return Object.fromEntries((await db.all<{ name: string; value: string }>('SELECT name, value FROM vault_meta')).map((r) => [r.name, r.value]));
  } finally {
    await db.close();
  }
}

/** What a new machine lacks: the keychain entry of the vault's master key. */
async function loseKeychainEntry(vault: string): Promise<void> {
  const meta = await vaultMeta(vault);
  await destroyVaultMasterKey(meta['vault_id']!, parseCustodyRecord(JSON.parse(meta['custody']!)));
}

const forgetKeychain = (vaultId: string) =>
  destroyVaultMasterKey(vaultId, { kind: 'keychain', version: 1, service: 'Strongroom', account: `vault:${vaultId}`, kcv: '' }).catch(() => undefined);

/** A recovery that must be refused as the keychain's missing entry: the vault still does not open. */
async function stillLost(ws: Workspace): Promise<void> {
  const r = await ws.run(['list-keys']);
  expect(r.code).toBe(254);
  expect(r.stderr).toContain('(KMSInvalidStateException)');
  expect(r.stderr).toContain('The OS keychain has no master key');
}

describe('a 3-of-5 ceremony on a keychain vault, through the built binary', () => {
  const ws = new Workspace({ STRONGROOM_VAULT_PASSPHRASE: undefined });
  const shares = ws.path('shares');
  let vaultId = '';
  let splitId = '';
  let keyId = '';
  afterAll(async () => {
    await forgetKeychain(vaultId);
    ws.remove();
  });

  beforeAll(async () => {
    expect((await ws.run(['init'])).code).toBe(0);
    vaultId = (await vaultMeta(ws.vault))['vault_id']!;
    keyId = (await ws.json(['create-key', '--description', 'before the loss'])).KeyMetadata.KeyId;
    writeFileSync(ws.path('secret.txt'), 'kept through the loss');
    const enc = await ws.sh(`strongroom encrypt --key-id ${keyId} --plaintext fileb://secret.txt --output text --query CiphertextBlob | base64 --decode > secret.enc`);
    expect(enc.code, enc.stderr).toBe(0);
    execFileSync('age-keygen', ['-o', ws.path('carol.key')], { stdio: 'ignore' });
    writeFileSync(ws.path('alice.pass'), `${PASS.alice}\n`);
    writeFileSync(ws.path('bob.pass'), `${PASS.bob}\r\nsecond line, ignored\n`);
  }, 60_000);

  test('split 3-of-5 with mixed deliveries: private files, a summary with no share in it, audited', async () => {
    const recipient = execFileSync('age-keygen', ['-y', ws.path('carol.key')], { encoding: 'utf8' }).trim();
    const r = await ws.run([
      'ceremony', 'split', '--threshold', '3',
      '--custodian', 'alice=passphrase-file:alice.pass',
      '--custodian', 'bob=passphrase-file:bob.pass',
      '--custodian', `carol=age:${recipient}`,
      '--custodian', 'dave=paper',
      '--custodian', 'erin=paper',
      '--out-dir', 'shares',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    splitId = out.SplitId;
    const at = (f: string) => join(shares, f);
    // exactly the summary: nothing else (no words, no share) is printed
    expect(out).toEqual({
      VaultId: vaultId,
      SplitId: expect.stringMatching(/^[0-9a-f]{8}$/),
      Scheme: 'strongroom',
      Threshold: 3,
      Count: 5,
      Shares: [
        { Custodian: 'alice', Index: 1, Delivery: 'passphrase', Files: [at('alice.share')] },
        { Custodian: 'bob', Index: 2, Delivery: 'passphrase', Files: [at('bob.share')] },
        { Custodian: 'carol', Index: 3, Delivery: 'age', Files: [at('carol.share.age')] },
        { Custodian: 'dave', Index: 4, Delivery: 'paper', Files: [at('dave.paper.txt'), at('dave.qr.svg')] },
        { Custodian: 'erin', Index: 5, Delivery: 'paper', Files: [at('erin.paper.txt'), at('erin.qr.svg')] },
      ],
    });
    expect(readdirSync(shares).sort()).toEqual(['alice.share', 'bob.share', 'carol.share.age', 'dave.paper.txt', 'dave.qr.svg', 'erin.paper.txt', 'erin.qr.svg']);
    expect(statSync(shares).mode & 0o777).toBe(0o700); // made by the command, private
    for (const f of readdirSync(shares)) expect([f, statSync(at(f)).mode & 0o777]).toEqual([f, 0o600]);
    const events = await ws.json(['audit', 'lookup-events', '--event-name', 'SplitRecoveryKey']);
    expect(events.Events).toHaveLength(1);
    // the record holds the split as planned (what an approval would show) and what was stored; never a passphrase
    const record = JSON.parse(events.Events[0].CloudTrailEvent);
    expect(record).toMatchObject({
      requestParameters: { Scheme: 'strongroom', Threshold: 3, OutDir: shares, Custodians: [{ Name: 'alice', Delivery: 'passphrase' }, { Name: 'bob', Delivery: 'passphrase' }, { Name: 'carol', Delivery: 'age' }, { Name: 'dave', Delivery: 'paper' }, { Name: 'erin', Delivery: 'paper' }] },
      responseElements: { SplitId: splitId, Threshold: 3, Count: 5, Custodians: ['alice', 'bob', 'carol', 'dave', 'erin'] },
    });
    expect(events.Events[0].CloudTrailEvent).not.toMatch(/Passphrase"/);
  });

  test('the keychain entry lost: two shares are refused by count, a damaged share is named, and nothing changes', async () => {
    await loseKeychainEntry(ws.vault);
    await stillLost(ws);
    const before = await vaultMeta(ws.vault);
    // what `age -d` prints from carol's file is a share as well (the plain form)
    execFileSync('age', ['-d', '-i', ws.path('carol.key'), '-o', ws.path('carol.txt'), join(shares, 'carol.share.age')]);

    const two = await ws.run(['ceremony', 'recover', '--share', 'shares/alice.share', '--share', 'carol.txt', '--share-passphrase-file', 'alice=alice.pass']);
    expect(two.stdout).toBe('');
    expect(two.code).toBe(254);
    expect(two.stderr).toBe(
      '\nAn error occurred (ValidationException) when calling the RecoverVaultCustody operation: 2 of the 3 shares needed were given (shares 1 and 3); 1 more is needed.\n',
    );

    // erin's sheet with its 7th word changed to another word of the list
    const sheet = readFileSync(join(shares, 'erin.paper.txt'), 'utf8');
    const seventh = / 7 ([a-z]+)/.exec(sheet)![1]!;
    writeFileSync(ws.path('erin-typo.txt'), sheet.replace(` 7 ${seventh}`, ` 7 ${seventh === 'zoo' ? 'abandon' : 'zoo'}`));
    const damaged = await ws.run(['ceremony', 'recover', '--share', 'shares/alice.share', '--share', 'erin-typo.txt', '--share', 'carol.txt', '--share-passphrase-file', 'alice=alice.pass']);
    expect(damaged.code).toBe(254);
    expect(damaged.stderr).toMatch(/^\nAn error occurred \(InvalidCiphertextException\) when calling the RecoverVaultCustody operation: erin-typo\.txt: Word 7 does not fit the share's checksum/);

    // bob's share with another custodian's passphrase
    const wrongPassphrase = await ws.run(['ceremony', 'recover', '--share', 'shares/bob.share', '--share', 'carol.txt', '--share', 'shares/dave.paper.txt', '--share-passphrase-file', 'bob=alice.pass']);
    expect(wrongPassphrase.code).toBe(254);
    expect(wrongPassphrase.stderr).toMatch(/\(AccessDeniedException\) when calling the RecoverVaultCustody operation: shares\/bob\.share: Wrong passphrase for share 2 of 5/);
    for (const r of [two, damaged, wrongPassphrase]) {
      expect(r.stderr).not.toContain(PASS.alice);
      expect(r.stderr).not.toContain(seventh === 'zoo' ? 'abandon' : 'zoo');
    }

    expect(await vaultMeta(ws.vault)).toEqual(before);
    await stillLost(ws);
  });

  test('any three recover keychain custody: a passphrase file, an age identity, a words file; the old ciphertext decrypts; the trail says so', async () => {
    const r = await ws.run([
      'ceremony', 'recover',
      '--share', 'shares/bob.share', '--share-passphrase-file', 'bob=bob.pass',
      '--share', 'shares/carol.share.age', '--identity', 'carol.key',
      '--share', 'shares/erin.paper.txt',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ VaultId: vaultId, SplitId: splitId, Custody: 'keychain' });
    const dec = await ws.sh('strongroom decrypt --ciphertext-blob fileb://secret.enc --output text --query Plaintext | base64 --decode');
    expect(dec.stderr).toBe('');
    expect(dec.stdout).toBe('kept through the loss');
    const events = await ws.json(['audit', 'lookup-events', '--event-name', 'RecoverVaultCustody']);
    expect(events.Events).toHaveLength(1);
    expect(JSON.parse(events.Events[0].CloudTrailEvent)).toMatchObject({ additionalEventData: { vaultId, splitId, sharesGiven: 3, custody: 'keychain' } });
    expect((await ws.json(['audit', 'verify'])).Valid).toBe(true);
  });
});

describe('the ssss scheme, through the built binary', () => {
  const ws = new Workspace({ STRONGROOM_VAULT_PASSPHRASE: undefined });
  let vaultId = '';
  afterAll(async () => {
    await forgetKeychain(vaultId);
    ws.remove();
  });

  test("split 2-of-3 as ssss lines; ssss-combine reads them; the keychain lost, the lines recover the vault and a mistyped one is named", async () => {
    expect((await ws.run(['init'])).code).toBe(0);
    vaultId = (await vaultMeta(ws.vault))['vault_id']!;
    const split = await ws.run(['ceremony', 'split', '--scheme', 'ssss', '--threshold', '2', '--custodian', 'ann=paper', '--custodian', 'ben=paper', '--custodian', 'cat=paper', '--out-dir', 'ssss', '--output', 'text', '--query', 'Shares[].Files[]']);
    expect(split.stderr).toBe('');
    expect(split.code).toBe(0);
    expect(split.stdout.trim().split(/\s+/)).toEqual(['ann', 'ben', 'cat'].map((n) => ws.path(`ssss/${n}.ssss.txt`)));
    const line = (n: string) => readFileSync(ws.path(`ssss/${n}.ssss.txt`), 'utf8').trim().split('\n').at(-1)!;
    // without Strongroom: the last lines are what Debian's ssss-combine reads (it prints the key on stderr)
    const hex = execFileSync('sh', ['-c', 'ssss-combine -x -q -t 2 2>&1 >/dev/null'], { input: `${line('ann')}\n${line('cat')}\n`, encoding: 'utf8' }).trim();
    expect(hex).toMatch(/^[0-9a-f]{64}$/);

    await loseKeychainEntry(ws.vault);
    const one = await ws.run(['ceremony', 'recover', '--share', 'ssss/ben.ssss.txt']);
    expect(one.code).toBe(254);
    expect(one.stderr).toContain('(ValidationException) when calling the RecoverVaultCustody operation: 1 of the 2 shares needed was given');
    const l = line('cat');
    writeFileSync(ws.path('cat-typo.txt'), `${l.slice(0, -1)}${l.endsWith('0') ? '1' : '0'}\n`);
    const typo = await ws.run(['ceremony', 'recover', '--share', 'ssss/ben.ssss.txt', '--share', 'cat-typo.txt']);
    expect(typo.code).toBe(254);
    expect(typo.stderr).toContain('(InvalidCiphertextException) when calling the RecoverVaultCustody operation: The share from cat-typo.txt is not the share 3 this vault handed out');
    expect(typo.stderr).not.toContain(l.slice(-64));
    // a quorum is shares of one split: a Strongroom-form share does not belong here
    writeFileSync(ws.path('words.txt'), 'abandon '.repeat(45));
    const mixed = await ws.run(['ceremony', 'recover', '--share', 'ssss/ben.ssss.txt', '--share', 'words.txt']);
    expect(mixed.code).toBe(254);
    expect(mixed.stderr).toContain("words.txt is a Strongroom share, but this vault's recovery split is in the ssss form");
    await stillLost(ws);

    const r = await ws.run(['ceremony', 'recover', '--share', 'ssss/cat.ssss.txt', '--share', 'ssss/ann.ssss.txt']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ VaultId: vaultId, Custody: 'keychain' });
    expect((await ws.run(['list-keys'])).code).toBe(0);
  });
});

describe('only operator administrators split', () => {
  const ws = new Workspace();
  afterAll(() => ws.remove());

  test("another tenant's administrator is refused (254, AccessDeniedException) and no file is written", async () => {
    expect((await ws.run(['init', '--passphrase-only'])).code).toBe(0);
    expect((await ws.run(['tenant', 'create', '--tenant-name', 'acme'], { STRONGROOM_NEW_PASSPHRASE: 'acme first passphrase' })).code).toBe(0);
    const acme = { STRONGROOM_TENANT: 'acme', STRONGROOM_PASSPHRASE: 'acme first passphrase' };
    expect((await ws.run(['iam', 'change-password'], { ...acme, STRONGROOM_NEW_PASSPHRASE: 'acme own passphrase' })).code).toBe(0);
    writeFileSync(ws.path('alice.pass'), PASS.alice);
    const r = await ws.run(['ceremony', 'split', '--threshold', '2', '--custodian', 'alice=passphrase-file:alice.pass', '--custodian', 'bob=paper', '--out-dir', 'acme-shares'], {
      STRONGROOM_TENANT: 'acme',
      STRONGROOM_PASSPHRASE: 'acme own passphrase',
    });
    expect(r.stdout).toBe('');
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(/^\nAn error occurred \(AccessDeniedException\) when calling the SplitRecoveryKey operation: User: .* is not authorized to perform: vault:SplitRecoveryKey: .*only operator administrators manage it\.\n$/);
    expect(existsSync(ws.path('acme-shares'))).toBe(false);
    // the operator's own administrator may
    const ok = await ws.run(['ceremony', 'split', '--threshold', '2', '--custodian', 'alice=passphrase-file:alice.pass', '--custodian', 'bob=paper', '--out-dir', 'ops-shares']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readdirSync(ws.path('ops-shares')).sort()).toEqual(['alice.share', 'bob.paper.txt', 'bob.qr.svg']);
  });

  test('a passphrase on the command line is a usage error that does not repeat it', async () => {
    const r = await ws.run(['ceremony', 'split', '--threshold', '2', '--custodian', 'alice=passphrase:hunter2-secret', '--custodian', 'bob=paper', '--out-dir', 'never']);
    expect(r.code).toBe(252);
    expect(r.stderr).toContain('a passphrase is never given on the command line');
    expect(r.stderr).not.toContain('hunter2');
    expect(existsSync(ws.path('never'))).toBe(false);
  });
});

// ---------------------------------------------------------------- in-process: the terminal

describe('at the terminal (in-process, real vault)', () => {
  const ws = new Workspace();
  const env = { STRONGROOM_VAULT: ws.vault, STRONGROOM_PASSPHRASE: ADMIN_PASSPHRASE, STRONGROOM_VAULT_PASSPHRASE: 'the first vault passphrase' };
  let bobWords = '';
  afterAll(() => ws.remove());

  beforeAll(async () => {
    const init = scriptedCli(ws.dir, env);
    expect(await init.run(['init', '--passphrase-only']), init.err()).toBe(0);
    writeFileSync(ws.path('carl.pass'), 'carl custodian passphrase\n');
  }, 60_000);

  test('bad command lines are usage errors (252): nobody is asked anything, nothing is written', async () => {
    writeFileSync(ws.path('a-file'), 'not a folder');
    const cases: [string[], RegExp][] = [
      [['--custodian', 'alice', '--custodian', 'bob=paper'], /argument --custodian: expected NAME=paper, NAME=age:RECIPIENT, NAME=passphrase or NAME=passphrase-file:PATH/],
      [['--custodian', '=paper', '--custodian', 'bob=paper'], /argument --custodian: expected NAME=paper/],
      [['--custodian', 'alice=pigeon', '--custodian', 'bob=paper'], /argument --custodian alice=…: expected NAME=paper/],
      [['--custodian', 'alice=age:', '--custodian', 'bob=paper'], /argument --custodian alice=…: expected/],
      [['--custodian', 'alice=age:age1notarecipient', '--custodian', 'bob=paper'], /The age recipient is not valid/],
      [['--custodian', 'alice=passphrase-file:missing.pass', '--custodian', 'bob=paper'], /cannot read .*missing\.pass: No such file or directory/],
      [['--custodian', 'al ice=paper', '--custodian', 'bob=paper'], /Value at 'Custodians\.0\.Name' failed to satisfy constraint/],
      [['--custodian', 'alice=passphrase', '--custodian', 'Alice=paper'], /Each custodian needs a name of their own/],
      [['--custodian', 'alice=passphrase', '--custodian', 'bob=paper', '--scheme', 'ssss'], /An ssss share is a line ssss-combine reads: give every custodian Delivery paper/],
      [['--custodian', 'alice=passphrase', '--custodian', 'bob=paper', '--scheme', 'shamir'], /argument --scheme: Invalid choice/],
      [['--custodian', 'alice=passphrase'], /Value at 'Custodians' failed to satisfy constraint/],
    ];
    for (const [custodians, message] of cases) {
      const c = scriptedCli(ws.dir, { STRONGROOM_VAULT: ws.vault }); // no passphrase in the environment: a sign-in would prompt
      expect(await c.run(['ceremony', 'split', '--threshold', '2', ...custodians, '--out-dir', 'bad']), custodians.join(' ')).toBe(252);
      expect(c.err(), custodians.join(' ')).toMatch(message);
      expect(c.err()).toMatch(/^\nusage: strongroom \[global options\] ceremony split /);
      expect(c.prompts).toEqual([]);
      expect(existsSync(ws.path('bad'))).toBe(false);
    }
    const more: [string[], RegExp][] = [
      [['--threshold', '3', '--custodian', 'a=paper', '--custodian', 'b=paper', '--out-dir', 'bad'], /Threshold must not exceed the number of custodians/],
      [['--threshold', '1', '--custodian', 'a=paper', '--custodian', 'b=paper', '--out-dir', 'bad'], /Value at 'Threshold' failed to satisfy constraint/],
      [['--threshold', 'two', '--custodian', 'a=paper', '--custodian', 'b=paper', '--out-dir', 'bad'], /argument --threshold: expected a number of shares, got 'two'/],
      [['--custodian', 'a=paper', '--custodian', 'b=paper'], /the following arguments are required: --threshold, --out-dir/],
      [['--threshold', '2', '--custodian', 'a=paper', '--custodian', 'b=paper', '--out-dir', 'a-file'], /argument --out-dir: .*a-file is not a folder/],
      [['--threshold', '2', '--custodian', 'a=paper', '--custodian', 'b=paper', '--out-dir', 'bad/deeper'], /argument --out-dir: .*bad does not exist/],
      [['--threshold', '2', '--custodian', 'a=paper', '--custodian', 'b=paper', '--out-dir', 'bad', '--quorum', '2'], /Unknown options: --quorum/],
    ];
    for (const [argv, message] of more) {
      const c = scriptedCli(ws.dir, { STRONGROOM_VAULT: ws.vault });
      expect(await c.run(['ceremony', 'split', ...argv]), argv.join(' ')).toBe(252);
      expect(c.err(), argv.join(' ')).toMatch(message);
      expect(c.prompts).toEqual([]);
      expect(existsSync(ws.path('bad'))).toBe(false);
    }
    const recover: [string[], RegExp][] = [
      [[], /the following arguments are required: --share \(or --share-words\)/],
      [['--share', 'missing.share'], /argument --share: cannot read missing\.share: No such file or directory/],
      [['--share', 'carl.pass', '--share-passphrase-file', 'carl'], /argument --share-passphrase-file: expected NAME=PATH/],
      [['--share', 'carl.pass', '--passphrase-custody=yes'], /argument --passphrase-custody: takes no value/],
    ];
    for (const [argv, message] of recover) {
      const c = scriptedCli(ws.dir, { STRONGROOM_VAULT: ws.vault });
      expect(await c.run(['ceremony', 'recover', ...argv]), argv.join(' ')).toBe(252);
      expect(c.err(), argv.join(' ')).toMatch(message);
      expect(c.err()).toMatch(/^\nusage: strongroom \[global options\] ceremony recover /);
      expect(c.prompts).toEqual([]);
    }
  });

  test("split: a passphrase custodian is asked twice by name; two different answers change nothing", async () => {
    const differ = scriptedCli(ws.dir, env, ['alice one', 'alice two']);
    expect(await differ.run(['ceremony', 'split', '--threshold', '2', '--custodian', 'alice=passphrase', '--custodian', 'bob=paper', '--out-dir', 'differ'])).toBe(254);
    expect(differ.prompts).toEqual(['New passphrase for custodian alice: ', 'Repeat the passphrase for custodian alice: ']);
    expect(differ.err()).toContain('(ValidationException) when calling the SplitRecoveryKey operation: The passphrase for custodian alice was typed differently the second time; nothing was changed.');
    expect(existsSync(ws.path('differ'))).toBe(false);

    const c = scriptedCli(ws.dir, env, [PASS.alice, PASS.alice]);
    const argv = ['ceremony', 'split', '--threshold', '2', '--custodian', 'alice=passphrase', '--custodian', 'bob=paper', '--custodian', 'carl=passphrase-file:carl.pass', '--out-dir', 'shares', '--output', 'text', '--query', 'Shares[].[Custodian, Index, Delivery]'];
    expect(await c.run(argv), c.err()).toBe(0);
    expect(c.prompts).toEqual(['New passphrase for custodian alice: ', 'Repeat the passphrase for custodian alice: ']);
    expect(c.out()).toBe('alice\t1\tpassphrase\nbob\t2\tpaper\ncarl\t3\tpassphrase\n');
    bobWords = readFileSync(ws.path('shares/bob.paper.txt'), 'utf8')
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .join(' ')
      .split(/\s+/)
      .filter((w) => /^[a-z]+$/.test(w))
      .join(' ');
    expect(bobWords.split(' ')).toHaveLength(45);
  });

  test('recover with a forgotten vault passphrase: the custodian asked by name (a mistyped try asked again), words typed, a new vault passphrase', async () => {
    const words = bobWords.split(' ');
    const lines = Array.from({ length: 9 }, (_, i) => words.slice(i * 5, i * 5 + 5).join(' '));
    const c = scriptedCli(ws.dir, { STRONGROOM_VAULT: ws.vault }, ['not alice', PASS.alice, ...lines, 'the new vault passphrase', 'the new vault passphrase']);
    expect(await c.run(['ceremony', 'recover', '--share', 'shares/alice.share', '--share-words', '--passphrase-custody']), c.err()).toBe(0);
    expect(c.prompts).toEqual([
      'Passphrase of custodian alice (share 1 of 3, alice.share): ',
      'Passphrase of custodian alice (share 1 of 3, alice.share): ',
      ...Array.from({ length: 9 }, (_, i) => `Paper share 1, words ${i * 5 + 1}-${i * 5 + 5} of 45: `),
      'New vault passphrase: ',
      'Repeat the vault passphrase: ',
    ]);
    expect(c.err()).toBe("That is not the passphrase of alice's share; try again.\n");
    expect(JSON.parse(c.out())).toMatchObject({ Custody: 'passphrase' });

    // the new vault passphrase opens the vault, the old one no longer does
    const now = scriptedCli(ws.dir, { ...env, STRONGROOM_VAULT_PASSPHRASE: 'the new vault passphrase' });
    expect(await now.run(['list-keys']), now.err()).toBe(0);
    const old = scriptedCli(ws.dir, env);
    expect(await old.run(['list-keys'])).toBe(254);
    expect(old.err()).toContain('(AccessDeniedException)');
  });

  test('without a terminal, a sealed share needs --share-passphrase-file: the error says so, and names no secret', async () => {
    const c = scriptedCli(ws.dir, { STRONGROOM_VAULT: ws.vault });
    expect(await c.run(['ceremony', 'recover', '--share', 'shares/carl.share', '--share', 'shares/bob.paper.txt'])).toBe(254);
    expect(c.err()).toContain('No passphrase for carl\'s share: give --share-passphrase-file carl=PATH, or run the command in a terminal');
    // a name that is no custodian of the split is refused before anyone is asked
    const stranger = scriptedCli(ws.dir, { STRONGROOM_VAULT: ws.vault });
    expect(await stranger.run(['ceremony', 'recover', '--share', 'shares/carl.share', '--share-passphrase-file', 'mallory=carl.pass'])).toBe(254);
    expect(stranger.err()).toContain('--share-passphrase-file names mallory, who is not a custodian of this vault\'s recovery split (alice, bob, carl)');
    expect(stranger.prompts).toEqual([]);
  });
});

describe('help', () => {
  test('`ceremony help`, each command\'s help, and `help` lists the group', async () => {
    const group = scriptedCli('/', {});
    expect(await group.run(['ceremony', 'help'])).toBe(0);
    expect(group.out()).toContain('strongroom [global options] ceremony split --threshold <M> --custodian <spec>');
    expect(group.out()).toContain('strongroom [global options] ceremony recover --share <file>');
    const split = scriptedCli('/', {});
    expect(await split.run(['ceremony', 'split', 'help'])).toBe(0);
    expect(split.out()).toContain('NAME=passphrase-file:PATH');
    const recover = scriptedCli('/', {});
    expect(await recover.run(['help', 'ceremony', 'recover'])).toBe(0);
    expect(recover.out()).toContain('--passphrase-custody (boolean) [optional]');
    expect(recover.out()).toContain('STRONGROOM_NEW_VAULT_PASSPHRASE');
    const all = scriptedCli('/', {});
    expect(await all.run(['help'])).toBe(0);
    expect(all.out()).toMatch(/ceremony split +Splits the vault's recovery key/);
    expect(all.out()).toMatch(/ceremony recover +Re-establishes the vault's custody/);
    const bare = scriptedCli('/', {});
    expect(await bare.run(['ceremony'])).toBe(252);
    expect(bare.err()).toContain('strongroom: error: ceremony needs a command: split or recover');
  });
});
