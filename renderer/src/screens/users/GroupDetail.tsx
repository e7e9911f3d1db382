// One group: its members (add, remove) and its policies.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link } from 'wouter';
import { run } from '../../bridge.js';
import { Button } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { DENIED_HINT, ScreenError, usersQuery } from './access.js';
import { ConfirmButton } from './ConfirmButton.js';
import { Policies } from './Policies.js';

export function GroupDetail({ groupName }: { groupName: string }) {
  const queries = useQueryClient();
  const group = useQuery({ queryKey: ['group', groupName], queryFn: () => run('GetGroup', { GroupName: groupName }) });
  const users = useQuery(usersQuery);
  const [chosen, setChosen] = useState('');
  const id = useId();
  const changed = (user: string) => Promise.all([queries.invalidateQueries({ queryKey: ['group', groupName] }), queries.invalidateQueries({ queryKey: ['groupsForUser', user] })]);
  const add = useMutation({ mutationFn: (u: string) => run('AddUserToGroup', { GroupName: groupName, UserName: u }), onSuccess: (_, u) => (setChosen(''), changed(u)) });
  const remove = useMutation({ mutationFn: (u: string) => run('RemoveUserFromGroup', { GroupName: groupName, UserName: u }), onSuccess: (_, u) => changed(u) });
  const members = new Set(group.data?.Users.map((u) => u.UserName));
  return (
    <>
      <p>
        <Link href="/groups">← All groups</Link>
      </p>
      <ScreenError error={group.error} deniedHint={DENIED_HINT} />
      {group.isPending ? (
        <p role="status">Loading {groupName}…</p>
      ) : group.data ? (
        <>
          <h2>Group {group.data.Group.GroupName}</h2>
          <dl className="facts">
            <dt>ARN</dt>
            <dd className="mono">{group.data.Group.Arn}</dd>
            <dt>Created</dt>
            <dd>{group.data.Group.CreateDate.toLocaleString()}</dd>
          </dl>
          <section className="panel" aria-labelledby={`${id}-title`}>
            <h2 id={`${id}-title`}>Members</h2>
            {group.data.Users.length === 0 ? (
              <p>No members.</p>
            ) : (
              <ul className="plain" aria-label={`Members of ${groupName}`}>
                {group.data.Users.map((u) => (
                  <li key={u.UserName}>
                    <Link href={`/user/${encodeURIComponent(u.UserName)}`}>{u.UserName}</Link>{' '}
                    <ConfirmButton label={`Remove ${u.UserName}`} question={`Remove ${u.UserName} from ${groupName}? What the group’s policies allowed stops at once.`} onConfirm={() => remove.mutate(u.UserName)} />
                  </li>
                ))}
              </ul>
            )}
            <div className="row">
              <label className="field" htmlFor={id}>
                User to add
                <select id={id} value={chosen} onChange={(e) => setChosen(e.target.value)}>
                  <option value="">Choose a user…</option>
                  {users.data?.Users.filter((u) => !members.has(u.UserName)).map((u) => (
                    <option key={u.UserName} value={u.UserName}>
                      {u.UserName}
                    </option>
                  ))}
                </select>
              </label>
              <Button onClick={() => chosen && add.mutate(chosen)} disabled={!chosen || add.isPending}>
                Add member
              </Button>
            </div>
            <ErrorNote error={add.error ?? remove.error ?? users.error} />
          </section>
          <Policies principal={{ kind: 'group', name: groupName }} />
        </>
      ) : null}
    </>
  );
}
