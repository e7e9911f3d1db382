// Issue 9 through the built `strongroom` binary: with its tenant's audit
// signing key corrupted in the vault file, `decrypt` prints no plaintext
// and exits 254 with a named error (it used to print the plaintext, exit 0,
// and only complain at close); with the key intact again, it works.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DB_FILE } from '../../main/vault/paths.js';
import { ensureBuilt, Workspace } from './binary.js';

beforeAll(() => ensureBuilt(), 180_000);

describe('a trail that cannot be signed stops the CLI', () => {
  const ws = new Workspace();
  const sqlite = (sql: string) => execFileSync('sqlite3', [join(ws.vault, DB_FILE), sql], { encoding: 'utf8' }).trim();
  afterAll(() => ws.remove());

  test('decrypt refuses, printing nothing, and works again once the key is back', async () => {
    expect((await ws.run(['init', '--passphrase-only'])).code).toBe(0);
    const keyId = (await ws.run(['create-key', '--query', 'KeyMetadata.KeyId', '--output', 'text'])).stdout.trim();
    const blob = (await ws.run(['encrypt', '--key-id', keyId, '--plaintext', Buffer.from('the launch codes').toString('base64'), '--query', 'CiphertextBlob', '--output', 'text'])).stdout.trim();
    const sealed = sqlite('SELECT hex(sealed_private_key) FROM audit_keys');
    sqlite(`UPDATE audit_keys SET sealed_private_key = X'${'00'.repeat(sealed.length / 2)}'`);

    const r = await ws.run(['decrypt', '--ciphertext-blob', blob]);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/An error occurred \(KMSInternalException\) when calling the Decrypt operation: The audit trail of account \d{12} cannot be signed/);
    expect(r.code).toBe(254);

    sqlite(`UPDATE audit_keys SET sealed_private_key = X'${sealed}'`);
    const again = await ws.run(['decrypt', '--ciphertext-blob', blob, '--query', 'Plaintext', '--output', 'text']);
    expect(Buffer.from(again.stdout.trim(), 'base64').toString()).toBe('the launch codes');
    expect(again.code).toBe(0);
  });
});
