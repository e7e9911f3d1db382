// Only the vault's owner may read or change it (DESIGN §3): the vault
// directory is mode 0700 and every file Strongroom keeps in it 0600,
// whatever the umask. What this module does about a vault that is not so:
//
//   owned by you, but others may read it    chmod it (0700 / 0600), and log that it did
//   owned by another account                refuse: its owner can read it, chmod it back,
//                                            or swap the database, whatever its mode now
//
// The refusal is KMSInvalidStateException: the caller and the request are
// fine, the vault on disk is in a state it must not be used in (AWS: "the
// state of the specified resource is not valid for this request"), as with
// the other custody refusals. AccessDeniedException would say a policy denied
// the caller, and send the user looking at policies and passphrases.
//
// Windows has no POSIX modes (Node's chmod there only toggles the read-only
// flag) and the per-user %APPDATA% is already closed to other users by its
// ACL: nothing is checked there.
import { chmod, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { KmsError } from '../core/errors.js';

const PRIVATE_DIR_MODE = 0o700;
const PRIVATE_FILE_MODE = 0o600;

type Log = (message: string, error?: unknown) => void;

const appliesHere = (): boolean => process.platform !== 'win32';

const octal = (mode: number): string => `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;

/** '…' for a shell, so the fix can be pasted as it is. */
const quote = (path: string): string => `'${path.replace(/'/g, `'\\''`)}'`;

function me(): { uid: number; name: string } {
  const uid = process.getuid!();
  let name = String(uid);
  try {
    name = userInfo().username || name;
  } catch {
    // no passwd entry for this uid (a container): the number works with chown too
  }
  return { uid, name };
}

/**
 * Makes `dir` (which must exist) 0700, or refuses it. Called by init on the
 * directory it creates or was given, and by open on the vault directory.
 */
export async function securePrivateDir(dir: string, log?: Log): Promise<void> {
  if (!appliesHere()) return;
  const st = await stat(dir);
  if (!st.isDirectory()) {
    throw new KmsError('KMSInvalidStateException', `The vault directory ${dir} is not a directory. Point --vault / STRONGROOM_VAULT at a directory.`);
  }
  await secure(dir, 'directory', st.uid, st.mode, PRIVATE_DIR_MODE, log);
}

/** Makes each of `files` that exists 0600, or refuses it. */
export async function securePrivateFiles(files: readonly string[], log?: Log): Promise<void> {
  if (!appliesHere()) return;
  for (const file of files) {
    const st = await stat(file).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (st) await secure(file, 'file', st.uid, st.mode, PRIVATE_FILE_MODE, log);
  }
}

async function secure(path: string, kind: 'directory' | 'file', owner: number, mode: number, wanted: number, log?: Log): Promise<void> {
  const you = me();
  if (owner !== you.uid) {
    throw new KmsError(
      'KMSInvalidStateException',
      `The vault ${kind} ${path} belongs to another account (uid ${owner}), not to you (${you.name}, uid ${you.uid}); ` +
        'that account can read or replace the vault, so Strongroom will not use it. ' +
        `Use a vault in a directory you own, or have it handed over: sudo chown ${you.name} ${quote(path)} && chmod ${wanted.toString(8)} ${quote(path)}`,
    );
  }
  if ((mode & 0o7777) === wanted) return;
  try {
    await chmod(path, wanted);
  } catch (e) {
    const others = mode & 0o077 ? ' (other accounts may read it)' : '';
    throw new KmsError(
      'KMSInvalidStateException',
      `The vault ${kind} ${path} has mode ${octal(mode)}${others} and Strongroom could not change it (${(e as NodeJS.ErrnoException).code ?? 'error'}). ` +
        `Fix it with: chmod ${wanted.toString(8)} ${quote(path)}`,
    );
  }
  if (mode & 0o077) log?.(`the vault ${kind} ${path} was mode ${octal(mode)}, which other accounts may read; Strongroom set it to ${octal(wanted)}`);
}
