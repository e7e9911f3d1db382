// Grants on the key: listed; created for a user of the tenant with the
// operations it allows and, optionally, an encryption-context constraint;
// retired (by its grantee or retiring principal) or revoked, each confirmed.
// The create form is checked with the contract's own CreateGrant schema.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { CONTRACT, type OutputOf } from '../../../../main/api/index.js';
import { GRANT_OPERATIONS } from '../../../../main/api/enums.js';
import { run } from '../../bridge.js';
import { useSession } from '../../session.js';
import { Button, TextField } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { ReadError } from './ReadError.js';
import type { Access, Matrix } from './access.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { showDate } from './dates.js';
import { parseContextLines } from './encryption-context.js';
import { keyQueryKey, useKeyChanged } from './queries.js';
import { CopyButton } from './CopyButton.js';

type Grant = OutputOf<'ListGrants'>['Grants'][number];
type Operation = (typeof GRANT_OPERATIONS)[number];

const constraintText = (g: Grant) => {
  const c = g.Constraints;
  const show = (pairs: Record<string, string>) => Object.entries(pairs).map(([k, v]) => `${k}=${v}`).join(', ');
  if (c?.EncryptionContextEquals) return `context equals ${show(c.EncryptionContextEquals)}`;
  if (c?.EncryptionContextSubset) return `context includes ${show(c.EncryptionContextSubset)}`;
  return 'None';
};

