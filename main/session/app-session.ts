// A session of the desktop app, and the contract's `app` operations run on
// it (main/api/operations/app.ts): unlocking the vault, signing in and out,
// the session's state, file jobs with progress and cancellation, audit
// export to a file and verification of one, the vault's status. The desktop
// bridge holds one per window (main/bridge/dispatcher.ts). Each operation's
// input is checked against its schema here, as the vault service checks its
// own (core/service/service.ts), and a refusal is recorded in the audit
// trail like the service's. What these operations do to keys
// (GenerateDataKey for a file, ExportEvents for an export) runs through the
// vault service as the signed-in user, so it is authorized and audited like
// any call.
import { CONTRACT, type AppOperationName, type InputOf, type OutputOf } from '../api/index.js';
import type { Caller, CallSource } from '../core/service/caller.js';
import { accessDenied, isKmsError, KmsError, validation } from '../core/errors.js';
import type { Vault } from '../vault/vault.js';
import type { AppClipboard, AppEvents, AppHandler, DesktopParts, SessionContext } from './app-handler.js';
import { APP_HANDLERS } from './app-operations.js';
import { SettingsFile } from './app-settings.js';
import { VaultHost } from './vault-host.js';
import { checkAppInput } from './app-input.js';
import { inSchemaOrder } from '../api/member-order.js';

/** What runs without a signed-in user: what the unlock and sign-in screens need. */
const BEFORE_SIGN_IN: ReadonlySet<AppOperationName> = new Set(['GetVaultStatus', 'CreateVault', 'UnlockVault', 'DescribeRecoverySplit', 'RecoverVaultCustody', 'RestoreBackup', 'SignIn', 'GetSession', 'SignOut', 'GetAppSettings']);

export class AppSession implements SessionContext {
  #caller: Caller | undefined;
  readonly host: VaultHost;

  readonly settings: SettingsFile;
  readonly clipboard: AppClipboard | undefined;
  readonly chooseFiles: SessionContext['chooseFiles'];
  readonly #log: DesktopParts['log'];

  constructor(
    vault: VaultHost | Vault,
    /** what the session's calls are recorded as coming from */
    readonly source: CallSource,
    /** where relative paths of file operations start */
    readonly cwd: string = process.cwd(),
    desktop: DesktopParts = {},
  ) {
    this.host = vault instanceof VaultHost ? vault : VaultHost.of(vault);
    this.settings = desktop.settings ?? SettingsFile.inMemory();
    this.clipboard = desktop.clipboard;
    const { chooseFiles, windowId } = desktop;
    this.chooseFiles = chooseFiles && ((request) => chooseFiles(request, windowId));
    this.#log = desktop.log;
  }

  /** The open vault; KMSInvalidStateException until it is unlocked. */
  get vault(): Vault {
    return this.host.vault;
  }

  /** The signed-in caller; AccessDeniedException when nobody is signed in. */
  get caller(): Caller {
    if (!this.#caller) throw accessDenied('The session is not signed in: sign in first.');
    return this.#caller;
  }

  /** The signed-in caller, or undefined: for adapters that record what they refuse as whoever sent it. */
  get callerIfSignedIn(): Caller | undefined {
    return this.#caller;
  }

  get signedIn(): boolean {
    return this.#caller !== undefined;
  }

  /** Replaces who the session runs as (SignIn, SignOut, a lock), signing the previous one out of the vault service. */
  setCaller(caller: Caller | undefined): void {
    if (this.#caller && this.#caller !== caller && this.host.isOpen) this.vault.service.signOut(this.#caller);
    this.#caller = caller;
  }

  /** Runs an app operation, typed by its name. Resolves with its output or rejects with a KmsError. */
  async run<N extends AppOperationName>(name: N, input: InputOf<N>, events: AppEvents = {}): Promise<OutputOf<N>> {
    return this.#run(name, input, events) as Promise<OutputOf<N>>;
  }

  /** Runs an app operation an adapter names (a bridge message): the name and the input are checked here. */
  dispatch(name: string, input: unknown, events: AppEvents = {}): Promise<unknown> {
    if (!Object.hasOwn(APP_HANDLERS, name)) return this.#refuse(name, 'app:Unknown', validation(`Unknown app operation '${name}'.`));
    return this.#run(name as AppOperationName, input, events);
  }

  /** Records a refusal made before the operation ran (when the vault is open: there is no trail before), then rejects with it. */
  async #refuse(name: string, action: string, error: KmsError): Promise<never> {
    if (this.host.isOpen) await this.vault.service.recordRefusal(this.#caller, name, action, error);
    throw error;
  }

  /**
   * The file dialog, while no vault is open: the unlock and first-run screens
   * choose share files and a backup to recover or restore from. Once a vault
   * is open, only a signed-in session opens dialogs.
   */
  #dialogBeforeOpen(name: AppOperationName): boolean {
    return name === 'ChooseFiles' && !this.host.isOpen;
  }

  async #run(name: AppOperationName, input: unknown, events: AppEvents): Promise<unknown> {
    let checked: unknown;
    try {
      checked = checkAppInput(name, input ?? {});
      if (!BEFORE_SIGN_IN.has(name) && !this.signedIn && !this.#dialogBeforeOpen(name)) throw accessDenied('The session is not signed in: sign in first.');
    } catch (e) {
      return this.#refuse(name, CONTRACT[name].action, e as KmsError);
    }
    const handler = APP_HANDLERS[name] as AppHandler<AppOperationName>;
    try {
      // members in the schema's order, as the vault service returns its outputs (api/member-order.ts)
      return inSchemaOrder(CONTRACT[name].output, await handler(this, checked as never, events));
    } catch (e) {
      // An aborted job rejects with the signal's reason (an AbortError) as file jobs do; everything else is a KmsError.
      if (isKmsError(e) || (e as Error)?.name === 'AbortError') throw e;
      this.#log?.(`${name} failed`, e);
      throw new KmsError('KMSInternalException', 'An internal error occurred; see the Strongroom log for details.');
    }
  }
}

