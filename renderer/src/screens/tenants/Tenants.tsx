// Tenants (operator administrators only; the service refuses others): each
// with its state and how many keys and users it has; create one (its admin
// must change the given passphrase at first sign-in), disable, enable.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { CONTRACT } from '../../../../main/api/index.js';
import { run } from '../../bridge.js';
import { useSession } from '../../session.js';
import { Button, TextField } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { ScreenError, tenantsQuery } from '../users/access.js';
import { mismatch, problem } from '../users/check.js';
import { ConfirmButton } from '../users/ConfirmButton.js';

const { TenantName: TENANT_NAME, AdminPassword: ADMIN_PASSWORD } = CONTRACT.CreateTenant.input.shape;
const DENIED = 'Tenants are managed by the administrators of the operator tenant (the one created with the vault).';

export function Tenants() {
  const { session } = useSession();
  const queries = useQueryClient();
  const tenants = useQuery(tenantsQuery);
  const [done, setDone] = useState<string>();
  const changed = () => queries.invalidateQueries({ queryKey: ['tenants'] });
  const disable = useMutation({ mutationFn: (AccountId: string) => run('DisableTenant', { AccountId }), onSuccess: (o) => (setDone(`${o.Tenant.TenantName} is disabled.`), changed()) });
  const enable = useMutation({ mutationFn: (AccountId: string) => run('EnableTenant', { AccountId }), onSuccess: (o) => (setDone(`${o.Tenant.TenantName} is enabled.`), changed()) });
  return (
    <section aria-labelledby="tenants-title">
      <header className="page-header">
        <h1 id="tenants-title">Tenants</h1>
      </header>
      <ScreenError error={tenants.error} deniedHint={DENIED} />
      {tenants.isPending ? (
        <p role="status">Loading tenants…</p>
      ) : tenants.data ? (
        <>
          <CreateTenantForm onCreated={(m) => (setDone(m), changed())} />
          {done && <p role="status">{done}</p>}
          <ErrorNote error={disable.error ?? enable.error} />
          <table aria-label="Tenants">
            <thead>
              <tr>
                <th scope="col">Tenant</th>
                <th scope="col">Account id</th>
                <th scope="col">State</th>
                <th scope="col">Keys</th>
                <th scope="col">Users</th>
                <th scope="col">Created</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {tenants.data.Tenants.map((t) => (
                <tr key={t.AccountId}>
                  <td>{t.TenantName}</td>
                  <td className="mono">{t.AccountId}</td>
                  <td>
                    <span className={`state state-${t.State}`}>{t.State}</span>
                  </td>
                  <td>{t.KeyCount}</td>
                  <td>{t.UserCount}</td>
                  <td>{t.CreationDate.toLocaleString()}</td>
                  <td>
                    {t.AccountId === session.AccountId ? (
                      <span className="hint">Your tenant</span>
                    ) : t.State === 'Disabled' ? (
                      <Button onClick={() => (setDone(undefined), enable.mutate(t.AccountId))}>Enable {t.TenantName}</Button>
                    ) : (
                      <ConfirmButton
                        label={`Disable ${t.TenantName}`}
                        question={`Disable ${t.TenantName}? None of its users can sign in or call anything until it is enabled again; its keys stay.`}
                        onConfirm={() => (setDone(undefined), disable.mutate(t.AccountId))}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}

function CreateTenantForm({ onCreated }: { onCreated: (message: string) => void }) {
  const [name, setName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const errors = { name: problem(TENANT_NAME, name), passphrase: problem(ADMIN_PASSWORD, passphrase), again: mismatch(passphrase, again) };
  const create = useMutation({
    mutationFn: () => run('CreateTenant', { TenantName: name, AdminPassword: passphrase }),
    onSuccess: (o) => {
      setName('');
      setPassphrase('');
      setAgain('');
      onCreated(`Tenant ${o.Tenant.TenantName} created (account ${o.Tenant.AccountId}); its user admin must change the passphrase at first sign-in.`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name || !passphrase || errors.name || errors.passphrase || passphrase !== again) return;
    create.mutate();
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="create-tenant-title">
      <h2 id="create-tenant-title">Create a tenant</h2>
      <div className="row">
        <TextField label="Tenant name" value={name} onChange={setName} isRequired errorMessage={errors.name} />
        <TextField label="Admin’s first passphrase" type="password" autoComplete="new-password" value={passphrase} onChange={setPassphrase} isRequired errorMessage={errors.passphrase} />
        <TextField label="Admin’s first passphrase again" type="password" autoComplete="new-password" value={again} onChange={setAgain} isRequired errorMessage={errors.again} />
      </div>
      <div>
        <Button type="submit" variant="primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create tenant'}
        </Button>
      </div>
      <ErrorNote error={create.error} />
    </form>
  );
}
