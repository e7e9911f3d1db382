// Who may see the administrators' screens is the service's decision, not
// the renderer's: a screen asks, and an AccessDeniedException is its answer.
// The navigation hides Users (Tenants) only when the same cheap read the
// screen makes (ListUsers, ListTenants) was refused, never by guessing from
// names; the query is shared with the screen by its key.
import { useQuery } from '@tanstack/react-query';
import { BridgeFailure, run } from '../../bridge.js';
import { ErrorNote } from '../../ui/ErrorNote.js';

export const DENIED_HINT = 'Users, groups and policies are managed by the tenant’s administrators; ask one of them for the iam permissions you need.';

export const isDenied = (error: unknown): boolean => error instanceof BridgeFailure && error.name === 'AccessDeniedException';

export const usersQuery = { queryKey: ['users'], queryFn: () => run('ListUsers', {}) } as const;
export const tenantsQuery = { queryKey: ['tenants'], queryFn: () => run('ListTenants', {}) } as const;

/** The navigation entries of the administrators' screens this user was not refused. */
export function useAdminNav(): { path: string; label: string }[] {
  const users = useQuery(usersQuery);
  const tenants = useQuery(tenantsQuery);
  return [
    ...(isDenied(users.error) ? [] : [{ path: '/users', label: 'Users' }]),
    ...(isDenied(tenants.error) ? [] : [{ path: '/tenants', label: 'Tenants' }]),
  ];
}

/** A screen's error state: the AWS name and sentence, and for a refusal who may do this instead. */
export function ScreenError({ error, deniedHint }: { error: unknown; deniedHint: string }) {
  if (!error) return null;
  return (
    <div className="screen-error">
      <ErrorNote error={error} />
      {isDenied(error) && <p>{deniedHint}</p>}
    </div>
  );
}
