// What the CLI needs from the vault module (main/vault/vault.ts), as an
// interface so tests can run the CLI in-process against a stand-in. The real
// module is imported only when a command needs a vault, so `help` stays fast.
import type { Service } from '../core/service/service.js';
import type { SessionTokenStore } from '../custody/session-keychain.js';

export type Custody = { kind: 'keychain' } | { kind: 'passphrase'; passphrase: string };

export interface OpenedVault {
  /** the vault's UUID (recovery shares name it) */
  readonly vaultId: string;
  readonly service: Pick<Service, 'signIn' | 'dispatch' | 'call' | 'callInternal' | 'startSession' | 'resumeSession' | 'endSession' | 'accountOf'>;
  /** where `strongroom login` keeps its sessions (the OS keychain); absent for a vault without a keychain */
  readonly sessionTokens?: SessionTokenStore;
  close(): Promise<void>;
}

export interface VaultApi {
  defaultVaultDir(env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): string;
  initVault(dir: string, opts: { custody: Custody; tenantName?: string; adminPassphrase: string; busyTimeoutMs?: number }): Promise<{ vaultId: string; account: string }>;
  openVault(
    dir: string,
    opts?: { vaultPassphrase?: () => Promise<string>; log?: (m: string, e?: unknown) => void; busyTimeoutMs?: number },
  ): Promise<OpenedVault>;
}

export async function loadVaultApi(): Promise<VaultApi> {
  return import('../vault/vault.js');
}
