// Identity and access: groups and membership, inline and attached identity
// policies on users and groups, and grants on keys. Rows belong to one
// account and go when their user, group or key goes (ON DELETE CASCADE).
export const version = 3;
export const name = 'iam';
export const sql = `
CREATE TABLE groups (
  account    TEXT NOT NULL REFERENCES tenants(account),
  group_name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (account, group_name)
) STRICT;

CREATE TABLE group_members (
  account    TEXT NOT NULL,
  group_name TEXT NOT NULL,
  user_name  TEXT NOT NULL,
  PRIMARY KEY (account, group_name, user_name),
  FOREIGN KEY (account, group_name) REFERENCES groups(account, group_name) ON DELETE CASCADE,
  FOREIGN KEY (account, user_name) REFERENCES users(account, user_name) ON DELETE CASCADE
) STRICT;
CREATE INDEX group_members_by_user ON group_members (account, user_name);

-- principal_type 'user' or 'group'; inline policies carry their document,
-- attached ones the ARN of a managed policy.
CREATE TABLE identity_policies (
  account        TEXT NOT NULL REFERENCES tenants(account),
  principal_type TEXT NOT NULL CHECK (principal_type IN ('user','group')),
  principal_name TEXT NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('inline','attached')),
  policy_name    TEXT NOT NULL,   -- inline: its name; attached: the managed policy ARN
  document       TEXT,            -- inline only
  PRIMARY KEY (account, principal_type, principal_name, kind, policy_name)
) STRICT;

CREATE TABLE grants (
  account            TEXT NOT NULL,
  grant_id           TEXT NOT NULL,
  key_id             TEXT NOT NULL,
  name               TEXT,
  grantee_principal  TEXT NOT NULL,
  retiring_principal TEXT,
  issuing_principal  TEXT NOT NULL,
  operations         TEXT NOT NULL,  -- JSON array of operation names
  constraints        TEXT,           -- JSON {EncryptionContextEquals|EncryptionContextSubset}
  token              TEXT NOT NULL UNIQUE,
  created_at         INTEGER NOT NULL,
  PRIMARY KEY (account, grant_id),
  FOREIGN KEY (account, key_id) REFERENCES keys(account, key_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX grants_by_key ON grants (account, key_id);
`;
