// Small helpers shared by the core tests: a caller in another region (an
// empty corner of the vault, so counts and pages are exact), the error a
// call was refused with, and direct looks at the SQLite file that do not go
// through the code under test.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Caller } from '../../main/core/service/caller.js';
import { Database } from '../../main/store/sqlite.js';
import { DB_FILE } from '../../main/vault/paths.js';
import { ADMIN_PASSPHRASE, type TestVault } from './vault.js';

export const DAY = 86_400_000;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The vault's admin signed in to another region: a region with no keys or aliases yet. */
export function adminIn(t: TestVault, region: string): Promise<Caller> {
  return t.vault.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region, source: 'sdk' });
}

/** Awaits a call that must fail and returns its error, checking the AWS exception name. */
export async function refused(p: Promise<unknown>, name: string): Promise<Error> {
  let outcome: unknown;
  try {
    outcome = await p;
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).name, (e as Error).message).toBe(name);
    return e as Error;
  }
  throw new Error(`expected ${name}, but the call succeeded with ${JSON.stringify(outcome)?.slice(0, 200)}`);
}

/** Runs one SQL statement on the vault file with the sqlite3 command-line shell (independent of the app's code). */
export function sqlite(t: TestVault, sql: string): string {
  return execFileSync('sqlite3', [join(t.dir, DB_FILE), sql], { encoding: 'utf8' }).trim();
}

/** Rows of every table (but those `ignoreTable` names), read through a second connection: two equal snapshots mean nothing was written. */
export class DbSnapshots {
  private constructor(
    private readonly db: Database,
    private readonly ignoreTable: (table: string) => boolean,
  ) {}

  static async open(t: TestVault, opts: { ignoreTable?: (table: string) => boolean } = {}): Promise<DbSnapshots> {
    return new DbSnapshots(await Database.open(join(t.dir, DB_FILE), { create: false }), opts.ignoreTable ?? (() => false));
  }

  async take(): Promise<string> {
    const all = await this.db.all<{ name: string; sql: string }>("SELECT name, sql FROM sqlite_schema WHERE type = 'table' ORDER BY name");
    const tables = all.filter(({ name }) => !this.ignoreTable(name));
    const parts: string[] = [JSON.stringify(await this.db.get('PRAGMA user_version'))];
    for (const { name, sql } of tables) {
      const rows = await this.db.all(`SELECT * FROM "${name}" ORDER BY rowid`);
      parts.push(sql, JSON.stringify(rows, (_k, v: unknown) => (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' ? Buffer.from((v as { data: number[] }).data).toString('hex') : v)));
    }
    return parts.join('\n');
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
