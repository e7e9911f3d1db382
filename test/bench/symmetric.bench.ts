// Issue 2 and 3 metrics, on a real vault (SQLite file, WAL, synchronous=FULL):
//   symmetric.encrypt_decrypt  Encrypt+Decrypt pairs of 100-byte payloads per
//                              second through service.call (validation, key
//                              lookup, authorization, blob format, the audit
//                              record built and redacted) against raw
//                              node:crypto AES-256-GCM on the same payloads
//                              (reported, not a target since issue 10). The
//                              trail records nothing here: the durable append
//                              is priced by the next metric;
//   audited.encrypt_decrypt    the same calls durably audited, in operations
//                              per second (THE target: ≥ 20,000/s; every real
//                              call is audited), ratio to the same calls
//                              without audit;
//   symmetric.encrypt_decrypt.audited
//                              the audited pairs against raw AES-256-GCM, so
//                              the whole cost of a durably audited call is
//                              in plain sight too (no target);
//   symmetric.create_key       CreateKey per second against a raw durable
//                              SQLite transaction writing the same two rows.
// Callers run CONCURRENCY at a time, as the desktop app, scripts and an HTTP
// endpoint produce them; group commit makes durable audit cheap only then.
// Each caller makes PAIRS_PER_CALLER pairs, one after another, per timed
// round: clients are independent of each other. (With one pair per round,
// all 256 callers would wait for the slowest after every pair and move in
// lockstep, which no mix of real clients does, and which keeps the commit
// of one group of records from overlapping the work of the next: ~7% here.)
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditTrail } from '../../main/core/service/ports.js';
import { Database } from '../../main/store/sqlite.js';
import { initVault, openVault, type Vault } from '../../main/vault/vault.js';
import { callAs } from '../support/call-as.js';
import { UNRECORDED } from '../support/trails.js';
import { rate, report } from './harness.js';

const PAYLOAD = 100;
const CONCURRENCY = 256;
const PAIRS_PER_CALLER = 8;
const PASSPHRASE = 'bench passphrase';

async function pairsPerSecond(vault: Vault, ms: number, payloads: Buffer[]): Promise<number> {
  const caller = await vault.service.signIn({ userName: 'admin', passphrase: PASSPHRASE, region: 'local-1', source: 'sdk' });
  const call = callAs(vault.service, caller);
  const { KeyMetadata } = await call('CreateKey', {});
  let i = 0;
  return rate(ms, async () => {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let k = 0; k < PAIRS_PER_CALLER; k++) {
          const { CiphertextBlob } = await call('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: payloads[i++ & 255]! });
          await call('Decrypt', { CiphertextBlob });
        }
      }),
    );
    return CONCURRENCY * PAIRS_PER_CALLER;
  });
}

export async function benchSymmetric(ms: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'strongroom-bench-'));
  try {
    await initVault(dir, { custody: { kind: 'passphrase', passphrase: PASSPHRASE }, adminPassphrase: PASSPHRASE });
    const open = (audit?: AuditTrail) => openVault(dir, { vaultPassphrase: async () => PASSPHRASE, ...(audit ? { service: { audit: () => audit } } : {}) });
    const payloads = Array.from({ length: 256 }, () => randomBytes(PAYLOAD));

    const vault = await open();
    const audited = await pairsPerSecond(vault, ms, payloads);
    const plain = await open(UNRECORDED);
    const unaudited = await pairsPerSecond(plain, ms, payloads);
    await plain.close();

    // The reference: AES-256-GCM as a caller of node:crypto writes it, a fresh randomBytes(12) nonce per message.
    const key = createSecretKey(randomBytes(32));
    let i = 0;
    const raw = await rate(ms, () => {
      for (let n = 0; n < CONCURRENCY; n++) {
        const p = payloads[i++ & 255]!;
        const iv = randomBytes(12);
        const c = createCipheriv('aes-256-gcm', key, iv);
        const ct = Buffer.concat([c.update(p), c.final()]);
        const d = createDecipheriv('aes-256-gcm', key, iv);
        d.setAuthTag(c.getAuthTag());
        Buffer.concat([d.update(ct), d.final()]);
      }
      return CONCURRENCY;
    });
    const reference = 'raw node:crypto AES-256-GCM';
    report({ metric: 'symmetric.encrypt_decrypt', value: unaudited, unit: 'pairs/s', reference, ratio: unaudited / raw });
    report({ metric: 'symmetric.encrypt_decrypt.audited', value: audited, unit: 'pairs/s', reference, ratio: audited / raw });
    report({ metric: 'audited.encrypt_decrypt', value: audited * 2, unit: 'ops/s', reference: 'the same calls without audit', ratio: audited / unaudited });

    const caller = await vault.service.signIn({ userName: 'admin', passphrase: PASSPHRASE, region: 'local-1', source: 'sdk' });
    const createKey = await rate(ms, async () => {
      await vault.service.call(caller, 'CreateKey', {});
      return 1;
    });
    await vault.close();

    const db = await Database.open(join(dir, 'reference.db'), { create: true });
    await db.raw.exec('CREATE TABLE k (id TEXT PRIMARY KEY, v TEXT) STRICT; CREATE TABLE m (id TEXT, n INTEGER, w BLOB) STRICT');
    let n = 0;
    const rawInsert = await rate(ms, async () => {
      await db.transaction(async (sql) => {
        await sql.run('INSERT INTO k VALUES (?, ?)', [String(n++), 'x'.repeat(200)]);
        await sql.run('INSERT INTO m VALUES (?, 1, ?)', [String(n), randomBytes(60)]);
      });
      return 1;
    });
    await db.close();
    report({ metric: 'symmetric.create_key', value: createKey, unit: 'ops/s', reference: 'raw durable SQLite transaction of the same two rows', ratio: createKey / rawInsert });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
