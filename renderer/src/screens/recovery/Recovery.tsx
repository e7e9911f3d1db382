// Recovery and backup (#/recovery; operator administrators, the service
// refuses others): whether the vault's master key can be recovered on another
// machine from custodians' shares, and from which split (GetRecoveryStatus);
// a backup of the whole vault (CreateBackup, BackupPanel.tsx); and a new
// split (SplitRecoveryKey, SplitForm.tsx), which revokes the shares of the
// one before. #/recovery/approved/<id> opens the split form filled from an
// approved split's request, to run it (the approvals inbox links there).
// Recovering with the shares happens where the vault cannot open:
// `strongroom ceremony recover` (README, Recovery shares).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useRoute } from 'wouter';
import { SplitRecoveryPlan } from '../../../../main/api/operations/app.js';
import { run } from '../../bridge.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { showDate } from '../key-detail/dates.js';
import { isDenied } from '../users/access.js';
import { BackupPanel } from './BackupPanel.js';
import { SplitForm, type ApprovedSplit } from './SplitForm.js';

export const recoveryQuery = { queryKey: ['recovery'], queryFn: () => run('GetRecoveryStatus', {}) } as const;

export function Recovery() {
  const queries = useQueryClient();
  const status = useQuery(recoveryQuery);
  const [, params] = useRoute('/approved/:requestId');
  const approved = useApprovedSplit(params?.requestId);
  const split = status.data?.Split;
  return (
    <section aria-labelledby="recovery-title">
      <header className="page-header">
        <h1 id="recovery-title">Recovery and backup</h1>
      </header>
      {status.error ? (
        <div className="screen-error">
          <ErrorNote error={status.error} />
          {isDenied(status.error) && <p>The recovery key and backups open every tenant: only administrators of the operator tenant manage them.</p>}
        </div>
      ) : status.isPending || approved.loading ? (
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
          <ErrorNote error={approved.error} />
          {approved.notSplit && (
            <p role="alert" className="error">
              Approval request <span className="mono">{approved.notSplit}</span> holds no split of the recovery key: <Link href={`~/approvals/${approved.notSplit}`}>open it in the inbox</Link>.
            </p>
          )}
          {approved.split ? (
            <p className="notice" role="status">
              The split form below holds the plan of approved request <span className="mono">{approved.split.requestId}</span>: run it at the end of the form, as
              approved. <Link href="/">Back up, or plan another split</Link>
            </p>
          ) : (
            <BackupPanel split={split} />
          )}
          <SplitForm
            key={approved.split?.requestId ?? 'new'}
            current={split}
            approved={approved.split}
            onSplit={() => queries.invalidateQueries({ queryKey: recoveryQuery.queryKey })}
          />
        </>
      )}
    </section>
  );
}

/** The split request #/recovery/approved/<id> names, as a plan the split form runs; or why it cannot be run from here. */
function useApprovedSplit(requestId: string | undefined): { loading: boolean; split?: ApprovedSplit; error?: unknown; notSplit?: string } {
  const request = useQuery({
    queryKey: ['approvals', 'request', requestId],
    queryFn: () => run('GetApprovalRequest', { RequestId: requestId! }),
    enabled: requestId !== undefined,
  });
  if (requestId === undefined) return { loading: false };
  if (request.error) return { loading: false, error: request.error };
  const r = request.data?.Request;
  if (!r) return { loading: true };
  const plan = SplitRecoveryPlan.safeParse(r.Input);
  if (r.Operation !== 'SplitRecoveryKey' || !plan.success) return { loading: false, notSplit: requestId };
  return { loading: false, split: { requestId, plan: plan.data } };
}
