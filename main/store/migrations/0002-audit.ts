// The audit trail (DESIGN §6, core/audit): each tenant's audit signing key,
// its hash-chained records, its signed digests, and the lookup index.
//
// audit_events carries, beside the canonical event JSON the chain hashes,
// columns copied out of it (time, event name, user, first key ARN, and as
// a JSON array the further key ARNs of the rare event naming several);
// verification checks they agree with the event. It has no secondary
// index on purpose: every group commit would dirty one leaf page per
// distinct name, user and key in each index, which measured here as ~40%
// of a 64-record commit. Lookups use a block range index instead (a "zone
// map"): for each block of records (about digestEvery of them, written in
// bulk after the fact), audit_blocks keeps its time range and audit_lookup
// the distinct event names, user names and key ARNs found in it, keyed
// like CloudTrail's LookupAttributes. A lookup reads only the blocks that
// can match, plus the records not yet in a block, and filters them
// exactly. The index is derived data, checked by verify.
//
// Records and digests are append-only: triggers refuse UPDATE and DELETE,
// so a bug cannot rewrite history (an attacker with the file can drop
// them; that is what the hash chain and the signatures are for). No
// foreign keys on records: appending must stay cheap, and a trail outlives
// whatever its events name.
export const version = 2;
export const name = 'audit';
export const sql = `
CREATE TABLE audit_keys (
  account            TEXT PRIMARY KEY REFERENCES tenants(account),
  sealed_private_key BLOB NOT NULL,
  public_key_pem     TEXT NOT NULL,
  created_at         INTEGER NOT NULL
) STRICT;

CREATE TABLE audit_events (
  account        TEXT NOT NULL CHECK (length(account) = 12),
  seq            INTEGER NOT NULL CHECK (seq >= 1),
  prev_hash      TEXT NOT NULL CHECK (length(prev_hash) = 64),
  hash           TEXT NOT NULL CHECK (length(hash) = 64),
  event_time     INTEGER NOT NULL,
  event_name     TEXT NOT NULL,
  user_name      TEXT,
  key_arn        TEXT,
  other_key_arns TEXT,
  event_json     TEXT NOT NULL,
  PRIMARY KEY (account, seq)
) STRICT;

CREATE TABLE audit_digests (
  account     TEXT NOT NULL CHECK (length(account) = 12),
  to_seq      INTEGER NOT NULL CHECK (to_seq >= 1),
  digest_json TEXT NOT NULL,
  signature   BLOB NOT NULL CHECK (length(signature) = 64),
  PRIMARY KEY (account, to_seq)
) STRICT;

CREATE TABLE audit_blocks (
  account  TEXT NOT NULL,
  from_seq INTEGER NOT NULL CHECK (from_seq >= 1),
  to_seq   INTEGER NOT NULL,
  min_time INTEGER NOT NULL,
  max_time INTEGER NOT NULL,
  PRIMARY KEY (account, from_seq),
  CHECK (to_seq >= from_seq AND max_time >= min_time)
) STRICT;

CREATE TABLE audit_lookup (
  account   TEXT NOT NULL,
  attribute TEXT NOT NULL CHECK (attribute IN ('EventName', 'Username', 'ResourceName')),
  value     TEXT NOT NULL,
  from_seq  INTEGER NOT NULL,
  PRIMARY KEY (account, attribute, value, from_seq)
) STRICT;

CREATE TRIGGER audit_events_append_only_update BEFORE UPDATE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER audit_events_append_only_delete BEFORE DELETE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER audit_digests_append_only_update BEFORE UPDATE ON audit_digests
  BEGIN SELECT RAISE(ABORT, 'audit digests are append-only'); END;
CREATE TRIGGER audit_digests_append_only_delete BEFORE DELETE ON audit_digests
  BEGIN SELECT RAISE(ABORT, 'audit digests are append-only'); END;
`;
