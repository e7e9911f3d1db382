// Aliases (AWS KMS API Reference: CreateAlias, UpdateAlias, DeleteAlias,
// ListAliases): the name rules, uniqueness per account and region, where an
// alias is accepted as a KeyId and where it is not, and paging.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminIn, refused } from '../support/kms.js';
import { makeVault, type TestVault } from '../support/vault.js';

let t: TestVault;
beforeAll(async () => {
  t = await makeVault();
});
afterAll(() => t.close());

const newKey = async (): Promise<{ KeyId: string; Arn: string }> => (await t.call('CreateKey', {})).KeyMetadata;
const target = async (alias: string) => (await t.call('DescribeKey', { KeyId: alias })).KeyMetadata.KeyId as string;
const aliasNames = async (input: object = {}) =>
  ((await t.call('ListAliases', { Limit: 100, ...input })).Aliases as { AliasName: string }[]).map((a) => a.AliasName);

describe('alias name rules', () => {
  it.each([
    ['alias/a'],
    ['alias/Mixed-Case_09:with/slashes'],
    ['alias/' + 'x'.repeat(250)], // exactly 256 characters
    ['alias/awsome'], // only alias/aws/ is reserved
  ])('accepts %s', async (name) => {
    const key = await newKey();
    await t.call('CreateAlias', { AliasName: name, TargetKeyId: key.KeyId });
    expect(await target(name)).toBe(key.KeyId);
  });

  it.each([
    ['no-prefix'],
    ['Alias/upper-prefix'],
    ['alias'],
    ['alias/'],
    ['alias/has space'],
    ['alias/star*'],
    ['alias/dot.ted'],
    ['alias/é'],
    ['alias/new\nline'],
    ['alias/' + 'x'.repeat(251)], // 257 characters
    ['alias/aws/reserved'],
    ['alias/aws/'],
  ])('refuses %j with InvalidAliasNameException and creates nothing', async (name) => {
    const key = await newKey();
    await refused(t.call('CreateAlias', { AliasName: name, TargetKeyId: key.KeyId }), 'InvalidAliasNameException');
    expect((await t.call('ListAliases', { KeyId: key.KeyId })).Aliases).toEqual([]);
  });

  it('UpdateAlias and DeleteAlias apply the same rules', async () => {
    const key = await newKey();
    await refused(t.call('UpdateAlias', { AliasName: 'no-prefix', TargetKeyId: key.KeyId }), 'InvalidAliasNameException');
    await refused(t.call('DeleteAlias', { AliasName: 'alias/bad name' }), 'InvalidAliasNameException');
  });

  it('an empty AliasName is a ValidationException', async () => {
    const key = await newKey();
    await refused(t.call('CreateAlias', { AliasName: '', TargetKeyId: key.KeyId }), 'ValidationException');
  });
});

