// What an app operation's handler gets (app-operations.ts), and its type per
// operation name: the session it runs in (app-session.ts implements it), its
// validated input, and the events a long operation reports.
import type { z } from 'zod';
import type { AppOperationName, Contract } from '../api/index.js';
import type { CeremonyProgress, ChooseFilesRequest, FileJobProgress } from '../api/operations/app.js';
import type { Caller, CallSource } from '../core/service/caller.js';
import type { Vault } from '../vault/vault.js';
import type { SettingsFile } from './app-settings.js';
import type { VaultHost } from './vault-host.js';

/** What a long operation reports while it runs, and how it is stopped. */
export interface AppEvents {
  /** file jobs: as each file starts and after each of its segments */
  onProgress?: (progress: z.output<typeof FileJobProgress>) => void;
  /** RunCeremony: as each step is confirmed, runs, and ends */
  onCeremonyProgress?: (progress: z.output<typeof CeremonyProgress>) => void;
  /** aborting stops a file job between reads and writes; it rejects with the signal's reason */
  signal?: AbortSignal;
}

/** The clipboard, where there is one (the desktop app: main/app/clipboard-guard.ts). */
export interface AppClipboard {
  /** puts `text` on the clipboard and clears it after clearAfterMs if it is still there */
  copy(text: string, clearAfterMs: number): Promise<void>;
}

/**
 * The desktop's own file dialogs, where there are some (the desktop app:
 * main/app/file-dialogs.ts): the page cannot see paths, so it asks for them
 * (ChooseFiles). Shown over the window `windowId` when it is known; resolves
 * with the paths chosen, none when the user cancels.
 */
export type FileChooser = (request: z.output<typeof ChooseFilesRequest>, windowId: number | undefined) => Promise<string[]>;

/** What the desktop app gives its sessions beyond a vault: its settings, the clipboard, file dialogs, and where internal errors are logged. */
export interface DesktopParts {
  readonly settings?: SettingsFile;
  readonly clipboard?: AppClipboard;
  readonly chooseFiles?: FileChooser;
  /** the window the session belongs to (the dispatcher's sessions), which its file dialogs open over */
  readonly windowId?: number;
  readonly log?: (message: string, error?: unknown) => void;
}

/** The session an app operation runs in. */
export interface SessionContext {
  /** the app's vault, open or not yet (vault-host.ts) */
  readonly host: VaultHost;
  /** the open vault; KMSInvalidStateException until it is unlocked */
  readonly vault: Vault;
  /** what the session's calls are recorded as coming from */
  readonly source: CallSource;
  /** where relative paths of file operations start */
  readonly cwd: string;
  /** the signed-in caller; AccessDeniedException when nobody is signed in */
  readonly caller: Caller;
  readonly signedIn: boolean;
  /** the app's settings on this machine (defaults in memory where there is no file) */
  readonly settings: SettingsFile;
  readonly clipboard: AppClipboard | undefined;
  /** the file dialogs, over the session's window; undefined where there are none (the CLI) */
  readonly chooseFiles: ((request: z.output<typeof ChooseFilesRequest>) => Promise<string[]>) | undefined;
  /** replaces who the session runs as (SignIn, SignOut), signing the previous one out */
  setCaller(caller: Caller | undefined): void;
}

export type AppHandler<N extends AppOperationName> = (session: SessionContext, input: z.output<Contract[N]['input']>, events: AppEvents) => Promise<z.input<Contract[N]['output']>>;
export type AppHandlers = { readonly [N in AppOperationName]: AppHandler<N> };
