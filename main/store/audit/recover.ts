// Recovery of audit intents after a crash (ports.ts AuditIntent, migration
// 0006): a write transaction commits its call's intended record with the
// change, and the call's own append claims (deletes) it when the record is
// written (append.ts, claim). An intent still there at the next open means
// its process died in between: its record is appended now, marked as
// recovered, claiming the intent the same way, so the record is written
// exactly once whichever of the two gets there first.
import type { AuditEvent } from '../../core/audit/event.js';
import { RowMac } from '../../core/integrity/row-mac.js';
import type { Database } from '../sqlite.js';

const DIED = 'the process that made this change ended before writing its record; the change was committed';
const RESTORED = 'the backup this vault was restored from was taken after this change was committed and before its record was written';

/** An intent older than this is recovered even if a process with its writer's pid runs (pids are reused). */
const INTENT_MAX_AGE_MS = 60_000;

/** Whether a process with this pid runs (signal 0 checks without sending; EPERM: it runs as someone else). */
function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Appends (through `append`, claiming each intent) the record of every
 * intent whose writer is gone. An intent whose writer is alive is left to
 * it, unless it is older than any call takes, or `all` says every intent is
 * an orphan (a vault restored from a backup: main/backup/restore.ts). Says
 * whether it appended any.
 * With `rowMac`, an intent the vault did not write (its MAC fails) is
 * refused, named, before anything is appended.
 */
export async function recoverIntents(
  db: Database,
  rowMac: RowMac | undefined,
  clock: () => number,
  append: (account: string, event: AuditEvent, claims: string) => Promise<void>,
  opts: { all?: boolean } = {},
): Promise<boolean> {
  const rows = await db.all<{ request_id: string; account: string; owner_pid: number; created_at: number; event_json: string; mac: Buffer | null }>(
    'SELECT request_id, account, owner_pid, created_at, event_json, mac FROM audit_intents ORDER BY rowid',
  );
  const now = Date.now();
  const orphans = opts.all ? rows : rows.filter((r) => !processAlive(r.owner_pid) || now - r.created_at > INTENT_MAX_AGE_MS);
  if (orphans.length === 0) return false;
  // Only what the vault itself wrote becomes a signed record: a forged intent is refused, named.
  if (rowMac) {
    for (const r of orphans) RowMac.check(rowMac.intent(r.request_id, r.account, r.event_json), r.mac, `The audit intent ${r.request_id} of account ${r.account}`);
  }
  const recoveredAt = new Date(clock()).toISOString();
  await Promise.all(
    orphans.map((r) => {
      const event = JSON.parse(r.event_json) as AuditEvent;
      event.additionalEventData = {
        ...event.additionalEventData,
        recovered: { at: recoveredAt, reason: opts.all ? RESTORED : DIED },
      };
      return append(r.account, event, r.request_id);
    }),
  );
  return true;
}
