// How long a session that outlives its process may last (issue 14): its own
// module, so the CLI can check `--duration` before anyone types a passphrase
// without loading the rest of the service.
import { validation } from '../errors.js';

/** Shortest and longest session, in seconds: STS GetSessionToken's shortest (15 minutes), and issue 14's longest (12 hours). */
export const MIN_SESSION_SECONDS = 900;
export const MAX_SESSION_SECONDS = 12 * 3600;
export const DEFAULT_SESSION_SECONDS = 3600;

/** Refuses a duration out of bounds with AWS's own constraint message (STS GetSessionToken's DurationSeconds). */
export function checkSessionDuration(seconds: number): void {
  if (Number.isSafeInteger(seconds) && seconds >= MIN_SESSION_SECONDS && seconds <= MAX_SESSION_SECONDS) return;
  const bound = seconds < MIN_SESSION_SECONDS ? `greater than or equal to ${MIN_SESSION_SECONDS}` : `less than or equal to ${MAX_SESSION_SECONDS}`;
  throw validation(`1 validation error detected: Value '${seconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value ${bound}`);
}
