// Quorum approvals (core/approvals/): a tenant's rules, the requests held
// for approval and the approvers' decisions.
//  - tenants.approval_rules: the rules as JSON {rules, requestExpiryHours},
//    NULL for none; the tenant's row MAC covers them (a tenant without
//    rules keeps the MAC it had), so they cannot be removed or loosened by
//    editing the file.
//  - approval_requests: each held call with its validated input, what it
//    needs, its hash, and its status; sealed by a MAC.
//  - approval_decisions: one row per user and request, sealed by a MAC that
//    names the request and the hash decided on.
export const version = 9;
export const name = 'approvals';
export const sql = `
ALTER TABLE tenants ADD COLUMN approval_rules TEXT;

CREATE TABLE approval_requests (
  account      TEXT NOT NULL REFERENCES tenants(account),
  request_id   TEXT NOT NULL,
  region       TEXT NOT NULL,
  requester    TEXT NOT NULL,
  requester_id TEXT NOT NULL,
  operation    TEXT NOT NULL,
  action       TEXT NOT NULL,
  input        TEXT NOT NULL,   -- canonical JSON (core/approvals/input-codec.ts)
  requirements TEXT NOT NULL,   -- JSON [{groupName, minApprovals}]
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  request_hash TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('Pending','Rejected','Executed')),
  closed_at    INTEGER,
  mac          BLOB NOT NULL,
  PRIMARY KEY (account, request_id)
) STRICT;
CREATE INDEX approval_requests_by_time ON approval_requests (account, created_at, request_id);
CREATE INDEX approval_requests_by_requester ON approval_requests (account, requester, status);

CREATE TABLE approval_decisions (
  account      TEXT NOT NULL,
  request_id   TEXT NOT NULL,
  user_name    TEXT NOT NULL,
  user_id      TEXT NOT NULL,
  decision     TEXT NOT NULL CHECK (decision IN ('Approve','Reject')),
  request_hash TEXT NOT NULL,
  decided_at   INTEGER NOT NULL,
  mac          BLOB NOT NULL,
  PRIMARY KEY (account, request_id, user_name),
  FOREIGN KEY (account, request_id) REFERENCES approval_requests(account, request_id) ON DELETE CASCADE
) STRICT;
`;
