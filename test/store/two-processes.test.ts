// Two processes on one vault (say the desktop app and the CLI), modelled by
// two openVault calls: each has its own SQLite connection, its own caches and
// its own Service. Neither may act on stale state, and racing writers are
// serialised so exactly one wins where only one can.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAs, type Call } from '../support/call-as.js';
import { refused } from '../support/kms.js';
import { ADMIN_PASSPHRASE, makeVault, type TestVault } from '../support/vault.js';

let t: TestVault;
/** calls through the test vault's connection (the app) and through a second one (the CLI, another process) */
let app: Call;
let cli: Call;
beforeAll(async () => {
  t = await makeVault();
  app = callAs(t.vault.service, t.admin);
  const cliVault = await t.reopen();
  cli = callAs(cliVault.service, await cliVault.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'cli' }));
});
afterAll(() => t.close());

const newKey = async (via = app): Promise<string> => (await via('CreateKey', {})).KeyMetadata.KeyId;
const encrypt = async (via: Call, KeyId: string, text = 'x'): Promise<Buffer> => Buffer.from((await via('Encrypt', { KeyId, Plaintext: Buffer.from(text) })).CiphertextBlob);
const blobVersion = (blob: Buffer) => blob.readUInt32BE(17);

describe('no stale reads across processes', () => {
  it('a key disabled through one is refused by the other at once, and usable again once enabled', async () => {
    const KeyId = await newKey();
    const blob = await encrypt(app, KeyId); // the app has the key in its caches now
    await cli('DisableKey', { KeyId });
    await refused(app('Encrypt', { KeyId, Plaintext: Buffer.from('x') }), 'DisabledException');
    await refused(app('Decrypt', { CiphertextBlob: blob }), 'DisabledException');
    expect((await app('DescribeKey', { KeyId })).KeyMetadata.KeyState).toBe('Disabled');
    await cli('EnableKey', { KeyId });
    expect(Buffer.from((await app('Decrypt', { CiphertextBlob: blob })).Plaintext).toString()).toBe('x');
  });

  it('a key scheduled for deletion through one is refused by the other', async () => {
    const KeyId = await newKey();
    await encrypt(app, KeyId);
    await cli('ScheduleKeyDeletion', { KeyId, PendingWindowInDays: 7 });
    await refused(app('Encrypt', { KeyId, Plaintext: Buffer.from('x') }), 'KMSInvalidStateException');
    await cli('CancelKeyDeletion', { KeyId });
    await refused(app('Encrypt', { KeyId, Plaintext: Buffer.from('x') }), 'DisabledException');
  });

  it('an alias created in one resolves in the other, even right after the other looked it up and missed', async () => {
    const a = await newKey();
    const b = await newKey(cli);
    await refused(app('DescribeKey', { KeyId: 'alias/shared' }), 'NotFoundException');
    await cli('CreateAlias', { AliasName: 'alias/shared', TargetKeyId: a });
    expect((await app('DescribeKey', { KeyId: 'alias/shared' })).KeyMetadata.KeyId).toBe(a);
    await cli('UpdateAlias', { AliasName: 'alias/shared', TargetKeyId: b });
    expect((await app('Encrypt', { KeyId: 'alias/shared', Plaintext: Buffer.from('x') })).KeyId).toContain(b);
    await cli('DeleteAlias', { AliasName: 'alias/shared' });
    await refused(app('DescribeKey', { KeyId: 'alias/shared' }), 'NotFoundException');
  });

  it('a key created in one appears in the other: ListKeys, DescribeKey, Encrypt', async () => {
    const before = (await app('ListKeys', { Limit: 1000 })).Keys.length;
    const KeyId = await newKey(cli);
    const listed = (await app('ListKeys', { Limit: 1000 })).Keys.map((k: { KeyId: string }) => k.KeyId);
    expect(listed).toHaveLength(before + 1);
    expect(listed).toContain(KeyId);
    expect((await app('DescribeKey', { KeyId })).KeyMetadata.KeyState).toBe('Enabled');
    const blob = await encrypt(app, KeyId, 'from the app');
    expect(Buffer.from((await cli('Decrypt', { CiphertextBlob: blob })).Plaintext).toString()).toBe('from the app');
  });

  it('a description, tags and rotation changed in one are seen by the other', async () => {
    const KeyId = await newKey();
    expect(blobVersion(await encrypt(app, KeyId))).toBe(1);
    await app('DescribeKey', { KeyId });
    await cli('UpdateKeyDescription', { KeyId, Description: 'set by the cli' });
    await cli('TagResource', { KeyId, Tags: [{ TagKey: 'by', TagValue: 'cli' }] });
    await cli('RotateKeyOnDemand', { KeyId });
    expect((await app('DescribeKey', { KeyId })).KeyMetadata.Description).toBe('set by the cli');
    expect((await app('ListResourceTags', { KeyId })).Tags).toEqual([{ TagKey: 'by', TagValue: 'cli' }]);
    const v2 = await encrypt(app, KeyId, 'version 2');
    expect(blobVersion(v2)).toBe(2);
    expect(Buffer.from((await cli('Decrypt', { CiphertextBlob: v2 })).Plaintext).toString()).toBe('version 2');
  });

  it('a key destroyed through one is gone for the other', async () => {
    const KeyId = await newKey();
    const blob = await encrypt(app, KeyId);
    const { DeletionDate } = await cli('ScheduleKeyDeletion', { KeyId, PendingWindowInDays: 7 });
    t.clock.now = DeletionDate.getTime() + 1;
    await refused(cli('DescribeKey', { KeyId }), 'NotFoundException');
    await refused(app('Decrypt', { CiphertextBlob: blob }), 'InvalidCiphertextException');
    await refused(app('DescribeKey', { KeyId }), 'NotFoundException');
  });
});

