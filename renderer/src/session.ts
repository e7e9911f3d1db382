// Who is signed in, for every screen: the SignIn output, and signing out.
import { createContext, useContext } from 'react';
import type { OutputOf } from '../../main/api/index.js';

export interface SessionValue {
  readonly session: OutputOf<'SignIn'>;
  signOut(): void;
  /** the session after an app operation changed it (SwitchRegion) */
  updateSession(session: OutputOf<'SignIn'>): void;
}

export const SessionContext = createContext<SessionValue | undefined>(undefined);

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a signed-in screen');
  return value;
}
