// One user: who it is and whether it is enabled, its passphrase, its
// standing (disable or enable, delete), its groups, and its policies.
// GetLoginProfile says whether the user has a passphrase (and must change
// it at next sign-in), so the passphrase panel offers Set when there is
// none, Reset (UpdateLoginProfile: one call, the new passphrase checked by
// the contract's schema first and by the service before anything is
// written) and Remove when there is one. The User shape's Enabled says
// which of Disable and Enable applies.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { CONTRACT } from '../../../../main/api/index.js';
import { BridgeFailure, run } from '../../bridge.js';
import { useSession } from '../../session.js';
import { Button, TextField } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { DENIED_HINT, ScreenError } from './access.js';
import { mismatch, problem } from './check.js';
import { ConfirmButton } from './ConfirmButton.js';
import { Policies } from './Policies.js';
import { UserState } from './UserState.js';

const PASSWORD = CONTRACT.CreateLoginProfile.input.shape.Password;

/** The user's login profile, or null when it has none (NoSuchEntityException is the answer, not a failure). */
async function loginProfile(userName: string) {
  try {
    return (await run('GetLoginProfile', { UserName: userName })).LoginProfile;
  } catch (e) {
    if (e instanceof BridgeFailure && e.name === 'NoSuchEntityException') return null;
    throw e;
  }
}

export function UserDetail({ userName }: { userName: string }) {
  const user = useQuery({ queryKey: ['user', userName], queryFn: () => run('GetUser', { UserName: userName }) });
  return (
    <>
      <p>
        <Link href="/">← All users</Link>
      </p>
      <ScreenError error={user.error} deniedHint={DENIED_HINT} />
      {user.isPending ? (
        <p role="status">Loading {userName}…</p>
      ) : user.data ? (
        <>
          <h2>User {user.data.User.UserName}</h2>
          <dl className="facts">
            <dt>ARN</dt>
            <dd className="mono">{user.data.User.Arn}</dd>
            <dt>User id</dt>
            <dd className="mono">{user.data.User.UserId}</dd>
            <dt>Created</dt>
            <dd>{user.data.User.CreateDate.toLocaleString()}</dd>
            <dt>State</dt>
            <dd>
              <UserState enabled={user.data.User.Enabled} />
            </dd>
            <dt>Passphrase last used</dt>
            <dd>{user.data.User.PasswordLastUsed?.toLocaleString() ?? 'Never'}</dd>
          </dl>
          <Passphrase userName={userName} />
          <Standing userName={userName} enabled={user.data.User.Enabled} />
          <Memberships userName={userName} />
          <Policies principal={{ kind: 'user', name: userName }} />
        </>
      ) : null}
    </>
  );
}

function Passphrase({ userName }: { userName: string }) {
  const queries = useQueryClient();
  const key = ['loginProfile', userName];
  const profile = useQuery({ queryKey: key, queryFn: () => loginProfile(userName) });
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [resetRequired, setResetRequired] = useState(true);
  const [done, setDone] = useState<string>();
  const errors = { passphrase: problem(PASSWORD, passphrase), again: mismatch(passphrase, again) };
  // after a change the form is back to its defaults (the safe one: the user must choose their own)
  const changed = (message: string) => {
    setDone(message);
    setPassphrase('');
    setAgain('');
    setResetRequired(true);
    return queries.invalidateQueries({ queryKey: key });
  };
  const has = profile.data != null;
  const set = useMutation({
    mutationFn: async () => {
      const input = { UserName: userName, Password: passphrase, PasswordResetRequired: resetRequired };
      if (has) {
        await run('UpdateLoginProfile', input);
        return 'Passphrase reset: the old one no longer signs in, and the user’s open sessions have ended.';
      }
      await run('CreateLoginProfile', input);
      return 'Passphrase set.';
    },
    onSuccess: changed,
  });
  const remove = useMutation({ mutationFn: () => run('DeleteLoginProfile', { UserName: userName }), onSuccess: () => changed('Passphrase removed: the user cannot sign in.') });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!passphrase || errors.passphrase || passphrase !== again) return;
    setDone(undefined);
    set.mutate();
  };
  const verb = has ? 'Reset' : 'Set';
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="passphrase-title">
      <h2 id="passphrase-title">Passphrase</h2>
      {profile.isPending ? (
        <p role="status">Loading the passphrase…</p>
      ) : profile.error ? (
        <ErrorNote error={profile.error} />
      ) : (
        <>
          <p data-testid="passphrase-state">
            {profile.data
              ? `${userName} has a passphrase, first given ${profile.data.CreateDate.toLocaleString()}${profile.data.PasswordResetRequired ? ', and must choose a new one at next sign-in' : ''}.`
              : `${userName} has no passphrase and cannot sign in.`}
          </p>
          <p className="hint">{has ? 'A reset replaces the passphrase in one step, ends the user’s open sessions and lifts a lockout after failed sign-ins.' : 'Setting a passphrase lets the user sign in, and lifts a lockout after failed sign-ins.'}</p>
          <div className="row">
            <TextField label="New passphrase" type="password" autoComplete="new-password" value={passphrase} onChange={setPassphrase} isRequired errorMessage={errors.passphrase} />
            <TextField label="New passphrase again" type="password" autoComplete="new-password" value={again} onChange={setAgain} isRequired errorMessage={errors.again} />
          </div>
          <label className="check">
            <input type="checkbox" checked={resetRequired} onChange={(e) => setResetRequired(e.target.checked)} /> Must choose a new passphrase at next sign-in
          </label>
          <div className="row">
            <Button type="submit" variant="primary" disabled={set.isPending}>
              {verb} passphrase
            </Button>
            {has && (
              <ConfirmButton label="Remove passphrase" question={`Remove ${userName}’s passphrase? ${userName} can no longer sign in until given a new one.`} onConfirm={() => (setDone(undefined), remove.mutate())} />
            )}
          </div>
        </>
      )}
      {done && <p role="status">{done}</p>}
      <ErrorNote error={set.error ?? remove.error} />
    </form>
  );
}

