// Opening the vault and signing in, the same way for every command that
// talks to the service (operation commands, file commands, audit commands):
// the vault passphrase only if the vault's custody needs one; then the
// `strongroom login` session kept for this vault, tenant and user, if any
// (login-commands.ts), else the user's passphrase from STRONGROOM_PASSPHRASE
// or a prompt; the tenant, user and region from the global options.
//
// Which credentials win: STRONGROOM_PASSPHRASE, when set, is used and the
// kept session is not even read — explicit credentials win, as the AWS CLI's
// environment credentials win over an SSO profile's cached token — so a
// script that sets it behaves the same whoever has logged in on the machine.
import type { Caller } from '../core/service/caller.js';
import { isKmsError } from '../core/errors.js';
import { ENV, userPassphrase, vaultPassphrase, type Prompt } from './credentials.js';
import type { GlobalOptions } from './global-options.js';
import type { OpenedVault, VaultApi } from './vault-api.js';

interface SessionHost {
  readonly env: NodeJS.ProcessEnv;
  readonly globals: GlobalOptions;
  readonly prompt: Prompt;
  readonly dir: string;
  readonly log: (message: string, error?: unknown) => void;
}

export interface Session<V extends OpenedVault = OpenedVault> {
  readonly vault: V;
  readonly caller: Caller;
  /**
   * The user's passphrase, for operation fields marked `passphrase: 'current'`:
   * the one signed in with, or — in a login session, which never holds it —
   * asked for now (STRONGROOM_PASSPHRASE or the terminal).
   */
  currentPassphrase(): Promise<string>;
}

/** Opens the vault and signs in; on failure the vault is closed again before the error propagates. */
export async function openSession<V extends OpenedVault>(api: { openVault(...args: Parameters<VaultApi['openVault']>): Promise<V> }, host: SessionHost): Promise<Session<V>> {
  const vault = await api.openVault(host.dir, {
    vaultPassphrase: () => vaultPassphrase(host.env, host.prompt),
    log: host.log,
    ...(host.globals.lockTimeoutMs !== undefined ? { busyTimeoutMs: host.globals.lockTimeoutMs } : {}),
  });
  try {
    const { user } = host.globals;
    const resumed = await resumeLogin(vault, host);
    if (resumed) return { vault, caller: resumed, currentPassphrase: () => userPassphrase(host.env, host.prompt, user, 'this operation needs it even in a login session') };
    const passphrase = await userPassphrase(host.env, host.prompt, user);
    const caller = await vault.service.signIn({
      ...(host.globals.tenant !== undefined ? { tenant: host.globals.tenant } : {}),
      userName: user,
      passphrase,
      region: host.globals.region,
      source: 'cli',
    });
    return { vault, caller, currentPassphrase: () => Promise.resolve(passphrase) };
  } catch (e) {
    await vault.close().catch(() => undefined);
    throw e;
  }
}

/**
 * The caller of the login session kept for this vault, tenant and user, or
 * undefined when there is none to use (STRONGROOM_PASSPHRASE is set, the
 * vault has no keychain, no session is kept). A session the vault refuses
 * (expired, user disabled or deleted, passphrase changed, not this vault's)
 * is removed, and the refusal is the command's error: the next command asks
 * for the passphrase again, as with no session.
 */
async function resumeLogin(vault: OpenedVault, host: SessionHost): Promise<Caller | undefined> {
  const store = vault.sessionTokens;
  if (host.env[ENV.passphrase] !== undefined || !store) return undefined;
  const { user } = host.globals;
  const account = await vault.service.accountOf(host.globals.tenant);
  if (account === undefined) return undefined; // no such tenant: the sign-in says so, as it says it of any name
  const token = await store.read(account, user);
  if (token === undefined) return undefined;
  try {
    return await vault.service.resumeSession(token, { account, userName: user, region: host.globals.region, source: 'cli' });
  } catch (e) {
    if (isKmsError(e) && (e.name === 'AccessDeniedException' || e.name === 'ExpiredTokenException')) {
      await store.remove(account, user).catch((err: unknown) => host.log('removing the refused login session from the keychain failed', err));
    }
    throw e;
  }
}
