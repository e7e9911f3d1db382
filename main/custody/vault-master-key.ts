// The vault master key (VMK) custody API the rest of the app uses
// (DESIGN.md §3). The VMK is 32 random bytes that wrap the tenant keys; it
// is never stored in plaintext. Two custodies:
//
//   keychain    the OS keychain holds the VMK (keychain.ts). The record in the
//               vault file names the entry and carries a key check value so a
//               different secret at that entry is caught here, not as a
//               confusing tenant-key failure later.
//   passphrase  the VMK sealed under an Argon2id-derived key (passphrase.ts);
//               the record carries everything but the passphrase.
//
// There is no fallback between them: a vault created with keychain custody
// that cannot reach its keychain fails with KMSInvalidStateException and
// says how to fix it. The record is JSON the caller stores in the vault's
// SQLite file; parseCustodyRecord validates it on the way back.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { KmsError } from '../core/errors.js';
import { open, seal, NONCE_LENGTH, TAG_LENGTH } from '../core/crypto/aes-gcm.js';
import {
  KEYCHAIN_SERVICE,
  VMK_LENGTH,
  deleteVmk,
  keychainLocation,
  loadVmk,
  readKeychainSecret,
  storeVmk,
  type KeychainLocation,
} from './keychain.js';
import { unwrapVmkWithPassphrase, wrapVmkWithPassphrase } from './passphrase.js';

export type CustodyChoice = { kind: 'keychain' } | { kind: 'passphrase'; passphrase: string };

export interface KeychainCustodyRecord {
  kind: 'keychain';
  version: 1;
  service: string;
  account: string;
  /** base64 key check value: nonce || AES-256-GCM(VMK, KCV_LABEL, kcvAad(vaultId)) || tag */
  kcv: string;
}

export interface PassphraseCustodyRecord {
  kind: 'passphrase';
  version: 1;
  kdf: 'argon2id';
  /** Argon2id parameters (RFC 9106): m in KiB, t iterations, p lanes */
  params: { m: number; t: number; p: number };
  /** base64, 16 bytes */
  salt: string;
  /** base64 of nonce || AES-256-GCM(KEK, VMK) || tag */
  wrappedVmk: string;
}

export type CustodyRecord = KeychainCustodyRecord | PassphraseCustodyRecord;

// ---- record validation ----------------------------------------------------

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64');

const recordSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('keychain'),
    version: z.literal(1),
    service: z.string().min(1).max(256),
    account: z.string().min(1).max(256),
    kcv: base64,
  }),
  z.strictObject({
    kind: z.literal('passphrase'),
    version: z.literal(1),
    kdf: z.literal('argon2id'),
    params: z.strictObject({ m: z.number().int(), t: z.number().int(), p: z.number().int() }),
    salt: base64,
    wrappedVmk: base64,
  }),
]);

/** Validates a custody record read back from the vault file (JSON-parsed). */
export function parseCustodyRecord(value: unknown): CustodyRecord {
  const r = recordSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new KmsError(
      'KMSInvalidStateException',
      `The vault's master-key custody record is malformed${where}: ${issue?.message ?? 'invalid'}. ` +
        'The vault file may be damaged or from a newer Strongroom; restore it from a backup.',
    );
  }
  return r.data;
}

// ---- helpers ----------------------------------------------------------------

const VAULT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function checkVaultId(vaultId: string): void {
  if (typeof vaultId !== 'string' || !VAULT_ID.test(vaultId)) {
    throw new KmsError(
      'ValidationException',
      `Invalid vault id ${JSON.stringify(vaultId)}: expected 1-128 characters from A-Z a-z 0-9 . _ - (a UUID, for example).`,
    );
  }
}

/**
 * Key check value for keychain custody. AES-256-GCM over a fixed label
 * (SP 800-38D; with the vault id in the AAD this is an authenticator bound to
 * the vault): it proves the keychain secret is this vault's VMK without
 * revealing anything about it, and is the same primitive the VMK already
 * serves, so no second algorithm touches the key. One more random nonce under
 * the VMK is negligible against SP 800-38D §8.3's 2^32 invocation limit.
 */
