// What a ceremony reads from and asks of the stored trail (AuditLog): its
// head, a range of records with their chain hashes, and a signed statement
// that is not a digest (core/audit/statement.ts) — never one typed as a
// digest, so a ceremony's signature can never pass for a digest's.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIGEST_TYPE, publicKeyFromPem, verifyDigestSignature } from '../../main/core/audit/digest.js';
import { AuditLog } from '../../main/store/audit/audit-log.js';
import { ACCOUNT, memorySigner, OTHER_ACCOUNT, sampleEvent, T0, tempDb, type TempDb } from '../core/audit/support.js';

let t: TempDb;
let signer: ReturnType<typeof memorySigner>;
let log: AuditLog;
beforeEach(async () => {
  t = await tempDb();
  signer = memorySigner();
  log = new AuditLog(t.db, signer, { digestEvery: 10, clock: () => T0 });
});
afterEach(async () => {
  await log.close().catch(() => undefined);
  await t.close();
});

describe('head, records and signStatement', () => {
  it("the head and a range of an account's records, as the chain holds them", async () => {
    expect(await log.head(ACCOUNT)).toBe(0);
    // not awaited one by one: head and records wait for every append made before them
    void Promise.all(Array.from({ length: 5 }, (_, i) => log.append(ACCOUNT, sampleEvent(i + 1))));
    expect(await log.head(ACCOUNT)).toBe(5);
    expect(await log.head(OTHER_ACCOUNT)).toBe(0);
    const range = await log.records(ACCOUNT, 2, 4);
    expect(range.map((r) => r.seq)).toEqual([3, 4]);
    const all = await t.db.all<{ seq: number; hash: string; prev_hash: string }>('SELECT seq, hash, prev_hash FROM audit_events WHERE account = ? ORDER BY seq', [ACCOUNT]);
    expect(range.map((r) => [r.hash, r.prevHash])).toEqual(all.slice(2, 4).map((r) => [r.hash, r.prev_hash]));
    expect(range[1]!.prevHash).toBe(range[0]!.hash);
  });

  it('signs a typed statement with the account key, and refuses a digest or an untyped one', async () => {
    const statement = { type: 'strongroom-ceremony-index/1', account: ACCOUNT, header: 'a'.repeat(64), steps: [] };
    const sig = await log.signStatement(ACCOUNT, statement);
    const key = publicKeyFromPem(await log.publicKeyPem(ACCOUNT));
    expect(verifyDigestSignature(key, statement, sig)).toBe(true);
    expect(verifyDigestSignature(key, { ...statement, header: 'b'.repeat(64) }, sig)).toBe(false);
    await expect(log.signStatement(ACCOUNT, { type: DIGEST_TYPE })).rejects.toThrow(/expected a statement type other than strongroom-audit-digest\/1/);
    await expect(log.signStatement(ACCOUNT, { type: 'anything' })).rejects.toThrow(/expected a statement type/);
  });
});
