// The app's gate, in order: a vault exists (else the first-run screen), it
// is unlocked (passphrase custody only), a user is signed in, and has a
// passphrase it may keep; then the shell and its screens. A lock (idle, OS
// screen lock, suspend) or a sign-out from the main process comes back here
// to sign-in and says why.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { OutputOf } from '../../main/api/index.js';
import { bridge, run } from './bridge.js';
import { ChangePassphrase } from './screens/ChangePassphrase.js';
import { FirstRun } from './screens/FirstRun.js';
import { SignIn } from './screens/SignIn.js';
import { Unlock } from './screens/Unlock.js';
import { SessionContext } from './session.js';
import { Shell } from './shell/Shell.js';
import { ErrorNote } from './ui/ErrorNote.js';

type VaultStatus = OutputOf<'GetVaultStatus'>;
type Session = OutputOf<'SignIn'>;

const LOCK_REASONS = { idle: 'idle for too long', 'screen-locked': 'the screen was locked', suspend: 'the computer slept' } as const;

export function App() {
  const [status, setStatus] = useState<VaultStatus>();
  const [session, setSession] = useState<Session>();
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<unknown>();
  const queries = useQueryClient();

  useEffect(() => {
    run('GetVaultStatus', {}).then(setStatus, setError);
    return bridge().onSessionEvent((event) => {
      setSession(undefined);
      queries.clear(); // nothing of the signed-out user stays in memory
      setNotice(event.type === 'locked' ? `Locked (${LOCK_REASONS[event.reason]}): sign in again.` : 'Signed out.');
    });
  }, [queries]);

  const signOut = () => {
    void bridge().signOut();
    queries.clear();
    setSession(undefined);
    setNotice('Signed out.');
  };

  if (error) return <ErrorNote error={error} />;
  if (!status) return <p role="status">Opening…</p>;
  if (!status.Exists) return <FirstRun status={status} onCreated={setStatus} />;
  if (!status.Open) return <Unlock status={status} onUnlocked={setStatus} />;
  if (!session) return <SignIn notice={notice} onSignedIn={(s) => (setNotice(undefined), setSession(s))} />;
  if (session.MustChangePassphrase) return <ChangePassphrase userName={session.UserName} onChanged={() => setSession({ ...session, MustChangePassphrase: false })} />;
  return (
    <SessionContext.Provider value={{ session, signOut, updateSession: setSession }}>
      <Shell />
    </SessionContext.Provider>
  );
}
