// A form's call that approval rules hold (approvable.ts), one piece for every
// such form (the backup, the recovery split): useApprovableCall runs the
// operation and, when the service holds the call, remembers the request it
// names; ApprovalHeld says so in the form, links to the request in the
// approvals inbox, shows how far its approvals are, and offers to run it
// once approved: the form sends the same input again, naming the request.
// The form keeps its values meanwhile; nothing here keeps an input (a
// passphrase stays in the form's state, and nowhere else).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Link } from 'wouter';
import { CONTRACT, type InputOf, type OutputOf } from '../../../../main/api/index.js';
import { BridgeFailure, run } from '../../bridge.js';
import { Button } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import type { ApprovableName } from './approvable.js';

/** The approval request an ApprovalRequiredException says now holds the call; undefined for any other outcome. */
export function heldRequestId(error: unknown): string | undefined {
  return error instanceof BridgeFailure && error.name === 'ApprovalRequiredException' ? error.error.approvalRequestId : undefined;
}

export interface ApprovableCall<N extends ApprovableName> {
  /** runs the operation with this input (a first call, or, naming the request, the approved one) */
  readonly mutate: (input: InputOf<N>) => void;
  readonly pending: boolean;
  readonly data: OutputOf<N> | undefined;
  /** the approval request holding the call, once the service held it */
  readonly heldBy: string | undefined;
  /** the failure to show; none while the call is held, which ApprovalHeld shows instead */
  readonly error: unknown;
  /** runs the approved request: `input` as approved, naming it */
  readonly runApproved: (input: InputOf<N>) => void;
  readonly reset: () => void;
}

export interface ApprovableCallOptions<N extends ApprovableName> {
  onSuccess?: (output: OutputOf<N>) => void;
  /** the service held the call: it waits for approvals in this request */
  onHeld?: (requestId: string) => void;
  /** the approved request the form was opened to run (the inbox links there) */
  approved?: string | undefined;
}

/** `name`'s call from a form. */
export function useApprovableCall<N extends ApprovableName>(name: N, { onSuccess, onHeld, approved }: ApprovableCallOptions<N> = {}): ApprovableCall<N> {
  const queries = useQueryClient();
  const [heldBy, setHeldBy] = useState<string | undefined>(approved);
  const call = useMutation({
    mutationFn: (input: InputOf<N>) => run(name, input),
    onError: (e) => {
      const id = heldRequestId(e);
      if (id === undefined) return;
      setHeldBy(id);
      onHeld?.(id);
    },
    onSuccess: (output, input) => {
      setHeldBy(undefined);
      // an approved request ran: the inbox shows it Executed
      if ((input as { ApprovalRequestId?: string }).ApprovalRequestId !== undefined) void queries.invalidateQueries({ queryKey: ['approvals'] });
      onSuccess?.(output);
    },
  });
  return {
    mutate: call.mutate,
    pending: call.isPending,
    data: call.data,
    heldBy,
    error: heldRequestId(call.error) === undefined ? call.error : undefined,
    runApproved: (input) => call.mutate({ ...input, ApprovalRequestId: heldBy } as InputOf<N>),
    reset: call.reset,
  };
}

export interface ApprovalHeldProps {
  name: ApprovableName;
  requestId: string;
  pending: boolean;
  onRun: () => void;
  /** what the form asks of the requester before running it (the custodians' passphrases, say) */
  children?: ReactNode;
}

/** The held call's notice in its form: the request, its approvals so far, and running it once approved. */
export function ApprovalHeld({ name, requestId, pending, onRun, children }: ApprovalHeldProps) {
  const request = useQuery({ queryKey: ['approvals', 'request', requestId], queryFn: () => run('GetApprovalRequest', { RequestId: requestId }) });
  const r = request.data?.Request;
  // a request rejected, expired or executed can never run (again): a new call asks anew
  const closed = r !== undefined && r.Status !== 'Pending' && r.Status !== 'Approved';
  return (
    <div className="approval-held" role="group" aria-labelledby={`held-${requestId}`}>
      <h3 id={`held-${requestId}`}>Needs approval</h3>
      <p role="status">
        The tenant’s approval rules hold <span className="mono">{CONTRACT[name].action}</span>: it runs once its approvers approve request{' '}
        <Link href={`~/approvals/${requestId}`} className="mono" data-testid="held-request-id">
          {requestId}
        </Link>{' '}
        in their Approvals inbox. This form keeps its values meanwhile.
      </p>
      {r && (
        <p data-testid="held-request-status">
          <strong>{r.Status}</strong>
          {r.Status === 'Pending' || r.Status === 'Approved' ? `: ${r.Requirements.map((q) => `${q.Approvals} of ${q.MinApprovals} approvals from group ${q.GroupName}`).join('; ')}.` : ': a new request is needed.'}
        </p>
      )}
      <ErrorNote error={request.error} />
      {children}
      <div className="actions">
        <Button variant="primary" onClick={onRun} disabled={pending || closed}>
          {pending ? 'Running…' : 'Run the approved request'}
        </Button>
        <Button onClick={() => void request.refetch()} disabled={request.isFetching}>
          Check its approvals
        </Button>
      </div>
    </div>
  );
}
