// The OS events after which the vault locks at once (issue 11), besides the
// idle timeout: the screen locks, the machine suspends, or (macOS fast user
// switching) another user takes over the console. Each means the person at
// the keyboard may no longer be the one who signed in.
import type { PowerMonitor } from 'electron';

export type PowerEvents = Pick<PowerMonitor, 'on' | 'off'>;

/**
 * 'lock-screen' is emitted on macOS and Windows, 'suspend' everywhere,
 * 'user-did-resign-active' on macOS when the session is switched away from.
 * (On Linux a screen lock is not reported; the idle timeout covers it.)
 */
/** Calls `lock` with why on each locking event (the window says it: main/api/bridge.ts SessionEvent); returns the function that stops listening. */
export function watchPower(powerMonitor: PowerEvents, lock: (reason: 'screen-locked' | 'suspend') => void): () => void {
  // One listener object per reason, so `off` removes exactly what `on` added.
  const screenLocked = (): void => lock('screen-locked');
  const suspended = (): void => lock('suspend');
  // Spelled out per event: each is its own overload in Electron's typings.
  powerMonitor.on('lock-screen', screenLocked);
  powerMonitor.on('suspend', suspended);
  powerMonitor.on('user-did-resign-active', screenLocked);
  return () => {
    powerMonitor.off('lock-screen', screenLocked);
    powerMonitor.off('suspend', suspended);
    powerMonitor.off('user-did-resign-active', screenLocked);
  };
}