function Standing({ userName, enabled }: { userName: string; enabled: boolean }) {
  const { session } = useSession();
  const queries = useQueryClient();
  const [, navigate] = useLocation();
  const [done, setDone] = useState<string>();
  const changed = (message: string) => {
    setDone(message);
    return Promise.all([queries.invalidateQueries({ queryKey: ['user', userName] }), queries.invalidateQueries({ queryKey: ['users'] })]);
  };
  const disable = useMutation({ mutationFn: () => run('DisableUser', { UserName: userName }), onSuccess: () => changed(`${userName} is disabled: it cannot sign in.`) });
  const enable = useMutation({ mutationFn: () => run('EnableUser', { UserName: userName }), onSuccess: () => changed(`${userName} is enabled.`) });
  const remove = useMutation({
    mutationFn: () => run('DeleteUser', { UserName: userName }),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ['users'] });
      navigate('/');
    },
  });
  const self = userName === session.UserName;
  return (
    <section className="panel" aria-labelledby="standing-title">
      <h2 id="standing-title">Sign-in</h2>
      <p>
        {enabled ? `${userName} is enabled: it signs in with its passphrase.` : `${userName} is disabled: it cannot sign in; its policies and groups stay.`}
      </p>
      {self && <p className="hint">This is you: you cannot disable or delete the user you are signed in as.</p>}
      <div className="row">
        {enabled ? (
          <ConfirmButton label="Disable user" disabled={self} question={`Disable ${userName}? It can no longer sign in; its policies and groups stay.`} onConfirm={() => (setDone(undefined), disable.mutate())} />
        ) : (
          <Button onClick={() => (setDone(undefined), enable.mutate())} disabled={enable.isPending}>
            Enable user
          </Button>
        )}
        <ConfirmButton label="Delete user" disabled={self} question={`Delete ${userName} with its memberships and inline policies? This cannot be undone.`} onConfirm={() => remove.mutate()} />
      </div>
      {done && <p role="status">{done}</p>}
      <ErrorNote error={disable.error ?? enable.error ?? remove.error} />
    </section>
  );
}

function Memberships({ userName }: { userName: string }) {
  const queries = useQueryClient();
  const key = ['groupsForUser', userName];
  const mine = useQuery({ queryKey: key, queryFn: () => run('ListGroupsForUser', { UserName: userName }) });
  const all = useQuery({ queryKey: ['groups'], queryFn: () => run('ListGroups', {}) });
  const [chosen, setChosen] = useState('');
  const id = useId();
  const changed = (group: string) => Promise.all([queries.invalidateQueries({ queryKey: key }), queries.invalidateQueries({ queryKey: ['group', group] })]);
  const add = useMutation({ mutationFn: (g: string) => run('AddUserToGroup', { UserName: userName, GroupName: g }), onSuccess: (_, g) => (setChosen(''), changed(g)) });
  const leave = useMutation({ mutationFn: (g: string) => run('RemoveUserFromGroup', { UserName: userName, GroupName: g }), onSuccess: (_, g) => changed(g) });
  const member = new Set(mine.data?.Groups.map((g) => g.GroupName));
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Groups</h2>
      <ErrorNote error={mine.error ?? all.error} />
      {mine.isPending ? (
        <p role="status">Loading groups…</p>
      ) : mine.data?.Groups.length === 0 ? (
        <p>Not in any group.</p>
      ) : (
        <ul className="plain" aria-label={`Groups of ${userName}`}>
          {mine.data?.Groups.map((g) => (
            <li key={g.GroupName}>
              <Link href={`/group/${encodeURIComponent(g.GroupName)}`}>{g.GroupName}</Link>{' '}
              <ConfirmButton label={`Remove from ${g.GroupName}`} question={`Remove ${userName} from ${g.GroupName}? What the group’s policies allowed stops at once.`} onConfirm={() => leave.mutate(g.GroupName)} />
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <label className="field" htmlFor={id}>
          Group to join
          <select id={id} value={chosen} onChange={(e) => setChosen(e.target.value)}>
            <option value="">Choose a group…</option>
            {all.data?.Groups.filter((g) => !member.has(g.GroupName)).map((g) => (
              <option key={g.GroupName} value={g.GroupName}>
                {g.GroupName}
              </option>
            ))}
          </select>
        </label>
        <Button onClick={() => chosen && add.mutate(chosen)} disabled={!chosen || add.isPending}>
          Add to group
        </Button>
      </div>
      <ErrorNote error={add.error ?? leave.error} />
    </section>
  );
}
