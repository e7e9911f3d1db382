import { useState, type FormEvent } from 'react';
import type { OutputOf } from '../../../main/api/index.js';
import { bridge, BridgeFailure } from '../bridge.js';
import { ErrorNote } from './ErrorNote.js';

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
      <label>
        Tenant <span className="hint">(name or account id; empty for the operator tenant)</span>
        <input value={tenant} onChange={(e) => setTenant(e.target.value)} autoComplete="off" />
      </label>
      <label>
        User
        <input value={user} onChange={(e) => setUser(e.target.value)} required autoComplete="username" />
      </label>
      <label>
        Passphrase
        <input type="password" autoFocus value={passphrase} onChange={(e) => setPassphrase(e.target.value)} required autoComplete="current-password" />
      </label>
      <button type="submit" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      <ErrorNote error={error} />
    </form>
  );
}