describe('racing writers', () => {
  it('concurrent CreateAlias of one name from both: exactly one succeeds, the other is AlreadyExistsException', async () => {
    const a = await newKey();
    const b = await newKey();
    for (let round = 0; round < 8; round++) {
      const AliasName = `alias/race-${round}`;
      const results = await Promise.allSettled([app('CreateAlias', { AliasName, TargetKeyId: a }), cli('CreateAlias', { AliasName, TargetKeyId: b })]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won, `round ${round}`).toHaveLength(1);
      expect(lost.map((r) => (r.reason as Error).name)).toEqual(['AlreadyExistsException']);
      const winner = results[0]!.status === 'fulfilled' ? a : b;
      expect((await app('DescribeKey', { KeyId: AliasName })).KeyMetadata.KeyId).toBe(winner);
      expect((await cli('DescribeKey', { KeyId: AliasName })).KeyMetadata.KeyId).toBe(winner);
    }
  });

  it('concurrent CreateAlias of one name within one process: exactly one succeeds', async () => {
    const a = await newKey();
    const results = await Promise.allSettled([1, 2, 3].map(() => app('CreateAlias', { AliasName: 'alias/race-local', TargetKeyId: a })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => ((r as PromiseRejectedResult).reason as Error).name)).toEqual([
      'AlreadyExistsException',
      'AlreadyExistsException',
    ]);
  });

  it('concurrent TagResource from both loses neither tag', async () => {
    const KeyId = await newKey();
    await Promise.all([
      ...['a1', 'a2', 'a3'].map((k) => app('TagResource', { KeyId, Tags: [{ TagKey: k, TagValue: 'app' }] })),
      ...['c1', 'c2', 'c3'].map((k) => cli('TagResource', { KeyId, Tags: [{ TagKey: k, TagValue: 'cli' }] })),
    ]);
    expect((await app('ListResourceTags', { KeyId })).Tags.map((x: { TagKey: string }) => x.TagKey)).toEqual(['a1', 'a2', 'a3', 'c1', 'c2', 'c3']);
  });

  it('concurrent CreateKey and RotateKeyOnDemand from both all succeed with distinct results', async () => {
    const KeyId = await newKey();
    const created = await Promise.all([...Array.from({ length: 4 }, () => newKey(app)), ...Array.from({ length: 4 }, () => newKey(cli))]);
    expect(new Set(created).size).toBe(8);
    await Promise.all([app('RotateKeyOnDemand', { KeyId }), cli('RotateKeyOnDemand', { KeyId }), app('RotateKeyOnDemand', { KeyId })]);
    const rotations = (await cli('ListKeyRotations', { KeyId })).Rotations;
    expect(rotations).toHaveLength(3);
    expect(blobVersion(await encrypt(app, KeyId))).toBe(4);
  });

  it('an automatic rotation that falls due while both are busy happens once', async () => {
    const KeyId = await newKey();
    await app('EnableKeyRotation', { KeyId, RotationPeriodInDays: 90 });
    const { NextRotationDate } = await app('GetKeyRotationStatus', { KeyId });
    expect(NextRotationDate).toBeDefined();
    t.clock.now = NextRotationDate!.getTime() + 1;
    const blobs = await Promise.all([...[1, 2, 3].map(() => encrypt(app, KeyId)), ...[1, 2, 3].map(() => encrypt(cli, KeyId))]);
    expect(blobs.map(blobVersion)).toEqual([2, 2, 2, 2, 2, 2]);
    expect((await cli('ListKeyRotations', { KeyId })).Rotations.map((r: { RotationType?: string }) => r.RotationType)).toEqual(['AUTOMATIC']);
  });

  it('the last on-demand rotation raced from both: exactly one succeeds, the other is LimitExceededException', async () => {
    const KeyId = await newKey();
    for (let i = 0; i < 9; i++) await app('RotateKeyOnDemand', { KeyId });
    const results = await Promise.allSettled([app('RotateKeyOnDemand', { KeyId }), cli('RotateKeyOnDemand', { KeyId })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => ((r as PromiseRejectedResult).reason as Error).name)).toEqual(['LimitExceededException']);
    expect((await app('ListKeyRotations', { KeyId })).Rotations).toHaveLength(10);
  });
});
