// Where passphrases come from: an environment variable or the terminal,
// never a command-line option (options show up in `ps` and shell history).
import { KmsError } from '../core/errors.js';
import { NoTerminalError } from './terminal-prompt.js';

export const ENV = {
  passphrase: 'STRONGROOM_PASSPHRASE',
  vaultPassphrase: 'STRONGROOM_VAULT_PASSPHRASE',
  /** for operations that set a passphrase (CreateLoginProfile, ChangePassword, …) */
  newPassphrase: 'STRONGROOM_NEW_PASSPHRASE',
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

/** The signing-in user's passphrase. */
export function userPassphrase(env: NodeJS.ProcessEnv, prompt: Prompt, user: string): Promise<string> {
  const v = env[ENV.passphrase];
  if (v !== undefined) return Promise.resolve(v);
  return ask(
    prompt,
    `Passphrase for ${user}: `,
    () =>
      new KmsError(
        'AccessDeniedException',
        `No passphrase for user '${user}': set ${ENV.passphrase}, or run the command in a terminal to be asked for it.`,
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
  const noTerminal = () => new KmsError('ValidationException', `No ${what}: set ${envName}, or run the command in a terminal to be asked for it.`);
  const first = await ask(prompt, `New ${what}: `, noTerminal);
  const again = await ask(prompt, `Repeat the ${what}: `, noTerminal);
  if (first !== again) throw new KmsError('ValidationException', `The two ${what}s you typed differ; nothing was changed. Run the command again.`);
  return first;
}
