// A session over an open vault, and the contract's `app` operations run on
// it (main/api/operations/app.ts): signing in and out, the session's state,
// file jobs with progress and cancellation, audit export to a file and
// verification of one, the vault's status. The desktop bridge holds one per
// window; each operation's input is checked against its schema here, as
// the vault service checks its own (core/service/service.ts). What these
// operations do to keys (GenerateDataKey for a file, ExportEvents for an
// export) runs through the vault service as the signed-in user, so it is
// authorized and audited like any call.
import { CONTRACT, type AppOperationName, type InputOf, type OutputOf } from '../api/index.js';
import type { Caller, CallSource } from '../core/service/caller.js';
import { accessDenied, KmsError, validation } from '../core/errors.js';
import { formatIssues } from '../core/service/validation.js';
import type { Vault } from '../vault/vault.js';
import type { AppEvents, AppHandler, SessionContext } from './app-handler.js';
import { APP_HANDLERS } from './app-operations.js';

export class AppSession implements SessionContext {
  #caller: Caller | undefined;

  constructor(
    readonly vault: Vault,
    /** what the session's calls are recorded as coming from */
    readonly source: CallSource,
    /** where relative paths of file operations start */
    readonly cwd: string = process.cwd(),
  ) {}

  /** The signed-in caller; AccessDeniedException when nobody is signed in. */
  get caller(): Caller {
    if (!this.#caller) throw accessDenied('The session is not signed in: sign in first.');
    return this.#caller;
  }

  get signedIn(): boolean {
    return this.#caller !== undefined;
  }

  /** Replaces who the session runs as (SignIn, SignOut: app-operations.ts). */
  setCaller(caller: Caller | undefined): void {
    if (this.#caller && this.#caller !== caller) this.vault.service.signOut(this.#caller);
    this.#caller = caller;
  }

  /** Runs an app operation, typed by its name. Resolves with its output or rejects with a KmsError. */
  async run<N extends AppOperationName>(name: N, input: InputOf<N>, events: AppEvents = {}): Promise<OutputOf<N>> {
    return this.#run(name, input, events) as Promise<OutputOf<N>>;
  }

  /** Runs an app operation an adapter names (a bridge message): the name and the input are checked here. */
  dispatch(name: string, input: unknown, events: AppEvents = {}): Promise<unknown> {
    if (!Object.hasOwn(APP_HANDLERS, name)) return Promise.reject(validation(`Unknown app operation '${name}'.`));
    return this.#run(name as AppOperationName, input, events);
  }

  async #run(name: AppOperationName, input: unknown, events: AppEvents): Promise<unknown> {
    const checked = checkAppInput(name, input ?? {});
    const handler = APP_HANDLERS[name] as AppHandler<AppOperationName>;
    try {
      return await handler(this, checked as never, events);
    } catch (e) {
      // An aborted job rejects with the signal's reason (an AbortError) as file jobs do; everything else is a KmsError.
      if (e instanceof KmsError || (e as Error)?.name === 'AbortError') throw e;
      throw new KmsError('KMSInternalException', 'An internal error occurred; see the Strongroom log for details.');
    }
  }
}

/** An app operation's input checked against its schema in the contract; ValidationException naming what is wrong. */
export function checkAppInput<N extends AppOperationName>(name: N, input: unknown): InputOf<N> {
  const parsed = CONTRACT[name].input.safeParse(input);
  if (!parsed.success) throw validation(formatIssues(parsed.error.issues));
  return parsed.data as InputOf<N>;
}
