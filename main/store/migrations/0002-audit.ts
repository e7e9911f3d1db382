// The audit trail (DESIGN §6, core/audit): each tenant's audit signing key,
// its hash-chained records and its signed digests. Records carry, beside
// the canonical event JSON that the chain hashes, a few columns copied out
// of it for lookups (time, event name, user, first key ARN); verification
// checks they agree with the event. Records and digests are append-only:
// triggers refuse UPDATE and DELETE, so a bug cannot rewrite history (an
// attacker with the file can drop them, which is what the hash chain and
// the signatures are for). No foreign keys on records: appending must stay
// cheap, and a trail outlives whatever its events name.
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
  account    TEXT NOT NULL CHECK (length(account) = 12),
  seq        INTEGER NOT NULL CHECK (seq >= 1),
  prev_hash  TEXT NOT NULL CHECK (length(prev_hash) = 64),
  hash       TEXT NOT NULL CHECK (length(hash) = 64),
  event_time INTEGER NOT NULL,
  event_name TEXT NOT NULL,
  user_name  TEXT,
  key_arn    TEXT,
  event_json TEXT NOT NULL,
  PRIMARY KEY (account, seq)
) STRICT;
CREATE INDEX audit_events_by_time ON audit_events (account, event_time);
CREATE INDEX audit_events_by_name ON audit_events (account, event_name, seq);
CREATE INDEX audit_events_by_user ON audit_events (account, user_name, seq) WHERE user_name IS NOT NULL;
CREATE INDEX audit_events_by_key ON audit_events (account, key_arn, seq) WHERE key_arn IS NOT NULL;

CREATE TABLE audit_digests (
  account     TEXT NOT NULL CHECK (length(account) = 12),
  to_seq      INTEGER NOT NULL CHECK (to_seq >= 1),
  digest_json TEXT NOT NULL,
  signature   BLOB NOT NULL CHECK (length(signature) = 64),
  PRIMARY KEY (account, to_seq)
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
