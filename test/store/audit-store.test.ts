import { createSecretKey, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, recordHashOf } from '../../main/core/audit/chain.js';
import { newAuditSigningKey, type AuditSigner } from '../../main/core/audit/digest.js';
import { buildEvent } from '../../main/core/audit/event.js';
import { verifyExport } from '../../main/core/audit/export.js';
import { TenantAuditSigner } from '../../main/core/audit/signing-key.js';
import { KmsError } from '../../main/core/errors.js';
import { AuditLog } from '../../main/store/audit/audit-log.js';
import { AuditKeyStore, auditKeySource } from '../../main/store/audit/keys.js';
import * as m0002 from '../../main/store/migrations/0002-audit.js';
import type { Database, SqlValue } from '../../main/store/sqlite.js';
import { ACCOUNT, keyArnOf, keyIdOf, memorySigner, OTHER_ACCOUNT, sampleEvent, T0, tempDb, type TempDb } from '../core/audit/support.js';

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

const rows = (db: Database, account = ACCOUNT) =>
  db.all<{ seq: number; prev_hash: string; hash: string; event_json: string }>('SELECT seq, prev_hash, hash, event_json FROM audit_events WHERE account = ? ORDER BY seq', [account]);
const append = (n: number, from = 1, account = ACCOUNT, l = log) => Promise.all(Array.from({ length: n }, (_, i) => l.append(account, sampleEvent(from + i, { account }))));
/** What an attacker with the file does first: the append-only triggers are in the way. */
const dropTriggers = (db: Database) =>
  db.exclusive((sql) =>
    sql.exec(`DROP TRIGGER audit_events_append_only_update; DROP TRIGGER audit_events_append_only_delete;
              DROP TRIGGER audit_digests_append_only_update; DROP TRIGGER audit_digests_append_only_delete;`),
  );
const run = (db: Database, q: string, p: SqlValue[] = []) => db.exclusive((sql) => sql.run(q, p));
/** Counts the record INSERTs and the BEGINs a connection runs from now on. */
function countStatements(db: Database): { inserts: number; begins: number } {
  const count = { inserts: 0, begins: 0 };
  const raw = db.raw as { run: Database['raw']['run']; exec: Database['raw']['exec'] };
  const [run0, exec0] = [raw.run, raw.exec];
  raw.run = (q, p) => {
    if (q.startsWith('INSERT INTO audit_events')) count.inserts++;
    return run0(q, p);
  };
  raw.exec = (q) => {
    if (q.startsWith('BEGIN')) count.begins++;
    return exec0(q);
  };
  return count;
}