const KCV_LABEL = Buffer.from('Strongroom vault master key check v1', 'utf8');
const KCV_LENGTH = NONCE_LENGTH + KCV_LABEL.length + TAG_LENGTH;

function kcvAad(vaultId: string): Buffer {
  return Buffer.from(`strongroom:vmk-custody:v1\0keychain-check\0${vaultId}`, 'utf8');
}

function makeKcv(vaultId: string, vmk: Uint8Array): string {
  return seal(vmk, KCV_LABEL, kcvAad(vaultId)).toString('base64');
}

function kcvMatches(vaultId: string, vmk: Uint8Array, kcv: string): boolean {
  const sealed = Buffer.from(kcv, 'base64');
  if (sealed.length !== KCV_LENGTH) return false;
  const label = open(vmk, sealed, kcvAad(vaultId));
  return label !== undefined && label.length === KCV_LABEL.length && timingSafeEqual(label, KCV_LABEL);
}

function mismatch(vaultId: string, loc: KeychainLocation): KmsError {
  return new KmsError(
    'KMSInvalidStateException',
    `The keychain entry does not match this vault: entry "${loc.service}" / "${loc.account}" holds a different master key than vault ${vaultId} was created with. ` +
      'Restore the original keychain entry, or restore the vault from a backup.',
  );
}

function expectedLocation(vaultId: string, record: KeychainCustodyRecord): KeychainLocation {
  const loc = keychainLocation(vaultId);
  // The record says where the VMK lives; we only ever use our own naming, so
  // an edited vault file cannot point us at another application's secret.
  if (record.service !== loc.service || record.account !== loc.account) {
    throw new KmsError(
      'KMSInvalidStateException',
      `The vault's custody record names keychain entry "${record.service}" / "${record.account}", ` +
        `but vault ${vaultId} keeps its master key at "${loc.service}" / "${loc.account}". The vault file may be damaged; restore it from a backup.`,
    );
  }
  return loc;
}

// ---- API --------------------------------------------------------------------

/**
 * Generates a fresh VMK and puts it in custody. The caller stores `record`
 * in the vault file and zeroes `vmk` when done with it. With keychain custody
 * the entry is written, read back and compared before the vault depends on it;
 * an existing entry for this vault id is never overwritten.
 */
export async function createVaultMasterKey(vaultId: string, choice: CustodyChoice): Promise<{ vmk: Buffer; record: CustodyRecord }> {
  const vmk = randomBytes(VMK_LENGTH);
  try {
    return { vmk, record: await adoptVaultMasterKey(vaultId, vmk, choice) };
  } catch (e) {
    vmk.fill(0);
    throw e;
  }
}

/**
 * Puts an existing vault's VMK in custody on this machine, as recovery from
 * shares and a restore from a backup do: the custody record to store, with
 * `undo` to remove what was put in the keychain if the vault cannot then be
 * written. A keychain entry for this vault that holds this VMK already is
 * kept; one that holds anything else is never overwritten.
 */
export async function keepVaultMasterKey(vaultId: string, vmk: Uint8Array, choice: CustodyChoice): Promise<{ record: CustodyRecord; undo(): Promise<void> }> {
  checkVaultId(vaultId);
  if (choice.kind === 'keychain') {
    const loc = keychainLocation(vaultId);
    const existing = await readKeychainSecret(loc);
    if (existing !== undefined) {
      const same = existing.length === vmk.length && timingSafeEqual(existing, vmk);
      existing.fill(0);
      if (!same) throw new KmsError('AlreadyExistsException', `The OS keychain already holds another master key for vault ${vaultId} ("${loc.service}" / "${loc.account}"); refusing to overwrite it.`);
      return { record: { kind: 'keychain', version: 1, service: loc.service, account: loc.account, kcv: makeKcv(vaultId, vmk) }, undo: async () => {} };
    }
  }
  const record = await adoptVaultMasterKey(vaultId, vmk, choice);
  return { record, undo: () => destroyVaultMasterKey(vaultId, record) };
}

