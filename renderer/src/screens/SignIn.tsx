import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { OutputOf } from '../../../main/api/index.js';
import { run } from '../bridge.js';
import { Button, TextField } from '../ui/controls.js';
import { ErrorNote } from '../ui/ErrorNote.js';

export function SignIn({ notice, onSignedIn }: { notice: string | undefined; onSignedIn: (s: OutputOf<'SignIn'>) => void }) {
  const [tenant, setTenant] = useState('');
  const [user, setUser] = useState('admin');
  const [passphrase, setPassphrase] = useState('');
  const signIn = useMutation({
    mutationFn: () => run('SignIn', { UserName: user, Passphrase: passphrase, ...(tenant ? { Tenant: tenant } : {}) }),
    onSuccess: onSignedIn,
    onSettled: () => setPassphrase(''),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate();
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      {notice && <p role="status">{notice}</p>}
      <TextField label="Tenant" description="Name or account id; empty for the operator tenant." value={tenant} onChange={setTenant} />
      <TextField label="User" value={user} onChange={setUser} isRequired autoComplete="username" />
      <TextField label="Passphrase" type="password" autoFocus value={passphrase} onChange={setPassphrase} isRequired autoComplete="current-password" />
      <Button type="submit" variant="primary" disabled={signIn.isPending}>
        {signIn.isPending ? 'Signing in…' : 'Sign in'}
      </Button>
      <ErrorNote error={signIn.error} />
    </form>
  );
}
