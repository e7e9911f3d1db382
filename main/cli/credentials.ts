// Where passphrases come from: an environment variable or the terminal,
// never a command-line option (options show up in `ps` and shell history).
import { KmsError } from '../core/errors.js';
import { NoTerminalError } from './terminal-prompt.js';

export const ENV = {
  passphrase: 'STRONGROOM_PASSPHRASE',
  vaultPassphrase: 'STRONGROOM_VAULT_PASSPHRASE',
  /** for operations that set a passphrase (CreateLoginProfile, ChangePassword, …) */
  newPassphrase: 'STRONGROOM_NEW_PASSPHRASE',
  /** the vault passphrase `ceremony recover --passphrase-custody` sets */
  newVaultPassphrase: 'STRONGROOM_NEW_VAULT_PASSPHRASE',
} as const;

export type Prompt = (prompt: string) => Promise<string>;

async function ask(prompt: Prompt, text: string, noTerminal: () => Error): Promise<string> {
  try {
    return await prompt(text);
  } catch (e) {
    if (e instanceof NoTerminalError) throw noTerminal();
    throw e;
  }
}

/** The signing-in user's passphrase; `why` says why it is asked for when that is not plain (in a login session). */
export function userPassphrase(env: NodeJS.ProcessEnv, prompt: Prompt, user: string, why?: string): Promise<string> {
  const v = env[ENV.passphrase];
  if (v !== undefined) return Promise.resolve(v);
  return ask(
    prompt,
    `Passphrase for ${user}${why ? ` (${why})` : ''}: `,
    () =>
      new KmsError(
        'AccessDeniedException',
        `No passphrase for user '${user}'${why ? ` (${why})` : ''}: set ${ENV.passphrase}, or run the command in a terminal to be asked for it.`,
      ),
  );
}

/** The vault passphrase of a passphrase-custody vault. */
export function vaultPassphrase(env: NodeJS.ProcessEnv, prompt: Prompt): Promise<string> {
  const v = env[ENV.vaultPassphrase];
  if (v !== undefined) return Promise.resolve(v);
  return ask(
    prompt,
    'Vault passphrase: ',
    () =>
      new KmsError(
        'AccessDeniedException',
        `This vault's master key is protected by a vault passphrase: set ${ENV.vaultPassphrase}, or run the command in a terminal to be asked for it.`,
      ),
  );
}

/** A new passphrase (init, or an operation's `passphrase: 'new'` field): from the environment, or asked twice on the terminal. */
export async function newPassphrase(env: NodeJS.ProcessEnv, prompt: Prompt, envName: string, what: string): Promise<string> {
  const v = env[envName];
  if (v !== undefined) return v;
  return askTwice(prompt, what, `set ${envName}, or run the command in a terminal to be asked for it`);
}

/** Asks for a new `what` twice on the terminal; `otherwise` says what to do without one. */
export async function askTwice(prompt: Prompt, what: string, otherwise: string): Promise<string> {
  const noTerminal = () => new KmsError('ValidationException', `No ${what}: ${otherwise}.`);
  const first = await ask(prompt, `New ${what}: `, noTerminal);
  const again = await ask(prompt, `Repeat the ${what}: `, noTerminal);
  if (first !== again) throw new KmsError('ValidationException', `The ${what} was typed differently the second time; nothing was changed. Run the command again.`);
  return first;
}

/** Asks for a secret once on the terminal; `otherwise` says what to do without one (ValidationException). */
export function askOnce(prompt: Prompt, text: string, what: string, otherwise: string): Promise<string> {
  return ask(prompt, text, () => new KmsError('ValidationException', `No ${what}: ${otherwise}.`));
}
