// An app operation's input checked against its schema in the contract, on
// its own so the command line can check a file job's input without loading
// app-session.ts's handlers (ceremonies, recovery, backups: issue 14).
import { CONTRACT, type AppOperationName, type InputOf } from '../api/index.js';
import { validation } from '../core/errors.js';
import { formatIssues } from '../core/service/validation.js';

/** An app operation's input checked against its schema in the contract; ValidationException naming what is wrong. */
export function checkAppInput<N extends AppOperationName>(name: N, input: unknown): InputOf<N> {
  const parsed = CONTRACT[name].input.safeParse(input);
  if (!parsed.success) throw validation(formatIssues(parsed.error.issues));
  return parsed.data as InputOf<N>;
}
