// A user whose passphrase must change (a new user, or one an administrator
// reset) changes it before anything else: the service refuses every other
// call until then.
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { run } from '../bridge.js';
import { Button, TextField } from '../ui/controls.js';
import { ErrorNote } from '../ui/ErrorNote.js';

export function ChangePassphrase({ userName, onChanged }: { userName: string; onChanged: () => void }) {
  const [old, setOld] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const mismatch = again !== '' && again !== next ? 'The two passphrases differ.' : undefined;
  const change = useMutation({ mutationFn: () => run('ChangePassword', { OldPassword: old, NewPassword: next }), onSuccess: onChanged });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!mismatch) change.mutate();
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="change-title">
      <h1 id="change-title">Choose a new passphrase</h1>
      <p>{userName} must change the passphrase before anything else.</p>
      <TextField label="Current passphrase" type="password" autoComplete="current-password" value={old} onChange={setOld} isRequired autoFocus />
      <TextField label="New passphrase" type="password" autoComplete="new-password" value={next} onChange={setNext} isRequired />
      <TextField label="New passphrase again" type="password" autoComplete="new-password" value={again} onChange={setAgain} isRequired errorMessage={mismatch} />
      <Button type="submit" variant="primary" disabled={change.isPending}>
        Change passphrase
      </Button>
      <ErrorNote error={change.error} />
    </form>
  );
}
