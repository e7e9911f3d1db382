// Key rotation (AWS KMS API Reference: EnableKeyRotation, DisableKeyRotation,
// GetKeyRotationStatus, RotateKeyOnDemand, ListKeyRotations): automatic
// rotation when NextRotationDate passes, ten on-demand rotations, every
// material version still decrypts, new ciphertexts use the newest version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, refused, sqlite } from '../support/kms.js';
import { makeVault, type TestVault } from '../support/vault.js';

let t: TestVault;
beforeAll(async () => {
  t = await makeVault();
});
afterAll(() => t.close());

const newKey = async (): Promise<{ KeyId: string; Arn: string }> => (await t.call('CreateKey', {})).KeyMetadata;
const status = (KeyId: string) => t.call('GetKeyRotationStatus', { KeyId });
const encrypt = async (KeyId: string, text: string): Promise<Buffer> => Buffer.from((await t.call('Encrypt', { KeyId, Plaintext: Buffer.from(text) })).CiphertextBlob);
const decrypt = async (CiphertextBlob: Buffer): Promise<string> => Buffer.from((await t.call('Decrypt', { CiphertextBlob })).Plaintext).toString();
/** The key material version a blob was made with: bytes 17..20, big-endian (main/core/codecs/ciphertext-blob.ts). */
const blobVersion = (blob: Buffer) => blob.readUInt32BE(17);
const rotations = async (KeyId: string) => (await t.call('ListKeyRotations', { KeyId })).Rotations as { KeyId: string; RotationDate: Date; RotationType: string }[];

describe('EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus', () => {
  it('a new key has rotation off', async () => {
    const key = await newKey();
    expect(await status(key.KeyId)).toEqual({ KeyRotationEnabled: false, KeyId: key.Arn });
  });

  it('defaults to a 365-day period, the next rotation a period from now', async () => {
    const key = await newKey();
    expect(await t.call('EnableKeyRotation', { KeyId: key.KeyId })).toEqual({});
    expect(await status(key.KeyId)).toEqual({
      KeyRotationEnabled: true,
      KeyId: key.Arn,
      RotationPeriodInDays: 365,
      NextRotationDate: new Date(t.clock.now + 365 * DAY),
    });
  });

  it.each([[90], [91], [2559], [2560]])('accepts RotationPeriodInDays %i', async (days) => {
    const key = await newKey();
    await t.call('EnableKeyRotation', { KeyId: key.Arn, RotationPeriodInDays: days });
    expect(await status(key.KeyId)).toMatchObject({ RotationPeriodInDays: days, NextRotationDate: new Date(t.clock.now + days * DAY) });
  });

  it.each([[89], [2561], [0], [365.5], ['365']])('refuses RotationPeriodInDays %j with ValidationException and changes nothing', async (days) => {
    const key = await newKey();
    await refused(t.dispatch('EnableKeyRotation', { KeyId: key.KeyId, RotationPeriodInDays: days }), 'ValidationException');
    expect((await status(key.KeyId)).KeyRotationEnabled).toBe(false);
  });

  it('enabling again changes the period; DisableKeyRotation turns it off', async () => {
    const key = await newKey();
    await t.call('EnableKeyRotation', { KeyId: key.KeyId, RotationPeriodInDays: 100 });
    await t.call('EnableKeyRotation', { KeyId: key.KeyId, RotationPeriodInDays: 200 });
    expect((await status(key.KeyId)).RotationPeriodInDays).toBe(200);
    expect(await t.call('DisableKeyRotation', { KeyId: key.KeyId })).toEqual({});
    expect(await status(key.KeyId)).toEqual({ KeyRotationEnabled: false, KeyId: key.Arn });
  });

  it('takes a key id or key ARN only: an alias is NotFoundException', async () => {
    const key = await newKey();
    await t.call('CreateAlias', { AliasName: 'alias/rotating', TargetKeyId: key.KeyId });
    for (const op of ['EnableKeyRotation', 'DisableKeyRotation', 'GetKeyRotationStatus', 'RotateKeyOnDemand', 'ListKeyRotations'] as const) {
      await refused(t.call(op, { KeyId: 'alias/rotating' }), 'NotFoundException');
    }
    expect((await status(key.KeyId)).KeyRotationEnabled).toBe(false);
    expect(await rotations(key.KeyId)).toEqual([]);
  });
});

