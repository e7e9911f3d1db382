// If the trail cannot be written and signed, the call fails and nothing
// else happens (DESIGN §6, issue 9, as Vault refuses requests when no audit
// device can write): a corrupted or foreign audit signing key, or a trail
// cut back behind the vault's anchor, stops every call before it runs,
// with a named error. Only the audit operations that read the trail still
// run, so its owner can find out what is wrong.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openVault, type Vault } from '../../main/vault/vault.js';
import { callAs } from '../support/call-as.js';
import { newTenant, passphraseOf } from '../support/iam.js';
import { sqlite } from '../support/kms.js';
import { ADMIN_PASSPHRASE, makeVault, TEST_ARGON2, VAULT_PASSPHRASE, type TestVault } from '../support/vault.js';

let t: TestVault;
beforeEach(async () => {
  t = await makeVault();
});
afterEach(async () => t.close());

/** The vault as the next process opens it (closed by the test: its closing digest may fail, as it should). */
const fresh = () => openVault(t.dir, { vaultPassphrase: async () => VAULT_PASSPHRASE, service: { argon2: TEST_ARGON2 } });
const adminOf = async (v: Vault, tenant?: string, passphrase = ADMIN_PASSPHRASE) => {
  const c = await v.service.signIn({ ...(tenant ? { tenant } : {}), userName: 'admin', passphrase, region: 'local-1', source: 'cli' });
  return callAs(v.service, c);
};
const unusable = (why: RegExp) =>
  expect.objectContaining({ name: 'KMSInternalException', message: expect.stringMatching(new RegExp(`audit trail of account \\d{12} cannot be signed \\(.*${why.source}`)) });
const keyCount = () => Number(sqlite(t, 'SELECT count(*) FROM keys'));

describe('a broken audit signing key stops calls', () => {
  it('corrupted: Decrypt returns no plaintext, CreateKey creates nothing; verify still runs', async () => {
    const { KeyMetadata } = await t.call('CreateKey', {});
    const { CiphertextBlob } = await t.call('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: Buffer.from('the launch codes') });
    sqlite(t, `UPDATE audit_keys SET sealed_private_key = CAST(zeroblob(length(sealed_private_key)) AS BLOB) WHERE account = '${t.admin.account}'`);
    const v = await fresh();
    const call = await adminOf(v);
    await expect(call('Decrypt', { CiphertextBlob })).rejects.toEqual(unusable(/stored audit signing key .* failed its integrity check/));
    const before = keyCount();
    await expect(call('CreateKey', {})).rejects.toEqual(unusable(/signing key/));
    expect(keyCount()).toBe(before);
    // verify runs, and says why it cannot vouch for anything
    await expect(call('VerifyEvents')).rejects.toMatchObject({ name: 'KMSInternalException', message: expect.stringMatching(/audit signing key .* failed its integrity check/) });
    await expect(v.close()).rejects.toMatchObject({ name: 'KMSInternalException' });
  });

  it("another tenant's signing key row copied over it stops that tenant's calls", async () => {
    await newTenant(t, 'acme');
    const acme = sqlite(t, "SELECT account FROM tenants WHERE name = 'acme'");
    sqlite(t, `UPDATE audit_keys SET sealed_private_key = (SELECT sealed_private_key FROM audit_keys WHERE account = '${t.admin.account}') WHERE account = '${acme}'`);
    const v = await fresh();
    const acmeCall = await adminOf(v, 'acme', passphraseOf('acme'));
    await expect(acmeCall('ListKeys')).rejects.toEqual(unusable(/signing key of account \d{12} failed its integrity check/));
    // the operator tenant, whose key is intact, goes on
    await expect((await adminOf(v))('ListKeys')).resolves.toMatchObject({ Keys: [] });
    await expect(v.close()).rejects.toMatchObject({ name: 'KMSInternalException' }); // acme's closing digest cannot be signed
  });
});

describe('a trail cut back behind its anchor', () => {
  it('is named by verify, refused by export, and stops every other call', async () => {
    const first = await fresh();
    const before = await adminOf(first);
    const { KeyMetadata } = await before('CreateKey', {});
    for (let i = 0; i < 3; i++) await before('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: Buffer.from('x') });
    await first.close(); // its closing digest covers everything, and moves the anchor to it
    const signed = Number(sqlite(t, `SELECT max(to_seq) FROM audit_digests WHERE account = '${t.admin.account}'`));
    expect(signed).toBeGreaterThan(3);
    sqlite(
      t,
      `DROP TRIGGER audit_events_append_only_delete; DROP TRIGGER audit_digests_append_only_delete;
       DELETE FROM audit_events WHERE account = '${t.admin.account}' AND seq > 2; DELETE FROM audit_digests WHERE account = '${t.admin.account}'`,
    );
    const v = await fresh();
    const call = await adminOf(v);
    const verified = await call('VerifyEvents');
    expect(verified.Valid).toBe(false);
    expect(verified.Problems).toContainEqual(expect.objectContaining({ Kind: 'truncated', Message: expect.stringMatching(new RegExp(`cut back: records 3\\.\\.${signed} were signed`)) }));
    await expect(call('ExportEvents')).rejects.toMatchObject({ name: 'KMSInvalidStateException', message: expect.stringMatching(/cut back/) });
    await expect(call('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: Buffer.from('x') })).rejects.toEqual(unusable(/cut back/));
    // it appended the records of the refused calls, but signs nothing on top of the cut
    await expect(v.close()).rejects.toMatchObject({ name: 'KMSInternalException' });
    expect(Number(sqlite(t, `SELECT count(*) FROM audit_digests WHERE account = '${t.admin.account}'`))).toBe(0);
  });
});
