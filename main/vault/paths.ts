// Where a vault lives by default: the OS's per-user application data
// directory (XDG Base Directory spec on Linux; Apple's and Microsoft's
// conventions elsewhere). STRONGROOM_VAULT overrides it; so does a CLI
// profile's `vault` setting (main/cli/config-file.ts).
import { homedir } from 'node:os';
import { join } from 'node:path';

export const DB_FILE = 'strongroom.db';

/**
 * The files SQLite keeps beside a database (https://sqlite.org/tempfiles.html):
 * the write-ahead log, its shared-memory index, and the rollback journal
 * (used only while the database is switched to WAL). With the database
 * itself and the sealed anchor of a vault without a keychain
 * (custody/anchor.ts), these are every file Strongroom keeps in a vault
 * directory; while a backup is made or a vault restored, a snapshot
 * `.strongroom.db.backup-<uuid>` or the database being restored
 * `.strongroom.db.restore-<uuid>` is there too (main/backup), removed when
 * it is done.
 */
const DB_COMPANION_SUFFIXES = ['-wal', '-shm', '-journal'] as const;

/** The database file and its companions, as paths. */
export const dbFiles = (db: string): string[] => [db, ...DB_COMPANION_SUFFIXES.map((s) => db + s)];

/**
 * The per-user directory Strongroom keeps its `data` (the vault), its
 * `config` (the CLI's profiles, main/cli/config-file.ts) or its `cache`
 * (the CLI's compile cache, main/cli/compile-cache.ts) in: on Linux the XDG
 * Base Directory spec's $XDG_DATA_HOME, $XDG_CONFIG_HOME or $XDG_CACHE_HOME;
 * macOS (~/Library/Application Support) and Windows (%APPDATA%) have one
 * directory per application for data and config, as Electron's userData is,
 * and their own place for caches (~/Library/Caches, %LOCALAPPDATA%).
 */
export function perUserDir(kind: 'data' | 'config' | 'cache', env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME || env.USERPROFILE || homedir();
  if (platform === 'darwin') return kind === 'cache' ? join(home, 'Library', 'Caches', 'Strongroom') : join(home, 'Library', 'Application Support', 'Strongroom');
  if (platform === 'win32') {
    return kind === 'cache' ? join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'Strongroom', 'Cache') : join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Strongroom');
  }
  if (kind === 'cache') return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'strongroom');
  if (kind === 'config') return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'strongroom');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'strongroom');
}

export function defaultVaultDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.STRONGROOM_VAULT) return env.STRONGROOM_VAULT;
  return perUserDir('data', env, platform);
}
