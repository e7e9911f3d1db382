// `strongroom backup create` and `strongroom backup restore`, the BUILT
// binary as a user runs it, against real keychains: the shared Secret
// Service (bash test/with-secret-service.sh) is this machine's, and a
// private one of the test's own (support/private-secret-service.ts) is
// "another machine", whose keychain never held the vault's master key.
import { AsyncEntry } from '@napi-rs/keyring';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startPrivateSecretService, type PrivateSecretService } from '../support/private-secret-service.js';
import { ensureBuilt, Workspace } from '../cli/binary.js';

beforeAll(() => {
  if (process.env.STRONGROOM_TEST_SECRET_SERVICE !== '1') {
    throw new Error('STRONGROOM_TEST_SECRET_SERVICE is not set: run these tests inside a private Secret Service with `bash test/with-secret-service.sh npx vitest run test/backup`.');
  }
  ensureBuilt();
}, 180_000);

const refusal = (operation: string, name: string) => new RegExp(`^\\nAn error occurred \\(${name}\\) when calling the ${operation} operation: `);

describe('strongroom backup', () => {
  // a keychain vault on this machine: no vault passphrase anywhere
  const ws = new Workspace({ STRONGROOM_VAULT_PASSPHRASE: undefined });
  let other: PrivateSecretService;
  let created: { VaultId: string; Sha256: string; KeySlots: string[] };
  beforeAll(async () => {
    other = await startPrivateSecretService();
    expect((await ws.run(['init'])).code).toBe(0);
    const key = await ws.json<{ KeyMetadata: { KeyId: string } }>(['create-key', '--description', 'kept across machines']);
    writeFileSync(ws.path('in.txt'), 'restored elsewhere\n');
    const enc = await ws.sh(`strongroom encrypt --key-id ${key.KeyMetadata.KeyId} --plaintext fileb://in.txt --output text --query CiphertextBlob | base64 --decode > ct.bin`);
    expect(enc.stderr).toBe('');
    writeFileSync(ws.path('recovery.hex'), `${randomBytes(32).toString('hex')}\n`);
  }, 60_000);
  afterAll(async () => {
    // this machine's keychain: what init put there
    for (const account of [`vault:${created?.VaultId}`, `vault:${created?.VaultId}:audit-anchors`]) await new AsyncEntry('Strongroom', account).deleteCredential().catch(() => undefined);
    await other?.stop();
    ws.remove();
  });

  test('create: a sealed backup with a recovery slot, as JSON', async () => {
    const r = await ws.run(['backup', 'create', '--out', 'vault.srb', '--recovery-key-file', 'recovery.hex']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    created = JSON.parse(r.stdout);
    expect(created).toMatchObject({ OutPath: ws.path('vault.srb'), KeySlots: ['vmk', 'recovery'], Sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(readFileSync(ws.path('vault.srb')).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x53, 0x52, 0x42, 0x0d, 0x0a, 0x1a, 0x0a]));
  });

  test('restore on another machine: refused without the recovery key, then restored with it into that keychain', async () => {
    const elsewhere = { DBUS_SESSION_BUS_ADDRESS: other.address, STRONGROOM_VAULT: ws.path('elsewhere') };
    const without = await ws.run(['backup', 'restore', '--in', 'vault.srb'], elsewhere);
    expect(without.code).toBe(254);
    expect(without.stderr).toMatch(refusal('RestoreBackup', 'KMSInvalidStateException'));
    expect(without.stderr).toContain('Give the vault\'s recovery key');
    expect(existsSync(ws.path('elsewhere'))).toBe(false);

    const r = await ws.run(['backup', 'restore', '--in', 'vault.srb', '--recovery-key-file', 'recovery.hex'], elsewhere);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ VaultDirectory: ws.path('elsewhere'), VaultId: created.VaultId, Custody: 'keychain', OpenedWith: 'RecoveryKey', Backup: { Sha256: created.Sha256 } });
    expect(await other.run('secret-tool', ['lookup', 'service', 'Strongroom', 'username', `vault:${created.VaultId}`]).then(() => true, () => false)).toBe(true);

    const dec = await ws.sh('strongroom decrypt --ciphertext-blob fileb://ct.bin --output text --query Plaintext | base64 --decode > out.txt', elsewhere);
    expect(dec.stderr).toBe('');
    expect(readFileSync(ws.path('out.txt'), 'utf8')).toBe('restored elsewhere\n');
    const events = await ws.run(['audit', 'lookup-events', '--event-name', 'RestoreBackup'], elsewhere);
    expect(events.code).toBe(0);
    const [event] = JSON.parse(events.stdout).Events;
    expect(JSON.parse(event.CloudTrailEvent)).toMatchObject({ sourceType: 'cli', additionalEventData: { OpenedWith: 'RecoveryKey', Backup: { Sha256: created.Sha256, SourceVaultId: created.VaultId } } });
    expect(JSON.parse((await ws.run(['audit', 'verify'], elsewhere)).stdout)).toMatchObject({ Valid: true });
  });

  test('restore on this machine under a vault passphrase: the keychain’s master key opens the backup', async () => {
    const same = { STRONGROOM_VAULT: ws.path('same'), STRONGROOM_VAULT_PASSPHRASE: 'a vault passphrase for the copy' };
    const r = await ws.run(['backup', 'restore', '--in', 'vault.srb', '--passphrase-only'], same);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ Custody: 'passphrase', OpenedWith: 'VaultMasterKey' });
    const keys = await ws.run(['list-keys'], same);
    expect(JSON.parse(keys.stdout).Keys).toHaveLength(1);
    // a keychain restore here is refused: this keychain holds the vault already
    const again = await ws.run(['backup', 'restore', '--in', 'vault.srb'], { STRONGROOM_VAULT: ws.path('same-keychain') });
    expect(again.code).toBe(254);
    expect(again.stderr).toMatch(refusal('RestoreBackup', 'AlreadyExistsException'));
    expect(existsSync(ws.path('same-keychain'))).toBe(false);
  });

  test('a changed backup is refused, exit 254, nothing written', async () => {
    const bytes = readFileSync(ws.path('vault.srb'));
    bytes[bytes.length - 100]! ^= 0x10;
    writeFileSync(ws.path('changed.srb'), bytes);
    const r = await ws.run(['backup', 'restore', '--in', 'changed.srb', '--recovery-key-file', 'recovery.hex'], { DBUS_SESSION_BUS_ADDRESS: other.address, STRONGROOM_VAULT: ws.path('from-changed') });
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(refusal('RestoreBackup', 'InvalidCiphertextException'));
    expect(r.stderr).toMatch(/Segment \d+ failed authentication/);
    expect(existsSync(ws.path('from-changed'))).toBe(false);
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
    for (const args of [
      ['backup', 'create'],
      ['backup', 'restore'],
      ['backup', 'create', '--out', 'x.srb', '--passphrase-only'],
      ['backup', 'restore', '--in', 'vault.srb', '--recovery-key-file', 'in.txt'],
      ['backup', 'restore', '--in', 'vault.srb', '--recovery-key-file', 'missing.hex'],
    ]) {
      const r = await ws.run(args);
      expect(r.code, args.join(' ')).toBe(252);
      expect(r.stderr).toMatch(new RegExp(`usage: strongroom \\[global options\\] ${args.slice(0, 2).join(' ')}`));
    }
    expect((await ws.run(['backup', 'frobnicate'])).code).toBe(252);
    const help = await ws.run(['backup', 'restore', 'help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--recovery-key-file');
    expect((await ws.run(['help'])).stdout).toContain('backup create');
  });
});