export function Grants({ keyId, access, matrix }: { keyId: string; access: Access; matrix: Matrix | undefined }) {
  const { session } = useSession();
  const changed = useKeyChanged(keyId);
  const grants = useQuery({ queryKey: keyQueryKey(keyId, 'grants'), queryFn: () => run('ListGrants', { KeyId: keyId }), enabled: access.verdict('kms:ListGrants') !== 'Deny' });
  const [ending, setEnding] = useState<{ grant: Grant; how: 'retire' | 'revoke' } | undefined>();
  const end = useMutation({
    mutationFn: async ({ grant, how }: { grant: Grant; how: 'retire' | 'revoke' }) =>
      how === 'retire' ? run('RetireGrant', { KeyId: keyId, GrantId: grant.GrantId }) : run('RevokeGrant', { KeyId: keyId, GrantId: grant.GrantId }),
    onSuccess: async () => {
      setEnding(undefined);
      await changed();
    },
  });
  const mayRevoke = access.may('kms:RevokeGrant');
  const mayRetire = (g: Grant) => g.RetiringPrincipal === session.Arn || (g.GranteePrincipal === session.Arn && g.Operations.includes('RetireGrant'));

  return (
    <section aria-labelledby="key-grants" className="panel">
      <h2 id="key-grants">Grants</h2>
      {access.verdict('kms:ListGrants') === 'Deny' ? (
        <p className="hint">You may not list this key’s grants (kms:ListGrants).</p>
      ) : grants.isPending ? (
        <p role="status">Loading grants…</p>
      ) : grants.error ? (
        <ReadError error={grants.error} />
      ) : grants.data.Grants.length === 0 ? (
        <p>No grants.</p>
      ) : (
        <table aria-label="Grants">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Grantee</th>
              <th scope="col">Operations</th>
              <th scope="col">Constraint</th>
              <th scope="col">Retiring principal</th>
              <th scope="col">Created</th>
              <th scope="col">End it</th>
            </tr>
          </thead>
          <tbody>
            {grants.data.Grants.map((g) => (
              <tr key={g.GrantId}>
                <td>{g.Name ?? '—'}</td>
                <td className="mono">{g.GranteePrincipal}</td>
                <td>{g.Operations.join(', ')}</td>
                <td>{constraintText(g)}</td>
                <td className="mono">{g.RetiringPrincipal ?? '—'}</td>
                <td>{showDate(g.CreationDate)}</td>
                <td>
                  <span className="actions">
                    {mayRetire(g) && <Button onClick={() => setEnding({ grant: g, how: 'retire' })}>Retire</Button>}
                    {mayRevoke && (
                      <Button variant="danger" onClick={() => setEnding({ grant: g, how: 'revoke' })} aria-label={`Revoke grant ${g.Name ?? g.GrantId}`}>
                        Revoke
                      </Button>
                    )}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={ending !== undefined}
        title={ending?.how === 'retire' ? 'Retire this grant?' : 'Revoke this grant?'}
        confirmLabel={ending?.how === 'retire' ? 'Retire grant' : 'Revoke grant'}
        variant="danger"
        pending={end.isPending}
        error={end.error}
        onCancel={() => {
          setEnding(undefined);
          end.reset();
        }}
        onConfirm={() => ending && end.mutate(ending)}
      >
        <p>
          {ending?.grant.GranteePrincipal} loses what the grant allowed ({ending?.grant.Operations.join(', ')}) at once.
        </p>
      </ConfirmDialog>
      {access.may('kms:CreateGrant') && <CreateGrant keyId={keyId} matrix={matrix} onCreated={changed} />}
    </section>
  );
}

function CreateGrant({ keyId, matrix, onCreated }: { keyId: string; matrix: Matrix | undefined; onCreated: () => Promise<void> }) {
  const users = matrix?.Principals ?? [];
  const [grantee, setGrantee] = useState(users[0]?.Principal ?? '');
  const [retiring, setRetiring] = useState('');
  const [name, setName] = useState('');
  const [operations, setOperations] = useState<Operation[]>([]);
  const [constraint, setConstraint] = useState<'none' | 'equals' | 'subset'>('none');
  const [contextText, setContextText] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const create = useMutation({
    mutationFn: (input: Parameters<typeof run<'CreateGrant'>>[1]) => run('CreateGrant', input),
    onSuccess: async () => {
      setOperations([]);
      setName('');
      setContextText('');
      await onCreated();
    },
  });

  const submit = () => {
    setProblem(undefined);
    let Constraints: Record<string, Record<string, string>> | undefined;
    if (constraint !== 'none') {
      const parsed = parseContextLines(contextText);
      if ('error' in parsed) return setProblem(parsed.error);
      Constraints = { [constraint === 'equals' ? 'EncryptionContextEquals' : 'EncryptionContextSubset']: parsed.pairs };
    }
    const input = {
      KeyId: keyId,
      GranteePrincipal: grantee,
      Operations: operations,
      ...(retiring ? { RetiringPrincipal: retiring } : {}),
      ...(name ? { Name: name } : {}),
      ...(Constraints ? { Constraints } : {}),
    };
    // the contract's own rules (operations at least one, the name's characters, …)
    const checked = CONTRACT.CreateGrant.input.safeParse(input);
    if (!checked.success) return setProblem(checked.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
    create.mutate(checked.data);
  };

  return (
    <form
      className="grant-form"
      aria-labelledby="create-grant-title"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h3 id="create-grant-title">Create a grant</h3>
      <div className="inline-form">
        <div className="field">
          <label htmlFor="grant-grantee">Grantee</label>
          <select id="grant-grantee" value={grantee} onChange={(e) => setGrantee(e.target.value)}>
            {users.map((u) => (
              <option key={u.Principal} value={u.Principal}>
                {u.UserName}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="grant-retiring">Retiring principal (optional)</label>
          <select id="grant-retiring" value={retiring} onChange={(e) => setRetiring(e.target.value)}>
            <option value="">None</option>
            {users.map((u) => (
              <option key={u.Principal} value={u.Principal}>
                {u.UserName}
              </option>
            ))}
          </select>
        </div>
        <TextField label="Grant name (optional)" value={name} onChange={setName} />
      </div>
      <fieldset className="choices checkbox-grid">
        <legend>Operations it allows</legend>
        {GRANT_OPERATIONS.map((op) => (
          <label key={op}>
            <input
              type="checkbox"
              checked={operations.includes(op)}
              onChange={(e) => setOperations(e.target.checked ? [...operations, op] : operations.filter((o) => o !== op))}
            />
            {op}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="grant-constraint">Encryption context constraint</label>
        <select id="grant-constraint" value={constraint} onChange={(e) => setConstraint(e.target.value as typeof constraint)}>
          <option value="none">None</option>
          <option value="equals">The context must equal</option>
          <option value="subset">The context must include</option>
        </select>
      </div>
      {constraint !== 'none' && (
        <div className="field">
          <label htmlFor="grant-context">Encryption context, one key=value a line</label>
          <textarea id="grant-context" rows={3} value={contextText} onChange={(e) => setContextText(e.target.value)} />
        </div>
      )}
      {problem && (
        <p className="error" role="alert">
          ValidationException: {problem}
        </p>
      )}
      <ErrorNote error={create.error} />
      <div className="actions">
        <Button type="submit" variant="primary" disabled={create.isPending || !grantee}>
          Create grant
        </Button>
      </div>
      {create.data && (
        <p role="status">
          Grant created: <span className="mono">{create.data.GrantId}</span> <CopyButton text={create.data.GrantToken} label="Copy grant token" />
        </p>
      )}
    </form>
  );
}
