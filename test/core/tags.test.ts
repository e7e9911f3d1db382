// Tags (AWS KMS Developer Guide, "Tags in AWS KMS"; API Reference
// TagResource, UntagResource, ListResourceTags): TagKey 1–128 characters,
// TagValue 0–256, at most 50 per key, `aws:` reserved — each violation is
// TagException and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refused } from '../support/kms.js';
import { makeVault, type TestVault } from '../support/vault.js';

let t: TestVault;
beforeAll(async () => {
  t = await makeVault();
});
afterAll(() => t.close());

type Tag = { TagKey: string; TagValue: string };
const newKey = async (input: object = {}): Promise<{ KeyId: string; Arn: string }> => (await t.call('CreateKey', input)).KeyMetadata;
const tagsOf = async (KeyId: string): Promise<Tag[]> => (await t.call('ListResourceTags', { KeyId, Limit: 50 })).Tags;
const many = (n: number, prefix = 'k'): Tag[] => Array.from({ length: n }, (_, i) => ({ TagKey: `${prefix}${String(i).padStart(2, '0')}`, TagValue: `v${i}` }));

describe('TagResource, UntagResource, ListResourceTags', () => {
  it('adds tags and lists them in TagKey order', async () => {
    const key = await newKey();
    expect(await tagsOf(key.KeyId)).toEqual([]);
    expect(await t.call('TagResource', { KeyId: key.KeyId, Tags: [{ TagKey: 'b', TagValue: '2' }, { TagKey: 'a', TagValue: '1' }] })).toEqual({});
    await t.call('TagResource', { KeyId: key.Arn, Tags: [{ TagKey: 'c', TagValue: '' }] });
    const out = await t.call('ListResourceTags', { KeyId: key.KeyId });
    expect(out).toEqual({
      Tags: [
        { TagKey: 'a', TagValue: '1' },
        { TagKey: 'b', TagValue: '2' },
        { TagKey: 'c', TagValue: '' },
      ],
      Truncated: false,
    });
  });

  it('overwrites the value of an existing TagKey instead of adding a second tag', async () => {
    const key = await newKey({ Tags: [{ TagKey: 'env', TagValue: 'test' }] });
    await t.call('TagResource', { KeyId: key.KeyId, Tags: [{ TagKey: 'env', TagValue: 'prod' }] });
    expect(await tagsOf(key.KeyId)).toEqual([{ TagKey: 'env', TagValue: 'prod' }]);
  });

  it('TagKeys are case-sensitive', async () => {
    const key = await newKey();
    await t.call('TagResource', { KeyId: key.KeyId, Tags: [{ TagKey: 'Env', TagValue: '1' }, { TagKey: 'env', TagValue: '2' }] });
    expect(await tagsOf(key.KeyId)).toHaveLength(2);
  });

  it('UntagResource removes the named keys and ignores names the key does not have', async () => {
    const key = await newKey({ Tags: [{ TagKey: 'a', TagValue: '1' }, { TagKey: 'b', TagValue: '2' }, { TagKey: 'c', TagValue: '3' }] });
    expect(await t.call('UntagResource', { KeyId: key.KeyId, TagKeys: ['a', 'c', 'not-there'] })).toEqual({});
    expect(await tagsOf(key.KeyId)).toEqual([{ TagKey: 'b', TagValue: '2' }]);
    await t.call('UntagResource', { KeyId: key.KeyId, TagKeys: [] });
    expect(await tagsOf(key.KeyId)).toEqual([{ TagKey: 'b', TagValue: '2' }]);
  });

  it('tags belong to one key', async () => {
    const a = await newKey({ Tags: [{ TagKey: 'owner', TagValue: 'a' }] });
    const b = await newKey({ Tags: [{ TagKey: 'owner', TagValue: 'b' }] });
    await t.call('UntagResource', { KeyId: a.KeyId, TagKeys: ['owner'] });
    expect(await tagsOf(a.KeyId)).toEqual([]);
    expect(await tagsOf(b.KeyId)).toEqual([{ TagKey: 'owner', TagValue: 'b' }]);
  });

  it('ListResourceTags pages with Limit and Marker', async () => {
    const key = await newKey({ Tags: many(5) });
    const p1 = await t.call('ListResourceTags', { KeyId: key.KeyId, Limit: 2 });
    expect(p1.Tags.map((x: Tag) => x.TagKey)).toEqual(['k00', 'k01']);
    expect(p1.Truncated).toBe(true);
    const p2 = await t.call('ListResourceTags', { KeyId: key.KeyId, Limit: 2, Marker: p1.NextMarker });
    expect(p2.Tags.map((x: Tag) => x.TagKey)).toEqual(['k02', 'k03']);
    const p3 = await t.call('ListResourceTags', { KeyId: key.KeyId, Limit: 2, Marker: p2.NextMarker });
    expect(p3).toEqual({ Tags: [{ TagKey: 'k04', TagValue: 'v4' }], Truncated: false });
    await refused(t.call('ListResourceTags', { KeyId: key.KeyId, Marker: '!!' }), 'InvalidMarkerException');
    await refused(t.call('ListResourceTags', { KeyId: key.KeyId, Limit: 51 }), 'ValidationException');
  });

  it('takes a key id or key ARN, not an alias; an unknown key is NotFoundException', async () => {
    const key = await newKey();
    await t.call('CreateAlias', { AliasName: 'alias/tagged', TargetKeyId: key.KeyId });
    await refused(t.call('TagResource', { KeyId: 'alias/tagged', Tags: [{ TagKey: 'a', TagValue: 'b' }] }), 'NotFoundException');
    await refused(t.call('UntagResource', { KeyId: 'alias/tagged', TagKeys: ['a'] }), 'NotFoundException');
    await refused(t.call('ListResourceTags', { KeyId: 'alias/tagged' }), 'NotFoundException');
    await refused(t.call('TagResource', { KeyId: '00000000-0000-4000-8000-000000000000', Tags: [] }), 'NotFoundException');
    expect(await tagsOf(key.KeyId)).toEqual([]);
  });
});

