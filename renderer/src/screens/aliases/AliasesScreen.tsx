// The aliases of the session's region (#/aliases): list, create, point at
// another key (UpdateAlias), delete (after a confirmation). Every change is
// read back from the vault: the list is ListAliases, refetched after each.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { run } from '../../bridge.js';
import { useSession } from '../../session.js';
import { Button } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import type { KeyRow } from '../keys/key-list.js';
import { loadKeyList } from '../keys/load-keys.js';
import { retargetChoices, type Alias } from './alias-list.js';
import { KeyPicker } from './KeyPicker.js';
import { Dialog } from './Dialog.js';
import { CreateAliasForm } from './CreateAliasForm.js';

/** The region's aliases, every page. */
async function loadAliases(): Promise<Alias[]> {
  const out: Alias[] = [];
  let marker: string | undefined;
  do {
    const page = await run('ListAliases', { Limit: 100, ...(marker ? { Marker: marker } : {}) });
    out.push(...page.Aliases);
    marker = page.NextMarker;
  } while (marker);
  return out;
}

type Action = { kind: 'retarget' | 'delete'; alias: Alias };

export function AliasesScreen() {
  const { session } = useSession();
  const aliases = useQuery({ queryKey: ['aliases', session.Region], queryFn: loadAliases });
  const keys = useQuery({ queryKey: ['keys', session.Region], queryFn: () => loadKeyList() });
  const [action, setAction] = useState<Action>();
  const [done, setDone] = useState<string>();

  return (
    <section aria-labelledby="aliases-title" className="aliases-screen">
      <header className="page-header">
        <h1 id="aliases-title">Aliases</h1>
        <span className="hint">in {session.Region}</span>
      </header>
      {done && (
        <p role="status" className="notice">
          {done}
        </p>
      )}
      {keys.error ? <ErrorNote error={keys.error} /> : keys.data ? <CreateAliasForm keys={keys.data} /> : <p role="status">Loading keys…</p>}

      <h2>Aliases in {session.Region}</h2>
      {aliases.error ? (
        <div className="error-state">
          <ErrorNote error={aliases.error} />
          <Button onClick={() => void aliases.refetch()}>Try again</Button>
        </div>
      ) : !aliases.data ? (
        <p role="status">Loading aliases…</p>
      ) : aliases.data.length === 0 ? (
        <p>No aliases in this region yet.</p>
      ) : (
        <table className="alias-table">
          <thead>
            <tr>
              <th scope="col">Alias name</th>
              <th scope="col">Target key</th>
              <th scope="col">Updated</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {aliases.data.map((a) => (
              <tr key={a.AliasName}>
                <td className="mono">{a.AliasName}</td>
                <td>
                  <Link className="mono" href={`/keys/${a.TargetKeyId}`}>
                    {a.TargetKeyId}
                  </Link>
                </td>
                <td>
                  <time dateTime={a.LastUpdatedDate.toISOString()}>{a.LastUpdatedDate.toLocaleString()}</time>
                </td>
                <td className="actions">
                  <Button onClick={() => (setDone(undefined), setAction({ kind: 'retarget', alias: a }))} aria-label={`Retarget ${a.AliasName}`}>
                    Retarget
                  </Button>
                  <Button variant="danger" onClick={() => (setDone(undefined), setAction({ kind: 'delete', alias: a }))} aria-label={`Delete ${a.AliasName}`}>
                    Delete
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {action?.kind === 'retarget' && <RetargetDialog alias={action.alias} keys={keys.data ?? []} onDone={(m) => (setAction(undefined), setDone(m))} />}
      {action?.kind === 'delete' && <DeleteDialog alias={action.alias} onDone={(m) => (setAction(undefined), setDone(m))} />}
    </section>
  );
}

/** After a change: the aliases and the key list (which shows aliases) are read again. */
function useAliasChange<I>(fn: (input: I) => Promise<unknown>) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => Promise.all([queries.invalidateQueries({ queryKey: ['aliases'] }), queries.invalidateQueries({ queryKey: ['keys'] })]),
  });
}

function RetargetDialog({ alias, keys, onDone }: { alias: Alias; keys: readonly KeyRow[]; onDone: (message?: string) => void }) {
  const choices = retargetChoices(keys, alias.TargetKeyId);
  const [target, setTarget] = useState('');
  const update = useAliasChange((TargetKeyId: string) => run('UpdateAlias', { AliasName: alias.AliasName, TargetKeyId }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (target) update.mutate(target, { onSuccess: () => onDone(`${alias.AliasName} now points at ${target}.`) });
  };
  return (
    <Dialog title={`Retarget ${alias.AliasName}`} onClose={() => onDone()}>
      <form onSubmit={submit} className="dialog-body">
        <p>
          Now on <span className="mono">{alias.TargetKeyId}</span>. An alias moves only to a key of the same spec and usage.
        </p>
        {choices.length === 0 ? (
          <p>No other key of the same spec and usage can take this alias.</p>
        ) : (
          <KeyPicker label="New target key" keys={choices} value={target} onChange={setTarget} autoFocus />
        )}
        <ErrorNote error={update.error} />
        <div className="dialog-actions">
          <Button type="submit" variant="primary" disabled={!target || update.isPending}>
            {update.isPending ? 'Retargeting…' : 'Retarget'}
          </Button>
          <Button onClick={() => onDone()}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}

function DeleteDialog({ alias, onDone }: { alias: Alias; onDone: (message?: string) => void }) {
  const remove = useAliasChange(() => run('DeleteAlias', { AliasName: alias.AliasName }));
  return (
    <Dialog title={`Delete ${alias.AliasName}?`} onClose={() => onDone()}>
      <div className="dialog-body">
        <p>
          Programs that name the key by this alias will no longer find it. The key <span className="mono">{alias.TargetKeyId}</span> itself is not
          changed.
        </p>
        <ErrorNote error={remove.error} />
        <div className="dialog-actions">
          <Button variant="danger" disabled={remove.isPending} onClick={() => remove.mutate(undefined, { onSuccess: () => onDone(`${alias.AliasName} was deleted.`) })}>
            {remove.isPending ? 'Deleting…' : 'Delete alias'}
          </Button>
          <Button onClick={() => onDone()} autoFocus>
            Cancel
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
