import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { OutputOf } from '../../../main/api/index.js';
import { run } from '../bridge.js';
import { Button, TextField } from '../ui/controls.js';
import { ErrorNote } from '../ui/ErrorNote.js';

/** A passphrase-custody vault opens with its vault passphrase (a keychain vault is open already). */
export function Unlock({ status, onUnlocked }: { status: OutputOf<'GetVaultStatus'>; onUnlocked: (s: OutputOf<'UnlockVault'>) => void }) {
  const [passphrase, setPassphrase] = useState('');
  const unlock = useMutation({ mutationFn: () => run('UnlockVault', { VaultPassphrase: passphrase }), onSuccess: onUnlocked, onSettled: () => setPassphrase('') });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    unlock.mutate();
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="unlock-title">
      <h1 id="unlock-title">Unlock the vault</h1>
      <p>The vault in {status.Directory} is kept under a passphrase.</p>
      <TextField label="Vault passphrase" type="password" autoFocus value={passphrase} onChange={setPassphrase} isRequired />
      <Button type="submit" variant="primary" disabled={unlock.isPending}>
        {unlock.isPending ? 'Unlocking…' : 'Unlock'}
      </Button>
      <ErrorNote error={unlock.error} />
    </form>
  );
}
