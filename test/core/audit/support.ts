// Shared by the audit tests and the audit benchmark: an in-memory
// AuditKeySource (sealing under a random tenant key, as the vault does),
// sample events, in-memory chains with digests, and a real SQLite file with
// migrations 0001 and 0002 applied.
import { createSecretKey, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson, extendChain, type StoredRecord } from '../../../main/core/audit/chain.js';
import { digestBoundaries, makeDigest, signDigest, type AuditDigest, type SignedDigest } from '../../../main/core/audit/digest.js';
import { buildEvent, type AuditEvent } from '../../../main/core/audit/event.js';
import { TenantAuditSigner, type AuditKeyRecord } from '../../../main/core/audit/signing-key.js';
import { migrate } from '../../../main/store/migrations/index.js';
import * as m0002 from '../../../main/store/migrations/0002-audit.js';
import { Database } from '../../../main/store/sqlite.js';

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const REGION = 'local-1';
export const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);
const KEYS = [randomUUID(), randomUUID(), randomUUID()];
export const keyArnOf = (account: string, i: number) => `arn:strongroom:kms:${REGION}:${account}:key/${KEYS[i % KEYS.length]}`;
export const keyIdOf = (i: number) => KEYS[i % KEYS.length]!;

/** An AuditSigner whose keys live in memory, sealed under per-account random tenant keys. */
export function memorySigner(): TenantAuditSigner & { records: Map<string, AuditKeyRecord>; tenantKeys: Map<string, KeyObject> } {
  const records = new Map<string, AuditKeyRecord>();
  const tenantKeys = new Map<string, KeyObject>();
  const signer = new TenantAuditSigner({
    async tenantKey(account) {
      let k = tenantKeys.get(account);
      if (!k) tenantKeys.set(account, (k = createSecretKey(randomBytes(32))));
      return k;
    },
    async load(account) {
      return records.get(account);
    },
    async insertIfAbsent(r) {
      if (!records.has(r.account)) records.set(r.account, r);
      return records.get(r.account)!;
    },
  });
  return Object.assign(signer, { records, tenantKeys });
}

/** A realistic Encrypt (or other) call's record. */
export function sampleEvent(i: number, opts: { account?: string; name?: string; user?: string; time?: number; error?: boolean } = {}): AuditEvent {
  const account = opts.account ?? ACCOUNT;
  const user = opts.user ?? `user${i % 3}`;
  const name = opts.name ?? (['Encrypt', 'Decrypt', 'GenerateDataKey', 'DescribeKey'] as const)[i % 4]!;
  const arn = keyArnOf(account, i);
  return buildEvent({
    time: opts.time ?? T0 + i * 1000,
    operation: name,
    action: `kms:${name}`,
    region: REGION,
    account,
    caller: { account, userName: user, arn: `arn:strongroom:iam::${account}:user/${user}` },
    source: 'sdk',
    input: { KeyId: arn, Plaintext: Buffer.from(`secret payload ${i}`), EncryptionContext: { purpose: 'test', n: String(i) } },
    output: opts.error ? undefined : { KeyId: arn, CiphertextBlob: randomBytes(120), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
    error: opts.error ? { name: 'AccessDeniedException', message: `User ${user} is not authorized to perform kms:${name}` } : undefined,
  });
}

export interface MemoryTrail {
  records: StoredRecord[];
  digests: SignedDigest[];
}

/** A chain of `n` sample records with a signed digest every `every` records and one over the tail. */
export async function memoryTrail(signer: TenantAuditSigner, n: number, every: number, account = ACCOUNT): Promise<MemoryTrail> {
  const chain = extendChain({ seq: 0, hash: '0'.repeat(64) }, Array.from({ length: n }, (_, i) => sampleEvent(i + 1, { account })));
  const records = chain.map((r) => ({ seq: r.seq, prevHash: r.prevHash, hash: r.hash, eventJson: canonicalJson(r.event) }));
  const digests: SignedDigest[] = [];
  let prev: AuditDigest | undefined;
  const ends = digestBoundaries(0, n, every);
  if (n > (ends.at(-1) ?? 0)) ends.push(n);
  for (const t of ends) {
    const d = makeDigest(account, prev, t, records[t - 1]!.hash, T0 + t * 1000);
    digests.push(await signDigest(signer, account, d));
    prev = d;
  }
  return { records, digests };
}

export interface TempDb {
  dir: string;
  path: string;
  db: Database;
  /** another connection to the same file, as another process would have */
  open(): Promise<Database>;
  close(): Promise<void>;
}

/** Migrations 0001 and 0002 on a fresh database (0002 directly, until the lead registers it). */
export async function migrateWithAudit(db: Database): Promise<void> {
  await migrate(db);
  const has = await db.get("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'audit_events'");
  if (!has) {
    await db.transaction(async (sql) => {
      await sql.exec(m0002.sql);
      await sql.exec(`PRAGMA user_version = ${m0002.version}`);
    });
  }
}

export async function tempDb(): Promise<TempDb> {
  const dir = await mkdtemp(join(tmpdir(), 'strongroom-audit-'));
  const path = join(dir, 'vault.sqlite');
  const db = await Database.open(path, { create: true });
  await migrateWithAudit(db);
  const others: Database[] = [];
  return {
    dir,
    path,
    db,
    async open() {
      const d = await Database.open(path, { create: false });
      others.push(d);
      return d;
    },
    async close() {
      await Promise.all([db, ...others].map((d) => d.close().catch(() => undefined)));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
