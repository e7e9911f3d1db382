// Creating and opening a vault: the composition root shared by the CLI and
// (later) the Electron main process. A vault is a directory holding one
// SQLite file; its master key is in the OS keychain or wrapped under a
// passphrase (main/custody). init is all-or-nothing: the database is built
// under a temporary name and renamed into place only when complete. Only the
// vault's owner may read it: init and open make the directory 0700 and its
// files 0600, or refuse a vault another account owns (permissions.ts).
import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { KmsError } from '../core/errors.js';
import { Service, type ServiceOptions } from '../core/service/service.js';
import {
  createVaultMasterKey,
  destroyVaultMasterKey,
  openVaultMasterKey,
  parseCustodyRecord,
  type CustodyChoice,
  type CustodyRecord,
} from '../custody/vault-master-key.js';
import { TenantAuditSigner } from '../core/audit/signing-key.js';
import { vaultSubkey } from '../core/crypto/subkeys.js';
import type { AnchorStore } from '../core/integrity/anchor.js';
import { RowMac } from '../core/integrity/row-mac.js';
import { ANCHOR_FILE, fileAnchorStore, keychainAnchorStore } from '../custody/anchor.js';
import { keychainSessionTokens, type SessionTokenStore } from '../custody/session-keychain.js';
import { AuditLog } from '../store/audit/audit-log.js';
import { auditKeySource } from '../store/audit/keys.js';
import { migrate, SCHEMA_VERSION } from '../store/migrations/index.js';
import { Database } from '../store/sqlite.js';
import { SqliteVaultRepository } from '../store/vault-repository.js';
import type { AuditTrail } from '../core/service/ports.js';
import { DB_FILE, dbFiles } from './paths.js';
import { securePrivateDir, securePrivateFiles } from './permissions.js';

export { defaultVaultDir } from './paths.js';

interface InitOptions {
  custody: CustodyChoice;
  tenantName?: string;
  adminPassphrase: string;
  /** how long to wait for another program's lock on the vault, in ms (default: the store's, 10 s) */
  busyTimeoutMs?: number;
  service?: ServiceOptions;
}

export interface OpenOptions {
  vaultPassphrase?: () => Promise<string>;
  /**
   * The database file's name in the vault directory, when not strongroom.db:
   * a restore (main/backup/restore.ts) opens the vault under the temporary
   * name it is built under, and renames it into place only once it opens.
   */
  file?: string;
  /**
   * Run the work that fell due while the vault was closed (deletions,
   * rotations) as it opens; default true. A restore runs it itself, after
   * recording the restore, so that the trail shows the restore first.
   */
  dueWork?: boolean;
  log?: (message: string, error?: unknown) => void;
  /** how long to wait for another program's lock on the vault, in ms (default: the store's, 10 s) */
  busyTimeoutMs?: number;
  service?: ServiceOptions;
}

export interface Vault {
  readonly dir: string;
  readonly vaultId: string;
  readonly custody: CustodyRecord['kind'];
  readonly service: Service;
  /** the trail the service records every call in (for what is recorded outside a call: a restore, main/backup) */
  readonly audit: AuditTrail;
  /**
   * The vault master key, for sealing a backup (main/backup/create.ts): a
   * backup must open with it anywhere. The service holds the same key
   * (KeyMaterials); it never leaves the process.
   */
  readonly masterKey: KeyObject;
  /** where the CLI keeps `strongroom login` sessions: the OS keychain (custody/session-keychain.ts); none without a keychain */
  readonly sessionTokens?: SessionTokenStore;
  close(): Promise<void>;
}

