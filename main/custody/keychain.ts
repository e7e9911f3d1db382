// OS keychain custody of the vault master key (VMK): macOS Keychain, Windows
// Credential Manager, Linux Secret Service, through @napi-rs/keyring (N-API,
// prebuilt; keytar is archived). One entry per vault: service "Strongroom",
// account "vault:<vaultId>", the 32 raw VMK bytes as the secret.
//
// Why the extra Linux check: @napi-rs/keyring's Linux backend silently falls
// back to the kernel keyutils store when no Secret Service answers. Kernel
// keys live in the session/user keyring and vanish at logout or reboot, so a
// VMK written there would brick the vault a day later. DESIGN.md §3 forbids
// silent fallbacks, so on Linux every operation first checks that a Secret
// Service provider is on the session bus (findCredentialsAsync talks to the
// Secret Service directly, never to keyutils) and refuses otherwise.
//
// Why AsyncEntry: a keychain call is a D-Bus / XPC round trip that can wait
// on an unlock prompt; the Electron main process must not block on it.
import { AsyncEntry, findCredentialsAsync } from '@napi-rs/keyring';
import { KmsError } from '../core/errors.js';

export const KEYCHAIN_SERVICE = 'Strongroom';

/** A service name no entry is ever written under: used only to ask "is a Secret Service there?". */
const PROBE_SERVICE = 'Strongroom.reachability-probe';

export interface KeychainLocation {
  service: string;
  account: string;
}

export function keychainLocation(vaultId: string): KeychainLocation {
  return { service: KEYCHAIN_SERVICE, account: `vault:${vaultId}` };
}

const REMEDIES =
  'Start and unlock the OS keychain (on Linux a Secret Service such as gnome-keyring must be running on the D-Bus session bus), ' +
  'or create the vault with `strongroom init --passphrase-only` to protect its master key with a passphrase instead.';

export function keychainUnreachable(detail: string): KmsError {
  return new KmsError('KMSInvalidStateException', `The OS keychain is not reachable (${detail}). ${REMEDIES}`);
}

/** First line of a library error: the Rust side appends a stack backtrace we do not want in user messages. */
function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return (msg.split('\n')[0] ?? '').trim() || 'unknown keychain error';
}

const UNREACHABLE =
  /couldn't access platform storage|no secret service provider|dbus session|no dbus|not connected|connection refused|no such file|NoStorageAccess|PlatformFailure/i;

function mapKeychainError(op: string, e: unknown): KmsError {
  if (e instanceof KmsError) return e;
  const line = firstLine(e);
  if (UNREACHABLE.test(line)) return keychainUnreachable(line);
  if (/locked|dismissed/i.test(line)) {
    return new KmsError('KMSInvalidStateException', `The OS keychain is locked (${line}); unlock it and retry. ${REMEDIES}`);
  }
  return new KmsError('KMSInvalidStateException', `The OS keychain could not ${op} the vault master key (${line}). ${REMEDIES}`);
}

/**
 * Refuses to go on unless the platform keychain itself answers. Only Linux
 * (and the BSDs, same backend) can silently degrade, see the file comment.
 */
async function assertKeychainReachable(): Promise<void> {
  if (process.platform !== 'linux' && process.platform !== 'freebsd' && process.platform !== 'openbsd') return;
  try {
    await findCredentialsAsync(PROBE_SERVICE);
  } catch (e) {
    throw keychainUnreachable(firstLine(e));
  }
}

async function entryFor(loc: KeychainLocation): Promise<AsyncEntry> {
  await assertKeychainReachable();
  try {
    return new AsyncEntry(loc.service, loc.account);
  } catch (e) {
    throw mapKeychainError('open', e);
  }
}

/** The secret as bytes we own (the binding returns a plain number[] on some versions despite its typings). */
function toBuffer(secret: Uint8Array | ArrayLike<number>): Buffer {
  // Copy element by element: Buffer.from(Array.from(x)) would leave one more unzeroed copy behind.
  const out = Buffer.alloc(secret.length);
  for (let i = 0; i < secret.length; i++) out[i] = secret[i] ?? 0;
  if (secret instanceof Uint8Array) secret.fill(0);
  else if (Array.isArray(secret)) secret.fill(0);
  return out;
}

/** Writes the secret, replacing any previous one at this location. */
export async function storeKeychainSecret(loc: KeychainLocation, secret: Uint8Array): Promise<void> {
  const entry = await entryFor(loc);
  try {
    await entry.setSecret(secret);
  } catch (e) {
    throw mapKeychainError('store', e);
  }
}

/** The secret, or undefined when the keychain answers but has no entry at this location. */
export async function readKeychainSecret(loc: KeychainLocation): Promise<Buffer | undefined> {
  const entry = await entryFor(loc);
  let raw: Uint8Array | ArrayLike<number> | null | undefined;
  try {
    raw = await entry.getSecret();
  } catch (e) {
    throw mapKeychainError('read', e);
  }
  return raw == null ? undefined : toBuffer(raw);
}

/** Deletes the entry; false when there was none. */
export async function deleteKeychainSecret(loc: KeychainLocation): Promise<boolean> {
  const entry = await entryFor(loc);
  try {
    return await entry.deleteCredential();
  } catch (e) {
    throw mapKeychainError('delete', e);
  }
}

// ---- VMK shorthands used by vault-master-key.ts -------------------------------

export const VMK_LENGTH = 32;

export async function storeVmk(vaultId: string, vmk: Uint8Array): Promise<KeychainLocation> {
  if (vmk.length !== VMK_LENGTH) throw new RangeError(`expected VMK of length ${VMK_LENGTH}, got length=${vmk.length}`);
  const loc = keychainLocation(vaultId);
  await storeKeychainSecret(loc, vmk);
  return loc;
}

/**
 * Loads the VMK. A missing entry is a state error with a way out, not a
 * NotFound: the vault file exists, its key is what went missing.
 */
export async function loadVmk(vaultId: string, loc: KeychainLocation = keychainLocation(vaultId)): Promise<Buffer> {
  const secret = await readKeychainSecret(loc);
  if (secret === undefined) {
    throw new KmsError(
      'KMSInvalidStateException',
      `The OS keychain has no master key for vault ${vaultId} (entry "${loc.service}" / "${loc.account}"). ` +
        'Was the vault moved to another machine or user account? Restore the keychain entry, or restore the vault from a backup.',
    );
  }
  if (secret.length !== VMK_LENGTH) {
    secret.fill(0);
    throw new KmsError(
      'KMSInvalidStateException',
      `The keychain entry does not match this vault: entry "${loc.service}" / "${loc.account}" does not hold a ${VMK_LENGTH}-byte master key.`,
    );
  }
  return secret;
}

export async function deleteVmk(vaultId: string, loc: KeychainLocation = keychainLocation(vaultId)): Promise<boolean> {
  return deleteKeychainSecret(loc);
}
