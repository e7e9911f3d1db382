// The approvals inbox (#/approvals, #/approvals/<id>): requests held by the
// tenant's quorum rules (ListApprovalRequests: all of them with
// approval:ListApprovalRequests, else those you made or may decide), and one
// request in full (ApprovalRequest.tsx): the exact input that will run, its
// hash, who has decided, and the actions open to you — approve (you sign
// the hash you were shown), reject, or, for its requester once approved,
// execute.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, Route, Switch } from 'wouter';
import { APPROVAL_STATUSES } from '../../../../main/api/operations/approvals.js';
import { run } from '../../bridge.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { showDate } from '../key-detail/dates.js';
import { ApprovalRequest } from './ApprovalRequest.js';

type Status = (typeof APPROVAL_STATUSES)[number];

export function ApprovalsArea() {
  return (
    <Switch>
      <Route path="/:requestId">{(p) => <ApprovalRequest requestId={p.requestId} />}</Route>
      <Route>
        <Inbox />
      </Route>
    </Switch>
  );
}

function Inbox() {
  const [status, setStatus] = useState<Status | ''>('Pending');
  const list = useQuery({ queryKey: ['approvals', status], queryFn: () => run('ListApprovalRequests', status ? { Status: status } : {}) });
  return (
    <section aria-labelledby="approvals-title">
      <header className="page-header">
        <h1 id="approvals-title">Approvals</h1>
      </header>
      <p className="hint">Calls the tenant’s quorum rules hold until enough members of a group approve them. Open a request to review exactly what would run.</p>
      <div className="field">
        <label htmlFor="approvals-status">Status</label>
        <select id="approvals-status" value={status} onChange={(e) => setStatus(e.target.value as Status | '')}>
          <option value="">Any</option>
          {APPROVAL_STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </div>
      {list.error ? (
        <ErrorNote error={list.error} />
      ) : list.isPending ? (
        <p role="status">Loading approval requests…</p>
      ) : list.data.Requests.length === 0 ? (
        <p role="status">No {status ? status.toLowerCase() : ''} approval requests.</p>
      ) : (
        <table aria-label="Approval requests">
          <thead>
            <tr>
              <th scope="col">Request</th>
              <th scope="col">Operation</th>
              <th scope="col">Requester</th>
              <th scope="col">Status</th>
              <th scope="col">Approvals</th>
              <th scope="col">Expires</th>
            </tr>
          </thead>
          <tbody>
            {list.data.Requests.map((r) => (
              <tr key={r.RequestId}>
                <td>
                  <Link href={`/${r.RequestId}`} className="mono">
                    {r.RequestId.slice(0, 8)}
                  </Link>
                </td>
                <td>{r.Operation}</td>
                <td>{r.Requester.slice(r.Requester.lastIndexOf('/') + 1)}</td>
                <td>{r.Status}</td>
                <td>{r.Requirements.map((q) => `${q.Approvals} of ${q.MinApprovals} from ${q.GroupName}`).join('; ')}</td>
                <td>
                  <time dateTime={r.ExpirationDate.toISOString()}>{showDate(r.ExpirationDate)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
