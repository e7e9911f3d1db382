// A vault database as one consistent file, for a backup (main/backup), and
// the checks a database copy must pass before it is sealed or restored.
//
// The copy is made with SQLite's online backup API (Database.backupTo), not
// by copying the file: a file copy taken while another connection commits,
// or that misses the WAL, is a database no commit ever left. The copy is
// switched to a rollback journal (journal_mode=DELETE), so it is one
// self-contained file with no -wal beside it; a vault opened from it goes
// back to WAL (sqlite.ts).
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { KmsError } from '../core/errors.js';
import { Database } from './sqlite.js';

export interface Snapshot {
  /** the schema version the copy is at (PRAGMA user_version) */
  schemaVersion: number;
  /** the vault id the copy holds (vault_meta) */
  vaultId: string;
  /** the custody record the copy holds (vault_meta), as JSON text */
  custody: string;
  /** the recovery record the copy holds, if the vault has a recovery split (vault_meta 'recovery', as JSON text, and its row MAC 'recovery_mac', base64) */
  recovery?: { json: string; mac?: string };
  /** the copy's size in bytes */
  bytes: number;
}

/** Creates `path` mode 0600, failing if it exists (whatever the umask: the fchmod undoes it). */
async function createPrivateFile(path: string): Promise<void> {
  const fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    if (process.platform !== 'win32') await fh.chmod(0o600);
  } finally {
    await fh.close();
  }
}

/**
 * Copies the database at `source` into a new private file `dest` (which must
 * not exist), then checks the copy (checkDatabase). The caller removes
 * `dest` (and dbFiles(dest)) when done with it, whatever happened.
 */
export async function snapshotDatabase(source: string, dest: string, opts: { busyTimeoutMs?: number } = {}): Promise<Snapshot> {
  await createPrivateFile(dest);
  const busy = opts.busyTimeoutMs !== undefined ? { busyTimeoutMs: opts.busyTimeoutMs } : {};
  const from = await Database.open(source, { create: false, ...busy });
  try {
    await from.backupTo(dest);
  } finally {
    await from.close();
  }
  const copy = await Database.open(dest, { create: false });
  let facts: Omit<Snapshot, 'bytes'>;
  try {
    await copy.exclusive((sql) => sql.exec('PRAGMA journal_mode = DELETE'));
    facts = await checkDatabase(copy, 'The snapshot of the vault');
  } finally {
    await copy.close();
  }
  return { ...facts, bytes: (await stat(dest)).size };
}

/**
 * What a vault database must be before it is sealed into a backup or
 * restored from one: SQLite's own integrity check and foreign key check
 * pass, and it names a vault. Returns its schema version, vault id, custody record and recovery record;
 * KMSInternalException naming `what` otherwise.
 */
export async function checkDatabase(db: Database, what: string): Promise<Omit<Snapshot, 'bytes'>> {
  const broken = (why: string) => new KmsError('KMSInternalException', `${what} is not a sound database: ${why}.`);
  const integrity = (await db.all<{ integrity_check: string }>('PRAGMA integrity_check')).map((r) => r.integrity_check);
  if (integrity.length !== 1 || integrity[0] !== 'ok') throw broken(`SQLite's integrity check reports ${integrity.slice(0, 3).join('; ')}`);
  const orphans = await db.all<{ table: string }>('PRAGMA foreign_key_check');
  if (orphans.length > 0) throw broken(`${orphans.length} rows of ${orphans[0]!.table} reference rows that do not exist`);
  const schemaVersion = (await db.get<{ user_version: number }>('PRAGMA user_version'))?.user_version ?? 0;
  let meta = new Map<string, string>();
  try {
    meta = new Map(
      (await db.all<{ name: string; value: string }>("SELECT name, value FROM vault_meta WHERE name IN ('vault_id', 'custody', 'recovery', 'recovery_mac')")).map((r) => [r.name, r.value]),
    );
  } catch {
    // no vault_meta table: not a vault
  }
  const vaultId = meta.get('vault_id');
  const custody = meta.get('custody');
  if (!vaultId || !custody || schemaVersion < 1) throw broken('it holds no Strongroom vault');
  const recovery = meta.get('recovery');
  const recoveryMac = meta.get('recovery_mac');
  return { schemaVersion, vaultId, custody, ...(recovery !== undefined ? { recovery: { json: recovery, ...(recoveryMac !== undefined ? { mac: recoveryMac } : {}) } } : {}) };
}