describe('automatic rotation', () => {
  it('rotates once the clock passes NextRotationDate: AUTOMATIC in ListKeyRotations, new version used, old still decrypts', async () => {
    const key = await newKey();
    await t.call('EnableKeyRotation', { KeyId: key.KeyId, RotationPeriodInDays: 90 });
    const { NextRotationDate } = await status(key.KeyId);
    expect(NextRotationDate).toBeDefined();
    const before = await encrypt(key.KeyId, 'version one');
    expect(blobVersion(before)).toBe(1);

    t.clock.now = NextRotationDate!.getTime() - 1;
    expect(blobVersion(await encrypt(key.KeyId, 'still one'))).toBe(1);
    expect(await rotations(key.KeyId)).toEqual([]);

    t.clock.now = NextRotationDate!.getTime() + 1000;
    const after = await encrypt(key.KeyId, 'version two');
    expect(blobVersion(after)).toBe(2);
    expect(await rotations(key.KeyId)).toEqual([
      { KeyId: key.Arn, KeyMaterialId: expect.stringMatching(/^[0-9a-f]{64}$/), KeyMaterialState: 'CURRENT', RotationDate: new Date(t.clock.now), RotationType: 'AUTOMATIC' },
    ]);
    expect(await status(key.KeyId)).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 90, NextRotationDate: new Date(t.clock.now + 90 * DAY) });
    expect(await decrypt(before)).toBe('version one');
    expect(await decrypt(after)).toBe('version two');
  });

  it('a long gap rotates once, not once per missed period', async () => {
    const key = await newKey();
    await t.call('EnableKeyRotation', { KeyId: key.KeyId, RotationPeriodInDays: 90 });
    t.clock.now += 1000 * DAY;
    expect(await rotations(key.KeyId)).toHaveLength(1);
    expect(blobVersion(await encrypt(key.KeyId, 'x'))).toBe(2);
  });

  it('is found by ListKeys too, without naming the key', async () => {
    const key = await newKey();
    await t.call('EnableKeyRotation', { KeyId: key.KeyId, RotationPeriodInDays: 90 });
    t.clock.now += 91 * DAY;
    await t.call('ListKeys', {});
    // read straight from the file: the rotation already happened
    expect(sqlite(t, `SELECT version, rotation_type FROM key_materials WHERE key_id = '${key.KeyId}' ORDER BY version`)).toBe('1|\n2|AUTOMATIC');
    expect(sqlite(t, `SELECT current_version FROM keys WHERE key_id = '${key.KeyId}'`)).toBe('2');
  });

  it('does not rotate a Disabled key; it rotates when enabled again', async () => {
    const key = await newKey();
    await t.call('EnableKeyRotation', { KeyId: key.KeyId, RotationPeriodInDays: 90 });
    await t.call('DisableKey', { KeyId: key.KeyId });
    t.clock.now += 100 * DAY;
    expect(await rotations(key.KeyId)).toEqual([]);
    await t.call('EnableKey', { KeyId: key.KeyId });
    expect(blobVersion(await encrypt(key.KeyId, 'x'))).toBe(2);
    expect((await rotations(key.KeyId)).map((r) => r.RotationType)).toEqual(['AUTOMATIC']);
  });

  it('does not rotate when rotation was disabled before the date', async () => {
    const key = await newKey();
    await t.call('EnableKeyRotation', { KeyId: key.KeyId, RotationPeriodInDays: 90 });
    await t.call('DisableKeyRotation', { KeyId: key.KeyId });
    t.clock.now += 100 * DAY;
    expect(blobVersion(await encrypt(key.KeyId, 'x'))).toBe(1);
    expect(await rotations(key.KeyId)).toEqual([]);
  });
});

