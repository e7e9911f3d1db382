// One approval request (GetApprovalRequest): the operation and the exact
// input that will run, the request's hash (what an approval signs: it is
// sent with ApproveRequest, so a request changed after it was shown cannot
// be approved), the requirements and who has decided. Approve, reject
// (confirmed) and, for the requester once approved, execute; the service
// decides who may, and says why not. An approvable app operation's request
// (approvable.ts) runs by calling the operation again, here from the input
// it holds or on its own screen; never by ExecuteApprovalRequest.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { run } from '../../bridge.js';
import { useSession } from '../../session.js';
import { Button } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { showDate } from '../key-detail/dates.js';
import { ConfirmDialog } from '../key-detail/ConfirmDialog.js';
import { approvedInput, isApprovable, RUN_AGAIN } from './approvable.js';

/** An input or output as JSON for reading: blobs as base64, as the CLI prints them. */
const showInput = (input: unknown) => JSON.stringify(input, (_k, v: unknown) => (v instanceof Uint8Array ? btoa(String.fromCharCode(...v)) : v), 2);

/**
 * How the requester runs this approved request: ExecuteApprovalRequest; or,
 * for an approvable operation, the operation again with the input approved
 * and the request's id (here, when the request holds all it needs).
 */
function executeApproved(operation: string, stored: Record<string, unknown>, requestId: string): Promise<unknown> {
  if (!isApprovable(operation)) return run('ExecuteApprovalRequest', { RequestId: requestId });
  const again = approvedInput(operation, stored, requestId);
  if ('problem' in again) return Promise.reject(new Error(`This request cannot run as it is stored (${again.problem}).`));
  return run(operation, again.input);
}

export function ApprovalRequest({ requestId }: { requestId: string }) {
  const { session } = useSession();
  const queries = useQueryClient();
  const request = useQuery({ queryKey: ['approvals', 'request', requestId], queryFn: () => run('GetApprovalRequest', { RequestId: requestId }) });
  const [rejecting, setRejecting] = useState(false);
  const changed = () => queries.invalidateQueries({ queryKey: ['approvals'] });
  const approve = useMutation({ mutationFn: (hash: string) => run('ApproveRequest', { RequestId: requestId, RequestHash: hash }), onSuccess: changed });
  const reject = useMutation({ mutationFn: () => run('RejectRequest', { RequestId: requestId }), onSuccess: () => (setRejecting(false), changed()) });
  const execute = useMutation({ mutationFn: (held: { Operation: string; Input: Record<string, unknown> }) => executeApproved(held.Operation, held.Input, requestId), onSuccess: changed });

  const r = request.data?.Request;
  const mine = r !== undefined && r.Requester === session.Arn;
  const again = r && isApprovable(r.Operation) ? RUN_AGAIN[r.Operation] : undefined;
  return (
    <section aria-labelledby="approval-title">
      <p>
        <Link href="/">← All approval requests</Link>
      </p>
      <header className="page-header">
        <h1 id="approval-title">
          Approval request <span className="mono">{requestId.slice(0, 8)}</span>
        </h1>
      </header>
      {request.error ? (
        <ErrorNote error={request.error} />
      ) : !r ? (
        <p role="status">Loading the request…</p>
      ) : (
        <>
          <section className="panel" aria-labelledby="approval-what">
            <h2 id="approval-what">What would run</h2>
            <dl className="facts">
              <dt>Operation</dt>
              <dd>
                {r.Operation} <span className="hint">({r.Action})</span>
              </dd>
              <dt>Requester</dt>
              <dd className="mono">{r.Requester}</dd>
              <dt>Status</dt>
              <dd data-testid="approval-status">{r.Status}</dd>
              <dt>Region</dt>
              <dd>{r.Region}</dd>
              <dt>Requested</dt>
              <dd>{showDate(r.CreationDate)}</dd>
              <dt>Expires</dt>
              <dd>{showDate(r.ExpirationDate)}</dd>
            </dl>
            <pre className="public-key-text" tabIndex={0} aria-label="Input">
              {showInput(r.Input)}
            </pre>
            <h3 id="approval-hash">Request hash (SHA-256): what an approval signs</h3>
            <p className="fingerprint mono" aria-labelledby="approval-hash" data-testid="approval-hash">
              {r.RequestHash}
            </p>
          </section>
          <section className="panel" aria-labelledby="approval-decisions">
            <h2 id="approval-decisions">Approvals</h2>
            <ul>
              {r.Requirements.map((q) => (
                <li key={q.GroupName}>
                  {q.Approvals} of {q.MinApprovals} from group {q.GroupName}
                </li>
              ))}
            </ul>
            {r.Decisions.length === 0 ? (
              <p>No one has decided yet.</p>
            ) : (
              <table aria-label="Decisions">
                <thead>
                  <tr>
                    <th scope="col">User</th>
                    <th scope="col">Decision</th>
                    <th scope="col">When</th>
                  </tr>
                </thead>
                <tbody>
                  {r.Decisions.map((d) => (
                    <tr key={d.UserName}>
                      <td>{d.UserName}</td>
                      <td>{d.Decision}</td>
                      <td>{showDate(d.DecisionDate)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <div className="actions">
              {r.Status === 'Pending' && !mine && (
                <Button variant="primary" onClick={() => approve.mutate(r.RequestHash)} disabled={approve.isPending}>
                  Approve this request
                </Button>
              )}
              {(r.Status === 'Pending' || r.Status === 'Approved') && (
                <Button variant="danger" onClick={() => setRejecting(true)}>
                  {mine ? 'Withdraw' : 'Reject'}
                </Button>
              )}
              {r.Status === 'Approved' && mine && again?.where !== 'screen' && (
                <Button variant="primary" onClick={() => execute.mutate(r)} disabled={execute.isPending}>
                  {execute.isPending ? 'Running…' : 'Execute as approved'}
                </Button>
              )}
            </div>
            {r.Status === 'Approved' && mine && again?.where === 'screen' && (
              <p className="notice" data-testid="run-again-elsewhere">
                {again.why} <Link href={`~${again.path(requestId)}`}>Run it on the {again.screen} screen</Link>.
              </p>
            )}
            {approve.isSuccess && <p role="status">Approved.</p>}
            {execute.data !== undefined && (
              <div role="status">
                <p>Executed: {r.Operation} ran with the input above.</p>
                {again && (
                  <pre className="public-key-text" tabIndex={0} aria-label="Result">
                    {showInput(execute.data)}
                  </pre>
                )}
              </div>
            )}
            <ErrorNote error={approve.error ?? execute.error} />
          </section>
          <ConfirmDialog
            open={rejecting}
            title={mine ? 'Withdraw this request?' : 'Reject this request?'}
            confirmLabel={mine ? 'Withdraw' : 'Reject'}
            variant="danger"
            pending={reject.isPending}
            error={reject.error}
            onCancel={() => (setRejecting(false), reject.reset())}
            onConfirm={() => reject.mutate()}
          >
            <p>A rejected request can never run; the call must be made again to ask anew.</p>
          </ConfirmDialog>
        </>
      )}
    </section>
  );
}
