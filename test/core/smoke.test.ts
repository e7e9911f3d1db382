import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeVault, type TestVault } from '../support/vault.js';

let t: TestVault;
beforeEach(async () => {
  t = await makeVault();
});
afterEach(async () => t.close());

describe('smoke', () => {
  it('creates a key, encrypts and decrypts', async () => {
    const { KeyMetadata } = await t.call('CreateKey', { Description: 'first' });
    expect(KeyMetadata.KeyState).toBe('Enabled');
    const enc = await t.call('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: Buffer.from('hello') });
    const dec = await t.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob });
    expect(Buffer.from(dec.Plaintext).toString()).toBe('hello');
  });
});
