// OS keychain custody of the vault master key (VMK): macOS Keychain, Windows
// Credential Manager, Linux Secret Service, through @napi-rs/keyring (N-API,
// prebuilt; keytar is archived). One entry per vault: service "Strongroom",
// account "vault:<vaultId>", the 32 raw VMK bytes as the secret.
//
// Why the extra Linux check: @napi-rs/keyring's Linux backend silently falls
// back to the kernel keyutils store when no Secret Service answers. Kernel
// keys live in the session/user keyring and vanish at logout or reboot, so a
// VMK written there would brick the vault a day later. DESIGN.md §3 forbids
// silent fallbacks. The library picks the store when an entry is opened, so
// on Linux nothing is written, and no missing entry is believed, without a
// check that a Secret Service provider is on the session bus
// (findCredentialsAsync talks to the Secret Service directly, never to
// keyutils); Strongroom refuses without one. An entry opened while the
// service answered stays with it: if it goes away, the entry's writes fail
// and its reads come back as "no entry", so the master key is then reported
// unreachable, a session as none, and an anchor seen before as gone
// (anchor.ts).
//
// Why AsyncEntry: a keychain call is a D-Bus / XPC round trip that can wait
// on an unlock prompt; the Electron main process must not block on it.
//
// Locked is not missing. A locked keychain comes back from the library either
// as an error (writing: "unlock prompt was dismissed"; gnome-keyring's
// org.freedesktop.Secret.Error.IsLocked) or, when reading an entry on Linux,
// as no entry at all. So "no entry" on Linux is believed only after the
// Secret Service says its default collection is unlocked
// (secret-service-lock.ts); a locked one is reported as locked, with "unlock
// your keychain", never as a key to restore from a backup.
import { AsyncEntry, findCredentialsAsync } from '@napi-rs/keyring';
import { KmsError } from '../core/errors.js';
import { defaultCollectionLocked } from './secret-service-lock.js';

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

function keychainUnreachable(detail: string): KmsError {
  return new KmsError('KMSInvalidStateException', `The OS keychain is not reachable (${detail}). ${REMEDIES}`);
}

const UNLOCK =
  'Unlock your keychain (sign in to your desktop session again, or unlock the "login" keyring in your keyring manager, such as Seahorse or KWallet) and retry.';

function keychainLocked(detail?: string): KmsError {
  return new KmsError('KMSInvalidStateException', `The OS keychain is locked${detail ? ` (${detail})` : ''}, so Strongroom can neither read nor store the vault master key there. ${UNLOCK}`);
}

/** First line of a library error: the Rust side appends a stack backtrace we do not want in user messages. */
function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return (msg.split('\n')[0] ?? '').trim() || 'unknown keychain error';
}

/** "Platform failure: DBus error: The name org.freedesktop.secrets was not provided by any .service files": an entry's service gone. */
const UNREACHABLE =
  /couldn't access platform storage|no secret service provider|dbus session|no dbus|not connected|connection refused|no such file|NoStorageAccess|PlatformFailure|platform failure|ServiceUnknown|not provided by any/i;

/**
 * Checked before UNREACHABLE: a dismissed unlock prompt comes as "Couldn't
 * access platform storage: Secret Service: unlock prompt was dismissed".
 */
const LOCKED = /\bIsLocked\b|\blocked\b|unlock prompt|dismissed/i;

function mapKeychainError(op: string, e: unknown): KmsError {
  if (e instanceof KmsError) return e;
  const line = firstLine(e);
  if (LOCKED.test(line)) return keychainLocked(line);
  if (UNREACHABLE.test(line)) return keychainUnreachable(line);
  return new KmsError('KMSInvalidStateException', `The OS keychain could not ${op} the vault master key (${line}). ${REMEDIES}`);
}

/** Only Linux (and the BSDs, same backend) can silently degrade, see the file comment. */
const secretServicePlatform = (): boolean => process.platform === 'linux' || process.platform === 'freebsd' || process.platform === 'openbsd';

/** Refuses to go on unless the platform keychain itself answers. */
async function assertKeychainReachable(): Promise<void> {
  if (!secretServicePlatform()) return;
  try {
    await findCredentialsAsync(PROBE_SERVICE);
  } catch (e) {
    throw keychainUnreachable(firstLine(e));
  }
}