describe('migration 0002', () => {
  it('creates STRICT tables, with no secondary index on the records (lookups have a block index), at schema version 2 (or later)', async () => {
    const tables = await t.db.all<{ name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name LIKE 'audit_%' ORDER BY name");
    expect(tables.map((x) => x.name)).toEqual(['audit_blocks', 'audit_digests', 'audit_events', 'audit_intents', 'audit_keys', 'audit_lookup']);
    for (const x of tables) expect(x.sql).toMatch(/\) STRICT$/);
    const indexes = (await t.db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_events' AND sql IS NOT NULL")).map((x) => x.name);
    expect(indexes).toEqual([]);
    expect((await t.db.get<{ user_version: number }>('PRAGMA user_version'))!.user_version).toBeGreaterThanOrEqual(2);
    expect(m0002).toMatchObject({ version: 2, name: 'audit' });
  });

  it('refuses updates and deletes of records and digests', async () => {
    await append(10);
    await log.flush();
    await expect(run(t.db, "UPDATE audit_events SET event_name = 'x' WHERE seq = 1")).rejects.toThrow('audit records are append-only');
    await expect(run(t.db, 'DELETE FROM audit_events WHERE seq = 1')).rejects.toThrow('audit records are append-only');
    await expect(run(t.db, 'DELETE FROM audit_digests')).rejects.toThrow('audit digests are append-only');
  });

  it('refuses rows STRICT typing and the checks reject', async () => {
    const insert = 'INSERT INTO audit_events (account, seq, prev_hash, hash, event_time, event_name, event_json) VALUES (?, ?, ?, ?, 0, ?, ?)';
    await expect(run(t.db, insert, [ACCOUNT, 'one', '0'.repeat(64), '0'.repeat(64), 'x', '{}'])).rejects.toThrow(/cannot store TEXT value in INTEGER column/);
    await expect(run(t.db, insert, ['1', 1, '0'.repeat(64), '0'.repeat(64), 'x', '{}'])).rejects.toThrow(/CHECK constraint failed/);
  });
});

describe('AuditLog: appending', () => {
  it('chains records per account from the genesis hash, storing canonical JSON and lookup columns', async () => {
    const e1 = sampleEvent(1);
    await log.append(ACCOUNT, e1);
    await log.append(ACCOUNT, sampleEvent(2));
    await log.append(OTHER_ACCOUNT, sampleEvent(3, { account: OTHER_ACCOUNT }));
    const r = await t.db.all<any>('SELECT * FROM audit_events ORDER BY account, seq');
    expect(r.map((x) => [x.account, x.seq])).toEqual([
      [ACCOUNT, 1],
      [ACCOUNT, 2],
      [OTHER_ACCOUNT, 1],
    ]);
    expect(r[0]).toMatchObject({ prev_hash: '0'.repeat(64), event_json: canonicalJson(e1), event_time: T0 + 1000, event_name: 'Decrypt', user_name: 'user1', key_arn: keyArnOf(ACCOUNT, 1) });
    expect(r[0].hash).toBe(recordHashOf(1, '0'.repeat(64), canonicalJson(e1)));
    expect(r[1].prev_hash).toBe(r[0].hash);
    expect(r[2].prev_hash).toBe('0'.repeat(64));
  });

  it('group commit: 500 concurrent appends → 500 rows, seqs 1..500 without gaps, in a few statements', async () => {
    const count = countStatements(t.db);
    await append(500);
    const r = await rows(t.db);
    expect(r.map((x) => x.seq)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(count.inserts).toBeLessThanOrEqual(5);
    for (let i = 1; i < r.length; i++) expect(r[i]!.prev_hash).toBe(r[i - 1]!.hash);
    expect(await log.verifyStored(ACCOUNT)).toMatchObject({ ok: true, records: 500, digests: 50 });
  });

  it("once an account's head is known, a batch is one INSERT statement with no explicit transaction", async () => {
    const l = new AuditLog(t.db, signer, { digestEvery: 1000 });
    await l.append(ACCOUNT, sampleEvent(1)); // first batch: BEGIN IMMEDIATE, read the head, insert, commit
    const count = countStatements(t.db);
    for (let round = 0; round < 3; round++) await append(20, 2 + round * 20, ACCOUNT, l);
    expect(count).toEqual({ inserts: 3, begins: 0 });
    // another writer moves the head: the guard notices, the batch goes through a transaction instead
    const other = new AuditLog(await t.open(), signer, { digestEvery: 1000 });
    await other.append(ACCOUNT, sampleEvent(100));
    await append(5, 200, ACCOUNT, l);
    expect(count).toEqual({ inserts: 5, begins: 1 });
    expect((await rows(t.db)).map((x) => x.seq)).toEqual(Array.from({ length: 67 }, (_, i) => i + 1));
    await Promise.all([l.close(), other.close()]);
    expect((await l.verifyStored(ACCOUNT)).ok).toBe(true);
  });

  it('keeps one chain per account when a batch mixes many accounts', async () => {
    const accounts = Array.from({ length: 7 }, (_, i) => `${900000000000 + i}`);
    for (let round = 0; round < 4; round++) {
      await Promise.all(Array.from({ length: 70 }, (_, i) => log.append(accounts[i % 7]!, sampleEvent(round * 70 + i, { account: accounts[i % 7]! }))));
    }
    await log.close();
    for (const a of accounts) {
      expect((await rows(t.db, a)).map((x) => x.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(await log.verifyStored(a)).toMatchObject({ ok: true, records: 40, signedThrough: 40 });
    }
  });

  it('an append resolves only once its record is committed: another connection sees it at once', async () => {
    const other = await t.open();
    const events = Array.from({ length: 200 }, (_, i) => sampleEvent(i + 1));
    const seen = await Promise.all(
      events.map(async (e, i) => {
        // stagger the appends so that they land in different batches
        if (i % 20 === 0) await new Promise((r) => setImmediate(r));
        await log.append(ACCOUNT, e);
        const row = await other.get<{ n: number }>('SELECT count(*) AS n FROM audit_events WHERE account = ? AND instr(event_json, ?) > 0', [ACCOUNT, e.eventID]);
        return row!.n;
      }),
    );
    expect(seen.every((n) => n === 1)).toBe(true);
  });

  it('a failing commit rejects every append of its batch, and the chain goes on without a gap', async () => {
    // a temporary trigger on this connection only: any batch holding a 'Boom' event fails to commit
    await t.db.exclusive((sql) => sql.exec(`CREATE TEMP TRIGGER boom BEFORE INSERT ON audit_events WHEN NEW.event_name = 'Boom' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`));
    await append(3);
    const batch = [1, 2, 3, 4, 5].map((i) => log.append(ACCOUNT, sampleEvent(100 + i, { name: i === 3 ? 'Boom' : 'Encrypt' })));
    const settled = await Promise.allSettled(batch);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'rejected']);
    const err = (settled[0] as PromiseRejectedResult).reason;
    expect(err).toBeInstanceOf(KmsError);
    expect(err.name).toBe('KMSInternalException');
    expect(err.message).toMatch(/audit record of this call could not be written/);
    expect(String(err.cause)).toMatch(/disk on fire/);
    await append(4, 200);
    expect((await rows(t.db)).map((x) => x.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect((await log.verifyStored(ACCOUNT)).ok).toBe(true);
  });

  it('two AuditLogs on two connections appending at once keep one gapless chain per account', async () => {
    const db2 = await t.open();
    const log2 = new AuditLog(db2, signer, { digestEvery: 25, clock: () => T0 });
    const log1 = new AuditLog(t.db, signer, { digestEvery: 25, clock: () => T0 });
    const work = (l: AuditLog, base: number) =>
      Promise.all(
        Array.from({ length: 8 }, async (_, w) => {
          for (let k = 0; k < 40; k++) {
            const account = k % 2 ? ACCOUNT : OTHER_ACCOUNT;
            await l.append(account, sampleEvent(base + w * 100 + k, { account }));
          }
        }),
      );
    await Promise.all([work(log1, 0), work(log2, 10_000)]);
    await Promise.all([log1.close(), log2.close()]);
    for (const account of [ACCOUNT, OTHER_ACCOUNT]) {
      const r = await rows(t.db, account);
      expect(r.map((x) => x.seq)).toEqual(Array.from({ length: 320 }, (_, i) => i + 1));
      const v = await log.verifyStored(account);
      expect(v).toMatchObject({ ok: true, records: 320, signedThrough: 320, unsigned: null });
      expect(v.digests).toBeGreaterThanOrEqual(12);
    }
  });

  it('rejects appends after close, and malformed input', async () => {
    await log.close();
    await expect(log.append(ACCOUNT, sampleEvent(1))).rejects.toThrow(KmsError);
    const l = new AuditLog(t.db, signer);
    await expect(l.append('12', sampleEvent(1))).rejects.toMatchObject({ name: 'KMSInternalException', cause: expect.any(TypeError) });
    await expect(l.append(ACCOUNT, { ...sampleEvent(1), eventTime: 'yesterday' })).rejects.toThrow(KmsError);
    await l.close();
  });
});

describe('AuditLog: digests', () => {
  it('signs a digest every N records and one over the tail on close', async () => {
    await append(25);
    await log.flush();
    let d = await t.db.all<{ to_seq: number; digest_json: string }>('SELECT to_seq, digest_json FROM audit_digests ORDER BY to_seq');
    expect(d.map((x) => x.to_seq)).toEqual([10, 20]);
    expect(await log.verifyStored(ACCOUNT)).toMatchObject({ ok: true, signedThrough: 20, unsigned: { fromSeq: 21, toSeq: 25 } });
    await log.close();
    d = await t.db.all('SELECT to_seq, digest_json FROM audit_digests ORDER BY to_seq');
    expect(d.map((x) => x.to_seq)).toEqual([10, 20, 25]);
    expect(JSON.parse(d[2]!.digest_json)).toMatchObject({ fromSeq: 21, toSeq: 25, account: ACCOUNT });
    const again = new AuditLog(t.db, signer, { digestEvery: 10 });
    expect(await again.verifyStored(ACCOUNT)).toMatchObject({ ok: true, signedThrough: 25, unsigned: null });
    await again.close(); // nothing appended: writes nothing
    expect((await t.db.all('SELECT to_seq FROM audit_digests')).length).toBe(3);
  });

  it('checkpoint() signs the tails without closing', async () => {
    await append(15);
    await log.checkpoint();
    expect(await log.verifyStored(ACCOUNT)).toMatchObject({ ok: true, signedThrough: 15, unsigned: null });
    await append(3, 16);
    expect(await log.verifyStored(ACCOUNT)).toMatchObject({ ok: true, signedThrough: 15, unsigned: { fromSeq: 16, toSeq: 18 } });
  });

  it('catches up on digests a crashed writer never wrote, before the first call of the next writer (ready)', async () => {
    await append(35);
    await log.flush();
    await dropTriggers(t.db);
    await run(t.db, 'DELETE FROM audit_digests');
    const l = new AuditLog(t.db, signer, { digestEvery: 10 });
    await l.ready(ACCOUNT);
    expect((await t.db.all<{ to_seq: number }>('SELECT to_seq FROM audit_digests ORDER BY to_seq')).map((x) => x.to_seq)).toEqual([10, 20, 30, 35]);
    await l.append(ACCOUNT, sampleEvent(36));
    await l.append(ACCOUNT, sampleEvent(37));
    await l.flush();
    expect((await l.verifyStored(ACCOUNT)).ok).toBe(true);
    for (let i = 38; i <= 40; i++) await l.append(ACCOUNT, sampleEvent(i));
    await l.flush();
    expect((await t.db.all<{ to_seq: number }>('SELECT to_seq FROM audit_digests ORDER BY to_seq')).map((x) => x.to_seq)).toEqual([10, 20, 30, 35, 40]);
    await l.close();
  });

  it('a signer failure does not fail appends; close reports it', async () => {
    const failing: AuditSigner = { publicKeyPem: (a) => signer.publicKeyPem(a), sign: async () => Promise.reject(new Error('no key')) };
    const messages: string[] = [];
    const l = new AuditLog(t.db, failing, { digestEvery: 5, log: (m) => messages.push(m) });
    await Promise.all(Array.from({ length: 7 }, (_, i) => l.append(ACCOUNT, sampleEvent(i))));
    await l.flush();
    expect(messages).toContain(`writing an audit digest for account ${ACCOUNT} failed`);
    await expect(l.close()).rejects.toThrow(/audit digest of 1 account/);
  });
});

describe('AuditLog: tampering with the database is found, and named', () => {
  beforeEach(async () => {
    await append(50);
    await log.close(); // digests over 1..10, …, 41..50
    log = new AuditLog(t.db, signer, { digestEvery: 10 });
    expect((await log.verifyStored(ACCOUNT)).ok).toBe(true);
    await dropTriggers(t.db);
  });
  const first = async () => (await log.verifyStored(ACCOUNT)).problems[0];

  it('a field of event_json edited', async () => {
    const r = (await rows(t.db))[16]!;
    const e = JSON.parse(r.event_json);
    e.responseElements = null;
    await run(t.db, 'UPDATE audit_events SET event_json = ? WHERE account = ? AND seq = 17', [canonicalJson(e), ACCOUNT]);
    expect(await first()).toEqual({ seq: 17, kind: 'edited', message: 'record 17 was edited' });
  });

  it('only a lookup column edited (to hide a record from filters)', async () => {
    await run(t.db, "UPDATE audit_events SET user_name = 'nobody' WHERE account = ? AND seq = 9", [ACCOUNT]);
    expect(await first()).toEqual({ seq: 9, kind: 'edited', message: 'record 9 was edited (its lookup columns no longer match its event)' });
  });

  it('a row deleted', async () => {
    await run(t.db, 'DELETE FROM audit_events WHERE account = ? AND seq = 18', [ACCOUNT]);
    expect(await first()).toEqual({ seq: 18, kind: 'missing', message: 'record 18 is missing' });
  });

  it("two rows' seqs swapped", async () => {
    await run(t.db, 'UPDATE audit_events SET seq = 1000000 WHERE account = ? AND seq = 20', [ACCOUNT]);
    await run(t.db, 'UPDATE audit_events SET seq = 20 WHERE account = ? AND seq = 21', [ACCOUNT]);
    await run(t.db, 'UPDATE audit_events SET seq = 21 WHERE account = ? AND seq = 1000000', [ACCOUNT]);
    expect(await first()).toEqual({ seq: 20, kind: 'reordered', message: 'records out of order at 20' });
  });

  it('a forged row inserted with a recomputed hash (no valid digest can be made for it)', async () => {
    const prev = (await rows(t.db))[11]!;
    const forged = canonicalJson(sampleEvent(777, { name: 'Decrypt', user: 'mallory' }));
    await run(t.db, 'UPDATE audit_events SET seq = seq + 1000000 WHERE account = ? AND seq > 12', [ACCOUNT]);
    await run(t.db, 'UPDATE audit_events SET seq = seq - 999999 WHERE account = ? AND seq > 1000000', [ACCOUNT]);
    await run(t.db, "INSERT INTO audit_events (account, seq, prev_hash, hash, event_time, event_name, user_name, event_json) VALUES (?, 13, ?, ?, 0, 'Decrypt', 'mallory', ?)", [
      ACCOUNT,
      prev.hash,
      recordHashOf(13, prev.hash, forged),
      forged,
    ]);
    const r = await log.verifyStored(ACCOUNT);
    expect(r.problems[0]).toEqual({ seq: 13, kind: 'inserted', message: 'an extra record was inserted after 12' });
  });

  it('a forged row inserted and every later hash recomputed: the digest no longer matches', async () => {
    const all = await rows(t.db);
    await run(t.db, 'DELETE FROM audit_events WHERE account = ? AND seq > 12', [ACCOUNT]);
    let prev = all[11]!.hash;
    const rest = [canonicalJson(sampleEvent(777)), ...all.slice(12).map((r) => r.event_json)];
    for (const [i, json] of rest.entries()) {
      const hash = recordHashOf(13 + i, prev, json);
      const e = JSON.parse(json);
      await run(t.db, 'INSERT INTO audit_events (account, seq, prev_hash, hash, event_time, event_name, user_name, key_arn, event_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
        ACCOUNT,
        13 + i,
        prev,
        hash,
        Date.parse(e.eventTime),
        e.eventName,
        e.userIdentity.userName,
        e.resources[0].ARN,
        json,
      ]);
      prev = hash;
    }
    expect(await first()).toMatchObject({ seq: 11, kind: 'digest-mismatch' });
  });

  it('the end of the chain truncated', async () => {
    await run(t.db, 'DELETE FROM audit_events WHERE account = ? AND seq > 46', [ACCOUNT]);
    expect(await first()).toEqual({ seq: 47, kind: 'truncated', message: 'records 47..50 are missing: the trail ends at record 46 but a signed digest covers up to 50' });
  });

  it('a digest edited, or deleted', async () => {
    const d = await t.db.get<{ digest_json: string }>('SELECT digest_json FROM audit_digests WHERE to_seq = 30');
    await run(t.db, 'UPDATE audit_digests SET digest_json = ? WHERE to_seq = 30', [d!.digest_json.replace('"toSeq":30', '"toSeq":29')]);
    expect(await first()).toMatchObject({ seq: 21, kind: 'bad-signature' });
    await run(t.db, 'DELETE FROM audit_digests WHERE to_seq = 30');
    expect(await first()).toEqual({ seq: 21, kind: 'digest-missing', message: 'the digest over records 21..30 is missing' });
  });

  it("the lookup index changed: an entry deleted or altered (to hide records from a filter), a block's time range, a block removed", async () => {
    const block = (await t.db.get<{ from_seq: number; to_seq: number }>("SELECT from_seq, to_seq FROM audit_blocks WHERE account = ? ORDER BY from_seq DESC LIMIT 1", [ACCOUNT]))!;
    const span = `${block.from_seq}..${block.to_seq}`;
    await run(t.db, "DELETE FROM audit_lookup WHERE account = ? AND attribute = 'Username' AND value = 'user0' AND from_seq = ?", [ACCOUNT, block.from_seq]);
    expect(await first()).toEqual({ seq: block.from_seq, kind: 'edited', message: `the lookup index was changed: some of records ${span} are no longer found by their attributes` });
    await run(t.db, "UPDATE audit_blocks SET max_time = max_time - 1 WHERE account = ? AND from_seq = ?", [ACCOUNT, block.from_seq]);
    expect((await log.verifyStored(ACCOUNT)).problems.map((p) => p.message)).toContain(`the lookup index was changed: the time range of records ${span} is wrong`);
    await run(t.db, 'DELETE FROM audit_blocks WHERE account = ?', [ACCOUNT]);
    expect(await first()).toMatchObject({ kind: 'inserted', message: expect.stringMatching(/^the lookup index holds \d+ entries that no record accounts for$/) });
  });

  it('extra lookup entries', async () => {
    await run(t.db, "INSERT INTO audit_lookup VALUES (?, 'Username', 'mallory', 1)", [ACCOUNT]);
    expect(await first()).toEqual({ seq: null, kind: 'inserted', message: 'the lookup index holds 1 entries that no record accounts for' });
  });

  it('the audit key swapped for another: the trail no longer verifies against the real public key', async () => {
    const real = await signer.publicKeyPem(ACCOUNT);
    expect((await log.verifyStored(ACCOUNT, { publicKeyPem: newAuditSigningKey().publicSpkiPem })).problems[0]!.kind).toBe('bad-signature');
    expect((await log.verifyStored(ACCOUNT, { publicKeyPem: real })).ok).toBe(true);
  });
});

describe('AuditLog: export', () => {
  it('exports the trail; the export verifies with only the public key', async () => {
    await append(25);
    await log.close();
    log = new AuditLog(t.db, signer, { digestEvery: 10, clock: () => T0 });
    await append(3, 26); // not yet under a stored digest: the export digest covers them
    const text = await log.exportText(ACCOUNT);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 28 + 3 + 1);
    const r = verifyExport(text, await signer.publicKeyPem(ACCOUNT));
    expect(r).toMatchObject({ ok: true, records: 28, digests: 3, signedThrough: 28, unsigned: null });
    const cut = lines.slice(0, -3).join('\n') + '\n';
    expect(verifyExport(cut, await signer.publicKeyPem(ACCOUNT)).problems[0]!.kind).toBe('truncated');
  });

  it('streams the export in chunks, and exports an empty trail', async () => {
    const chunks: string[] = [];
    expect(await log.exportTo(OTHER_ACCOUNT, (c) => void chunks.push(c))).toEqual({ records: 0, digests: 0 });
    expect(verifyExport(chunks.join(''), await signer.publicKeyPem(OTHER_ACCOUNT)).ok).toBe(true);
  });
});

describe('AuditLog: lookup', () => {
  beforeEach(async () => {
    for (let i = 1; i <= 40; i++) await log.append(ACCOUNT, sampleEvent(i));
    await log.append(OTHER_ACCOUNT, sampleEvent(99, { account: OTHER_ACCOUNT }));
  });

  it('returns the newest first, one account only, and pages with NextToken', async () => {
    const p1 = await log.lookup(ACCOUNT, { limit: 15 });
    expect(p1.events.map((e) => e.seq)).toEqual(Array.from({ length: 15 }, (_, i) => 40 - i));
    expect(p1.events[0]!.event.eventName).toBe('Encrypt');
    const p2 = await log.lookup(ACCOUNT, { limit: 15, nextToken: p1.nextToken! });
    const p3 = await log.lookup(ACCOUNT, { limit: 15, nextToken: p2.nextToken! });
    expect(p3.events.map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 10 - i));
    expect(p3.nextToken).toBeUndefined();
    await expect(log.lookup(OTHER_ACCOUNT, { nextToken: p1.nextToken! })).rejects.toMatchObject({ name: 'ValidationException' });
    expect((await log.lookup(OTHER_ACCOUNT)).events).toHaveLength(1);
  });

  it('filters by time range, event name, user and key', async () => {
    const seqs = async (f: Parameters<AuditLog['lookup']>[1]) => (await log.lookup(ACCOUNT, { ...f, limit: 1000 })).events.map((e) => e.seq);
    expect(await seqs({ startTime: new Date(T0 + 10_000), endTime: new Date(T0 + 12_000).toISOString() })).toEqual([12, 11, 10]);
    expect(await seqs({ startTime: T0 + 39_000 })).toEqual([40, 39]);
    expect(await seqs({ eventName: 'DescribeKey' })).toEqual([39, 35, 31, 27, 23, 19, 15, 11, 7, 3]);
    expect(await seqs({ userName: 'user0', endTime: T0 + 12_000 })).toEqual([12, 9, 6, 3]);
    expect(await seqs({ keyArn: keyArnOf(ACCOUNT, 2), startTime: T0 + 30_000 })).toEqual([38, 35, 32]);
    expect(await seqs({ keyArn: keyIdOf(2), startTime: T0 + 30_000 })).toEqual([38, 35, 32]);
    expect(await seqs({ eventName: 'Encrypt', userName: 'user1' })).toEqual([40, 28, 16, 4]);
    expect(await seqs({ keyArn: 'no such*key' })).toEqual([]);
    await expect(log.lookup(ACCOUNT, { startTime: 'never' })).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(log.lookup(ACCOUNT, { limit: 0 })).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('pages through filtered results', async () => {
    const p1 = await log.lookup(ACCOUNT, { eventName: 'Encrypt', limit: 4 });
    expect(p1.events.map((e) => e.seq)).toEqual([40, 36, 32, 28]);
    const p2 = await log.lookup(ACCOUNT, { eventName: 'Encrypt', limit: 4, nextToken: p1.nextToken! });
    expect(p2.events.map((e) => e.seq)).toEqual([24, 20, 16, 12]);
    const p3 = await log.lookup(ACCOUNT, { eventName: 'Encrypt', limit: 4, nextToken: p2.nextToken! });
    expect(p3.events.map((e) => e.seq)).toEqual([8, 4]);
    expect(p3.nextToken).toBeUndefined();
  });

  it('indexes in blocks after the fact, and finds records not yet in a block (appended a moment ago by another process)', async () => {
    await log.flush();
    const blocks = await t.db.all<{ from_seq: number; to_seq: number }>('SELECT from_seq, to_seq FROM audit_blocks WHERE account = ? ORDER BY from_seq', [ACCOUNT]);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    expect(blocks[0]!.from_seq).toBe(1);
    const other = new AuditLog(await t.open(), signer);
    await other.append(ACCOUNT, sampleEvent(41, { name: 'CreateKey', user: 'carol' }));
    expect((await t.db.get<{ n: number }>("SELECT count(*) AS n FROM audit_lookup WHERE attribute = 'EventName' AND value = 'CreateKey'"))!.n).toBe(0);
    expect((await log.lookup(ACCOUNT, { eventName: 'CreateKey', userName: 'carol' })).events.map((e) => e.seq)).toEqual([41]);
    expect((await log.lookup(ACCOUNT, { startTime: T0 + 40_500 })).events.map((e) => e.seq)).toEqual([41]);
    await other.close(); // indexes its tail
    expect((await t.db.get<{ n: number }>("SELECT count(*) AS n FROM audit_lookup WHERE attribute = 'EventName' AND value = 'CreateKey'"))!.n).toBe(1);
    expect((await log.lookup(ACCOUNT, { eventName: 'CreateKey', userName: 'carol' })).events.map((e) => e.seq)).toEqual([41]);
    expect((await log.verifyStored(ACCOUNT)).ok).toBe(true);
  });

  it('finds an event by any of its keys (ReEncrypt names two)', async () => {
    const [src, dst] = [keyArnOf(ACCOUNT, 0), keyArnOf(ACCOUNT, 1)];
    const e = buildEvent({ time: T0 + 50_000, operation: 'ReEncrypt', action: 'kms:ReEncrypt', region: 'local-1', account: ACCOUNT, source: 'cli', input: {}, resources: [src, dst] });
    await log.append(ACCOUNT, e);
    const find = async () => (await log.lookup(ACCOUNT, { keyArn: dst, eventName: 'ReEncrypt' })).events.map((x) => x.seq);
    expect(await find()).toEqual([41]);
    await log.close();
    expect((await t.db.get<{ n: number }>("SELECT count(*) AS n FROM audit_lookup WHERE attribute = 'ResourceName' AND value = ?", [dst]))!.n).toBeGreaterThan(0);
    expect(await t.db.get('SELECT key_arn, other_key_arns FROM audit_events WHERE seq = 41')).toEqual({ key_arn: src, other_key_arns: JSON.stringify([dst]) });
    expect(await find()).toEqual([41]);
    expect((await log.lookup(ACCOUNT, { keyArn: keyIdOf(1), startTime: T0 + 45_000 })).events.map((x) => x.seq)).toEqual([41]);
    expect((await log.verifyStored(ACCOUNT)).ok).toBe(true);
  });
});

describe('AuditKeyStore and TenantAuditSigner over the vault', () => {
  it('creates one key pair per tenant, even when two processes race to create it', async () => {
    await run(t.db, 'INSERT INTO tenants (account, name, created_at, wrapped_key) VALUES (?, ?, ?, ?)', [ACCOUNT, 'acme', T0, Buffer.from('x')]);
    const db2 = await t.open();
    const tk = createSecretKey(randomBytes(32));
    const s1 = new TenantAuditSigner(auditKeySource(t.db, async () => tk));
    const s2 = new TenantAuditSigner(auditKeySource(db2, async () => tk));
    const [a, b] = await Promise.all([s1.publicKeyPem(ACCOUNT), s2.publicKeyPem(ACCOUNT)]);
    expect(b).toBe(a);
    s2.clear();
    expect(await s2.publicKeyPem(ACCOUNT)).toBe(a);
    const stored = await new AuditKeyStore(t.db).load(ACCOUNT);
    expect(stored!.publicKeyPem).toBe(a);
    expect((await t.db.all('SELECT * FROM audit_keys')).length).toBe(1);
    // and the log signs with it
    const l = new AuditLog(t.db, s1, { digestEvery: 2 });
    await Promise.all([l.append(ACCOUNT, sampleEvent(1)), l.append(ACCOUNT, sampleEvent(2))]);
    await l.close();
    expect((await l.verifyStored(ACCOUNT, { publicKeyPem: a })).ok).toBe(true);
  });

  it('inserts a key inside a caller transaction (tenant creation)', async () => {
    await t.db.transaction(async (sql) => {
      await sql.run('INSERT INTO tenants (account, name, created_at, wrapped_key) VALUES (?, ?, ?, ?)', [OTHER_ACCOUNT, 'other', T0, Buffer.from('x')]);
      await AuditKeyStore.insertWith(sql, { account: OTHER_ACCOUNT, sealedPrivateKey: Buffer.from('sealed'), publicKeyPem: 'pem' }, T0);
    });
    expect(await new AuditKeyStore(t.db).load(OTHER_ACCOUNT)).toEqual({ account: OTHER_ACCOUNT, sealedPrivateKey: Buffer.from('sealed'), publicKeyPem: 'pem' });
  });
});