describe('RotateKeyOnDemand', () => {
  it('allows ten on-demand rotations, refuses the 11th, and every version keeps decrypting', async () => {
    const key = await newKey();
    const blobs: Buffer[] = [await encrypt(key.KeyId, 'v1')];
    for (let i = 2; i <= 11; i++) {
      expect(await t.call('RotateKeyOnDemand', { KeyId: key.KeyId })).toEqual({ KeyId: key.Arn });
      const blob = await encrypt(key.KeyId, `v${i}`);
      expect(blobVersion(blob)).toBe(i);
      blobs.push(blob);
    }
    await refused(t.call('RotateKeyOnDemand', { KeyId: key.KeyId }), 'LimitExceededException');
    expect(blobVersion(await encrypt(key.KeyId, 'still 11'))).toBe(11);

    const list = await rotations(key.KeyId);
    expect(list).toHaveLength(10);
    expect(new Set(list.map((r) => r.RotationType))).toEqual(new Set(['ON_DEMAND']));
    for (let i = 0; i < blobs.length; i++) expect(await decrypt(blobs[i]!)).toBe(`v${i + 1}`);

    // ciphertexts carry their version: rewriting it to another existing version fails authentication
    const relabelled = Buffer.from(blobs[0]!);
    relabelled.writeUInt32BE(5, 17);
    await refused(t.call('Decrypt', { CiphertextBlob: relabelled }), 'InvalidCiphertextException');
  });

  it('ListKeyRotations pages with Limit and Marker, oldest first', async () => {
    const key = await newKey();
    const dates: number[] = [];
    for (let i = 0; i < 5; i++) {
      t.clock.now += 1000;
      dates.push(t.clock.now);
      await t.call('RotateKeyOnDemand', { KeyId: key.KeyId });
    }
    const p1 = await t.call('ListKeyRotations', { KeyId: key.KeyId, Limit: 2 });
    const p2 = await t.call('ListKeyRotations', { KeyId: key.KeyId, Limit: 2, Marker: p1.NextMarker });
    const p3 = await t.call('ListKeyRotations', { KeyId: key.KeyId, Limit: 2, Marker: p2.NextMarker });
    expect([p1, p2, p3].map((p) => p.Truncated)).toEqual([true, true, false]);
    expect(p3).not.toHaveProperty('NextMarker');
    expect([p1, p2, p3].flatMap((p) => p.Rotations.map((r) => r.RotationDate?.getTime()))).toEqual(dates);
    for (const Marker of ['!!', Buffer.from('abc').toString('base64url'), Buffer.from('0').toString('base64url')]) {
      await refused(t.call('ListKeyRotations', { KeyId: key.KeyId, Marker }), 'InvalidMarkerException');
    }
  });

  it('does not move the automatic rotation schedule', async () => {
    const key = await newKey();
    await t.call('EnableKeyRotation', { KeyId: key.KeyId, RotationPeriodInDays: 90 });
    const { NextRotationDate } = await status(key.KeyId);
    t.clock.now += 10 * DAY;
    await t.call('RotateKeyOnDemand', { KeyId: key.KeyId });
    expect((await status(key.KeyId)).NextRotationDate).toEqual(NextRotationDate);
  });

  it('works without automatic rotation enabled', async () => {
    const key = await newKey();
    await t.call('RotateKeyOnDemand', { KeyId: key.KeyId });
    expect((await status(key.KeyId)).KeyRotationEnabled).toBe(false);
    expect(blobVersion(await encrypt(key.KeyId, 'x'))).toBe(2);
  });
});

describe('rotation and key state', () => {
  it('a Disabled key refuses EnableKeyRotation, DisableKeyRotation and RotateKeyOnDemand with DisabledException', async () => {
    const key = await newKey();
    await t.call('EnableKeyRotation', { KeyId: key.KeyId, RotationPeriodInDays: 180 });
    const { NextRotationDate } = await status(key.KeyId);
    await t.call('DisableKey', { KeyId: key.KeyId });
    await refused(t.call('EnableKeyRotation', { KeyId: key.KeyId, RotationPeriodInDays: 90 }), 'DisabledException');
    await refused(t.call('DisableKeyRotation', { KeyId: key.KeyId }), 'DisabledException');
    await refused(t.call('RotateKeyOnDemand', { KeyId: key.KeyId }), 'DisabledException');
    // read-only rotation operations still work on a Disabled key
    expect(await status(key.KeyId)).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 180, NextRotationDate });
    expect(await rotations(key.KeyId)).toEqual([]);
  });

  it('an unknown key is NotFoundException', async () => {
    for (const op of ['EnableKeyRotation', 'DisableKeyRotation', 'GetKeyRotationStatus', 'RotateKeyOnDemand', 'ListKeyRotations'] as const) {
      await refused(t.call(op, { KeyId: '00000000-0000-4000-8000-000000000000' }), 'NotFoundException');
    }
  });
});
