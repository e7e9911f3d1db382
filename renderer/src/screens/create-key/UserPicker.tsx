// One step of the create-key wizard: choosing users of the tenant (from
// ListUsers) as key administrators or key users, by ARN.
import type { UseQueryResult } from '@tanstack/react-query';
import type { OutputOf } from '../../../../main/api/index.js';
import { ErrorNote } from '../../ui/ErrorNote.js';

export function UserPicker({
  users,
  legend,
  hint,
  chosen,
  onChange,
}: {
  users: UseQueryResult<OutputOf<'ListUsers'>>;
  legend: string;
  hint: string;
  chosen: readonly string[];
  onChange: (arns: string[]) => void;
}) {
  if (users.isPending) return <p role="status">Loading users…</p>;
  if (users.error)
    return (
      <>
        <ErrorNote error={users.error} />
        <p className="hint">Without the list of users you can still create the key; its policy then names only the account.</p>
      </>
    );
  const list = users.data?.Users ?? [];
  const toggle = (arn: string, on: boolean) => onChange(on ? [...chosen, arn] : chosen.filter((a) => a !== arn));
  return (
    <fieldset className="choices">
      <legend>{legend}</legend>
      <p className="hint">{hint} Choose none to leave it to the account's IAM policies.</p>
      {list.length === 0 && <p>This tenant has no users yet.</p>}
      {list.map((u) => (
        <label key={u.Arn}>
          <input type="checkbox" checked={chosen.includes(u.Arn)} onChange={(e) => toggle(u.Arn, e.target.checked)} />
          <span>
            <strong>{u.UserName}</strong> <span className="mono hint">{u.Arn}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
