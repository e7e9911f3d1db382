// Restoring a vault from a backup (DESIGN §10, issue 13), typically on
// another, air-gapped machine. In order:
//
//   1. check the target: DIR holds no vault; nothing is written yet;
//   2. open the backup (unseal.ts): the header, the vault master key (from
//      M custodians' recovery shares and the header's recovery record, or
//      from this machine's keychain or the vault passphrase), the data key
//      from the master key's slot, the header authenticated;
//      then the WHOLE file read through, every segment authenticated, the
//      final one flagged final. A damaged, cut or extended backup, or a
//      wrong key, is refused here, named, with nothing written;
//   3. write the database into DIR under a temporary name (reading the
//      backup a second time, every segment authenticated again and the
//      file's SHA-256 compared with the first reading's), check it (SQLite's
//      integrity check, the vault id and schema the header names, the
//      custody record's MAC under this master key);
//   4. custody on this machine: the master key into this keychain (by
//      default) or under a vault passphrase; the database's custody record
//      replaced to say so;
//   5. open it as a vault under its temporary name: every tenant's trail
//      must open (its signing key unwraps under its tenant key, which
//      unwraps under the master key), gets a RestoreBackup record
//      (restore-event.ts), and must verify;
//   6. close it (each trail's tail signed) and check that the vault's anchors
//      (main/custody/anchor.ts: outside the database) name each trail's
//      newest digest: a restored vault starts with anchors that match its
//      restored trail. They are new, written as the restored vault signs
//      its first digests: this machine's keychain holds nothing of the
//      vault (restore-target.ts refuses it), and a DIR holding an
//      audit-anchors file holds a vault;
//   7. rename it into place, never over an existing vault.
//
// Any failure after step 2 takes back everything written (restore-target.ts
// Undo): the temporary files, the keychain entries, the anchors, the
// directory if the restore made it.
import { randomUUID } from 'node:crypto';
import { open as openFile, rm, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { SourceType } from '../core/audit/event.js';
import { digestHash } from '../core/audit/digest.js';
import { vaultSubkey } from '../core/crypto/subkeys.js';
import { KmsError, invalidCiphertext, validation } from '../core/errors.js';
import { RowMac } from '../core/integrity/row-mac.js';
import type { AnchorStore } from '../core/integrity/anchor.js';
import type { ServiceOptions } from '../core/service/service.js';
import { ANCHOR_FILE, fileAnchorStore, keychainAnchorLocation, keychainAnchorStore } from '../custody/anchor.js';
import { deleteKeychainSecret } from '../custody/keychain.js';
import { parseRecoveryRecord, recoveryRecordJson, type GivenShares, type RecoverySplitInfo } from '../custody/recovery-record.js';
import { adoptVaultMasterKey, destroyVaultMasterKey, type CustodyChoice, type CustodyRecord } from '../custody/vault-master-key.js';
import { fsError } from '../files/sources.js';
import { SCHEMA_VERSION } from '../store/migrations/index.js';
import { checkDatabase } from '../store/snapshot.js';
import { Database } from '../store/sqlite.js';
import { DB_FILE, dbFiles } from '../vault/paths.js';
import { openVault, type Vault } from '../vault/vault.js';
import type { BackupHeader } from './header.js';
import { buildRestoreEvent } from './restore-event.js';
import { checkKeychainFree, checkTarget, makeTarget, placeDatabase, Undo } from './restore-target.js';
import { readBackupHeader, readBackupSplit, readSegments, unlockBackup, type OpenedWith } from './unseal.js';
import type { BackupKeys } from './keys.js';

export interface RestoreBackupOptions {
  /** the backup file */
  inPath: string;
  /** the vault directory to restore into: absent, or holding no vault */
  dir: string;
  /** M custodians' shares of the split the backup's recovery record names; without them the backup is opened with the vault master key */
  shares?: GivenShares;
  /** the vault passphrase, for opening a backup of a passphrase-custody vault with its master key */
  vaultPassphrase?: () => Promise<string>;
  /** how this machine keeps the restored vault's master key; default the OS keychain */
  custody?: CustodyChoice;
  /** where the restore was run from, for its records; default sdk */
  source?: SourceType;
  /** the RestoreBackup records' region; default local-1 */
  region?: string;
  /** how long to wait for another program's lock, in ms */
  busyTimeoutMs?: number;
  /** for the restored vault's service (clock, log, Argon2 cost of new passphrases) */
  service?: ServiceOptions;
}

export interface BackupRestored {
  VaultDirectory: string;
  VaultId: string;
  Custody: CustodyRecord['kind'];
  OpenedWith: OpenedWith;
  SchemaVersion: number;
  /** the tenants' accounts, each of whose trails got a RestoreBackup record */
  Accounts: string[];
  Backup: { CreatedAt: string; Sha256: string; Bytes: number };
}

export async function restoreBackup(opts: RestoreBackupOptions): Promise<BackupRestored> {
  const inPath = resolve(opts.inPath);
  const dir = resolve(opts.dir);
  const custody: CustodyChoice = opts.custody ?? { kind: 'keychain' };
  const log = opts.service?.log ?? (() => {});
  if (custody.kind === 'passphrase' && (typeof custody.passphrase !== 'string' || custody.passphrase.length === 0)) throw validation('The vault passphrase must not be empty.');
  const before = await checkTarget(dir);
  const fh = await openBackupFile(inPath);
  const undo = new Undo();
  let vmk: Buffer | undefined;
  let vault: Vault | undefined;
  try {
    // 2. the whole backup verified; nothing written
    const header = await readBackupHeader(fh, inPath);
    const unlocked = await unlockBackup(header, {
      ...(opts.shares !== undefined ? { shares: opts.shares } : {}),
      ...(opts.vaultPassphrase ? { vaultPassphrase: opts.vaultPassphrase } : {}),
    });
    vmk = unlocked.vmk;
    const { vaultId } = header;
    if (header.schemaVersion > SCHEMA_VERSION) {
      throw new KmsError('KMSInvalidStateException', `This backup holds a vault at schema version ${header.schemaVersion}, newer than this Strongroom understands (${SCHEMA_VERSION}); upgrade Strongroom to restore it.`);
    }
    const verified = await readSegments(fh, inPath, header, unlocked.keys);
    if (custody.kind === 'keychain') await checkKeychainFree(vaultId);

    // 3. the database, under a temporary name
    await makeTarget(dir, before, undo);
    const tempName = `.${DB_FILE}.restore-${randomUUID()}`;
    const temp = join(dir, tempName);
    undo.push(`remove ${temp}`, () => Promise.all(dbFiles(temp).map((f) => rm(f, { force: true }))));
    await writeDatabase(fh, inPath, header, unlocked.keys, temp, verified.sha256);
    const rowMac = new RowMac(vaultSubkey(vmk, vaultId, 'row-mac'));
    const accounts = await checkRestoredDatabase(temp, header, rowMac);

    // 4. custody on this machine
    const record = await adoptVaultMasterKey(vaultId, vmk, custody);
    if (record.kind === 'keychain') {
      undo.push(`delete the keychain entries of vault ${vaultId}`, async () => {
        await destroyVaultMasterKey(vaultId, record);
        await deleteKeychainSecret(keychainAnchorLocation(vaultId));
      });
    } else undo.push(`remove ${join(dir, ANCHOR_FILE)}`, () => rm(join(dir, ANCHOR_FILE), { force: true }));
    await setCustody(temp, vaultId, record, rowMac);

    // 5. open, record the restore in every trail, verify
    const clock = opts.service?.clock ?? Date.now;
    vault = await openVault(dir, {
      file: tempName,
      dueWork: false,
      ...(custody.kind === 'passphrase' ? { vaultPassphrase: async () => custody.passphrase } : {}),
      ...(opts.busyTimeoutMs !== undefined ? { busyTimeoutMs: opts.busyTimeoutMs } : {}),
      ...(opts.service ? { service: opts.service } : {}),
    });
    // Changes the snapshot caught between their commit and their record: their records, before the restore's.
    // Whoever wrote them worked on the source vault; nobody will claim them here.
    await vault.service.recoverAudit({ all: true });
    const backup = { vaultId, createdAt: header.createdAt, sha256: verified.sha256, bytes: verified.bytes, schemaVersion: header.schemaVersion };
    for (const account of accounts) {
      await vault.audit.ready(account); // its signing key opens: its tenant key unwraps under this master key
      await vault.audit.append(
        account,
        buildRestoreEvent({ time: clock(), account, region: opts.region ?? 'local-1', source: opts.source ?? 'sdk', backup, openedWith: unlocked.openedWith, custody: record.kind }),
      );
    }
    await vault.service.runDueWork();
    for (const account of accounts) {
      const r = await vault.audit.verifyStored(account);
      if (!r.ok) throw new KmsError('KMSInternalException', `The restored audit trail of account ${account} does not verify: ${r.problems[0]?.message ?? 'unknown problem'}. Nothing was restored.`);
    }
    const closing = vault;
    vault = undefined;
    await closing.close();

    // 6. the anchors match the trails; 7. into place
    const anchors = record.kind === 'keychain' ? keychainAnchorStore(vaultId) : fileAnchorStore(dir, vaultId, vaultSubkey(vmk, vaultId, 'audit-anchor'));
    await checkAnchorsAndSettle(temp, anchors, accounts);
    await placeDatabase(temp, dir, undo);
    return {
      VaultDirectory: dir,
      VaultId: vaultId,
      Custody: record.kind,
      OpenedWith: unlocked.openedWith,
      SchemaVersion: SCHEMA_VERSION,
      Accounts: accounts,
      Backup: { CreatedAt: header.createdAt, Sha256: verified.sha256, Bytes: verified.bytes },
    };
  } catch (e) {
    await vault?.close().catch((c: unknown) => log('closing the half-restored vault failed', c));
    await undo.run(log);
    throw e;
  } finally {
    vmk?.fill(0);
    await fh.close();
  }
}

/**
 * The recovery split whose shares open the backup at `inPath` (its header's
 * recovery record, not yet authenticated: for asking the custodians by name),
 * or undefined for a backup of a vault that had none.
 */
export async function backupRecoverySplit(inPath: string): Promise<RecoverySplitInfo | undefined> {
  const path = resolve(inPath);
  const fh = await openBackupFile(path);
  try {
    return await readBackupSplit(fh, path);
  } finally {
    await fh.close();
  }
}

async function openBackupFile(path: string): Promise<FileHandle> {
  let fh: FileHandle;
  try {
    fh = await openFile(path, 'r');
  } catch (e) {
    throw fsError(e, path, 'read');
  }
  const st = await fh.stat();
  if (!st.isFile()) {
    await fh.close();
    throw validation(`${path} is not a regular file: give the backup file \`strongroom backup create\` wrote.`);
  }
  return fh;
}

/**
 * The second reading of the backup, into a new private file: every segment
 * authenticated again as it is written, and the whole file the same bytes
 * as the first reading verified (its SHA-256), or nothing is kept.
 */
async function writeDatabase(fh: FileHandle, inPath: string, header: BackupHeader, keys: BackupKeys, temp: string, sha256: string): Promise<void> {
  const out = await openFile(temp, 'wx', 0o600);
  try {
    if (process.platform !== 'win32') await out.chmod(0o600); // whatever the umask made of the mode above
    const again = await readSegments(fh, inPath, header, keys, async (pieces) => {
      try {
        await out.writev(pieces);
      } finally {
        for (const p of pieces) p.fill(0);
      }
    });
    if (again.sha256 !== sha256) throw invalidCiphertext(`${inPath} changed while it was being restored; nothing was restored.`);
    await out.sync();
  } finally {
    await out.close();
  }
}

/**
 * Checks the written database: sound (SQLite's checks), the vault and
 * schema the authenticated header names, a custody record whose MAC
 * holds under this master key (so the master key is this database's; every
 * backup comes from a schema that seals it, migration 0007 on), and the
 * recovery record the header carries being the database's own, its MAC
 * holding too (so the restored vault's custodians hold the shares that
 * opened the backup).
 * Returns the tenants' accounts, the operator tenant first.
 */
async function checkRestoredDatabase(temp: string, header: BackupHeader, rowMac: RowMac): Promise<string[]> {
  const db = await Database.open(temp, { create: false });
  try {
    const facts = await checkDatabase(db, 'The database in the backup');
    if (facts.vaultId !== header.vaultId || facts.schemaVersion !== header.schemaVersion) {
      throw invalidCiphertext(`The database in the backup is vault ${facts.vaultId} at schema ${facts.schemaVersion}, not vault ${header.vaultId} at schema ${header.schemaVersion} as its header says.`);
    }
    const mac = (await db.get<{ value: string }>("SELECT value FROM vault_meta WHERE name = 'custody_mac'"))?.value;
    RowMac.check(rowMac.custody(header.vaultId, facts.custody), mac === undefined ? undefined : Buffer.from(mac, 'base64'), `The custody record of vault ${header.vaultId} in the backup`);
    if (facts.recovery) {
      RowMac.check(rowMac.recovery(facts.recovery.json), facts.recovery.mac === undefined ? undefined : Buffer.from(facts.recovery.mac, 'base64'), `The recovery record of vault ${header.vaultId} in the backup`);
    }
    const held = facts.recovery && JSON.stringify(recoveryRecordJson(parseRecoveryRecord(facts.recovery.json, header.vaultId)));
    const carried = header.keySlots.recovery && JSON.stringify(recoveryRecordJson(header.keySlots.recovery));
    if (held !== carried) throw invalidCiphertext("The recovery record in the backup's header is not the one its database holds: the backup was not made by Strongroom.");
    const tenants = await db.all<{ account: string }>('SELECT account FROM tenants ORDER BY created_at, rowid');
    if (tenants.length === 0) throw new KmsError('KMSInternalException', 'The database in the backup holds no tenant.');
    return tenants.map((t) => t.account);
  } finally {
    await db.close();
  }
}

/** Replaces the custody record (and its MAC) with the one of this machine. */
async function setCustody(temp: string, vaultId: string, record: CustodyRecord, rowMac: RowMac): Promise<void> {
  const json = JSON.stringify(record);
  const db = await Database.open(temp, { create: false });
  try {
    await db.transaction(async (sql) => {
      await sql.run("UPDATE vault_meta SET value = ? WHERE name = 'custody'", [json]);
      await sql.run("INSERT OR REPLACE INTO vault_meta (name, value) VALUES ('custody_mac', ?)", [rowMac.custody(vaultId, json).toString('base64')]);
    });
  } finally {
    await db.close();
  }
}

/**
 * Checks that the anchor of every account names the newest digest of its
 * trail, and that the digest covers the trail's last record. Then leaves
 * the database one file (journal_mode=DELETE checkpoints and removes the
 * WAL), ready to be renamed; the vault goes back to WAL when next opened.
 */
async function checkAnchorsAndSettle(temp: string, anchors: AnchorStore, accounts: readonly string[]): Promise<void> {
  const db = await Database.open(temp, { create: false });
  try {
    for (const account of accounts) {
      const last = await db.get<{ to_seq: number; digest_json: string; head: number }>(
        'SELECT to_seq, digest_json, (SELECT max(seq) FROM audit_events WHERE account = ?1) AS head FROM audit_digests WHERE account = ?1 ORDER BY to_seq DESC LIMIT 1',
        [account],
      );
      const anchor = await anchors.read(account);
      if (!last || !anchor || last.to_seq !== last.head || anchor.toSeq !== last.to_seq || anchor.digestHash !== digestHash(JSON.parse(last.digest_json))) {
        throw new KmsError('KMSInternalException', `The restored vault's audit anchor of account ${account} does not name the newest digest of its trail. Nothing was restored.`);
      }
    }
    await db.exclusive((sql) => sql.exec('PRAGMA journal_mode = DELETE'));
  } finally {
    await db.close();
  }
}
