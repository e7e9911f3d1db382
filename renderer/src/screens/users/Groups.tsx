// The tenant's groups, and a form that creates one.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { CONTRACT } from '../../../../main/api/index.js';
import { run } from '../../bridge.js';
import { Button, TextField } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { DENIED_HINT, ScreenError } from './access.js';
import { problem } from './check.js';

const GROUP_NAME = CONTRACT.CreateGroup.input.shape.GroupName;

export function Groups() {
  const queries = useQueryClient();
  const groups = useQuery({ queryKey: ['groups'], queryFn: () => run('ListGroups', {}) });
  const [name, setName] = useState('');
  const nameProblem = problem(GROUP_NAME, name);
  const create = useMutation({
    mutationFn: () => run('CreateGroup', { GroupName: name }),
    onSuccess: () => (setName(''), queries.invalidateQueries({ queryKey: ['groups'] })),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name && !nameProblem) create.mutate();
  };
  return (
    <>
      <ScreenError error={groups.error} deniedHint={DENIED_HINT} />
      {groups.isPending ? (
        <p role="status">Loading groups…</p>
      ) : groups.data ? (
        <>
          <form className="panel" onSubmit={submit} aria-labelledby="create-group-title">
            <h2 id="create-group-title">Create a group</h2>
            <div className="row">
              <TextField label="Group name" value={name} onChange={setName} isRequired errorMessage={nameProblem} />
              <Button type="submit" variant="primary" disabled={create.isPending}>
                Create group
              </Button>
            </div>
            <ErrorNote error={create.error} />
          </form>
          <h2>Groups</h2>
          {groups.data.Groups.length === 0 ? (
            <p>No groups yet.</p>
          ) : (
            <table aria-label="Groups">
              <thead>
                <tr>
                  <th scope="col">Group</th>
                  <th scope="col">ARN</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {groups.data.Groups.map((g) => (
                  <tr key={g.GroupId}>
                    <td>
                      <Link href={`/group/${encodeURIComponent(g.GroupName)}`}>{g.GroupName}</Link>
                    </td>
                    <td className="mono">{g.Arn}</td>
                    <td>{g.CreateDate.toLocaleString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ) : null}
    </>
  );
}