/**
 * The entries opened so far, by location (issue 14: opening one is a D-Bus
 * connection, about 12 ms, and a CLI call reads three). The library binds an
 * entry to the store it finds when the entry is opened, and it stays there:
 * if the Secret Service goes away, the entry's writes fail and its reads find
 * nothing. An entry is opened to read without a probe (a read that finds
 * nothing is checked then, lookup() below); it is trusted for writing
 * ("sure") once it has read back a secret, which only the Secret Service
 * holds, or was opened right after a probe. One that is not is opened again,
 * after a probe, before it is written to.
 */
const entries = new Map<string, { entry: AsyncEntry; sure: boolean }>();

async function entryFor(loc: KeychainLocation, forWrite = false): Promise<{ entry: AsyncEntry; sure: boolean }> {
  const key = `${loc.service}\0${loc.account}`;
  const opened = entries.get(key);
  if (opened && (opened.sure || !forWrite)) return opened;
  if (forWrite) await assertKeychainReachable();
  try {
    const found = { entry: new AsyncEntry(loc.service, loc.account), sure: forWrite };
    entries.set(key, found);
    return found;
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
  const { entry } = await entryFor(loc, true);
  try {
    await entry.setSecret(secret);
  } catch (e) {
    throw mapKeychainError('store', e);
  }
}

/**
 * What reading an entry found: the secret; or none, and whether the keychain
 * is locked (true), unlocked (false: the entry is missing), or cannot say
 * (undefined: on Linux, when the Secret Service could not be asked).
 */
type Lookup = { secret: Buffer } | { secret: undefined; locked: boolean | undefined };

async function lookup(loc: KeychainLocation): Promise<Lookup> {
  const secret = await findKeychainSecret(loc);
  if (secret) return { secret };
  // No entry from a Secret Service that is not there is "not reachable", not "missing".
  await assertKeychainReachable();
  // Elsewhere a locked keychain is an error (or an unlock prompt), never "no entry".
  return { secret: undefined, locked: secretServicePlatform() ? await defaultCollectionLocked() : false };
}

/**
 * The secret, or undefined when the keychain answers and has no entry at this
 * location (or, on Linux, cannot tell a missing entry from a locked one).
 * A keychain known to be locked is KMSInvalidStateException.
 */
export async function readKeychainSecret(loc: KeychainLocation): Promise<Buffer | undefined> {
  const found = await lookup(loc);
  if (found.secret === undefined && found.locked) throw keychainLocked();
  return found.secret;
}

/**
 * The secret, or undefined for no entry, without asking whether the keychain
 * is locked: for entries whose absence is ordinary (a login session's token,
 * session-keychain.ts), read after the vault master key was read from the
 * same keychain, so a "no entry" from a locked one costs nothing worse than
 * a passphrase prompt, and the common case spawns no D-Bus tool.
 */
export async function findKeychainSecret(loc: KeychainLocation): Promise<Buffer | undefined> {
  const opened = await entryFor(loc);
  let raw: Uint8Array | ArrayLike<number> | null | undefined;
  try {
    raw = await opened.entry.getSecret();
  } catch (e) {
    throw mapKeychainError('read', e);
  }
  if (raw == null) return undefined;
  opened.sure = true;
  return toBuffer(raw);
}

/** Deletes the entry; false when there was none. */
export async function deleteKeychainSecret(loc: KeychainLocation): Promise<boolean> {
  const { entry } = await entryFor(loc, true);
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
  const found = await lookup(loc);
  if (found.secret === undefined) {
    if (found.locked) throw keychainLocked();
    // Cannot tell (no D-Bus tool to ask): the likelier, harmless remedy first.
    const ifLocked = found.locked === undefined ? `If your keychain is locked: ${UNLOCK} Otherwise: ` : '';
    throw new KmsError(
      'KMSInvalidStateException',
      `The OS keychain has no master key for vault ${vaultId} (entry "${loc.service}" / "${loc.account}"). ` +
        `${ifLocked}Was the vault moved to another machine or user account? Restore the keychain entry, or restore the vault from a backup.`,
    );
  }
  const secret = found.secret;
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
