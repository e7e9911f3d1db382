// The app's states, in order: the vault is unlocked (passphrase custody
// only), a user signs in, then the keys. A lock (idle, OS screen lock,
// suspend) or a sign-out from the main process goes back to sign-in and
// says why.
import { useEffect, useState } from 'react';
import type { OutputOf } from '../../main/api/index.js';
import { bridge, run } from './bridge.js';
import { ErrorNote } from './screens/ErrorNote.js';
import { Keys } from './screens/Keys.js';
import { SignIn } from './screens/SignIn.js';
import { Unlock } from './screens/Unlock.js';

type VaultStatus = OutputOf<'GetVaultStatus'>;
type Session = OutputOf<'SignIn'>;

export function App() {
  const [status, setStatus] = useState<VaultStatus>();
  const [session, setSession] = useState<Session>();
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    run('GetVaultStatus', {}).then(setStatus, setError);
    return bridge().onSessionEvent((event) => {
      setSession(undefined);
      setNotice(event.type === 'locked' ? `Locked (${event.reason === 'idle' ? 'idle' : event.reason === 'suspend' ? 'the computer slept' : 'the screen was locked'}): sign in again.` : 'Signed out.');
    });
  }, []);

  if (error) return <ErrorNote error={error} />;
  if (!status) return <p role="status">Opening…</p>;
  if (!status.Exists) return <p role="alert">There is no vault in {status.Directory}. Create one with <code>strongroom init</code>, then start the app again.</p>;
  if (!status.Open) return <Unlock status={status} onUnlocked={setStatus} />;
  if (!session) return <SignIn notice={notice} onSignedIn={(s) => (setNotice(undefined), setSession(s))} />;
  return <Keys session={session} onSignOut={() => void bridge().signOut().then(() => setSession(undefined))} />;
}
