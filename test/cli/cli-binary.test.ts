// The built `strongroom` binary against real vaults (passphrase custody, so
// no keychain is needed), run as a user's shell runs it, including the AWS
// CLI documentation's encrypt/decrypt pipelines. Each describe block has its
// own fresh vault directory; tests inside a block create their own keys, so
// they run concurrently. Every invocation pays ~0.5 s of Argon2id.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, Workspace } from './binary.js';

beforeAll(() => ensureBuilt(), 180_000);

const ACCOUNT = /^\d{12}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$/;

interface KeyMetadata {
  KeyId: string;
  Arn: string;
  KeyState: string;
  CreationDate: string;
  DeletionDate?: string;
  Description: string;
}

describe.concurrent('a passphrase-only vault', () => {
  const ws = new Workspace();
  let account = '';
  let shared: KeyMetadata;

  beforeAll(async () => {
    const r = await ws.run(['init', '--passphrase-only', '--tenant-name', 'cli-tests']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { VaultDirectory: string; AccountId: string; Custody: string };
    expect(out).toEqual({ VaultDirectory: ws.vault, AccountId: expect.stringMatching(ACCOUNT), Custody: 'passphrase' });
    expect(r.stdout).toMatch(/^\{\n {4}"VaultDirectory": /); // AWS CLI JSON: 4-space indent
    account = out.AccountId;
    // One key with an alias, shared by the tests that only use a key.
    shared = (await ws.json<{ KeyMetadata: KeyMetadata }>(['create-key', '--description', 'shared'])).KeyMetadata;
    const alias = await ws.run(['create-alias', '--alias-name', 'alias/ExampleAlias', '--target-key-id', shared.KeyId]);
    expect(alias).toMatchObject({ code: 0, stdout: '', stderr: '' });
  }, 60_000);
  afterAll(() => ws.remove());

  const createKey = async (...args: string[]): Promise<KeyMetadata> => (await ws.json<{ KeyMetadata: KeyMetadata }>(['create-key', ...args])).KeyMetadata;

  test('init refuses an existing vault', async () => {
    const r = await ws.run(['init', '--passphrase-only']);
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(/^\nAn error occurred \(AlreadyExistsException\) when calling the Init operation: /);
  });

  test('create-key --tags TagKey=a,TagValue=b, then describe-key and list-resource-tags', async () => {
    const key = await createKey('--description', 'tagged key', '--tags', 'TagKey=a,TagValue=b', 'TagKey=team,TagValue=ops');
    expect(key.KeyId).toMatch(UUID);
    expect(key.Arn).toBe(`arn:strongroom:kms:local-1:${account}:key/${key.KeyId}`);
    expect(key.KeyState).toBe('Enabled');
    expect(key.CreationDate).toMatch(ISO);
    const tags = await ws.json<{ Tags: { TagKey: string; TagValue: string }[] }>(['list-resource-tags', '--key-id', key.KeyId]);
    expect(tags.Tags).toEqual(
      expect.arrayContaining([
        { TagKey: 'a', TagValue: 'b' },
        { TagKey: 'team', TagValue: 'ops' },
      ]),
    );
    const text = await ws.run(['describe-key', '--key-id', key.Arn, '--output', 'text', '--query', 'KeyMetadata.[KeyId,KeyState,Description]']);
    expect(text.stdout).toBe(`${key.KeyId}\tEnabled\ttagged key\n`);
  });

  test('the AWS CLI docs pipeline: encrypt | base64 --decode, decrypt | base64 --decode', async () => {
    const plaintext = Buffer.concat([randomBytes(3000), Buffer.from([0, 0, 10, 13, 255])]);
    writeFileSync(ws.path('in.bin'), plaintext);
    const enc = await ws.sh(
      'strongroom encrypt --key-id alias/ExampleAlias --plaintext fileb://in.bin --output text --query CiphertextBlob | base64 --decode > ct.bin',
    );
    expect(enc.stderr).toBe('');
    expect(enc.code).toBe(0);
    const dec = await ws.sh('strongroom decrypt --ciphertext-blob fileb://ct.bin --output text --query Plaintext | base64 --decode > out.bin');
    expect(dec.stderr).toBe('');
    expect(dec.code).toBe(0);
    expect(readFileSync(ws.path('out.bin')).equals(plaintext)).toBe(true);
    expect(readFileSync(ws.path('ct.bin')).equals(plaintext)).toBe(false);
  });

  test('the docs re-encrypt pipeline, then decrypt under the new key', async () => {
    const [a, b] = [shared, await createKey()];
    writeFileSync(ws.path('re-in.txt'), 'to be re-encrypted\n');
    const r = await ws.sh(
      [
        `strongroom encrypt --key-id ${a.KeyId} --plaintext fileb://re-in.txt --output text --query CiphertextBlob | base64 --decode > re-ct.bin`,
        `strongroom re-encrypt --ciphertext-blob fileb://re-ct.bin --destination-key-id ${b.KeyId} --query CiphertextBlob --output text | base64 --decode > re-ct2.bin`,
        `strongroom decrypt --ciphertext-blob fileb://re-ct2.bin --key-id ${b.Arn} --output text --query Plaintext | base64 --decode`,
      ].join(' && '),
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('to be re-encrypted\n');
  });

  test('encryption context: round trip, then a mismatch is InvalidCiphertextException (254)', async () => {
    const key = shared;
    const enc = await ws.json<{ CiphertextBlob: string; KeyId: string; EncryptionAlgorithm: string }>([
      'encrypt',
      '--key-id',
      key.KeyId,
      '--plaintext',
      Buffer.from('context bound').toString('base64'),
      '--encryption-context',
      'Department=IT,purpose=test',
    ]);
    expect(enc.KeyId).toBe(key.Arn);
    expect(enc.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
    const ok = await ws.json<{ Plaintext: string }>([
      'decrypt',
      '--ciphertext-blob',
      enc.CiphertextBlob,
      '--encryption-context',
      '{"purpose":"test","Department":"IT"}',
    ]);
    expect(Buffer.from(ok.Plaintext, 'base64').toString()).toBe('context bound');
    const bad = await ws.run(['decrypt', '--ciphertext-blob', enc.CiphertextBlob, '--encryption-context', 'Department=HR,purpose=test']);
    expect(bad.code).toBe(254);
    expect(bad.stderr).toMatch(/^\nAn error occurred \(InvalidCiphertextException\) when calling the Decrypt operation: .+\n$/);
    expect(bad.stdout).toBe('');
    const missing = await ws.run(['decrypt', '--ciphertext-blob', enc.CiphertextBlob]);
    expect(missing.code).toBe(254);
    expect(missing.stderr).toContain('(InvalidCiphertextException)');
  });

  test("list-keys --query 'Keys[].KeyId' --output text", async () => {
    const [a, b] = [shared, await createKey()];
    const r = await ws.run(['list-keys', '--query', 'Keys[].KeyId', '--output', 'text']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const ids = lines[0]?.split('\t') ?? [];
    expect(ids).toEqual(expect.arrayContaining([a.KeyId, b.KeyId]));
    for (const id of ids) expect(id).toMatch(UUID);
    const full = await ws.run(['list-keys', '--output', 'text']);
    expect(full.stdout).toContain(`KEYS\t${a.Arn}\t${a.KeyId}\n`);
  });

  test('generate-data-key: the plaintext key decrypts from its CiphertextBlob', async () => {
    const key = shared;
    const dk = await ws.json<{ CiphertextBlob: string; Plaintext: string; KeyId: string }>([
      'generate-data-key',
      '--key-id',
      'alias/ExampleAlias',
      '--key-spec',
      'AES_256',
    ]);
    expect(Buffer.from(dk.Plaintext, 'base64')).toHaveLength(32);
    expect(dk.KeyId).toBe(key.Arn);
    const back = await ws.json<{ Plaintext: string }>(['decrypt', '--ciphertext-blob', dk.CiphertextBlob]);
    expect(back.Plaintext).toBe(dk.Plaintext);
    const np = await ws.json<Record<string, string>>(['generate-data-key-without-plaintext', '--key-id', key.KeyId, '--number-of-bytes', '64']);
    expect(Object.keys(np).sort()).toEqual(['CiphertextBlob', 'KeyId', 'KeyMaterialId']);
    const random = await ws.run(['generate-random', '--number-of-bytes', '16', '--output', 'text', '--query', 'Plaintext']);
    expect(Buffer.from(random.stdout.trim(), 'base64')).toHaveLength(16);
  });

  test('key lifecycle commands print nothing on success, as the AWS CLI does', async () => {
    const key = await createKey();
    const disable = await ws.run(['disable-key', '--key-id', key.KeyId]);
    expect(disable).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const refused = await ws.run(['encrypt', '--key-id', key.KeyId, '--plaintext', 'AQID']);
    expect(refused.code).toBe(254);
    expect(refused.stderr).toMatch(/\(DisabledException\) when calling the Encrypt operation/);
    const scheduled = await ws.json<{ DeletionDate: string; KeyState: string; PendingWindowInDays: number }>([
      'schedule-key-deletion',
      '--key-id',
      key.KeyId,
      '--pending-window-in-days',
      '7',
    ]);
    expect(scheduled).toMatchObject({ KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
    expect(scheduled.DeletionDate).toMatch(ISO);
  });

  test('unknown key → 254 NotFoundException', async () => {
    const r = await ws.run(['encrypt', '--key-id', 'alias/does-not-exist', '--plaintext', 'AQID']);
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(/^\nAn error occurred \(NotFoundException\) when calling the Encrypt operation: .*alias\/does-not-exist/);
  });

  test('a schema violation is a ValidationException from the service (254)', async () => {
    const r = await ws.run(['generate-random', '--number-of-bytes', '5000']);
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(/\(ValidationException\) when calling the GenerateRandom operation/);
  });

  test('bad usage → 252 with the usage, before any passphrase is checked', async () => {
    for (const args of [
      ['encrypt', '--key-id', 'alias/x', '--plaintext', 'fileb://nope.bin'],
      ['encrypt', '--key-id', 'alias/x', '--plaintext', 'not*base64'],
      ['create-key', '--colour', 'blue'],
      ['encrpyt'],
    ]) {
      const r = await ws.run(args, { STRONGROOM_PASSPHRASE: 'wrong passphrase' });
      expect(r.code, args.join(' ')).toBe(252);
      expect(r.stderr).toMatch(/usage: strongroom/);
    }
  });

  test('wrong passphrase → 254 AccessDeniedException', async () => {
    const r = await ws.run(['list-keys'], { STRONGROOM_PASSPHRASE: 'not the passphrase' });
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(/^\nAn error occurred \(AccessDeniedException\) when calling the ListKeys operation: /);
  });

  test('no passphrase and no terminal → 254 AccessDeniedException naming STRONGROOM_PASSPHRASE', async () => {
    const r = await ws.run(['list-keys'], { STRONGROOM_PASSPHRASE: undefined });
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(/\(AccessDeniedException\) when calling the ListKeys operation: .*STRONGROOM_PASSPHRASE/);
  });

  test('a wrong vault passphrase opens nothing (254)', async () => {
    const r = await ws.run(['list-keys'], { STRONGROOM_VAULT_PASSPHRASE: 'wrong vault passphrase' });
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(/^\nAn error occurred \(\w+\) when calling the ListKeys operation: /);
  });

  test('--tenant by name and by account id; an unknown tenant is AccessDenied', async () => {
    const byName = await ws.run(['list-keys', '--tenant', 'cli-tests', '--query', 'length(Keys) >= `0`']);
    expect(byName.stdout).toBe('true\n');
    const byId = await ws.run(['describe-key', '--key-id', 'alias/ExampleAlias', '--tenant', account, '--query', 'KeyMetadata.AWSAccountId']);
    expect(byId.stdout).toBe(`"${account}"\n`);
    const unknown = await ws.run(['list-keys', '--tenant', 'nobody']);
    expect(unknown.code).toBe(254);
    expect(unknown.stderr).toContain('(AccessDeniedException)');
  });

  test('keys live in a region: another --region does not see them', async () => {
    const r = await ws.run(['describe-key', '--key-id', shared.KeyId, '--region', 'local-2']);
    expect(r.code).toBe(254);
    expect(r.stderr).toContain('(NotFoundException)');
  });
});

describe('without a vault', () => {
  const ws = new Workspace();
  afterAll(() => ws.remove());

  test('an operation says there is no vault and how to make one (254)', async () => {
    const r = await ws.run(['list-keys']);
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(/\(NotFoundException\) when calling the ListKeys operation: .*init/);
  });

  test('help lists every command; <command> help describes every option', async () => {
    const all = await ws.run(['help']);
    expect(all.code).toBe(0);
    for (const c of ['init', 'start', 'create-key', 'encrypt', 'decrypt', 're-encrypt', 'generate-data-key-without-plaintext', 'list-keys']) {
      expect(all.stdout).toMatch(new RegExp(`^  ${c}( |$)`, 'm'));
    }
    const enc = await ws.run(['encrypt', 'help']);
    expect(enc.code).toBe(0);
    for (const f of ['--key-id', '--plaintext', '--encryption-context', '--encryption-algorithm']) expect(enc.stdout).toContain(f);
  });

  test('start explains how to use the CLI', async () => {
    const r = await ws.run(['start']);
    expect(r.code).toBe(0);
    for (const s of ['strongroom init', 'create-key', 'encrypt', 'decrypt']) expect(r.stdout).toContain(s);
  });
});
