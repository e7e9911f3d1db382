// Issue 3 audit metrics, on a real SQLite file (WAL, synchronous=FULL):
//   audit.append  durable appends per second from 64 concurrent appenders
//                 (each awaits its append, then makes the next), against the
//                 same number of records inserted by one raw multi-row
//                 transaction (the floor of what any audit write can cost);
//   audit.verify  records per second verifying a stored chain of 50,000
//                 records with its signed digests, against reading the same
//                 rows without verifying them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '../../main/core/audit/chain.js';
import { AuditLog } from '../../main/store/audit/audit-log.js';
import { Database, type SqlValue } from '../../main/store/sqlite.js';
import { memorySigner, migrateWithAudit, sampleEvent } from '../core/audit/support.js';
import { rate, report } from './harness.js';

/** callers in flight at once, as the desktop app and scripts produce them */
const CONCURRENCY = 64;
const PER_APPENDER = 50;
const VERIFY_RECORDS = 50_000;
/** rows per statement for the reference: as many as SQLite (≥ 3.32) binds in one */
const ROWS_PER_INSERT = Math.floor(32766 / 10);

export async function benchAudit(ms: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'strongroom-bench-audit-'));
  const db = await Database.open(join(dir, 'vault.sqlite'), { create: true });
  try {
    await migrateWithAudit(db);
    const signer = memorySigner();
    const events = Array.from({ length: 256 }, (_, i) => sampleEvent(i));

    // audit.append
    const appendAccount = '100000000001';
    const log = new AuditLog(db, signer);
    let i = 0;
    const appends = await rate(ms, async () => {
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let k = 0; k < PER_APPENDER; k++) await log.append(appendAccount, events[i++ & 255]!);
        }),
      );
      return CONCURRENCY * PER_APPENDER;
    });
    await log.flush();

    const rawAccount = '100000000002';
    const jsons = events.map((e) => canonicalJson(e));
    let rawSeq = 0;
    const raw = await rate(ms, async () => {
      const n = CONCURRENCY * PER_APPENDER;
      const values: SqlValue[] = [];
      for (let k = 0; k < n; k++) {
        const e = events[k & 255]!;
        values.push(rawAccount, ++rawSeq, '0'.repeat(64), 'f'.repeat(64), Date.parse(e.eventTime), e.eventName, e.userIdentity.userName ?? null, e.resources[0]?.ARN ?? null, null, jsons[k & 255]!);
      }
      await db.transaction(async (sql) => {
        for (let r = 0; r < n; r += ROWS_PER_INSERT) {
          const rows = Math.min(ROWS_PER_INSERT, n - r);
          await sql.run(
            `INSERT INTO audit_events (account, seq, prev_hash, hash, event_time, event_name, user_name, key_arn, other_key_arns, event_json) VALUES ${Array(rows).fill('(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
            values.slice(r * 10, (r + rows) * 10),
          );
        }
      });
      return n;
    });
    report({ metric: 'audit.append', value: appends, unit: 'appends/s', reference: 'one raw multi-row INSERT transaction', ratio: appends / raw });

    // audit.verify: a stored chain of VERIFY_RECORDS records, digests every 1,000
    const verifyAccount = '100000000003';
    const filler = new AuditLog(db, signer);
    for (let done = 0; done < VERIFY_RECORDS; done += 5000) {
      await Promise.all(Array.from({ length: Math.min(5000, VERIFY_RECORDS - done) }, (_, k) => filler.append(verifyAccount, events[(done + k) & 255]!)));
    }
    await filler.close();
    const verifyRate = await rate(ms, async () => {
      const r = await filler.verifyStored(verifyAccount);
      if (!r.ok || r.records !== VERIFY_RECORDS) throw new Error(`the benchmark chain does not verify: ${r.problems[0]?.message}`);
      return r.records;
    });
    const readRate = await rate(ms, async () => {
      let n = 0;
      for (let after = 0; ; ) {
        const rows = await db.all<{ seq: number }>('SELECT seq, prev_hash, hash, event_time, event_name, user_name, key_arn, other_key_arns, event_json FROM audit_events WHERE account = ? AND seq > ? ORDER BY seq LIMIT 5000', [verifyAccount, after]);
        if (rows.length === 0) break;
        n += rows.length;
        after = rows[rows.length - 1]!.seq;
      }
      return n;
    });
    report({ metric: 'audit.verify', value: verifyRate, unit: 'records/s', reference: 'reading the same rows without verifying', ratio: verifyRate / readRate });
    await log.close();
  } finally {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}
