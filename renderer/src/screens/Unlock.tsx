import { useState, type FormEvent } from 'react';
import type { OutputOf } from '../../../main/api/index.js';
import { run } from '../bridge.js';
import { Button, TextField } from '../ui/controls.js';
import { ErrorNote } from '../ui/ErrorNote.js';

/** A passphrase-custody vault opens with its vault passphrase (a keychain vault is open already). */
export function Unlock({ status, onUnlocked }: { status: OutputOf<'GetVaultStatus'>; onUnlocked: (s: OutputOf<'UnlockVault'>) => void }) {
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onUnlocked(await run('UnlockVault', { VaultPassphrase: passphrase }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      setPassphrase('');
    }
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="unlock-title">
      <h1 id="unlock-title">Unlock the vault</h1>
      <p>The vault in {status.Directory} is kept under a passphrase.</p>
      <TextField label="Vault passphrase" type="password" autoFocus value={passphrase} onChange={setPassphrase} isRequired />
      <Button type="submit" variant="primary" disabled={busy}>
        {busy ? 'Unlocking…' : 'Unlock'}
      </Button>
      <ErrorNote error={error} />
    </form>
  );
}
