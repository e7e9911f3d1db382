// Numbered migrations, applied in order inside one transaction each; the
// schema version is PRAGMA user_version. Each has a test in test/store.
import { KmsError } from '../../core/errors.js';
import type { RowMac } from '../../core/integrity/row-mac.js';
import type { Database, Sql } from '../sqlite.js';
import * as m0001 from './0001-initial.js';
import * as m0002 from './0002-audit.js';
import * as m0003 from './0003-iam.js';
import * as m0004 from './0004-import.js';
import * as m0005 from './0005-identity.js';
import * as m0006 from './0006-audit-intents.js';
import * as m0007 from './0007-row-macs.js';
import * as m0008 from './0008-login-profile-dates.js';
import * as m0009 from './0009-approvals.js';
import * as m0010 from './0010-key-material-ids.js';

/** What a migration's code step may need beside the database. */
interface MigrationContext {
  /** the row MAC key of the vault being opened (migrations 0007 and 0008 seal existing rows with it) */
  rowMac?: RowMac;
}

interface Migration {
  version: number;
  name: string;
  sql: string;
  /** runs after `sql`, in the same transaction */
  after?: (sql: Sql, ctx: MigrationContext) => Promise<void>;
}

export const MIGRATIONS: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009, m0010];
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Brings the database up to `target` (default: the newest). Refuses a database newer than this program. */
export async function migrate(db: Database, target = SCHEMA_VERSION, ctx: MigrationContext = {}): Promise<number> {
  return db.transaction(async (sql) => {
    const row = await sql.get<{ user_version: number }>('PRAGMA user_version');
    const current = row?.user_version ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new KmsError('KMSInvalidStateException', `The vault's schema version ${current} is newer than this Strongroom understands (${SCHEMA_VERSION}); upgrade Strongroom.`);
    }
    for (const m of MIGRATIONS) {
      if (m.version <= current || m.version > target) continue;
      await sql.exec(m.sql);
      await m.after?.(sql, ctx);
      await sql.exec(`PRAGMA user_version = ${m.version}`);
    }
    return Math.max(current, Math.min(target, SCHEMA_VERSION));
  });
}
