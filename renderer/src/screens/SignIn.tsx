import { useState, type FormEvent } from 'react';
import type { OutputOf } from '../../../main/api/index.js';
import { bridge, BridgeFailure } from '../bridge.js';
import { Button, TextField } from '../ui/controls.js';
import { ErrorNote } from '../ui/ErrorNote.js';

export function SignIn({ notice, onSignedIn }: { notice: string | undefined; onSignedIn: (s: OutputOf<'SignIn'>) => void }) {
  const [tenant, setTenant] = useState('');
  const [user, setUser] = useState('admin');
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const result = await bridge().signIn({ UserName: user, Passphrase: passphrase, ...(tenant ? { Tenant: tenant } : {}) });
    setBusy(false);
    setPassphrase('');
    if (result.ok) onSignedIn(result.value);
    else setError(new BridgeFailure(result.error));
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      {notice && <p role="status">{notice}</p>}
      <TextField label="Tenant" description="Name or account id; empty for the operator tenant." value={tenant} onChange={setTenant} />
      <TextField label="User" value={user} onChange={setUser} isRequired autoComplete="username" />
      <TextField label="Passphrase" type="password" autoFocus value={passphrase} onChange={setPassphrase} isRequired autoComplete="current-password" />
      <Button type="submit" variant="primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </Button>
      <ErrorNote error={error} />
    </form>
  );
}
