// The signed-in tenant's keys in the session's region, with their aliases,
// and a button that creates a symmetric key. (Issue 12 builds the full
// screens on this.)
import { useCallback, useEffect, useState } from 'react';
import type { OutputOf } from '../../../main/api/index.js';
import { run } from '../bridge.js';
import { ErrorNote } from './ErrorNote.js';

type Key = OutputOf<'DescribeKey'>['KeyMetadata'] & { Aliases: string[] };

async function loadKeys(): Promise<Key[]> {
  const [{ Keys }, { Aliases }] = await Promise.all([run('ListKeys', {}), run('ListAliases', {})]);
  const described = await Promise.all(Keys.map((k) => run('DescribeKey', { KeyId: k.KeyId })));
  return described.map(({ KeyMetadata }) => ({
    ...KeyMetadata,
    Aliases: Aliases.filter((a) => a.TargetKeyId === KeyMetadata.KeyId).map((a) => a.AliasName),
  }));
}

export function Keys({ session, onSignOut }: { session: OutputOf<'SignIn'>; onSignOut: () => void }) {
  const [keys, setKeys] = useState<Key[]>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const refresh = useCallback(() => loadKeys().then(setKeys, setError), []);
  useEffect(() => void refresh(), [refresh]);

  const create = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await run('CreateKey', { Description: 'Created in the Strongroom app' });
      await refresh();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main>
      <header>
        <h1>Keys</h1>
        <span className="who">
          {session.UserName} · {session.AccountId} · {session.Region}
        </span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <button type="button" onClick={create} disabled={busy}>
        {busy ? 'Creating…' : 'Create key'}
      </button>
      <ErrorNote error={error} />
      {!keys ? (
        <p role="status">Loading keys…</p>
      ) : keys.length === 0 ? (
        <p>No keys in {session.Region} yet.</p>
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
            {keys.map((k) => (
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
    </main>
  );
}
