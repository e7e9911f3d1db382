// Which program holds a write lock on a file, where the OS says so. SQLite
// locks with POSIX advisory locks (fcntl F_SETLK); in WAL mode the writer's
// lock is a byte of the -shm file (WAL_WRITE_LOCK, https://sqlite.org/walformat.html
// §2.3.1), in rollback mode a byte range of the database file itself
// (https://sqlite.org/lockingv3.html). Linux lists every POSIX lock in
// /proc/locks (proc(5)), one per line:
//
//   3: POSIX  ADVISORY  WRITE 7404 fe:00:2147343 120 120
//
// the holder's pid, then the file as MAJOR:MINOR:INODE (device numbers in
// hex, as the kernel prints them). Only WRITE locks matter: every connection
// to a WAL database holds READ locks, and those block no one's write.
// Elsewhere (macOS, the BSDs, Windows) there is no such list, and the
// holder is unknown.
import { readFileSync, statSync } from 'node:fs';

interface LockHolder {
  pid: number;
  /** its command line, arguments separated by spaces, shortened; undefined if it cannot be read */
  command?: string;
}

/** Longest command line quoted in a message. */
const COMMAND_MAX = 160;

/**
 * The other processes holding a write lock on any of `files` (missing files
 * are skipped), this process excluded. Empty when none is found or the OS
 * does not tell; never throws.
 */
export function writeLockHolders(files: readonly string[], platform: NodeJS.Platform = process.platform): LockHolder[] {
  if (platform !== 'linux') return [];
  try {
    const wanted = new Set<string>();
    for (const f of files) {
      const st = statSync(f, { throwIfNoEntry: false, bigint: true });
      if (st) wanted.add(`${deviceId(st.dev)}:${st.ino}`);
    }
    const pids = new Set<number>();
    for (const line of readFileSync('/proc/locks', 'utf8').split('\n')) {
      // "N: POSIX ADVISORY WRITE PID MAJ:MIN:INODE START END"; OFD locks show pid -1 (no owning process).
      const f = line.trim().split(/\s+/);
      if (f[1] !== 'POSIX' || f[3] !== 'WRITE') continue;
      const pid = Number(f[4]);
      if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) continue;
      if (wanted.has(normalise(f[5] ?? ''))) pids.add(pid);
    }
    return [...pids].map((pid) => ({ pid, ...commandOf(pid) }));
  } catch {
    return [];
  }
}

/** st_dev as /proc/locks prints it: MAJOR:MINOR in hex (glibc's gnu_dev_major/minor encoding). */
function deviceId(dev: bigint): string {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return `${major.toString(16)}:${minor.toString(16)}`;
}

/** "fe:00:2147343" → "fe:0:2147343", to compare with deviceId (the kernel pads to two hex digits). */
function normalise(file: string): string {
  const [major, minor, inode] = file.split(':');
  if (major === undefined || minor === undefined || inode === undefined) return '';
  return `${parseInt(major, 16).toString(16)}:${parseInt(minor, 16).toString(16)}:${inode}`;
}

function commandOf(pid: number): { command?: string } {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    // NUL-separated arguments; control characters would garble a terminal.
    const text = raw.replace(/\0+$/, '').replace(/\0/g, ' ').replace(/[\p{Cc}]/gu, '?').trim();
    if (!text) return {};
    return { command: text.length > COMMAND_MAX ? `${text.slice(0, COMMAND_MAX - 1)}…` : text };
  } catch {
    return {}; // exited meanwhile, or another user's process under hidepid
  }
}
