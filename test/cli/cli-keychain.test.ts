// The built binary with the vault master key in the OS keychain: a real
// Secret Service (gnome-keyring on a private D-Bus session). Run with
//   bash test/with-secret-service.sh npx vitest run test/cli
// Like the custody tests, these fail rather than skip without a Secret
// Service: an untested custody path is a broken one.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startPrivateSecretService, type PrivateSecretService } from '../support/private-secret-service.js';
import { ensureBuilt, Workspace } from './binary.js';

beforeAll(() => {
  if (process.env.STRONGROOM_TEST_SECRET_SERVICE !== '1') {
    throw new Error(
      'STRONGROOM_TEST_SECRET_SERVICE is not set: run these tests inside a private Secret Service with ' +
        '`bash test/with-secret-service.sh npx vitest run test/cli`.',
    );
  }
  ensureBuilt();
}, 180_000);

describe('a keychain vault', () => {
  // No vault passphrase anywhere: the master key comes from the keychain.
  const ws = new Workspace({ STRONGROOM_VAULT_PASSPHRASE: undefined });
  afterAll(() => ws.remove());

  test('init, create-key, and the encrypt/decrypt pipeline', async () => {
    const init = await ws.run(['init']);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(JSON.parse(init.stdout)).toMatchObject({ VaultDirectory: ws.vault, Custody: 'keychain' });

    const key = await ws.json<{ KeyMetadata: { KeyId: string } }>(['create-key', '--description', 'keychain']);
    writeFileSync(ws.path('in.txt'), 'kept by the keychain\n');
    const r = await ws.sh(
      `strongroom encrypt --key-id ${key.KeyMetadata.KeyId} --plaintext fileb://in.txt --output text --query CiphertextBlob | base64 --decode > ct.bin && ` +
        'strongroom decrypt --ciphertext-blob fileb://ct.bin --output text --query Plaintext | base64 --decode > out.txt',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(ws.path('out.txt'), 'utf8')).toBe('kept by the keychain\n');
  });
});

describe('an unreachable keychain', () => {
  const ws = new Workspace({ STRONGROOM_VAULT_PASSPHRASE: undefined, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/strongroom-test-bus' });
  afterAll(() => ws.remove());

  test('init fails clearly, naming --passphrase-only, and creates nothing', async () => {
    const r = await ws.run(['init']);
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(/^\nAn error occurred \(KMSInvalidStateException\) when calling the Init operation: .*keychain/);
    expect(r.stderr).toContain('--passphrase-only');
    const again = await ws.run(['list-keys']);
    expect(again.stderr).toContain('(NotFoundException)');
  });
});

// Locked is not missing (issue 9). Against gnome-keyring, reading an entry of
// a locked collection comes back as "no entry", like a missing one; the CLI
// must say which it is. Locking changes the keychain for everyone on it, so
// these run on a Secret Service of their own, never the shared one.
describe('a locked keychain', () => {
  let ss: PrivateSecretService;
  const env = () => ({ STRONGROOM_VAULT_PASSPHRASE: undefined, DBUS_SESSION_BUS_ADDRESS: ss.address });
  const missing = new Workspace();
  const locked = new Workspace();
  const lockedInit = new Workspace();
  beforeAll(async () => {
    ss = await startPrivateSecretService();
  }, 60_000);
  afterAll(async () => {
    await ss?.stop();
    for (const ws of [missing, locked, lockedInit]) ws.remove();
  });

  test('an entry missing from an unlocked keychain is the missing master key, with restoring as the way out', async () => {
    expect((await missing.run(['init'], env())).code).toBe(0);
    expect((await missing.run(['list-keys'], env())).code).toBe(0);
    await ss.run('secret-tool', ['clear', 'service', 'Strongroom']);
    const r = await missing.run(['list-keys'], env());
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(/^\nAn error occurred \(KMSInvalidStateException\) when calling the ListKeys operation: The OS keychain has no master key for vault /);
    expect(r.stderr).toContain('Restore the keychain entry, or restore the vault from a backup.');
    expect(r.stderr).not.toMatch(/locked/i);
  });

  test('a locked keychain is reported as locked, with "unlock your keychain" and no backup to restore', async () => {
    expect((await locked.run(['init'], env())).code).toBe(0);
    expect((await locked.run(['list-keys'], env())).code).toBe(0);
    await ss.lockDefaultCollection();

    const r = await locked.run(['list-keys'], env());
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(/^\nAn error occurred \(KMSInvalidStateException\) when calling the ListKeys operation: The OS keychain is locked, /);
    expect(r.stderr).toMatch(/Unlock your keychain .*and retry\.\n$/);
    expect(r.stderr).not.toMatch(/backup|no master key|another machine/i);

    // init in a locked keychain: locked too, and nothing left behind
    const init = await lockedInit.run(['init'], env());
    expect(init.code).toBe(254);
    expect(init.stderr).toMatch(/^\nAn error occurred \(KMSInvalidStateException\) when calling the Init operation: The OS keychain is locked, /);
    expect((await lockedInit.run(['list-keys'], env())).stderr).toContain('(NotFoundException)');
  });

  test('where only dbus-send is installed (no gdbus), it is asked with that', async () => {
    // runs after the test above: the collection is still locked
    const onlyDbusSend = locked.path('only-dbus-send');
    mkdirSync(onlyDbusSend, { recursive: true });
    symlinkSync(execFileSync('bash', ['-c', 'command -v dbus-send'], { encoding: 'utf8' }).trim(), join(onlyDbusSend, 'dbus-send'));
    const r = await locked.run(['list-keys'], { ...env(), PATH: onlyDbusSend });
    expect(r.code).toBe(254);
    expect(r.stderr).toContain('when calling the ListKeys operation: The OS keychain is locked, ');
  });

  test('with no D-Bus tool to ask whether it is locked, the message says to unlock it first, then what else', async () => {
    // runs after the test above: the collection is still locked
    const emptyPath = locked.path('empty-path');
    mkdirSync(emptyPath, { recursive: true });
    const r = await locked.run(['list-keys'], { ...env(), PATH: emptyPath });
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(/The OS keychain has no master key for vault [^ ]+ \(entry "Strongroom" \/ "vault:[^"]+"\)\. If your keychain is locked: Unlock your keychain .* Otherwise: Was the vault moved/);
  });
});
