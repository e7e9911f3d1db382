// The audit_keys table (migration 0002): each tenant's audit signing key
// pair, the private half sealed under the tenant key (core/audit/signing-key.ts
// seals, opens and creates it; this file only stores it).
import type { KeyObject } from 'node:crypto';
import type { AuditKeyRecord, AuditKeySource } from '../../core/audit/signing-key.js';
import type { Database, Sql } from '../sqlite.js';

export class AuditKeyStore {
  readonly #db: Database;
  readonly #clock: () => number;

  constructor(db: Database, clock: () => number = Date.now) {
    this.#db = db;
    this.#clock = clock;
  }

  async load(account: string): Promise<AuditKeyRecord | undefined> {
    const r = await this.#db.get<{ sealed_private_key: Buffer; public_key_pem: string }>('SELECT sealed_private_key, public_key_pem FROM audit_keys WHERE account = ?', [account]);
    return r && { account, sealedPrivateKey: r.sealed_private_key, publicKeyPem: r.public_key_pem };
  }

  /** Stores the record unless the account has a key already (another process may have just made one); returns the stored record. */
  async insertIfAbsent(record: AuditKeyRecord): Promise<AuditKeyRecord> {
    await this.#db.transaction((sql) =>
      sql.run('INSERT OR IGNORE INTO audit_keys (account, sealed_private_key, public_key_pem, created_at) VALUES (?, ?, ?, ?)', [
        record.account,
        record.sealedPrivateKey,
        record.publicKeyPem,
        this.#clock(),
      ]),
    );
    const stored = await this.load(record.account);
    if (!stored) throw new Error(`the audit key of account ${record.account} could not be stored`);
    return stored;
  }

  /** Inside a transaction the caller runs (e.g. the one creating a tenant). */
  static async insertWith(sql: Sql, record: AuditKeyRecord, createdAt: number): Promise<void> {
    await sql.run('INSERT INTO audit_keys (account, sealed_private_key, public_key_pem, created_at) VALUES (?, ?, ?, ?)', [
      record.account,
      record.sealedPrivateKey,
      record.publicKeyPem,
      createdAt,
    ]);
  }
}

/** The AuditKeySource a TenantAuditSigner needs, over audit_keys and the vault's tenant keys. */
export function auditKeySource(db: Database, tenantKey: (account: string) => Promise<KeyObject>, clock?: () => number): AuditKeySource {
  const store = new AuditKeyStore(db, clock);
  return { tenantKey, load: (a) => store.load(a), insertIfAbsent: (r) => store.insertIfAbsent(r) };
}
