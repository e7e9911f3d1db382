// The tenant's users, and a form that creates one with a first passphrase
// (CreateUser, then CreateLoginProfile; by default the user must change it
// at first sign-in).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { CONTRACT } from '../../../../main/api/index.js';
import { run } from '../../bridge.js';
import { Button, TextField } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { DENIED_HINT, ScreenError, usersQuery } from './access.js';
import { mismatch, problem } from './check.js';
import { UserState } from './UserState.js';

const { UserName: UserNameSchema, Password: PasswordSchema } = CONTRACT.CreateLoginProfile.input.shape;

export function UserList() {
  const users = useQuery(usersQuery);
  return (
    <>
      <ScreenError error={users.error} deniedHint={DENIED_HINT} />
      {users.isPending ? (
        <p role="status">Loading users…</p>
      ) : users.data ? (
        <>
          <CreateUserForm />
          <h2>Users</h2>
          {users.data.Users.length === 0 ? (
            <p>No users yet.</p>
          ) : (
            <table aria-label="Users">
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">ARN</th>
                  <th scope="col">Created</th>
                  <th scope="col">State</th>
                  <th scope="col">Passphrase last used</th>
                </tr>
              </thead>
              <tbody>
                {users.data.Users.map((u) => (
                  <tr key={u.UserId}>
                    <td>
                      <Link href={`/user/${encodeURIComponent(u.UserName)}`}>{u.UserName}</Link>
                    </td>
                    <td className="mono">{u.Arn}</td>
                    <td>{u.CreateDate.toLocaleString()}</td>
                    <td>
                      <UserState enabled={u.Enabled} />
                    </td>
                    <td>{u.PasswordLastUsed?.toLocaleString() ?? 'Never'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ) : null}
    </>
  );
}

function CreateUserForm() {
  const queries = useQueryClient();
  const [name, setName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [resetRequired, setResetRequired] = useState(true);
  const [created, setCreated] = useState<string>();
  const errors = { name: problem(UserNameSchema, name), passphrase: problem(PasswordSchema, passphrase), again: mismatch(passphrase, again) };
  const create = useMutation({
    mutationFn: async () => {
      await run('CreateUser', { UserName: name });
      try {
        await run('CreateLoginProfile', { UserName: name, Password: passphrase, PasswordResetRequired: resetRequired });
      } finally {
        await queries.invalidateQueries({ queryKey: ['users'] });
      }
    },
    onSuccess: () => {
      setCreated(name);
      setName('');
      setPassphrase('');
      setAgain('');
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name || !passphrase || errors.name || errors.passphrase || errors.again || passphrase !== again) return;
    setCreated(undefined);
    create.mutate();
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="create-user-title">
      <h2 id="create-user-title">Create a user</h2>
      <div className="row">
        <TextField label="User name" value={name} onChange={setName} isRequired errorMessage={errors.name} />
        <TextField label="First passphrase" type="password" autoComplete="new-password" value={passphrase} onChange={setPassphrase} isRequired errorMessage={errors.passphrase} />
        <TextField label="First passphrase again" type="password" autoComplete="new-password" value={again} onChange={setAgain} isRequired errorMessage={errors.again} />
      </div>
      <label className="check">
        <input type="checkbox" checked={resetRequired} onChange={(e) => setResetRequired(e.target.checked)} /> Must choose a new passphrase at first sign-in
      </label>
      <div>
        <Button type="submit" variant="primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create user'}
        </Button>
      </div>
      {created && <p role="status">User {created} created; give them the first passphrase by a separate channel.</p>}
      {create.error != null && (
        <>
          <ErrorNote error={create.error} />
          <p className="hint">If the user was created but its passphrase was refused, set one on the user’s page.</p>
        </>
      )}
    </form>
  );
}
