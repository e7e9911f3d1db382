// Key lifecycle as AWS KMS defines it: CreateKey, DescribeKey (every KeyId
// form), ListKeys paging, UpdateKeyDescription, EnableKey/DisableKey,
// ScheduleKeyDeletion/CancelKeyDeletion, destruction once DeletionDate
// passes, and the key-state table for keys pending deletion.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs } from '../support/call-as.js';
import { adminIn, DAY, refused, sqlite, UUID } from '../support/kms.js';
import { makeVault, type TestVault } from '../support/vault.js';

let t: TestVault;
beforeAll(async () => {
  t = await makeVault();
});
afterAll(() => t.close());

const newKey = async (input: object = {}) => (await t.call('CreateKey', input)).KeyMetadata;
const describeKey = async (KeyId: string) => (await t.call('DescribeKey', { KeyId })).KeyMetadata;
const encrypt = (KeyId: string) => t.call('Encrypt', { KeyId, Plaintext: Buffer.from('secret') });
const keyRows = (keyId: string) =>
  ['keys', 'key_materials', 'aliases', 'key_tags'].map((table) => Number(sqlite(t, `SELECT count(*) FROM ${table} WHERE key_id = '${keyId}'`)));

describe('CreateKey', () => {
  it('creates an Enabled SYMMETRIC_DEFAULT key with AWS defaults', async () => {
    const m = await newKey();
    expect(m.KeyId).toMatch(UUID);
    expect(m).toEqual({
      AWSAccountId: t.admin.account,
      KeyId: m.KeyId,
      Arn: `arn:strongroom:kms:local-1:${t.admin.account}:key/${m.KeyId}`,
      CreationDate: new Date(t.clock.now),
      Enabled: true,
      Description: '',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeyState: 'Enabled',
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      MultiRegion: false,
      CurrentKeyMaterialId: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(await describeKey(m.KeyId)).toEqual(m);
    expect(keyRows(m.KeyId)).toEqual([1, 1, 0, 0]);
  });

  it('keeps the Description and Tags it was given', async () => {
    const m = await newKey({ Description: 'payroll exports', Tags: [{ TagKey: 'team', TagValue: 'finance' }, { TagKey: 'env', TagValue: '' }] });
    expect(m.Description).toBe('payroll exports');
    expect((await describeKey(m.KeyId)).Description).toBe('payroll exports');
    const { Tags } = await t.call('ListResourceTags', { KeyId: m.KeyId });
    expect(Tags).toEqual([
      { TagKey: 'env', TagValue: '' },
      { TagKey: 'team', TagValue: 'finance' },
    ]);
  });

  it('accepts the explicit defaults (KeySpec, KeyUsage, Origin, MultiRegion false)', async () => {
    const m = await newKey({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Origin: 'AWS_KMS', MultiRegion: false });
    expect(m).toMatchObject({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Origin: 'AWS_KMS', MultiRegion: false });
  });

  it('refuses MultiRegion true with UnsupportedOperationException and creates nothing', async () => {
    const before = sqlite(t, 'SELECT count(*) FROM keys');
    await refused(t.call('CreateKey', { MultiRegion: true }), 'UnsupportedOperationException');
    expect(sqlite(t, 'SELECT count(*) FROM keys')).toBe(before);
  });

  it.each([['NOT_A_SPEC'], ['AES_256'], ['symmetric_default'], ['']])('refuses KeySpec %j with ValidationException', async (KeySpec) => {
    const before = sqlite(t, 'SELECT count(*) FROM keys');
    await refused(t.dispatch('CreateKey', { KeySpec }), 'ValidationException');
    expect(sqlite(t, 'SELECT count(*) FROM keys')).toBe(before);
  });

  it('refuses KeySpec together with the deprecated CustomerMasterKeySpec', async () => {
    await refused(t.call('CreateKey', { KeySpec: 'SYMMETRIC_DEFAULT', CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT' }), 'ValidationException');
  });
});

describe('DescribeKey', () => {
  it('finds a key by key id, key ARN, alias name and alias ARN', async () => {
    const m = await newKey();
    await t.call('CreateAlias', { AliasName: 'alias/describe-me', TargetKeyId: m.KeyId });
    const aliasArn = `arn:strongroom:kms:local-1:${t.admin.account}:alias/describe-me`;
    for (const ref of [m.KeyId, m.Arn, 'alias/describe-me', aliasArn]) {
      expect((await describeKey(ref)).KeyId, ref).toBe(m.KeyId);
    }
  });

  it('refuses an ARN of another region or another account, or an unknown id, with NotFoundException', async () => {
    const m = await newKey();
    await t.call('CreateAlias', { AliasName: 'alias/elsewhere', TargetKeyId: m.KeyId });
    const otherAccount = t.admin.account === '111111111111' ? '222222222222' : '111111111111';
    for (const ref of [
      `arn:strongroom:kms:local-2:${t.admin.account}:key/${m.KeyId}`,
      `arn:strongroom:kms:local-1:${otherAccount}:key/${m.KeyId}`,
      `arn:strongroom:kms:local-2:${t.admin.account}:alias/elsewhere`,
      `arn:strongroom:kms:local-1:${otherAccount}:alias/elsewhere`,
      `arn:aws:kms:local-1:${t.admin.account}:key/${m.KeyId}`,
      '00000000-0000-4000-8000-000000000000',
      'alias/no-such-alias',
      'not-a-key',
      m.KeyId.toUpperCase(),
    ]) {
      await refused(describeKey(ref), 'NotFoundException');
    }
  });

  it('does not show a key to the same user signed in to another region', async () => {
    const m = await newKey();
    const elsewhere = await adminIn(t, 'describe-2');
    await refused(t.call('DescribeKey', { KeyId: m.KeyId }, elsewhere), 'NotFoundException');
    expect((await t.call('ListKeys', {}, elsewhere)).Keys).toEqual([]);
  });
});

describe('another tenant (account)', () => {
  it('cannot see, use or change this tenant\'s keys by id, ARN or alias, nor decrypt its ciphertexts', async () => {
    const m = await newKey({ Description: 'tenant one' });
    await t.call('CreateAlias', { AliasName: 'alias/tenant-one', TargetKeyId: m.KeyId });
    const { CiphertextBlob } = await encrypt(m.KeyId);
    const tenant = await t.vault.service.createTenant('second-tenant', 'second tenant passphrase');
    expect(tenant.account).not.toBe(t.admin.account);
    const other = await t.vault.service.signIn({ tenant: 'second-tenant', userName: 'admin', passphrase: 'second tenant passphrase', region: 'local-1', source: 'sdk' });
    const as2 = callAs(t.vault.service, other);
    for (const KeyId of [m.KeyId, m.Arn, 'alias/tenant-one', `arn:strongroom:kms:local-1:${t.admin.account}:alias/tenant-one`]) {
      await refused(as2('DescribeKey', { KeyId }), 'NotFoundException');
      await refused(as2('Encrypt', { KeyId, Plaintext: Buffer.from('x') }), 'NotFoundException');
    }
    await refused(as2('DisableKey', { KeyId: m.KeyId }), 'NotFoundException');
    await refused(as2('ScheduleKeyDeletion', { KeyId: m.Arn }), 'NotFoundException');
    await refused(as2('Decrypt', { CiphertextBlob }), 'InvalidCiphertextException');
    expect((await as2('ListKeys', {})).Keys).toEqual([]);
    expect((await as2('ListAliases', {})).Aliases).toEqual([]);
    // the same alias name is free in the other account
    const k2 = (await as2('CreateKey', {})).KeyMetadata.KeyId;
    await as2('CreateAlias', { AliasName: 'alias/tenant-one', TargetKeyId: k2 });
    expect(await describeKey(m.KeyId)).toMatchObject({ KeyState: 'Enabled', Description: 'tenant one' });
    expect((await describeKey('alias/tenant-one')).KeyId).toBe(m.KeyId);
  });
});

describe('ListKeys', () => {
  it('pages 7 keys 3 at a time with Truncated and NextMarker', async () => {
    const caller = await adminIn(t, 'paging-1');
    const created: string[] = [];
    for (let i = 0; i < 7; i++) created.push((await t.call('CreateKey', {}, caller)).KeyMetadata.KeyId);

    const pages: { Keys: { KeyId: string; KeyArn: string }[]; Truncated: boolean; NextMarker?: string }[] = [];
    let Marker: string | undefined;
    do {
      const p = await t.call('ListKeys', { Limit: 3, ...(Marker ? { Marker } : {}) }, caller);
      pages.push(p);
      Marker = p.NextMarker;
    } while (Marker && pages.length < 10);

    expect(pages.map((p) => p.Keys.length)).toEqual([3, 3, 1]);
    expect(pages.map((p) => p.Truncated)).toEqual([true, true, false]);
    expect(typeof pages[0]!.NextMarker).toBe('string');
    expect(typeof pages[1]!.NextMarker).toBe('string');
    expect(pages[2]).not.toHaveProperty('NextMarker');
    const listed = pages.flatMap((p) => p.Keys);
    expect(listed.map((k) => k.KeyId)).toEqual([...created].sort());
    for (const k of listed) expect(k.KeyArn).toBe(`arn:strongroom:kms:paging-1:${t.admin.account}:key/${k.KeyId}`);

    const all = await t.call('ListKeys', { Limit: 7 }, caller);
    expect(all.Keys).toHaveLength(7);
    expect(all.Truncated).toBe(false);
    expect(all).not.toHaveProperty('NextMarker');
    expect((await t.call('ListKeys', {}, caller)).Keys).toHaveLength(7);
  });

  it.each([['bogus'], ['!!!!'], ['AAAA'], [Buffer.from('not a key id').toString('base64url')]])(
    'refuses the bogus Marker %j with InvalidMarkerException',
    async (Marker) => {
      await refused(t.call('ListKeys', { Marker }), 'InvalidMarkerException');
    },
  );

  it.each([[0], [1001], [2.5], [-1]])('refuses Limit %j with ValidationException', async (Limit) => {
    await refused(t.call('ListKeys', { Limit }), 'ValidationException');
  });
});

describe('UpdateKeyDescription', () => {
  it('replaces the description, also with the empty string', async () => {
    const m = await newKey({ Description: 'old' });
    expect(await t.call('UpdateKeyDescription', { KeyId: m.KeyId, Description: 'new' })).toEqual({});
    expect((await describeKey(m.KeyId)).Description).toBe('new');
    await t.call('UpdateKeyDescription', { KeyId: m.Arn, Description: '' });
    expect((await describeKey(m.KeyId)).Description).toBe('');
  });

  it('takes up to 8192 characters; 8193 is a ValidationException', async () => {
    const m = await newKey();
    await t.call('UpdateKeyDescription', { KeyId: m.KeyId, Description: 'd'.repeat(8192) });
    expect((await describeKey(m.KeyId)).Description).toHaveLength(8192);
    await refused(t.call('UpdateKeyDescription', { KeyId: m.KeyId, Description: 'd'.repeat(8193) }), 'ValidationException');
    await refused(t.call('CreateKey', { Description: 'd'.repeat(8193) }), 'ValidationException');
    expect((await describeKey(m.KeyId)).Description).toHaveLength(8192);
  });

  it('works on a Disabled key', async () => {
    const m = await newKey();
    await t.call('DisableKey', { KeyId: m.KeyId });
    await t.call('UpdateKeyDescription', { KeyId: m.KeyId, Description: 'still editable' });
    expect(await describeKey(m.KeyId)).toMatchObject({ Description: 'still editable', KeyState: 'Disabled' });
  });

  it('takes a key id or key ARN only, not an alias (NotFoundException)', async () => {
    const m = await newKey({ Description: 'unchanged' });
    await t.call('CreateAlias', { AliasName: 'alias/update-desc', TargetKeyId: m.KeyId });
    await refused(t.call('UpdateKeyDescription', { KeyId: 'alias/update-desc', Description: 'x' }), 'NotFoundException');
    expect((await describeKey(m.KeyId)).Description).toBe('unchanged');
  });
});

describe('EnableKey and DisableKey', () => {
  it('a Disabled key refuses Encrypt and Decrypt with DisabledException until enabled again', async () => {
    const m = await newKey();
    const { CiphertextBlob } = await encrypt(m.KeyId);
    expect(await t.call('DisableKey', { KeyId: m.KeyId })).toEqual({});
    expect(await describeKey(m.KeyId)).toMatchObject({ KeyState: 'Disabled', Enabled: false });
    await refused(encrypt(m.KeyId), 'DisabledException');
    await refused(t.call('Decrypt', { CiphertextBlob }), 'DisabledException');
    await refused(t.call('GenerateDataKey', { KeyId: m.KeyId, KeySpec: 'AES_256' }), 'DisabledException');
    // disabling again is allowed (AWS: DisableKey on a Disabled key succeeds)
    await t.call('DisableKey', { KeyId: m.KeyId });

    expect(await t.call('EnableKey', { KeyId: m.Arn })).toEqual({});
    expect(await describeKey(m.KeyId)).toMatchObject({ KeyState: 'Enabled', Enabled: true });
    const dec = await t.call('Decrypt', { CiphertextBlob });
    expect(Buffer.from(dec.Plaintext).toString()).toBe('secret');
    await t.call('EnableKey', { KeyId: m.KeyId });
    expect((await describeKey(m.KeyId)).KeyState).toBe('Enabled');
  });

  it('refuses an unknown key with NotFoundException', async () => {
    await refused(t.call('DisableKey', { KeyId: '00000000-0000-4000-8000-000000000001' }), 'NotFoundException');
    await refused(t.call('EnableKey', { KeyId: '00000000-0000-4000-8000-000000000001' }), 'NotFoundException');
  });
});

describe('ScheduleKeyDeletion and CancelKeyDeletion', () => {
  it('defaults to a 30-day window: DeletionDate = now + 30 days, state PendingDeletion', async () => {
    const m = await newKey();
    const out = await t.call('ScheduleKeyDeletion', { KeyId: m.KeyId });
    expect(out).toEqual({ KeyId: m.Arn, DeletionDate: new Date(t.clock.now + 30 * DAY), KeyState: 'PendingDeletion', PendingWindowInDays: 30 });
    expect(await describeKey(m.KeyId)).toMatchObject({
      KeyState: 'PendingDeletion',
      Enabled: false,
      DeletionDate: new Date(t.clock.now + 30 * DAY),
      PendingDeletionWindowInDays: 30,
    });
  });

  it.each([[7], [8], [29], [30]])('accepts PendingWindowInDays %i', async (days) => {
    const m = await newKey();
    const out = await t.call('ScheduleKeyDeletion', { KeyId: m.KeyId, PendingWindowInDays: days });
    expect(out.DeletionDate).toEqual(new Date(t.clock.now + days * DAY));
    expect(out.PendingWindowInDays).toBe(days);
  });

  it.each([[6], [31], [0], [-7], [7.5], ['7']])('refuses PendingWindowInDays %j with ValidationException; the key stays Enabled', async (days) => {
    const m = await newKey();
    await refused(t.dispatch('ScheduleKeyDeletion', { KeyId: m.KeyId, PendingWindowInDays: days }), 'ValidationException');
    const after = await describeKey(m.KeyId);
    expect(after.KeyState).toBe('Enabled');
    expect(after).not.toHaveProperty('DeletionDate');
  });

  it('a key pending deletion refuses cryptographic use with KMSInvalidStateException', async () => {
    const m = await newKey();
    const { CiphertextBlob } = await encrypt(m.KeyId);
    await t.call('ScheduleKeyDeletion', { KeyId: m.KeyId, PendingWindowInDays: 7 });
    await refused(encrypt(m.KeyId), 'KMSInvalidStateException');
    await refused(t.call('Decrypt', { CiphertextBlob }), 'KMSInvalidStateException');
    await refused(t.call('GenerateDataKey', { KeyId: m.KeyId, KeySpec: 'AES_256' }), 'KMSInvalidStateException');
    await refused(t.call('GenerateDataKeyWithoutPlaintext', { KeyId: m.KeyId, NumberOfBytes: 8 }), 'KMSInvalidStateException');
    const other = await newKey();
    await refused(t.call('ReEncrypt', { CiphertextBlob, DestinationKeyId: other.KeyId }), 'KMSInvalidStateException');
    const otherCt = (await encrypt(other.KeyId)).CiphertextBlob;
    await refused(t.call('ReEncrypt', { CiphertextBlob: otherCt, DestinationKeyId: m.KeyId }), 'KMSInvalidStateException');
  });

  it('a Disabled key scheduled for deletion is refused with KMSInvalidStateException, not DisabledException', async () => {
    const m = await newKey();
    await t.call('DisableKey', { KeyId: m.KeyId });
    await refused(encrypt(m.KeyId), 'DisabledException');
    await t.call('ScheduleKeyDeletion', { KeyId: m.KeyId, PendingWindowInDays: 7 });
    await refused(encrypt(m.KeyId), 'KMSInvalidStateException');
  });

  it('refuses to schedule a key already pending deletion (KMSInvalidStateException), keeping the first date', async () => {
    const m = await newKey();
    const first = await t.call('ScheduleKeyDeletion', { KeyId: m.KeyId, PendingWindowInDays: 10 });
    await refused(t.call('ScheduleKeyDeletion', { KeyId: m.KeyId, PendingWindowInDays: 20 }), 'KMSInvalidStateException');
    expect((await describeKey(m.KeyId)).DeletionDate).toEqual(first.DeletionDate);
  });

  it('CancelKeyDeletion returns the key to Disabled with no DeletionDate', async () => {
    const m = await newKey();
    const { CiphertextBlob } = await encrypt(m.KeyId);
    await t.call('ScheduleKeyDeletion', { KeyId: m.KeyId });
    expect(await t.call('CancelKeyDeletion', { KeyId: m.KeyId })).toEqual({ KeyId: m.Arn });
    const after = await describeKey(m.KeyId);
    expect(after).toMatchObject({ KeyState: 'Disabled', Enabled: false });
    expect(after).not.toHaveProperty('DeletionDate');
    expect(after).not.toHaveProperty('PendingDeletionWindowInDays');
    await refused(encrypt(m.KeyId), 'DisabledException');
    await t.call('EnableKey', { KeyId: m.KeyId });
    expect(Buffer.from((await t.call('Decrypt', { CiphertextBlob })).Plaintext).toString()).toBe('secret');
  });

  it('a cancelled key is not destroyed when its old DeletionDate passes', async () => {
    const m = await newKey();
    await t.call('ScheduleKeyDeletion', { KeyId: m.KeyId, PendingWindowInDays: 7 });
    await t.call('CancelKeyDeletion', { KeyId: m.KeyId });
    t.clock.now += 8 * DAY;
    expect((await describeKey(m.KeyId)).KeyState).toBe('Disabled');
  });

  it('CancelKeyDeletion on a key not pending deletion is KMSInvalidStateException', async () => {
    const enabled = await newKey();
    await refused(t.call('CancelKeyDeletion', { KeyId: enabled.KeyId }), 'KMSInvalidStateException');
    expect((await describeKey(enabled.KeyId)).KeyState).toBe('Enabled');
    const disabled = await newKey();
    await t.call('DisableKey', { KeyId: disabled.KeyId });
    await refused(t.call('CancelKeyDeletion', { KeyId: disabled.KeyId }), 'KMSInvalidStateException');
    expect((await describeKey(disabled.KeyId)).KeyState).toBe('Disabled');
  });
});

describe('destruction once DeletionDate passes', () => {
  it('destroys the key, its aliases, tags and every material version; its ciphertexts become InvalidCiphertextException', async () => {
    const m = await newKey({ Tags: [{ TagKey: 'doomed', TagValue: 'yes' }] });
    await t.call('CreateAlias', { AliasName: 'alias/doomed', TargetKeyId: m.KeyId });
    await t.call('RotateKeyOnDemand', { KeyId: m.KeyId });
    const { CiphertextBlob } = await encrypt(m.KeyId);
    expect(keyRows(m.KeyId)).toEqual([1, 2, 1, 1]);

    const { DeletionDate } = await t.call('ScheduleKeyDeletion', { KeyId: m.KeyId, PendingWindowInDays: 7 });
    t.clock.now = DeletionDate.getTime() - 1;
    expect((await describeKey(m.KeyId)).KeyState).toBe('PendingDeletion');
    expect(keyRows(m.KeyId)).toEqual([1, 2, 1, 1]);

    t.clock.now = DeletionDate.getTime() + 1;
    await refused(describeKey(m.KeyId), 'NotFoundException');
    await refused(describeKey('alias/doomed'), 'NotFoundException');
    expect((await t.call('ListAliases', {})).Aliases.map((a: { AliasName: string }) => a.AliasName)).not.toContain('alias/doomed');
    expect(keyRows(m.KeyId)).toEqual([0, 0, 0, 0]);
    await refused(t.call('Decrypt', { CiphertextBlob }), 'InvalidCiphertextException');
    await refused(t.call('CancelKeyDeletion', { KeyId: m.KeyId }), 'NotFoundException');
    // the alias name is free again
    const next = await newKey();
    await t.call('CreateAlias', { AliasName: 'alias/doomed', TargetKeyId: next.KeyId });
  });

  it('destroys due keys that nobody names, when the key list is read', async () => {
    const m = await newKey();
    const { DeletionDate } = await t.call('ScheduleKeyDeletion', { KeyId: m.KeyId, PendingWindowInDays: 7 });
    t.clock.now = DeletionDate.getTime();
    const { Keys } = await t.call('ListKeys', { Limit: 1000 });
    expect(Keys.map((k: { KeyId: string }) => k.KeyId)).not.toContain(m.KeyId);
    expect(keyRows(m.KeyId)).toEqual([0, 0, 0, 0]);
  });

  it('a second connection (another process) sees the key gone too', async () => {
    const m = await newKey();
    const { DeletionDate } = await t.call('ScheduleKeyDeletion', { KeyId: m.KeyId, PendingWindowInDays: 7 });
    const other = await t.reopen();
    const admin2 = await other.service.signIn({ userName: 'admin', passphrase: 'correct horse battery staple', region: 'local-1', source: 'cli' });
    expect((await other.service.call(admin2, 'DescribeKey', { KeyId: m.KeyId })).KeyMetadata.KeyState).toBe('PendingDeletion');
    t.clock.now = DeletionDate.getTime() + DAY;
    await refused(other.service.call(admin2, 'DescribeKey', { KeyId: m.KeyId }), 'NotFoundException');
    await refused(describeKey(m.KeyId), 'NotFoundException');
    expect(keyRows(m.KeyId)).toEqual([0, 0, 0, 0]);
  });
});

describe('key-state table: keys pending deletion', () => {
  // AWS KMS Developer Guide, "Key states of AWS KMS keys": these management
  // operations fail with KMSInvalidStateException on a PendingDeletion key.
  const refusedOps: [string, (keyId: string) => object][] = [
    ['UpdateKeyDescription', (KeyId) => ({ KeyId, Description: 'changed' })],
    ['TagResource', (KeyId) => ({ KeyId, Tags: [{ TagKey: 'new', TagValue: 'tag' }] })],
    ['UntagResource', (KeyId) => ({ KeyId, TagKeys: ['keep'] })],
    ['CreateAlias', (KeyId) => ({ AliasName: `alias/pending-${KeyId}`, TargetKeyId: KeyId })],
    ['EnableKey', (KeyId) => ({ KeyId })],
    ['DisableKey', (KeyId) => ({ KeyId })],
    ['EnableKeyRotation', (KeyId) => ({ KeyId })],
    ['DisableKeyRotation', (KeyId) => ({ KeyId })],
    ['RotateKeyOnDemand', (KeyId) => ({ KeyId })],
    ['ScheduleKeyDeletion', (KeyId) => ({ KeyId })],
  ];

  it.each(refusedOps)('%s → KMSInvalidStateException, and the key is unchanged', async (op, input) => {
    const m = await newKey({ Description: 'original', Tags: [{ TagKey: 'keep', TagValue: 'me' }] });
    const { DeletionDate } = await t.call('ScheduleKeyDeletion', { KeyId: m.KeyId, PendingWindowInDays: 30 });
    const rowsBefore = sqlite(t, `SELECT * FROM keys WHERE key_id = '${m.KeyId}'`);
    await refused(t.dispatch(op, input(m.KeyId)), 'KMSInvalidStateException');
    expect(sqlite(t, `SELECT * FROM keys WHERE key_id = '${m.KeyId}'`)).toBe(rowsBefore);
    const after = await describeKey(m.KeyId);
    expect(after).toMatchObject({ KeyState: 'PendingDeletion', Description: 'original', DeletionDate });
    expect((await t.call('ListResourceTags', { KeyId: m.KeyId })).Tags).toEqual([{ TagKey: 'keep', TagValue: 'me' }]);
    expect((await t.call('ListAliases', { KeyId: m.KeyId })).Aliases).toEqual([]);
    expect(Number(sqlite(t, `SELECT count(*) FROM key_materials WHERE key_id = '${m.KeyId}'`))).toBe(1);
  });

  it('UpdateAlias onto a key pending deletion → KMSInvalidStateException', async () => {
    const live = await newKey();
    const doomed = await newKey();
    await t.call('CreateAlias', { AliasName: 'alias/stays-put', TargetKeyId: live.KeyId });
    await t.call('ScheduleKeyDeletion', { KeyId: doomed.KeyId });
    await refused(t.call('UpdateAlias', { AliasName: 'alias/stays-put', TargetKeyId: doomed.KeyId }), 'KMSInvalidStateException');
    expect((await describeKey('alias/stays-put')).KeyId).toBe(live.KeyId);
  });

  it('DescribeKey and ListResourceTags still work on a key pending deletion', async () => {
    const m = await newKey({ Tags: [{ TagKey: 'a', TagValue: 'b' }] });
    await t.call('ScheduleKeyDeletion', { KeyId: m.KeyId });
    expect((await describeKey(m.KeyId)).KeyState).toBe('PendingDeletion');
    expect((await t.call('ListResourceTags', { KeyId: m.KeyId })).Tags).toEqual([{ TagKey: 'a', TagValue: 'b' }]);
  });
});