export async function initVault(dir: string, opts: InitOptions): Promise<{ vaultId: string; account: string }> {
  const path = join(dir, DB_FILE);
  if (existsSync(path)) throw new KmsError('AlreadyExistsException', `A vault already exists in ${dir}.`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await securePrivateDir(dir, opts.service?.log);
  const vaultId = randomUUID();
  const temp = join(dir, `.${DB_FILE}.init-${vaultId}`);
  const busy = opts.busyTimeoutMs !== undefined ? { busyTimeoutMs: opts.busyTimeoutMs } : {};
  let record: CustodyRecord | undefined;
  let db: Database | undefined;
  try {
    db = await Database.open(temp, { create: true, ...busy });
    const created = await createVaultMasterKey(vaultId, opts.custody);
    record = created.record;
    const rowMac = new RowMac(vaultSubkey(created.vmk, vaultId, 'row-mac'));
    const anchor = anchorStore(dir, vaultId, record, created.vmk);
    await migrate(db, SCHEMA_VERSION, { rowMac });
    const custody = JSON.stringify(record);
    await db.transaction(async (sql) => {
      await sql.run('INSERT INTO vault_meta (name, value) VALUES (?, ?), (?, ?), (?, ?)', [
        'vault_id',
        vaultId,
        'custody',
        custody,
        'custody_mac',
        rowMac.custody(vaultId, custody).toString('base64'),
      ]);
    });
    const service = new Service(new SqliteVaultRepository(db, rowMac), created.vmk, opts.service);
    created.vmk.fill(0);
    const tenant = await service.createTenant(opts.tenantName ?? 'operator', opts.adminPassphrase);
    await service.close();
    db = undefined;
    if (existsSync(path)) throw new KmsError('AlreadyExistsException', `A vault already exists in ${dir}.`);
    await rename(temp, path);
    await anchor.raiseSchema(SCHEMA_VERSION);
    return { vaultId, account: tenant.account };
  } catch (e) {
    await db?.close().catch(() => undefined);
    await Promise.all(dbFiles(temp).map((f) => rm(f, { force: true })));
    if (record) await destroyVaultMasterKey(vaultId, record).catch(() => undefined);
    throw e;
  }
}

export async function openVault(dir: string, opts: OpenOptions = {}): Promise<Vault> {
  const path = join(dir, opts.file ?? DB_FILE);
  if (!existsSync(path)) throw new KmsError('NotFoundException', `There is no vault in ${dir}. Create one with 'strongroom init', or point --vault / STRONGROOM_VAULT at an existing vault.`);
  const log = opts.log ?? opts.service?.log;
  await securePrivateDir(dir, log);
  await securePrivateFiles([...dbFiles(path), join(dir, ANCHOR_FILE)], log);
  const busy = opts.busyTimeoutMs !== undefined ? { busyTimeoutMs: opts.busyTimeoutMs } : {};
  const db = await Database.open(path, { create: false, ...busy });
  let auditDb: Database | undefined;
  try {
    // vault_meta is there from the first schema on: the master key is opened before migrating, since
    // a migration may need it (0007 seals the rows).
    const meta = new Map((await db.all<{ name: string; value: string }>('SELECT name, value FROM vault_meta')).map((r) => [r.name, r.value]));
    const vaultId = meta.get('vault_id');
    const custody = meta.get('custody');
    if (!vaultId || !custody) throw new KmsError('KMSInvalidStateException', `The vault in ${dir} is incomplete (no vault id or custody record).`);
    const record = parseCustodyRecord(JSON.parse(custody));
    const vmk = await openVaultMasterKey(vaultId, record, opts.vaultPassphrase);
    const rowMac = new RowMac(vaultSubkey(vmk, vaultId, 'row-mac'));
    const anchor = anchorStore(dir, vaultId, record, vmk);
    await migrateAnchored(db, anchor, rowMac);
    const sealedCustody = (await db.get<{ value: string }>("SELECT value FROM vault_meta WHERE name = 'custody_mac'"))?.value;
    RowMac.check(rowMac.custody(vaultId, custody), sealedCustody === undefined ? undefined : Buffer.from(sealedCustody, 'base64'), `The custody record of vault ${vaultId}`);
    const clock = opts.service?.clock;
    // The audit trail has its own connection: its group commits then never
    // hold up the reads and writes of the operations whose records it waits for.
    auditDb = await db.sibling();
    const trailDb = auditDb;
    const makeTrail =
      opts.service?.audit ??
      ((tenantKey: (account: string) => Promise<KeyObject>) =>
        new AuditLog(trailDb, new TenantAuditSigner(auditKeySource(trailDb, tenantKey, clock)), { anchor, rowMac, ...(clock ? { clock } : {}), ...(log ? { log } : {}) }));
    let audit: AuditTrail | undefined;
    const service = new Service(new SqliteVaultRepository(db, rowMac, [trailDb]), vmk, {
      ...opts.service,
      ...(log ? { log } : {}),
      // Sessions beyond one process (the CLI's `login`) only where a keychain can hold their tokens.
      ...(record.kind === 'keychain' ? { sessionKey: { vaultId, key: vaultSubkey(vmk, vaultId, 'session') } } : {}),
      audit: (tenantKey) => (audit = makeTrail(tenantKey)),
    });
    const masterKey = createSecretKey(vmk);
    vmk.fill(0);
    // Records of changes whose process died before writing them, then what fell due while the vault was closed.
    await service.recoverAudit();
    if (opts.dueWork !== false) await service.runDueWork();
    const sessionTokens = record.kind === 'keychain' ? { sessionTokens: keychainSessionTokens(vaultId) } : {};
    return { dir, vaultId, custody: record.kind, service, audit: audit!, masterKey, ...sessionTokens, close: () => service.close() };
  } catch (e) {
    await auditDb?.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw e;
  }
}

/** The vault's anchor (core/integrity/anchor.ts): beside the master key in the keychain, or sealed in the vault folder. */
function anchorStore(dir: string, vaultId: string, record: CustodyRecord, vmk: Uint8Array): AnchorStore {
  return record.kind === 'keychain' ? keychainAnchorStore(vaultId) : fileAnchorStore(dir, vaultId, vaultSubkey(vmk, vaultId, 'audit-anchor'));
}

/**
 * Brings the schema up to date, refusing a file older than the newest
 * schema this vault was opened at (put back from an old copy, or edited to
 * have its rows sealed anew), then remembers the new version outside it.
 */
async function migrateAnchored(db: Database, anchor: AnchorStore, rowMac: RowMac): Promise<void> {
  const floor = await anchor.schema();
  const current = (await db.get<{ user_version: number }>('PRAGMA user_version'))?.user_version ?? 0;
  if (floor !== undefined && current < floor) {
    throw new KmsError(
      'KMSInvalidStateException',
      `The vault file is at schema version ${current}, older than version ${floor} it was opened at before: it was put back from an older copy or edited outside Strongroom. Restore the vault from a backup.`,
    );
  }
  await migrate(db, SCHEMA_VERSION, { rowMac });
  await anchor.raiseSchema(SCHEMA_VERSION);
}