describe('CreateAlias', () => {
  it('refuses a duplicate name with AlreadyExistsException, leaving the first alias in place', async () => {
    const a = await newKey();
    const b = await newKey();
    await t.call('CreateAlias', { AliasName: 'alias/dup', TargetKeyId: a.KeyId });
    await refused(t.call('CreateAlias', { AliasName: 'alias/dup', TargetKeyId: b.KeyId }), 'AlreadyExistsException');
    await refused(t.call('CreateAlias', { AliasName: 'alias/dup', TargetKeyId: a.KeyId }), 'AlreadyExistsException');
    expect(await target('alias/dup')).toBe(a.KeyId);
  });

  it('a key may have several aliases', async () => {
    const key = await newKey();
    await t.call('CreateAlias', { AliasName: 'alias/one', TargetKeyId: key.KeyId });
    await t.call('CreateAlias', { AliasName: 'alias/two', TargetKeyId: key.Arn });
    expect(await aliasNames({ KeyId: key.KeyId })).toEqual(['alias/one', 'alias/two']);
  });

  it('the same name may exist in another region (unique per account and region)', async () => {
    const here = await newKey();
    await t.call('CreateAlias', { AliasName: 'alias/regional', TargetKeyId: here.KeyId });
    const there = await adminIn(t, 'alias-2');
    const otherKey = (await t.call('CreateKey', {}, there)).KeyMetadata.KeyId;
    await t.call('CreateAlias', { AliasName: 'alias/regional', TargetKeyId: otherKey }, there);
    expect(await target('alias/regional')).toBe(here.KeyId);
    expect((await t.call('DescribeKey', { KeyId: 'alias/regional' }, there)).KeyMetadata.KeyId).toBe(otherKey);
  });

  it('cannot point at a key of another region', async () => {
    const here = await newKey();
    const there = await adminIn(t, 'alias-3');
    await refused(t.call('CreateAlias', { AliasName: 'alias/cross', TargetKeyId: here.KeyId }, there), 'NotFoundException');
  });

  it('TargetKeyId takes a key id or key ARN only: an alias or alias ARN is NotFoundException', async () => {
    const key = await newKey();
    await t.call('CreateAlias', { AliasName: 'alias/base', TargetKeyId: key.KeyId });
    await refused(t.call('CreateAlias', { AliasName: 'alias/chained', TargetKeyId: 'alias/base' }), 'NotFoundException');
    await refused(
      t.call('CreateAlias', { AliasName: 'alias/chained', TargetKeyId: `arn:strongroom:kms:local-1:${t.admin.account}:alias/base` }),
      'NotFoundException',
    );
    await refused(t.call('DescribeKey', { KeyId: 'alias/chained' }), 'NotFoundException');
  });

  it('an unknown TargetKeyId is NotFoundException', async () => {
    await refused(t.call('CreateAlias', { AliasName: 'alias/orphan', TargetKeyId: '00000000-0000-4000-8000-00000000dead' }), 'NotFoundException');
    await refused(t.call('DescribeKey', { KeyId: 'alias/orphan' }), 'NotFoundException');
  });

  it('aliases resolve as KeyId for Encrypt, and Decrypt accepts the alias as KeyId', async () => {
    const key = await newKey();
    await t.call('CreateAlias', { AliasName: 'alias/enc', TargetKeyId: key.KeyId });
    const enc = await t.call('Encrypt', { KeyId: 'alias/enc', Plaintext: Buffer.from('x') });
    expect(enc.KeyId).toBe(key.Arn);
    const dec = await t.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob, KeyId: 'alias/enc' });
    expect(dec.KeyId).toBe(key.Arn);
  });
});

describe('UpdateAlias', () => {
  it('points the alias at another key; CreationDate stays, LastUpdatedDate moves', async () => {
    const a = await newKey();
    const b = await newKey();
    const created = t.clock.now;
    await t.call('CreateAlias', { AliasName: 'alias/moving', TargetKeyId: a.KeyId });
    t.clock.now += 60_000;
    expect(await t.call('UpdateAlias', { AliasName: 'alias/moving', TargetKeyId: b.Arn })).toEqual({});
    expect(await target('alias/moving')).toBe(b.KeyId);
    const enc = await t.call('Encrypt', { KeyId: 'alias/moving', Plaintext: Buffer.from('x') });
    expect(enc.KeyId).toBe(b.Arn);
    const [entry] = (await t.call('ListAliases', { KeyId: b.KeyId })).Aliases;
    expect(entry).toEqual({
      AliasName: 'alias/moving',
      AliasArn: `arn:strongroom:kms:local-1:${t.admin.account}:alias/moving`,
      TargetKeyId: b.KeyId,
      CreationDate: new Date(created),
      LastUpdatedDate: new Date(t.clock.now),
    });
    expect((await t.call('ListAliases', { KeyId: a.KeyId })).Aliases).toEqual([]);
  });

  it('an unknown alias is NotFoundException', async () => {
    const key = await newKey();
    await refused(t.call('UpdateAlias', { AliasName: 'alias/never-made', TargetKeyId: key.KeyId }), 'NotFoundException');
    await refused(t.call('DescribeKey', { KeyId: 'alias/never-made' }), 'NotFoundException');
  });

  it('TargetKeyId as an alias is NotFoundException and the alias keeps its target', async () => {
    const a = await newKey();
    const b = await newKey();
    await t.call('CreateAlias', { AliasName: 'alias/u1', TargetKeyId: a.KeyId });
    await t.call('CreateAlias', { AliasName: 'alias/u2', TargetKeyId: b.KeyId });
    await refused(t.call('UpdateAlias', { AliasName: 'alias/u1', TargetKeyId: 'alias/u2' }), 'NotFoundException');
    expect(await target('alias/u1')).toBe(a.KeyId);
  });
});

