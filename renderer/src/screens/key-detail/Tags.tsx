// The key's tags: listed, added (or overwritten by key) and removed.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { CONTRACT } from '../../../../main/api/index.js';
import { run } from '../../bridge.js';
import { Button, TextField } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { ReadError } from './ReadError.js';
import type { Access } from './access.js';
import { keyQueryKey, useKeyChanged } from './queries.js';

const TagList = CONTRACT.TagResource.input.shape.Tags;

export function Tags({ keyId, access }: { keyId: string; access: Access }) {
  const changed = useKeyChanged(keyId);
  const tags = useQuery({ queryKey: keyQueryKey(keyId, 'tags'), queryFn: () => run('ListResourceTags', { KeyId: keyId }) });
  const [tagKey, setTagKey] = useState('');
  const [tagValue, setTagValue] = useState('');
  const add = useMutation({
    mutationFn: () => run('TagResource', { KeyId: keyId, Tags: TagList.parse([{ TagKey: tagKey.trim(), TagValue: tagValue }]) }),
    onSuccess: async () => {
      setTagKey('');
      setTagValue('');
      await changed();
    },
  });
  const remove = useMutation({ mutationFn: (key: string) => run('UntagResource', { KeyId: keyId, TagKeys: [key] }), onSuccess: changed });
  const mayRemove = access.may('kms:UntagResource');

  return (
    <section aria-labelledby="key-tags" className="panel">
      <h2 id="key-tags">Tags</h2>
      {tags.isPending ? (
        <p role="status">Loading tags…</p>
      ) : tags.error ? (
        <ReadError error={tags.error} />
      ) : tags.data.Tags.length === 0 ? (
        <p>No tags.</p>
      ) : (
        <table aria-label="Tags">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Value</th>
              {mayRemove && <th scope="col">Remove</th>}
            </tr>
          </thead>
          <tbody>
            {tags.data.Tags.map((t) => (
              <tr key={t.TagKey}>
                <td>{t.TagKey}</td>
                <td>{t.TagValue}</td>
                {mayRemove && (
                  <td>
                    <Button onClick={() => remove.mutate(t.TagKey)} disabled={remove.isPending} aria-label={`Remove tag ${t.TagKey}`}>
                      Remove
                    </Button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {access.may('kms:TagResource') && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate();
          }}
        >
          <TextField label="Tag key" value={tagKey} onChange={setTagKey} />
          <TextField label="Tag value" value={tagValue} onChange={setTagValue} />
          <Button type="submit" disabled={!tagKey.trim() || add.isPending}>
            Add tag
          </Button>
        </form>
      )}
      <ErrorNote error={add.error ?? remove.error} />
    </section>
  );
}
