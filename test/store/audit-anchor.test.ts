// A trail that cannot be trimmed unnoticed (issue 9): verification wants a
// signed digest over every record but a short tail, and each trail's
// newest digest is anchored outside the database file (core/audit/anchor.ts,
// custody/audit-anchor.ts: here the sealed file of a vault without a
// keychain; test/custody/keychain-anchor.test.ts has the keychain's). An
// attacker who can write the database drops the append-only triggers and
// deletes what they like.
import { createSecretKey, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileAnchorStore, ANCHOR_FILE } from '../../main/custody/anchor.js';
import type { AnchorStore } from '../../main/core/integrity/anchor.js';
import { AuditLog } from '../../main/store/audit/audit-log.js';
import type { Database, SqlValue } from '../../main/store/sqlite.js';
import { ACCOUNT, memorySigner, sampleEvent, T0, tempDb, type TempDb } from '../core/audit/support.js';

let t: TempDb;
let anchor: AnchorStore;
let log: AuditLog;
const signer = memorySigner();
beforeEach(async () => {
  t = await tempDb();
  anchor = fileAnchorStore(t.dir, 'vault-under-test', createSecretKey(randomBytes(32)));
  log = new AuditLog(t.db, signer, { digestEvery: 10, clock: () => T0, anchor });
});
afterEach(async () => {
  await log.close().catch(() => undefined);
  await t.close();
});

const append = (n: number, from = 1) => Promise.all(Array.from({ length: n }, (_, i) => log.append(ACCOUNT, sampleEvent(from + i))));
const run = (db: Database, q: string, p: SqlValue[] = []) => db.exclusive((sql) => sql.run(q, p));
const dropTriggers = (db: Database) =>
  db.exclusive((sql) =>
    sql.exec(`DROP TRIGGER audit_events_append_only_update; DROP TRIGGER audit_events_append_only_delete;
              DROP TRIGGER audit_digests_append_only_update; DROP TRIGGER audit_digests_append_only_delete;`),
  );
const kinds = async (l = log) => (await l.verifyStored(ACCOUNT)).problems.map((p) => p.kind);

describe('the anchor follows the newest digest', () => {
  it('every digest written moves the anchor to it, and never back', async () => {
    await append(25);
    await log.checkpoint();
    expect(await anchor.read(ACCOUNT)).toMatchObject({ toSeq: 25 });
    await anchor.advance(ACCOUNT, { toSeq: 10, digestHash: 'a'.repeat(64) });
    expect(await anchor.read(ACCOUNT)).toMatchObject({ toSeq: 25 });
    expect((await log.verifyStored(ACCOUNT)).ok).toBe(true);
  });

  it('the anchor file is sealed: an edited or foreign one is refused as damaged, not trusted', async () => {
    await append(12);
    await log.checkpoint();
    const path = join(t.dir, ANCHOR_FILE);
    const sealed = await readFile(path);
    sealed[sealed.length - 1]! ^= 1;
    await writeFile(path, sealed);
    await expect(log.verifyStored(ACCOUNT)).rejects.toMatchObject({ name: 'KMSInternalException', message: expect.stringMatching(/audit anchor .* is damaged/) });
    const other = fileAnchorStore(t.dir, 'another-vault', createSecretKey(randomBytes(32)));
    await expect(other.read(ACCOUNT)).rejects.toMatchObject({ name: 'KMSInternalException' });
  });
});

describe('trimming is named', () => {
  it('deleting every digest: the unsigned records are named, and so is the missing anchored digest', async () => {
    await append(25);
    await log.checkpoint();
    await dropTriggers(t.db);
    await run(t.db, 'DELETE FROM audit_digests');
    const r = await log.verifyStored(ACCOUNT);
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'unsigned', message: expect.stringMatching(/records 1\.\.25 are not covered by a valid signed digest, and at most 20 may be/) }),
        expect.objectContaining({ kind: 'truncated', message: expect.stringMatching(/signed digest over records up to 25\b.* is gone/) }),
      ]),
    );
  });

  it('deleting the tail with its digests: the trail is named as cut back, no export is signed, and no call may add to it', async () => {
    await append(30);
    await log.checkpoint();
    await dropTriggers(t.db);
    await run(t.db, 'DELETE FROM audit_events WHERE seq > 20');
    await run(t.db, 'DELETE FROM audit_digests WHERE to_seq > 20');
    expect(await kinds()).toEqual(['truncated']);
    expect((await log.verifyStored(ACCOUNT)).problems[0]!.message).toMatch(/cut back: records 21\.\.30 were signed .* and are gone/);
    await expect(log.exportText(ACCOUNT)).rejects.toMatchObject({ name: 'KMSInvalidStateException', message: expect.stringMatching(/No export was made/) });
    const fresh = new AuditLog(t.db, signer, { digestEvery: 10, clock: () => T0, anchor });
    await expect(fresh.ready(ACCOUNT)).rejects.toMatchObject({ name: 'KMSInternalException', message: expect.stringMatching(/cannot be signed .*cut back/) });
    // and no digest is ever signed on top of it
    await fresh.append(ACCOUNT, sampleEvent(21));
    await expect(fresh.checkpoint()).rejects.toMatchObject({ name: 'KMSInternalException' });
    expect((await t.db.get<{ n: number }>('SELECT max(to_seq) AS n FROM audit_digests'))!.n).toBe(20);
  });

  it('replacing the anchored digest (re-signing is impossible without the key, so: a digest from elsewhere) is named', async () => {
    await append(10);
    await log.checkpoint();
    await dropTriggers(t.db);
    const row = (await t.db.get<{ digest_json: string }>('SELECT digest_json FROM audit_digests WHERE to_seq = 10'))!;
    await run(t.db, 'UPDATE audit_digests SET digest_json = ? WHERE to_seq = 10', [row.digest_json.replace(/"digestTime":"[^"]*"/, '"digestTime":"2020-01-01T00:00:00.000Z"')]);
    expect(await kinds()).toEqual(expect.arrayContaining(['bad-signature', 'truncated']));
  });

  it('a short unsigned tail is accepted, a long one is not (two digest intervals at most)', async () => {
    const noAnchor = new AuditLog(t.db, signer, { digestEvery: 10, clock: () => T0 });
    await Promise.all(Array.from({ length: 15 }, (_, i) => noAnchor.append(ACCOUNT, sampleEvent(i + 1))));
    await noAnchor.flush();
    await dropTriggers(t.db);
    await run(t.db, 'DELETE FROM audit_digests');
    expect(await kinds(noAnchor)).toEqual([]); // 15 ≤ 20: still within what a crash may leave
    await Promise.all(Array.from({ length: 6 }, (_, i) => noAnchor.append(ACCOUNT, sampleEvent(16 + i))));
    await noAnchor.flush();
    await run(t.db, 'DELETE FROM audit_digests');
    expect(await kinds(noAnchor)).toEqual(['unsigned']);
    await noAnchor.close().catch(() => undefined);
  });
});
