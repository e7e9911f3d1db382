// "Restore from a backup" on the first run (RestoreBackup): this machine has
// no vault yet, and a backup of one is restored into its folder. The backup
// is chosen, its recovery split read from its header (DescribeRecoverySplit
// with BackupPath), and it is opened with M custodians' shares
// (ShareEntry.tsx, as the recover panel takes them) or with its vault's
// passphrase; custody on this machine is chosen; then the app goes on to sign-in.
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { InputOf, OutputOf } from '../../../../main/api/index.js';
import { run } from '../../bridge.js';
import { Button, TextField } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { PathField } from '../../ui/PathField.js';
import { custodyInput, CustodyFields, emptyShare, newCustody, ShareEntry, sharesInput, splitSummary, type ShareRow } from './ShareEntry.js';

export function RestorePanel({ onRestored }: { onRestored: (s: OutputOf<'GetVaultStatus'>) => void }) {
  const [inPath, setInPath] = useState('');
  const [openWith, setOpenWith] = useState<'shares' | 'passphrase'>('shares');
  const [sourcePassphrase, setSourcePassphrase] = useState('');
  const [rows, setRows] = useState<ShareRow[]>([]);
  const [custody, setCustody] = useState(newCustody);
  const [problem, setProblem] = useState<string>();
  const describe = useMutation({
    mutationFn: (path: string) => run('DescribeRecoverySplit', { BackupPath: path }),
    onSuccess: (s) => setRows((r) => (r.length === 0 ? [emptyShare(s.Custodians[0] ?? '')] : r)),
  });
  const restore = useMutation({
    mutationFn: (input: InputOf<'RestoreBackup'>) => run('RestoreBackup', input),
    onSuccess: (r) => (setRows([]), setSourcePassphrase(''), setCustody(newCustody()), onRestored(r.Status)),
  });
  const choosePath = (path: string) => {
    setInPath(path);
    describe.reset();
    setRows([]);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setProblem(undefined);
    const c = custodyInput(custody);
    if (typeof c === 'string') return setProblem(c);
    if (inPath === '') return setProblem('Choose the backup file.');
    if (openWith === 'shares' && rows.length === 0) return setProblem('Read the backup’s recovery split, then add the custodians’ shares.');
    restore.mutate({
      InPath: inPath,
      ...(openWith === 'shares' ? { Shares: sharesInput(rows) } : sourcePassphrase !== '' ? { SourceVaultPassphrase: sourcePassphrase } : {}),
      ...c,
    });
  };
  const split = describe.data;
  return (
    <form className="card wide" aria-labelledby="restore-title" onSubmit={submit} noValidate>
      <h1 id="restore-title">Restore from a backup</h1>
      <p className="hint">The whole backup is checked before anything is written; a damaged or changed backup is refused and nothing is left behind.</p>
      <PathField label="Backup file" value={inPath} onChange={choosePath} dialog={{ kind: 'file', title: 'The backup file' }} isRequired />
      <fieldset className="choices">
        <legend>Open the backup with</legend>
        <label>
          <input type="radio" name="restore-open" checked={openWith === 'shares'} onChange={() => setOpenWith('shares')} /> The custodians’ recovery shares
        </label>
        <label>
          <input type="radio" name="restore-open" checked={openWith === 'passphrase'} onChange={() => setOpenWith('passphrase')} /> Its vault’s passphrase (a vault kept under a
          passphrase)
        </label>
      </fieldset>
      {openWith === 'shares' ? (
        split ? (
          <>
            <p data-testid="restore-split">
              This backup opens with the shares of {splitSummary(split)} (split {split.SplitId}).
            </p>
            <ShareEntry split={split} rows={rows} onChange={setRows} disabled={restore.isPending} />
          </>
        ) : (
          <>
            <Button onClick={() => describe.mutate(inPath)} disabled={inPath === '' || describe.isPending}>
              Read the backup’s recovery split
            </Button>
            <ErrorNote error={describe.error} />
          </>
        )
      ) : (
        <TextField label="The backed-up vault’s passphrase" type="password" value={sourcePassphrase} onChange={setSourcePassphrase} isRequired />
      )}
      <CustodyFields value={custody} onChange={setCustody} name="restore-custody" />
      {problem && (
        <p role="alert" className="error">
          ValidationException: {problem}
        </p>
      )}
      <ErrorNote error={restore.error} />
      <Button type="submit" variant="primary" disabled={restore.isPending}>
        {restore.isPending ? 'Restoring… (verifying the whole backup)' : 'Restore the vault'}
      </Button>
    </form>
  );
}