describe('DeleteAlias', () => {
  it('deletes the alias; the key is untouched; deleting again is NotFoundException', async () => {
    const key = await newKey();
    await t.call('CreateAlias', { AliasName: 'alias/short-lived', TargetKeyId: key.KeyId });
    expect(await t.call('DeleteAlias', { AliasName: 'alias/short-lived' })).toEqual({});
    await refused(t.call('DescribeKey', { KeyId: 'alias/short-lived' }), 'NotFoundException');
    expect((await t.call('DescribeKey', { KeyId: key.KeyId })).KeyMetadata.KeyState).toBe('Enabled');
    expect(await aliasNames()).not.toContain('alias/short-lived');
    await refused(t.call('DeleteAlias', { AliasName: 'alias/short-lived' }), 'NotFoundException');
  });

  it('the name can be reused after deletion', async () => {
    const a = await newKey();
    const b = await newKey();
    await t.call('CreateAlias', { AliasName: 'alias/reused', TargetKeyId: a.KeyId });
    await t.call('DeleteAlias', { AliasName: 'alias/reused' });
    await t.call('CreateAlias', { AliasName: 'alias/reused', TargetKeyId: b.KeyId });
    expect(await target('alias/reused')).toBe(b.KeyId);
  });
});

describe('ListAliases', () => {
  it('lists every alias of the region, or only those of one key (by id or ARN)', async () => {
    const caller = await adminIn(t, 'alias-list');
    const mk = async () => (await t.call('CreateKey', {}, caller)).KeyMetadata;
    const a = await mk();
    const b = await mk();
    for (const [name, key] of [['alias/a1', a], ['alias/b1', b], ['alias/a2', a]] as const) {
      await t.call('CreateAlias', { AliasName: name, TargetKeyId: key.KeyId }, caller);
    }
    const names = async (input: object) => (await t.call('ListAliases', input, caller)).Aliases.map((x: { AliasName: string }) => x.AliasName);
    expect(await names({})).toEqual(['alias/a1', 'alias/a2', 'alias/b1']);
    expect(await names({ KeyId: a.KeyId })).toEqual(['alias/a1', 'alias/a2']);
    expect(await names({ KeyId: b.Arn })).toEqual(['alias/b1']);
    const all = await t.call('ListAliases', {}, caller);
    expect(all.Truncated).toBe(false);
    expect(all).not.toHaveProperty('NextMarker');
    expect(all.Aliases[0]).toMatchObject({
      AliasName: 'alias/a1',
      AliasArn: `arn:strongroom:kms:alias-list:${t.admin.account}:alias/a1`,
      TargetKeyId: a.KeyId,
    });
    // KeyId takes a key id or ARN; an alias there is NotFoundException (AWS)
    await refused(t.call('ListAliases', { KeyId: 'alias/a1' }, caller), 'NotFoundException');
    await refused(t.call('ListAliases', { KeyId: '00000000-0000-4000-8000-000000000000' }, caller), 'NotFoundException');
  });

  it('pages with Limit and Marker, with and without KeyId', async () => {
    const caller = await adminIn(t, 'alias-paging');
    const key = (await t.call('CreateKey', {}, caller)).KeyMetadata.KeyId;
    const other = (await t.call('CreateKey', {}, caller)).KeyMetadata.KeyId;
    const names = ['alias/p1', 'alias/p2', 'alias/p3', 'alias/p4', 'alias/p5'];
    for (const n of names) await t.call('CreateAlias', { AliasName: n, TargetKeyId: key }, caller);
    await t.call('CreateAlias', { AliasName: 'alias/p0-other', TargetKeyId: other }, caller);

    const collect = async (input: object) => {
      const pages: { Aliases: { AliasName: string }[]; Truncated: boolean; NextMarker?: string }[] = [];
      let Marker: string | undefined;
      do {
        const p = await t.call('ListAliases', { ...input, Limit: 2, ...(Marker ? { Marker } : {}) }, caller);
        pages.push(p);
        Marker = p.NextMarker;
      } while (Marker && pages.length < 10);
      return pages;
    };
    const byKey = await collect({ KeyId: key });
    expect(byKey.map((p) => p.Aliases.map((a) => a.AliasName))).toEqual([
      ['alias/p1', 'alias/p2'],
      ['alias/p3', 'alias/p4'],
      ['alias/p5'],
    ]);
    expect(byKey.map((p) => p.Truncated)).toEqual([true, true, false]);
    expect(byKey[2]).not.toHaveProperty('NextMarker');
    const all = await collect({});
    expect(all.flatMap((p) => p.Aliases.map((a) => a.AliasName))).toEqual(['alias/p0-other', ...names]);
  });

  it.each([['bogus!'], ['AAAA'], [Buffer.from('not-an-alias').toString('base64url')]])('refuses the bogus Marker %j with InvalidMarkerException', async (Marker) => {
    await refused(t.call('ListAliases', { Marker }), 'InvalidMarkerException');
  });

  it.each([[0], [101]])('refuses Limit %i with ValidationException', async (Limit) => {
    await refused(t.call('ListAliases', { Limit }), 'ValidationException');
  });
});
