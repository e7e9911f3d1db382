// The first run: there is no vault yet. The custodian chooses where its
// master key is kept, with the trade-off said plainly, and sets the
// operator tenant's admin passphrase; or restores a vault from a backup
// (recovery/RestorePanel.tsx: a new machine, the old one lost).
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { OutputOf } from '../../../main/api/index.js';
import { run } from '../bridge.js';
import { Button, TextField } from '../ui/controls.js';
import { ErrorNote } from '../ui/ErrorNote.js';
import { RestorePanel } from './recovery/RestorePanel.js';

export function FirstRun({ status, onCreated }: { status: OutputOf<'GetVaultStatus'>; onCreated: (s: OutputOf<'CreateVault'>) => void }) {
  const [restoring, setRestoring] = useState(false);
  if (restoring)
    return (
      <>
        <p className="first-run-switch">
          There is no vault in {status.Directory} yet. <Button onClick={() => setRestoring(false)}>Create a new vault instead</Button>
        </p>
        <RestorePanel onRestored={onCreated} />
      </>
    );
  return <CreateForm status={status} onCreated={onCreated} onRestore={() => setRestoring(true)} />;
}

function CreateForm({ status, onCreated, onRestore }: { status: OutputOf<'GetVaultStatus'>; onCreated: (s: OutputOf<'CreateVault'>) => void; onRestore: () => void }) {
  const [custody, setCustody] = useState<'keychain' | 'passphrase'>('keychain');
  const [vaultPassphrase, setVaultPassphrase] = useState('');
  const [tenant, setTenant] = useState('');
  const [admin, setAdmin] = useState('');
  const [again, setAgain] = useState('');
  const mismatch = again !== '' && again !== admin ? 'The two passphrases differ.' : undefined;
  const create = useMutation({
    mutationFn: () =>
      run('CreateVault', {
        Custody: custody,
        AdminPassphrase: admin,
        ...(custody === 'passphrase' ? { VaultPassphrase: vaultPassphrase } : {}),
        ...(tenant ? { TenantName: tenant } : {}),
      }),
    onSuccess: onCreated,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!mismatch) create.mutate();
  };

  return (
    <form className="card wide" onSubmit={submit} aria-labelledby="first-run-title">
      <h1 id="first-run-title">Create the vault</h1>
      <p>There is no vault in {status.Directory} yet.</p>
      <p className="hint">
        Moving to a new machine, or the old one lost? <Button onClick={onRestore}>Restore from a backup</Button>
      </p>
      <fieldset className="choices" aria-describedby="custody-note">
        <legend>Where the vault's master key is kept</legend>
        <label>
          <input type="radio" name="custody" value="keychain" checked={custody === 'keychain'} onChange={() => setCustody('keychain')} />
          <span>
            <strong>The OS keychain.</strong> The vault opens by itself for you on this computer. Someone who copies the vault file alone cannot
            open it, and neither can you on another machine without a recovery share.
          </span>
        </label>
        <label>
          <input type="radio" name="custody" value="passphrase" checked={custody === 'passphrase'} onChange={() => setCustody('passphrase')} />
          <span>
            <strong>A vault passphrase.</strong> The vault opens only with the passphrase, on any machine you carry the file to. Lose the
            passphrase and the keys are gone; a weak one is as weak as the vault.
          </span>
        </label>
        <p id="custody-note" className="hint">
          This cannot be changed later without re-creating custody.
        </p>
      </fieldset>
      {custody === 'passphrase' && <TextField label="Vault passphrase" type="password" value={vaultPassphrase} onChange={setVaultPassphrase} isRequired />}
      <TextField label="Operator tenant name" description="Empty for “operator”." value={tenant} onChange={setTenant} />
      <TextField label="Admin passphrase" description="For the user “admin” of the operator tenant." type="password" autoComplete="new-password" value={admin} onChange={setAdmin} isRequired />
      <TextField label="Admin passphrase again" type="password" autoComplete="new-password" value={again} onChange={setAgain} isRequired errorMessage={mismatch} />
      <Button type="submit" variant="primary" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create the vault'}
      </Button>
      <ErrorNote error={create.error} />
    </form>
  );
}
