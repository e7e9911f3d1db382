// Write-ahead audit intents (DESIGN §6: "no crash leaves a change without a
// record"). A call that changes the vault writes, in the same transaction
// as its change, one row here holding the audit record the call would get
// if the process died now. The call's own audit append deletes the row in
// the transaction that appends the record, so a change and its record can
// never part: either the append claims the intent, or the next process to
// open the vault finds it orphaned (its writer is dead) and appends it
// instead (store/audit/recover.ts). Whichever deletes the
// row appends the record; the other appends nothing.
export const version = 6;
export const name = 'audit-intents';
export const sql = `
CREATE TABLE audit_intents (
  request_id TEXT PRIMARY KEY,
  account    TEXT NOT NULL CHECK (length(account) = 12),
  owner_pid  INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  event_json TEXT NOT NULL
) STRICT;
`;
