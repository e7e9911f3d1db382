// What a command gets from whoever runs the CLI: the process's environment,
// directory and output (CliIo, which bin.ts fills from the real process and
// tests fill in-process), and for the hand-written commands (file, audit)
// the helpers run.ts shares with them (CommandHost). Its own module, so that
// run.ts, session.ts and the command modules can all import it without
// importing one another.
import type { OperationSpec } from '../api/operation.js';
import type { KmsError } from '../core/errors.js';
import type { Prompt } from './credentials.js';
import type { GlobalOptions } from './global-options.js';
import type { VaultApi } from './vault-api.js';

export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  /** where relative paths (--vault, file://) start */
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** the terminal's width when standard output is one, for --output table (else 80, as the AWS CLI) */
  readonly columns?: number;
  /** asks for a secret without echo; default: the controlling terminal */
  readonly promptSecret?: Prompt;
  /** asks a question whose answer is shown as it is typed (a confirmation); default: the controlling terminal */
  readonly promptLine?: Prompt;
  /**
   * whether standard input is a terminal, so that a command may ask what a
   * script must give as an option (`approval approve` without
   * --request-hash); default: whether file descriptor 0 is a terminal
   */
  readonly interactive?: boolean;
  /** default: main/vault/vault.js */
  readonly vault?: VaultApi;
  /** default: the contract (main/api) */
  readonly operations?: ReadonlyMap<string, OperationSpec>;
}

/** What run.ts hands the hand-written commands (file, audit): its context and helpers. */
export interface CommandHost {
  readonly io: CliIo;
  readonly globals: GlobalOptions;
  readonly prompt: Prompt;
  /** the vault directory the global options name */
  vaultDir(api: VaultApi): string;
  /** where the vault logs internal errors */
  log(message: string, error?: unknown): void;
  /** prints `An error occurred (X) when calling the Op operation: …`; returns the exit code */
  serviceError(e: KmsError, operation: string): number;
}
