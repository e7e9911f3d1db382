// GetKeyLastUsage (AWS KMS API Reference; main/core/operations/key-last-usage.ts):
// the last *successful cryptographic* call on a key, read from the audit
// trail, so its CloudTrailEventId / KmsRequestId are that call's record's
// eventID / requestID. Management calls, failed calls, refused calls and
// calls on other keys do not count; ReEncrypt counts for both its keys.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../main/core/audit/event.js';
import { refused } from '../support/kms.js';
import { makeVault, type TestVault } from '../support/vault.js';

let t: TestVault;
beforeAll(async () => {
  t = await makeVault();
});
afterAll(() => t.close());

const SECOND = 1000;
const newKey = async (input: Record<string, unknown> = {}) => (await t.call('CreateKey', input as never)).KeyMetadata as { KeyId: string; Arn: string };
const lastUsage = (KeyId: string) => t.call('GetKeyLastUsage', { KeyId });
const encrypt = async (KeyId: string, EncryptionContext?: Record<string, string>) =>
  (await t.call('Encrypt', { KeyId, Plaintext: Buffer.from('x'), ...(EncryptionContext ? { EncryptionContext } : {}) })).CiphertextBlob;
/** The newest audit record of `EventName` on the key, as LookupEvents shows it. */
async function newestRecord(KeyId: string, EventName: string): Promise<AuditEvent> {
  const [e] = (await t.call('LookupEvents', { KeyId, EventName, MaxResults: 1 })).Events;
  return JSON.parse(e!.CloudTrailEvent) as AuditEvent;
}
/** What GetKeyLastUsage must say after the record `r` is the key's last use. */
const usedBy = (r: AuditEvent, Operation: string) => ({ Operation, Timestamp: new Date(r.eventTime), CloudTrailEventId: r.eventID, KmsRequestId: r.requestID });
const tick = () => (t.clock.now += SECOND);

