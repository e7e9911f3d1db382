// Key material ids (core/kms/material-id.ts): key_materials.material_id,
// the 64-hex-character id of each material version that Decrypt,
// GenerateDataKey*, ReEncrypt, ListKeyRotations and KeyMetadata name.
//
// Existing material gets the id it would have had: vault-generated material
// a random one; the material of an imported key (origin EXTERNAL) the id
// derived from the key's stored import commitment, so importing the same
// material again after this migration gives the same id. A column added to
// an existing table cannot be NOT NULL without a default: the CHECK allows
// NULL, every row is filled here, every insert names one, and a row read
// without one is refused (store/rows.ts toMaterial).
import { importedMaterialId, newMaterialId } from '../../core/kms/material-id.js';
import type { Sql } from '../sqlite.js';

export const version = 10;
export const name = 'key-material-ids';
export const sql = `
ALTER TABLE key_materials ADD COLUMN material_id TEXT CHECK (length(material_id) = 64 AND material_id NOT GLOB '*[^0-9a-f]*');
`;

export async function after(sql: Sql): Promise<void> {
  const rows = await sql.all<{ account: string; key_id: string; version: number; commitment: Buffer | null }>(
    `SELECT m.account, m.key_id, m.version, i.commitment FROM key_materials m
       JOIN keys k ON k.account = m.account AND k.key_id = m.key_id
       LEFT JOIN imported_materials i ON k.origin = 'EXTERNAL' AND i.account = m.account AND i.key_id = m.key_id`,
  );
  for (const r of rows) {
    const id = r.commitment !== null && r.commitment.length === 32 ? importedMaterialId(r.commitment) : newMaterialId();
    await sql.run('UPDATE key_materials SET material_id = ? WHERE account = ? AND key_id = ? AND version = ?', [id, r.account, r.key_id, r.version]);
  }
}
