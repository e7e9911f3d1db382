// The vault is there but not open. A passphrase-custody vault opens with its
// vault passphrase. When its master key cannot be had (the keychain holds
// none for it on this machine, or the passphrase is forgotten), any M of
// its custodians recover it with their shares (recovery/RecoverPanel.tsx):
// offered at once when the vault's problem is the keychain, on request otherwise.
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { OutputOf } from '../../../main/api/index.js';
import { run } from '../bridge.js';
import { Button, TextField } from '../ui/controls.js';
import { ErrorNote } from '../ui/ErrorNote.js';
import { RecoverPanel } from './recovery/RecoverPanel.js';

/** Whether the vault failed to open for want of its keychain entry: a passphrase will not help then. */
const keychainProblem = (s: OutputOf<'GetVaultStatus'>) => s.Problem !== undefined && s.Problem.Name === 'KMSInvalidStateException' && /keychain/i.test(s.Problem.Message);

export function Unlock({ status, onUnlocked }: { status: OutputOf<'GetVaultStatus'>; onUnlocked: (s: OutputOf<'UnlockVault'>) => void }) {
  const [passphrase, setPassphrase] = useState('');
  const keychain = keychainProblem(status);
  const [recovering, setRecovering] = useState(keychain);
  const unlock = useMutation({ mutationFn: () => run('UnlockVault', { VaultPassphrase: passphrase }), onSuccess: onUnlocked, onSettled: () => setPassphrase('') });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    unlock.mutate();
  };
  return (
    <div className="card wide">
      {keychain ? (
        <section aria-labelledby="unlock-title">
          <h1 id="unlock-title">The vault does not open</h1>
          <p role="alert" className="error">
            {status.Problem!.Name}: {status.Problem!.Message}
          </p>
        </section>
      ) : (
        <form onSubmit={submit} aria-labelledby="unlock-title" className="unlock">
          <h1 id="unlock-title">Unlock the vault</h1>
          <p>The vault in {status.Directory} is kept under a passphrase.</p>
          <TextField label="Vault passphrase" type="password" autoFocus value={passphrase} onChange={setPassphrase} isRequired />
          <Button type="submit" variant="primary" disabled={unlock.isPending}>
            {unlock.isPending ? 'Unlocking…' : 'Unlock'}
          </Button>
          <ErrorNote error={unlock.error} />
        </form>
      )}
      {recovering ? (
        <RecoverPanel onRecovered={onUnlocked} />
      ) : (
        <p className="hint">
          Passphrase forgotten? <Button onClick={() => setRecovering(true)}>Recover with custodians’ shares</Button>
        </p>
      )}
    </div>
  );
}