describe('GetKeyLastUsage', () => {
  it('a new key: KeyLastUsage empty, tracking since its creation', async () => {
    tick();
    const created = t.clock.now;
    const key = await newKey();
    tick();
    expect(await lastUsage(key.KeyId)).toEqual({ KeyId: key.Arn, KeyLastUsage: {}, TrackingStartDate: new Date(created), KeyCreationDate: new Date(created) });
  });

  it('names the last successful cryptographic call and its audit record; management calls do not count', async () => {
    const key = await newKey();
    tick();
    const blob = await encrypt(key.KeyId);
    const enc = await newestRecord(key.KeyId, 'Encrypt');
    expect((await lastUsage(key.Arn)).KeyLastUsage).toEqual(usedBy(enc, 'Encrypt'));
    expect(enc.eventTime).toBe(new Date(t.clock.now).toISOString());
    tick();
    await t.call('DescribeKey', { KeyId: key.KeyId });
    await t.call('UpdateKeyDescription', { KeyId: key.KeyId, Description: 'managed, not used' });
    await t.call('EnableKeyRotation', { KeyId: key.KeyId });
    await t.call('ListKeyRotations', { KeyId: key.KeyId });
    await lastUsage(key.KeyId);
    expect((await lastUsage(key.KeyId)).KeyLastUsage).toEqual(usedBy(enc, 'Encrypt'));
    tick();
    await t.call('Decrypt', { CiphertextBlob: blob });
    expect((await lastUsage(key.KeyId)).KeyLastUsage).toEqual(usedBy(await newestRecord(key.KeyId, 'Decrypt'), 'Decrypt'));
    tick();
    await t.call('GenerateDataKeyPairWithoutPlaintext', { KeyId: key.KeyId, KeyPairSpec: 'ECC_NIST_P256' });
    expect((await lastUsage(key.KeyId)).KeyLastUsage).toMatchObject({ Operation: 'GenerateDataKeyPairWithoutPlaintext', Timestamp: new Date(t.clock.now) });
  });

  it('failed and refused calls do not count', async () => {
    const key = await newKey();
    tick();
    const blob = await encrypt(key.KeyId, { purpose: 'test' });
    const enc = await newestRecord(key.KeyId, 'Encrypt');
    tick();
    await refused(t.call('Decrypt', { CiphertextBlob: blob, EncryptionContext: { purpose: 'other' } }), 'InvalidCiphertextException');
    await refused(t.call('GenerateDataKey', { KeyId: key.KeyId }), 'ValidationException'); // neither KeySpec nor NumberOfBytes
    await t.call('CreateUser', { UserName: 'nobody' });
    await t.call('CreateLoginProfile', { UserName: 'nobody', Password: 'nobody passphrase' });
    const nobody = await t.vault.service.signIn({ userName: 'nobody', passphrase: 'nobody passphrase', region: 'local-1', source: 'sdk' });
    await refused(t.call('Encrypt', { KeyId: key.KeyId, Plaintext: Buffer.from('x') }, nobody), 'AccessDeniedException');
    await t.call('DisableKey', { KeyId: key.KeyId });
    await refused(t.call('Encrypt', { KeyId: key.KeyId, Plaintext: Buffer.from('x') }), 'DisabledException');
    expect((await lastUsage(key.KeyId)).KeyLastUsage).toEqual(usedBy(enc, 'Encrypt'));
  });

  it('ReEncrypt counts for both its keys', async () => {
    const [source, dest] = [await newKey(), await newKey()];
    const blob = await encrypt(source.KeyId);
    tick();
    await t.call('ReEncrypt', { CiphertextBlob: blob, DestinationKeyId: dest.KeyId });
    const r = await newestRecord(source.KeyId, 'ReEncrypt');
    expect((await lastUsage(source.KeyId)).KeyLastUsage).toEqual(usedBy(r, 'ReEncrypt'));
    expect((await lastUsage(dest.KeyId)).KeyLastUsage).toEqual(usedBy(r, 'ReEncrypt'));
  });

  it('a record counts for a key only where its response names that key as the one used', async () => {
    const [named, used] = [await newKey(), await newKey()];
    tick();
    await encrypt(named.KeyId);
    const enc = await newestRecord(named.KeyId, 'Encrypt');
    tick();
    // more than a page (1000) of successful Encrypt records whose resources list `named` though their
    // response names the key they used: no operation writes such a record today (a record's resources
    // are the keys its call resolved); the check is there so that none would ever count
    await encrypt(used.KeyId);
    const other = await newestRecord(used.KeyId, 'Encrypt');
    const resources = [...other.resources, { ...other.resources[0]!, ARN: named.Arn }];
    await Promise.all(
      Array.from({ length: 1005 }, (_, i) => t.vault.audit.append(t.admin.account, { ...other, eventID: `${other.eventID.slice(0, -4)}${String(i).padStart(4, '0')}`, resources })),
    );
    expect((await t.call('LookupEvents', { KeyId: named.KeyId, EventName: 'Encrypt', MaxResults: 1000 })).Events).toHaveLength(1000);
    expect((await lastUsage(named.KeyId)).KeyLastUsage).toEqual(usedBy(enc, 'Encrypt'));
    // for the key they name as used, one of them is its last use
    const crafted = new Set(Array.from({ length: 1005 }, (_, i) => `${other.eventID.slice(0, -4)}${String(i).padStart(4, '0')}`));
    expect(crafted.has((await lastUsage(used.KeyId)).KeyLastUsage.CloudTrailEventId!)).toBe(true);
  }, 120_000);

  it('signing, verification, MACs and key agreement count; a failed verification does not', async () => {
    const signer = await newKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const Message = Buffer.from('message');
    tick();
    const { Signature } = await t.call('Sign', { KeyId: signer.KeyId, Message, SigningAlgorithm: 'ECDSA_SHA_256' });
    expect((await lastUsage(signer.KeyId)).KeyLastUsage).toMatchObject({ Operation: 'Sign', Timestamp: new Date(t.clock.now) });
    tick();
    await t.call('Verify', { KeyId: signer.KeyId, Message, Signature, SigningAlgorithm: 'ECDSA_SHA_256' });
    const verified = t.clock.now;
    tick();
    await refused(t.call('Verify', { KeyId: signer.KeyId, Message: Buffer.from('other'), Signature, SigningAlgorithm: 'ECDSA_SHA_256' }), 'KMSInvalidSignatureException');
    expect((await lastUsage(signer.KeyId)).KeyLastUsage).toMatchObject({ Operation: 'Verify', Timestamp: new Date(verified) });

    const mac = await newKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    tick();
    const { Mac } = await t.call('GenerateMac', { KeyId: mac.KeyId, Message, MacAlgorithm: 'HMAC_SHA_256' });
    expect((await lastUsage(mac.KeyId)).KeyLastUsage).toMatchObject({ Operation: 'GenerateMac' });
    await t.call('VerifyMac', { KeyId: mac.KeyId, Message, Mac, MacAlgorithm: 'HMAC_SHA_256' });
    expect((await lastUsage(mac.KeyId)).KeyLastUsage).toMatchObject({ Operation: 'VerifyMac' });

    const agree = await newKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' });
    const peer = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' });
    await t.call('DeriveSharedSecret', { KeyId: agree.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer });
    expect((await lastUsage(agree.KeyId)).KeyLastUsage).toMatchObject({ Operation: 'DeriveSharedSecret' });
  });

  it('answers in every key state; refuses an alias (NotFoundException, as AWS takes none here)', async () => {
    const key = await newKey();
    await encrypt(key.KeyId);
    await t.call('CreateAlias', { AliasName: 'alias/last-usage', TargetKeyId: key.KeyId });
    await t.call('ScheduleKeyDeletion', { KeyId: key.KeyId, PendingWindowInDays: 7 });
    expect((await lastUsage(key.KeyId)).KeyLastUsage).toMatchObject({ Operation: 'Encrypt' });
    const external = await newKey({ Origin: 'EXTERNAL' });
    expect((await lastUsage(external.KeyId)).KeyLastUsage).toEqual({});
    await refused(lastUsage('alias/last-usage'), 'NotFoundException');
    await refused(lastUsage('00000000-0000-4000-8000-000000000000'), 'NotFoundException');
  });

  it('its own call is recorded, naming the key', async () => {
    const key = await newKey();
    await lastUsage(key.KeyId);
    const r = await newestRecord(key.KeyId, 'GetKeyLastUsage');
    expect(r).toMatchObject({ eventName: 'GetKeyLastUsage', readOnly: true, resources: [expect.objectContaining({ ARN: key.Arn })] });
  });
});
