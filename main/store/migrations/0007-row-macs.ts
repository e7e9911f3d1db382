// MACs on the rows that decide access (core/integrity/row-mac.ts): tenants, users
// (covering their groups and identity policies), groups (covering their
// policies), keys (covering their key policy), aliases, grants, audit
// intents, and the custody record (vault_meta 'custody_mac'). Existing rows
// are sealed as they are, in the same transaction, with the key derived
// from the vault master key: this is the one moment they are trusted
// without a MAC. The schema version is then remembered outside the file
// (core/integrity/anchor.ts), so a file put back to an older schema is refused
// rather than sealed again.
import type { RowMac } from '../../core/integrity/row-mac.js';
import type { Sql } from '../sqlite.js';
import { sealAllRows } from '../seal-rows.js';

export const version = 7;
export const name = 'row-macs';
export const sql = `
ALTER TABLE tenants ADD COLUMN mac BLOB;
ALTER TABLE users ADD COLUMN mac BLOB;
ALTER TABLE groups ADD COLUMN mac BLOB;
ALTER TABLE keys ADD COLUMN mac BLOB;
ALTER TABLE aliases ADD COLUMN mac BLOB;
ALTER TABLE grants ADD COLUMN mac BLOB;
ALTER TABLE audit_intents ADD COLUMN mac BLOB;
`;

export async function after(sql: Sql, ctx: { rowMac?: RowMac }): Promise<void> {
  const rows = await sql.get<{ n: number }>('SELECT (SELECT count(*) FROM tenants) + (SELECT count(*) FROM audit_intents) AS n');
  if (!ctx.rowMac) {
    if ((rows?.n ?? 0) > 0) throw new Error('migration 0007 seals existing rows and needs the vault master key: run it through openVault');
    return;
  }
  await sealAllRows(sql, ctx.rowMac);
}
