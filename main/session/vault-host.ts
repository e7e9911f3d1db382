// The vault an app holds, open or not yet: the desktop app starts before
// its vault is unlocked (a passphrase-custody vault waits for the unlock
// screen), and every window's session reaches the vault through this one
// object. A keychain vault opens without a word from the user; a
// passphrase vault opens when UnlockVault gives its passphrase.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isKmsError, KmsError } from '../core/errors.js';
import { DB_FILE } from '../vault/paths.js';
import type { CustodyChoice } from '../custody/vault-master-key.js';
import { initVault, openVault, type OpenOptions, type Vault } from '../vault/vault.js';

export class VaultHost {
  #vault: Vault | undefined;
  #opening: Promise<Vault> | undefined;
  #problem: KmsError | undefined;
  #changing = false;

  constructor(
    readonly dir: string,
    private readonly options: Omit<OpenOptions, 'vaultPassphrase'> = {},
  ) {}

  /** A host over a vault opened elsewhere (tests, the CLI). */
  static of(vault: Vault): VaultHost {
    const host = new VaultHost(vault.dir);
    host.#vault = vault;
    return host;
  }

  /** The open vault; KMSInvalidStateException while it is not unlocked. */
  get vault(): Vault {
    if (!this.#vault) throw new KmsError('KMSInvalidStateException', 'The vault is not unlocked yet: unlock it first (UnlockVault).');
    return this.#vault;
  }

  get isOpen(): boolean {
    return this.#vault !== undefined;
  }

  /** Whether the directory holds a vault at all (the first run has none). */
  get exists(): boolean {
    return existsSync(join(this.dir, DB_FILE));
  }

  /**
   * Opens the vault once; later calls get the same vault. A passphrase vault
   * needs `vaultPassphrase`: without it, AccessDeniedException says so.
   */
  async open(vaultPassphrase?: string): Promise<Vault> {
    if (this.#vault) return this.#vault;
    this.#opening ??= openVault(this.dir, {
      ...this.options,
      vaultPassphrase: async () => {
        if (vaultPassphrase === undefined) throw new KmsError('AccessDeniedException', 'This vault is kept under a passphrase: give the vault passphrase to unlock it.');
        return vaultPassphrase;
      },
    }).finally(() => (this.#opening = undefined));
    try {
      this.#vault = await this.#opening;
    } catch (e) {
      if (isKmsError(e)) this.#problem = e;
      throw e;
    }
    this.#problem = undefined;
    return this.#vault;
  }

  /** Why the vault last failed to open, while it is not open (a KmsError's name and message: never a secret). */
  get problem(): { Name: string; Message: string } | undefined {
    return this.#problem && !this.#vault ? { Name: this.#problem.name, Message: this.#problem.message } : undefined;
  }

  /** What an open of this host's vault is given besides the passphrase: restore and recovery open it alike. */
  get openOptions(): Omit<OpenOptions, 'vaultPassphrase'> {
    return this.options;
  }

  /**
   * Runs `change` on the directory while no vault is open and nothing else
   * changes it (RecoverVaultCustody, RestoreBackup): one at a time, and
   * never under an open vault.
   */
  async whileClosed<T>(change: () => Promise<T>): Promise<T> {
    if (this.#vault || this.#opening) throw new KmsError('KMSInvalidStateException', 'The vault is open: its custody changes only while it is not.');
    if (this.#changing) throw new KmsError('KMSInvalidStateException', 'Another recovery or restore of this vault is running.');
    this.#changing = true;
    try {
      return await change();
    } finally {
      this.#changing = false;
    }
  }

  /**
   * Creates the vault (the first run) and opens it. All or nothing
   * (vault.ts initVault); AlreadyExistsException if there is one.
   */
  async create(opts: { custody: CustodyChoice; tenantName?: string; adminPassphrase: string }): Promise<Vault> {
    if (this.#vault || this.exists) throw new KmsError('AlreadyExistsException', `A vault already exists in ${this.dir}.`);
    await initVault(this.dir, {
      custody: opts.custody,
      adminPassphrase: opts.adminPassphrase,
      ...(opts.tenantName !== undefined ? { tenantName: opts.tenantName } : {}),
      ...(this.options.busyTimeoutMs !== undefined ? { busyTimeoutMs: this.options.busyTimeoutMs } : {}),
      ...(this.options.service ? { service: this.options.service } : {}),
    });
    return this.open(opts.custody.kind === 'passphrase' ? opts.custody.passphrase : undefined);
  }

  async close(): Promise<void> {
    const vault = this.#vault;
    this.#vault = undefined;
    await vault?.close();
  }
}
