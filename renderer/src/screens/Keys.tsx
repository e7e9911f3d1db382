// The signed-in tenant's keys in the session's region, with their aliases,
// and a button that creates a symmetric key.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { OutputOf } from '../../../main/api/index.js';
import { run } from '../bridge.js';
import { Button } from '../ui/controls.js';
import { ErrorNote } from '../ui/ErrorNote.js';

type Key = OutputOf<'DescribeKey'>['KeyMetadata'] & { Aliases: string[] };

async function loadKeys(): Promise<Key[]> {
  const [{ Keys }, { Aliases }] = await Promise.all([run('ListKeys', {}), run('ListAliases', {})]);
  const described = await Promise.all(Keys.map((k) => run('DescribeKey', { KeyId: k.KeyId })));
  return described.map(({ KeyMetadata }) => ({
    ...KeyMetadata,
    Aliases: Aliases.filter((a) => a.TargetKeyId === KeyMetadata.KeyId).map((a) => a.AliasName),
  }));
}

export function Keys() {
  const queries = useQueryClient();
  const keys = useQuery({ queryKey: ['keys'], queryFn: loadKeys });
  const create = useMutation({
    mutationFn: () => run('CreateKey', { Description: 'Created in the Strongroom app' }),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['keys'] }),
  });

  return (
    <section aria-labelledby="keys-title">
      <header className="page-header">
        <h1 id="keys-title">Keys</h1>
        <Button variant="primary" onClick={() => create.mutate()} disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create key'}
        </Button>
      </header>
      <ErrorNote error={create.error ?? keys.error} />
      {keys.isPending ? (
        <p role="status">Loading keys…</p>
      ) : !keys.data?.length ? (
        <p>No keys in this region yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Alias</th>
              <th scope="col">Key id</th>
              <th scope="col">State</th>
              <th scope="col">Spec</th>
              <th scope="col">Usage</th>
              <th scope="col">Created</th>
              <th scope="col">Description</th>
            </tr>
          </thead>
          <tbody>
            {keys.data.map((k) => (
              <tr key={k.KeyId}>
                <td>{k.Aliases.join(', ') || '—'}</td>
                <td className="mono">{k.KeyId}</td>
                <td>
                  <span className={`state state-${k.KeyState}`}>{k.KeyState}</span>
                </td>
                <td>{k.KeySpec}</td>
                <td>{k.KeyUsage}</td>
                <td>{k.CreationDate.toLocaleString()}</td>
                <td>{k.Description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
