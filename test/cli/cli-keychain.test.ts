// The built binary with the vault master key in the OS keychain: a real
// Secret Service (gnome-keyring on a private D-Bus session). Run with
//   bash test/with-secret-service.sh npx vitest run test/cli
// Like the custody tests, these fail rather than skip without a Secret
// Service: an untested custody path is a broken one.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
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
