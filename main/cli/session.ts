// Opening the vault and signing in, the same way for every command that
// talks to the service (operation commands, file commands, audit commands):
// the vault passphrase only if the vault's custody needs one, the user's
// passphrase from STRONGROOM_PASSPHRASE or a prompt, the tenant, user and
// region from the global options.
import type { Caller } from '../core/service/caller.js';
import { userPassphrase, vaultPassphrase, type Prompt } from './credentials.js';
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
  /** the sign-in passphrase, for operation fields marked `passphrase: 'current'` */
  readonly passphrase: string;
}

/** Opens the vault and signs in; on failure the vault is closed again before the error propagates. */
export async function openSession<V extends OpenedVault>(api: { openVault(...args: Parameters<VaultApi['openVault']>): Promise<V> }, host: SessionHost): Promise<Session<V>> {
  const vault = await api.openVault(host.dir, {
    vaultPassphrase: () => vaultPassphrase(host.env, host.prompt),
    log: host.log,
    ...(host.globals.lockTimeoutMs !== undefined ? { busyTimeoutMs: host.globals.lockTimeoutMs } : {}),
  });
  try {
    const passphrase = await userPassphrase(host.env, host.prompt, host.globals.user);
    const caller = await vault.service.signIn({
      ...(host.globals.tenant !== undefined ? { tenant: host.globals.tenant } : {}),
      userName: host.globals.user,
      passphrase,
      region: host.globals.region,
      source: 'cli',
    });
    return { vault, caller, passphrase };
  } catch (e) {
    await vault.close().catch(() => undefined);
    throw e;
  }
}
