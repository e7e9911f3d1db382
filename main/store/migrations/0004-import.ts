// Key import (origin EXTERNAL): the wrapping key pairs GetParametersForImport
// hands out (valid 24 hours; the private key sealed under the tenant key),
// and the keyed commitment to a key's imported material, kept after the
// material is deleted or expires so a re-import can be checked to be the
// same material (AWS: IncorrectKeyMaterialException otherwise). Both go
// with their key (ON DELETE CASCADE).
export const version = 4;
export const name = 'import';
export const sql = `
CREATE TABLE import_tokens (
  account             TEXT NOT NULL,
  key_id              TEXT NOT NULL,
  token_id            TEXT NOT NULL,
  wrapping_algorithm  TEXT NOT NULL CHECK (wrapping_algorithm IN ('RSAES_OAEP_SHA_1','RSAES_OAEP_SHA_256','RSA_AES_KEY_WRAP_SHA_1','RSA_AES_KEY_WRAP_SHA_256')),
  wrapping_key_spec   TEXT NOT NULL CHECK (wrapping_key_spec IN ('RSA_2048','RSA_3072','RSA_4096')),
  wrapped_private_key BLOB NOT NULL,  -- PKCS#8, sealed under the tenant key
  created_at          INTEGER NOT NULL,
  expires_at          INTEGER NOT NULL,
  PRIMARY KEY (account, token_id),
  FOREIGN KEY (account, key_id) REFERENCES keys(account, key_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX import_tokens_by_key ON import_tokens (account, key_id);
CREATE INDEX import_tokens_expiry ON import_tokens (expires_at);

CREATE TABLE imported_materials (
  account    TEXT NOT NULL,
  key_id     TEXT NOT NULL,
  commitment BLOB NOT NULL,            -- HMAC-SHA-256 under a tenant-key-derived key; see core/kms/import/commitment.ts
  PRIMARY KEY (account, key_id),
  FOREIGN KEY (account, key_id) REFERENCES keys(account, key_id) ON DELETE CASCADE
) STRICT;
`;
