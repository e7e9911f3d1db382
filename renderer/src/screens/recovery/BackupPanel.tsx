// A backup of the whole vault (CreateBackup; operator administrators, the
// service refuses others): a consistent snapshot of every tenant, sealed and
// written atomically to the file chosen in the desktop's save dialog
// (ui/SaveFileForm.tsx). The result is what the record needs: where, how
// big, its SHA-256, when, and who can open it: the master key, and where
// the vault has a recovery split, any M of its custodians' shares (the
// header carries the split's recovery record: KeySlots 'recovery';
// docs/backup-format.md, "Key slots"). Approval rules may hold it
// (approvals/ApprovalHeld.tsx).
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { CONTRACT, type OutputOf } from '../../../../main/api/index.js';
import { run } from '../../bridge.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { SaveFileForm } from '../../ui/SaveFileForm.js';
import { ApprovalHeld, useApprovableCall } from '../approvals/ApprovalHeld.js';
import { showDate } from '../key-detail/dates.js';
import { formatBytes } from '../workbench/bytes.js';

type Split = OutputOf<'GetRecoveryStatus'>['Split'];

export function BackupPanel({ split }: { split: Split }) {
  const backup = useApprovableCall('CreateBackup');
  // the path of the call the service held: the approved request runs with it, whatever the field says since
  const [heldPath, setHeldPath] = useState('');
  const save = (path: string) => (setHeldPath(path), backup.mutate({ OutPath: path }));
  return (
    <section className="panel backup" aria-labelledby="backup-title">
      <h2 id="backup-title">Back up the vault</h2>
      <p className="hint">
        One sealed file holding the whole vault, every tenant, as one moment left it. Keep it as private as the vault; restore it with{' '}
        <span className="mono">strongroom backup restore</span>.
      </p>
      <SaveFileForm
        label="Backup file"
        defaultPath={`strongroom-backup-${new Date().toISOString().slice(0, 10)}.srb`}
        dialogTitle="Save the vault backup as"
        pathSchema={CONTRACT.CreateBackup.input.shape.OutPath}
        submitLabel="Back up"
        pending={backup.pending}
        onSave={save}
      />
      {backup.heldBy && !backup.data && <ApprovalHeld name="CreateBackup" requestId={backup.heldBy} pending={backup.pending} onRun={() => backup.runApproved({ OutPath: heldPath })} />}
      <ErrorNote error={backup.error} />
      {backup.data && <BackupMade backup={backup.data} split={split} />}
    </section>
  );
}

/** Where a backup that opens with the master key only can be restored: where the master key is. */
const MASTER_KEY_ONLY = {
  keychain: 'this machine’s keychain holds it, so the backup opens on this machine and nowhere else',
  passphrase: 'the vault passphrase opens it, so the backup opens wherever that passphrase is known',
} as const;

/** What a backup made: the facts to write down, and who can open it. */
export function BackupMade({ backup, split }: { backup: OutputOf<'CreateBackup'>; split: Split }) {
  const vault = useQuery({ queryKey: ['vault-status'], queryFn: () => run('GetVaultStatus', {}) });
  const custody = vault.data?.Custody;
  return (
    <div role="status" className="backup-result">
      <p>Backed up: the vault as it was at {showDate(new Date(backup.CreatedAt))}.</p>
      <dl className="facts">
        <dt>File</dt>
        <dd className="mono" data-testid="backup-path">
          {backup.OutPath}
        </dd>
        <dt>Size</dt>
        <dd data-testid="backup-size">
          {formatBytes(backup.Bytes)} ({backup.Bytes.toLocaleString()} bytes)
        </dd>
        <dt>SHA-256</dt>
        <dd className="mono" data-testid="backup-sha256">
          {backup.Sha256}
        </dd>
        <dt>Vault</dt>
        <dd className="mono">{backup.VaultId}</dd>
        <dt>Opens with</dt>
        <dd data-testid="backup-opens-with">
          {backup.KeySlots.includes('recovery') ? (
            <>This vault’s master key, or the recovery quorum: {split ? `any ${split.Threshold} of the ${split.Count} custodians’ shares` : 'the recovery split’s shares'}, on any machine.</>
          ) : (
            <>
              <strong>This vault’s master key only</strong>
              {custody ? `: ${MASTER_KEY_ONLY[custody]}.` : '.'}{' '}
              The vault has no recovery split: should the master key be lost, neither the vault nor this backup could be opened anywhere. Split the recovery key among
              custodians (below), then back up again.
            </>
          )}
        </dd>
      </dl>
      <p className="hint">Write the SHA-256 down with where the backup is kept: the audit trail records it too (CreateBackup), and a restore names it.</p>
    </div>
  );
}
