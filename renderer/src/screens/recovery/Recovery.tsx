// Recovery shares (#/recovery; operator administrators, the service refuses
// others): whether the vault's master key can be recovered on another
// machine from custodians' shares, and from which split (GetRecoveryStatus);
// and a new split (SplitRecoveryKey, SplitForm.tsx), which revokes the
// shares of the one before. Recovering with the shares happens where the
// vault cannot open: `strongroom ceremony recover` (README, Recovery shares).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { run } from '../../bridge.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { showDate } from '../key-detail/dates.js';
import { isDenied } from '../users/access.js';
import { SplitForm } from './SplitForm.js';

export const recoveryQuery = { queryKey: ['recovery'], queryFn: () => run('GetRecoveryStatus', {}) } as const;

export function Recovery() {
  const queries = useQueryClient();
  const status = useQuery(recoveryQuery);
  const split = status.data?.Split;
  return (
    <section aria-labelledby="recovery-title">
      <header className="page-header">
        <h1 id="recovery-title">Recovery shares</h1>
      </header>
      {status.error ? (
        <div className="screen-error">
          <ErrorNote error={status.error} />
          {isDenied(status.error) && <p>The recovery key opens every tenant: only administrators of the operator tenant manage it.</p>}
        </div>
      ) : status.isPending ? (
        <p role="status">Loading the vault’s recovery state…</p>
      ) : (
        <>
          <section className="panel" aria-labelledby="recovery-state">
            <h2 id="recovery-state">This vault</h2>
            {split ? (
              <p data-testid="recovery-state">
                Any <strong>{split.Threshold}</strong> of {split.Count} custodians ({split.Custodians.join(', ')}) can recover the vault’s master key on another
                machine. Split <span className="mono">{split.SplitId}</span>
                {split.Scheme === 'ssss' ? ' (ssss form)' : ''}, made {showDate(split.CreationDate)}.
              </p>
            ) : (
              <p data-testid="recovery-state">
                No recovery shares yet: if this machine’s keychain is lost, the vault cannot be opened anywhere else. Split the recovery key among custodians
                below.
              </p>
            )}
          </section>
          <SplitForm current={split} onSplit={() => queries.invalidateQueries({ queryKey: recoveryQuery.queryKey })} />
        </>
      )}
    </section>
  );
}
