// Strings that SQLite cannot store as they are: a lone UTF-16 surrogate is
// stored as U+FFFD in the lookup columns, while the record's canonical JSON
// keeps it escaped. Verification must compare like with like, or it reports
// an untouched record as edited.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { AuditEvent } from '../../main/core/audit/event.js';
import { AuditLog } from '../../main/store/audit/audit-log.js';
import { ACCOUNT, memorySigner, sampleEvent, tempDb, type TempDb } from '../core/audit/support.js';

let t: TempDb;
beforeEach(async () => {
  t = await tempDb();
});
afterEach(async () => {
  await t.close();
});

it('records whose event name, user or key ARN hold a lone surrogate verify (and are found by lookups)', async () => {
  const log = new AuditLog(t.db, memorySigner(), { digestEvery: 2 });
  const base = sampleEvent(1);
  const events: AuditEvent[] = [
    { ...base, eventName: 'Unknown\ud800Operation' },
    { ...base, userIdentity: { ...base.userIdentity, userName: 'user\udc00' } },
    { ...base, resources: [{ ...base.resources[0]!, ARN: `${base.resources[0]!.ARN}\ud83d` }] },
  ];
  for (const e of events) await log.append(ACCOUNT, e);
  await log.close();
  expect(await log.verifyStored(ACCOUNT)).toMatchObject({ ok: true, records: 3, problems: [] });
  expect((await log.lookup(ACCOUNT, { eventName: 'Unknown\ufffdOperation' })).events.map((x) => x.seq)).toEqual([1]);
});
