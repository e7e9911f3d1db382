// The first schema: vault metadata, tenants, users, keys, key material
// versions, aliases and tags. STRICT tables (https://sqlite.org/stricttables.html);
// every tenant-owned row carries its account, and child rows reference
// their key with ON DELETE CASCADE so destroying a key leaves no orphans.
export const version = 1;
export const name = 'initial';
export const sql = `
CREATE TABLE vault_meta (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- Bumped by every transaction that changes keys, aliases, tenants, users,
-- policies or grants, so another process can tell its caches are stale
-- without being fooled by audit appends (which change the file but none of those).
CREATE TABLE change_counter (
  id    TEXT PRIMARY KEY CHECK (id = 'vault'),
  value INTEGER NOT NULL
) STRICT;
INSERT INTO change_counter (id, value) VALUES ('vault', 0);

CREATE TABLE tenants (
  account     TEXT PRIMARY KEY CHECK (length(account) = 12),
  name        TEXT NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL,
  wrapped_key BLOB NOT NULL,
  state       TEXT NOT NULL DEFAULT 'Enabled' CHECK (state IN ('Enabled','Disabled'))
) STRICT;

CREATE TABLE users (
  account    TEXT NOT NULL REFERENCES tenants(account),
  user_name  TEXT NOT NULL,
  user_id    TEXT NOT NULL UNIQUE,  -- stable id (IAM UserId): a re-created user of the same name is another user
  passphrase TEXT,  -- Argon2id hash as JSON; NULL: no login profile (cannot sign in)
  password_reset_required INTEGER NOT NULL DEFAULT 0 CHECK (password_reset_required IN (0,1)),
  disabled   INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (account, user_name)
) STRICT;

CREATE TABLE keys (
  account              TEXT NOT NULL REFERENCES tenants(account),
  key_id               TEXT NOT NULL,
  region               TEXT NOT NULL,
  description          TEXT NOT NULL,
  key_spec             TEXT NOT NULL,
  key_usage            TEXT NOT NULL,
  origin               TEXT NOT NULL,
  state                TEXT NOT NULL CHECK (state IN ('Enabled','Disabled','PendingDeletion','PendingImport','Unavailable')),
  created_at           INTEGER NOT NULL,
  deletion_date        INTEGER,
  pending_window_days  INTEGER,
  rotation_period_days INTEGER,
  next_rotation_at     INTEGER,
  current_version      INTEGER NOT NULL CHECK (current_version >= 1),
  policy               TEXT NOT NULL,      -- the key policy document (JSON)
  valid_to             INTEGER,            -- imported material expiry (origin EXTERNAL)
  expiration_model     TEXT CHECK (expiration_model IN ('KEY_MATERIAL_EXPIRES','KEY_MATERIAL_DOES_NOT_EXPIRE')),
  PRIMARY KEY (account, key_id)
) STRICT;
CREATE INDEX keys_by_region ON keys (account, region, key_id);
CREATE INDEX keys_deletion_due ON keys (deletion_date) WHERE deletion_date IS NOT NULL;
CREATE INDEX keys_rotation_due ON keys (next_rotation_at) WHERE next_rotation_at IS NOT NULL;
CREATE INDEX keys_expiry_due ON keys (valid_to) WHERE valid_to IS NOT NULL;

CREATE TABLE key_materials (
  account       TEXT NOT NULL,
  key_id        TEXT NOT NULL,
  version       INTEGER NOT NULL CHECK (version >= 1),
  wrapped       BLOB NOT NULL,
  created_at    INTEGER NOT NULL,
  rotation_type TEXT CHECK (rotation_type IN ('AUTOMATIC','ON_DEMAND')),
  PRIMARY KEY (account, key_id, version),
  FOREIGN KEY (account, key_id) REFERENCES keys(account, key_id) ON DELETE CASCADE
) STRICT;

CREATE TABLE aliases (
  account    TEXT NOT NULL,
  region     TEXT NOT NULL,
  alias_name TEXT NOT NULL,
  key_id     TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (account, region, alias_name),
  FOREIGN KEY (account, key_id) REFERENCES keys(account, key_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX aliases_by_key ON aliases (account, key_id);

CREATE TABLE key_tags (
  account   TEXT NOT NULL,
  key_id    TEXT NOT NULL,
  tag_key   TEXT NOT NULL,
  tag_value TEXT NOT NULL,
  PRIMARY KEY (account, key_id, tag_key),
  FOREIGN KEY (account, key_id) REFERENCES keys(account, key_id) ON DELETE CASCADE
) STRICT;
`;
