// "Recover with custodians' shares" (RecoverVaultCustody): the vault's
// master key is gone from this machine (a lost keychain entry, a new
// machine, a forgotten vault passphrase), and any M custodians bring their
// shares. The split is shown first (DescribeRecoverySplit), so each is asked
// by name; the shares are given one at a time (ShareEntry.tsx); custody is
// chosen; on success the vault is open and the app goes on to sign-in.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import type { InputOf, OutputOf } from '../../../../main/api/index.js';
import { run } from '../../bridge.js';
import { Button } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { custodyInput, CustodyFields, emptyShare, newCustody, ShareEntry, sharesInput, splitSummary, type ShareRow } from './ShareEntry.js';

export function RecoverPanel({ onRecovered }: { onRecovered: (s: OutputOf<'RecoverVaultCustody'>) => void }) {
  const split = useQuery({ queryKey: ['DescribeRecoverySplit'], queryFn: () => run('DescribeRecoverySplit', {}), retry: false });
  const [rows, setRows] = useState<ShareRow[]>([]);
  const [custody, setCustody] = useState(newCustody);
  const [problem, setProblem] = useState<string>();
  const recover = useMutation({
    mutationFn: (input: InputOf<'RecoverVaultCustody'>) => run('RecoverVaultCustody', input),
    onSuccess: (s) => (setRows([]), setCustody(newCustody()), onRecovered(s)),
  });
  // the first share is the first custodian's, to start with
  const first = split.data?.Custodians[0];
  useEffect(() => {
    if (first !== undefined) setRows((r) => (r.length === 0 ? [emptyShare(first)] : r));
  }, [first]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setProblem(undefined);
    const c = custodyInput(custody);
    if (typeof c === 'string') return setProblem(c);
    if (rows.length === 0) return setProblem('Add the custodians’ shares first.');
    recover.mutate({ Shares: sharesInput(rows), ...c });
  };
  if (split.error) return <ErrorNote error={split.error} />;
  if (!split.data) return <p role="status">Reading the vault’s recovery split…</p>;
  const s = split.data;
  return (
    <form className="panel recover" aria-labelledby="recover-title" onSubmit={submit} noValidate>
      <h2 id="recover-title">Recover with custodians’ shares</h2>
      <p data-testid="recover-split">
        The vault opens with the shares of {splitSummary(s)} (split {s.SplitId}
        {s.Scheme === 'ssss' ? ', ssss lines' : ''}).
      </p>
      <ShareEntry split={s} rows={rows} onChange={setRows} disabled={recover.isPending} />
      <CustodyFields value={custody} onChange={setCustody} name="recover-custody" />
      {problem && (
        <p role="alert" className="error">
          ValidationException: {problem}
        </p>
      )}
      <ErrorNote error={recover.error} />
      <Button type="submit" variant="primary" disabled={recover.isPending}>
        {recover.isPending ? 'Recovering… (opening the shares)' : 'Recover the vault'}
      </Button>
    </form>
  );
}
