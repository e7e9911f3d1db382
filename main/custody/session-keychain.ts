// Where the CLI keeps the token of a `strongroom login` session (issue 14,
// core/service/sessions.ts): the OS keychain, beside the vault master key,
// one entry per vault, tenant and user — service "Strongroom", account
// "session:<vaultId>:<account id>:<user name>". The keychain only keeps the
// token; the vault decides what it is worth (its MAC, expiry, and the user's
// rows) every time it is used, so an entry left behind after a session ended
// is refused, and then removed. A vault without a keychain has no such store.
import { deleteKeychainSecret, findKeychainSecret, KEYCHAIN_SERVICE, storeKeychainSecret, type KeychainLocation } from './keychain.js';

/** The session tokens of one vault, by tenant (account id) and user name. */
export interface SessionTokenStore {
  read(account: string, userName: string): Promise<string | undefined>;
  /** replaces any token kept for this tenant and user */
  write(account: string, userName: string, token: string): Promise<void>;
  /** false when there was none */
  remove(account: string, userName: string): Promise<boolean>;
}

export function sessionLocation(vaultId: string, account: string, userName: string): KeychainLocation {
  return { service: KEYCHAIN_SERVICE, account: `session:${vaultId}:${account}:${userName}` };
}

export function keychainSessionTokens(vaultId: string): SessionTokenStore {
  const at = (account: string, userName: string) => sessionLocation(vaultId, account, userName);
  return {
    async read(account, userName) {
      const secret = await findKeychainSecret(at(account, userName));
      if (!secret) return undefined;
      try {
        return secret.toString('utf8');
      } finally {
        secret.fill(0);
      }
    },
    write: (account, userName, token) => storeKeychainSecret(at(account, userName), Buffer.from(token, 'utf8')),
    remove: (account, userName) => deleteKeychainSecret(at(account, userName)),
  };
}