describe('tag limits → TagException, nothing changed', () => {
  it('50 tags are allowed; a 51st through TagResource is refused', async () => {
    const key = await newKey({ Tags: many(50) });
    expect(await tagsOf(key.KeyId)).toHaveLength(50);
    await refused(t.call('TagResource', { KeyId: key.KeyId, Tags: [{ TagKey: 'one-too-many', TagValue: 'x' }] }), 'TagException');
    const after = await tagsOf(key.KeyId);
    expect(after).toHaveLength(50);
    expect(after.map((x) => x.TagKey)).not.toContain('one-too-many');
    // overwriting one of the 50 does not add a tag, so it is allowed
    await t.call('TagResource', { KeyId: key.KeyId, Tags: [{ TagKey: 'k00', TagValue: 'new' }] });
    expect((await tagsOf(key.KeyId))[0]).toEqual({ TagKey: 'k00', TagValue: 'new' });
  });

  it('51 tags in one TagResource call are refused', async () => {
    const key = await newKey();
    await refused(t.call('TagResource', { KeyId: key.KeyId, Tags: many(51) }), 'TagException');
    expect(await tagsOf(key.KeyId)).toEqual([]);
  });

  it('51 tags at CreateKey are refused and no key is created', async () => {
    const before = (await t.call('ListKeys', { Limit: 1000 })).Keys.length;
    await refused(t.call('CreateKey', { Tags: many(51) }), 'TagException');
    expect((await t.call('ListKeys', { Limit: 1000 })).Keys.length).toBe(before);
  });

  const badTags: [string, Tag[]][] = [
    ['aws: prefix', [{ TagKey: 'aws:owner', TagValue: 'x' }]],
    ['AWS: prefix in capitals', [{ TagKey: 'AWS:owner', TagValue: 'x' }]],
    ['TagKey of 129 characters', [{ TagKey: 'k'.repeat(129), TagValue: 'x' }]],
    ['empty TagKey', [{ TagKey: '', TagValue: 'x' }]],
    ['TagValue of 257 characters', [{ TagKey: 'long', TagValue: 'v'.repeat(257) }]],
    ['the same TagKey twice', [{ TagKey: 'twice', TagValue: '1' }, { TagKey: 'twice', TagValue: '2' }]],
    ['one bad tag among good ones', [{ TagKey: 'good', TagValue: '1' }, { TagKey: 'aws:bad', TagValue: '2' }]],
  ];

  it.each(badTags)('TagResource refuses %s', async (_why, Tags) => {
    const key = await newKey({ Tags: [{ TagKey: 'existing', TagValue: 'stays' }] });
    await refused(t.call('TagResource', { KeyId: key.KeyId, Tags }), 'TagException');
    expect(await tagsOf(key.KeyId)).toEqual([{ TagKey: 'existing', TagValue: 'stays' }]);
  });

  it.each(badTags)('CreateKey refuses %s', async (_why, Tags) => {
    const before = (await t.call('ListKeys', { Limit: 1000 })).Keys.length;
    await refused(t.call('CreateKey', { Tags }), 'TagException');
    expect((await t.call('ListKeys', { Limit: 1000 })).Keys.length).toBe(before);
  });

  it('the limits themselves are allowed: TagKey of 128, TagValue of 256, aws in the middle', async () => {
    const Tags = [
      { TagKey: 'k'.repeat(128), TagValue: 'v'.repeat(256) },
      { TagKey: 'my-aws:tag', TagValue: '' },
    ];
    const key = await newKey({ Tags });
    expect(await tagsOf(key.KeyId)).toEqual([...Tags].sort((a, b) => (a.TagKey < b.TagKey ? -1 : 1)));
  });
});
