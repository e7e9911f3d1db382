// Issue 2 metrics: Encrypt+Decrypt of 100-byte payloads through
// service.call against raw node:crypto AES-256-GCM on the same payloads
// (target ratio ≥ 0.25), and CreateKey against a raw SQLite transaction
// that writes the same two rows durably.
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../main/store/sqlite.js';
import { initVault, openVault } from '../../main/vault/vault.js';
import { rate, report } from './harness.js';

const PAYLOAD = 100;
/** callers in flight at once, as the desktop app and scripts produce them */
const CONCURRENCY = 64;

export async function benchSymmetric(ms: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'strongroom-bench-'));
  try {
    const passphrase = 'bench passphrase';
    await initVault(dir, { custody: { kind: 'passphrase', passphrase }, adminPassphrase: passphrase });
    const vault = await openVault(dir, { vaultPassphrase: async () => passphrase });
    const caller = await vault.service.signIn({ userName: 'admin', passphrase, region: 'local-1', source: 'sdk' });
    const call = (name: string, input: unknown) => vault.service.call(caller, name, input) as Promise<any>;
    const { KeyMetadata } = await call('CreateKey', {});
    const payloads = Array.from({ length: 256 }, () => randomBytes(PAYLOAD));

    let i = 0;
    const service = await rate(ms, async () => {
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          const p = payloads[i++ & 255]!;
          const { CiphertextBlob } = await call('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: p });
          await call('Decrypt', { CiphertextBlob });
        }),
      );
      return CONCURRENCY;
    });

    const key = createSecretKey(randomBytes(32));
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
    report({ metric: 'symmetric.encrypt_decrypt', value: service, unit: 'ops/s', reference: 'raw node:crypto AES-256-GCM', ratio: service / raw });

    const createKey = await rate(ms, async () => {
      await call('CreateKey', {});
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