/**
 * Puts an existing VMK in custody, as createVaultMasterKey puts a new one: a
 * vault restored from a backup keeps its master key (main/backup/restore.ts).
 * The same rules: an existing keychain entry for this vault id is never
 * overwritten, and the entry is read back before the record is returned. The
 * caller keeps (and zeroes) `vmk`.
 */
export async function adoptVaultMasterKey(vaultId: string, vmk: Uint8Array, choice: CustodyChoice): Promise<CustodyRecord> {
  checkVaultId(vaultId);
  if (vmk.length !== VMK_LENGTH) throw new RangeError(`expected VMK of length ${VMK_LENGTH}, got length=${vmk.length}`);
  if (choice.kind === 'passphrase') {
    const wrap = await wrapVmkWithPassphrase(vaultId, vmk, choice.passphrase);
    return { kind: 'passphrase', version: 1, ...wrap };
  }
  if (choice.kind !== 'keychain') {
    throw new KmsError('ValidationException', `Unknown custody kind ${JSON.stringify((choice as { kind: unknown }).kind)}: expected keychain or passphrase.`);
  }

  const loc = keychainLocation(vaultId);
  const existing = await readKeychainSecret(loc);
  if (existing !== undefined) {
    existing.fill(0);
    throw new KmsError(
      'AlreadyExistsException',
      `The OS keychain already holds a master key for vault ${vaultId} ("${loc.service}" / "${loc.account}"); refusing to overwrite it.`,
    );
  }

  let stored = false;
  try {
    await storeVmk(vaultId, vmk);
    stored = true;
    const back = await readKeychainSecret(loc);
    const same = back !== undefined && back.length === vmk.length && timingSafeEqual(back, vmk);
    back?.fill(0);
    if (!same) {
      throw new KmsError(
        'KMSInvalidStateException',
        `The OS keychain did not return the master key just stored for vault ${vaultId}; the keychain is not usable for custody. ` +
          'Check the keychain, or create the vault with `strongroom init --passphrase-only`.',
      );
    }
    return { kind: 'keychain', version: 1, service: loc.service, account: loc.account, kcv: makeKcv(vaultId, vmk) };
  } catch (e) {
    if (stored) await deleteVmk(vaultId, loc).catch(() => undefined);
    throw e;
  }
}

/**
 * Recovers the VMK from custody. `passphrase` is asked only for passphrase
 * custody (from STRONGROOM_VAULT_PASSPHRASE, a prompt, a dialog: the caller's
 * choice). The caller zeroes the returned buffer when done with it.
 */
export async function openVaultMasterKey(
  vaultId: string,
  record: CustodyRecord,
  passphrase?: () => Promise<string>,
): Promise<Buffer> {
  checkVaultId(vaultId);
  const r = parseCustodyRecord(record);
  if (r.kind === 'keychain') {
    const loc = expectedLocation(vaultId, r);
    const vmk = await loadVmk(vaultId, loc);
    if (!kcvMatches(vaultId, vmk, r.kcv)) {
      vmk.fill(0);
      throw mismatch(vaultId, loc);
    }
    return vmk;
  }
  if (passphrase === undefined) {
    throw new KmsError(
      'KMSInvalidStateException',
      `Vault ${vaultId} keeps its master key under a vault passphrase, and none was provided. Supply a vault passphrase to open it.`,
    );
  }
  const secret = await passphrase();
  return unwrapVmkWithPassphrase(vaultId, r, secret);
}

/**
 * Removes the VMK from custody: deletes the keychain entry (idempotent: a
 * missing entry is not an error). Passphrase custody keeps nothing outside
 * the vault file, so there is nothing to remove. Used when init fails
 * half-way, when a vault is deleted, and by tests.
 */
export async function destroyVaultMasterKey(vaultId: string, record: CustodyRecord): Promise<void> {
  checkVaultId(vaultId);
  const r = parseCustodyRecord(record);
  if (r.kind === 'keychain') {
    await deleteVmk(vaultId, expectedLocation(vaultId, r));
  }
}

export { KEYCHAIN_SERVICE };
