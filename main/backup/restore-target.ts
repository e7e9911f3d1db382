// Where a restore writes, and how it takes back what it wrote. A restore
// never overwrites a vault: the directory must hold none of the files a
// vault keeps (the database and its companions, the sealed anchors), and a
// keychain restore needs this machine's keychain to hold nothing of the
// vault's (its master key, its anchors): a second vault with the same id
// would share those entries, and its trail and the first one's would each
// make the other's anchors reject them. Everything a restore writes is
// registered with an Undo, which removes it again if the restore fails, so
// the directory is left as it was and no keychain entry is left behind.
import { constants } from 'node:fs';
import { chmod, link, mkdir, open, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { KmsError, validation } from '../core/errors.js';
import { keychainAnchorLocation } from '../custody/anchor.js';
import { ANCHOR_FILE } from '../custody/anchor.js';
import { keychainLocation, readKeychainSecret } from '../custody/keychain.js';
import { fsError } from '../files/sources.js';
import { DB_FILE, dbFiles } from '../vault/paths.js';

/** Steps that take back what a restore wrote, run last first. */
export class Undo {
  readonly #steps: { what: string; run: () => Promise<unknown> }[] = [];

  push(what: string, run: () => Promise<unknown>): void {
    this.#steps.push({ what, run });
  }

  /** Runs every step (last registered first); a step that fails is logged and the rest still run. */
  async run(log: (message: string, error?: unknown) => void): Promise<void> {
    for (const step of this.#steps.reverse()) {
      try {
        await step.run();
      } catch (e) {
        log(`a failed restore could not undo: ${step.what}`, e);
      }
    }
    this.#steps.length = 0;
  }
}

/** What the target directory was before the restore: absent, or a directory with this mode. */
export type TargetState = { exists: false } | { exists: true; mode: number };

/** The files of a vault in `dir`: if any of them is there, the directory holds a vault (or what is left of one). */
const vaultFiles = (dir: string) => [...dbFiles(join(dir, DB_FILE)), join(dir, ANCHOR_FILE)];

/** Checks that `dir` holds no vault; says whether it exists (refusals are AlreadyExistsException or ValidationException). */
export async function checkTarget(dir: string): Promise<TargetState> {
  let mode: number;
  try {
    const st = await stat(dir);
    if (!st.isDirectory()) throw validation(`The vault directory ${dir} is not a directory.`);
    mode = st.mode & 0o7777;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false };
    throw e instanceof KmsError ? e : fsError(e, dir, 'read');
  }
  for (const file of vaultFiles(dir)) {
    const there = await stat(file).then(
      () => true,
      (e: NodeJS.ErrnoException) => e.code !== 'ENOENT',
    );
    if (there) {
      throw new KmsError('AlreadyExistsException', `${dir} already holds a vault (${basename(file)} is there); a restore never overwrites one. Restore into a new or empty directory.`);
    }
  }
  return { exists: true, mode };
}

/** Refuses a keychain restore on a machine whose keychain holds anything of the vault already (see the file comment). */
export async function checkKeychainFree(vaultId: string): Promise<void> {
  for (const loc of [keychainLocation(vaultId), keychainAnchorLocation(vaultId)]) {
    const held = await readKeychainSecret(loc);
    if (held !== undefined) {
      held.fill(0);
      throw new KmsError(
        'AlreadyExistsException',
        `This machine's OS keychain already holds vault ${vaultId} ("${loc.service}" / "${loc.account}"): the vault lives here, and a second copy would share its keychain entries and audit anchors. ` +
          'Restore it with passphrase custody (--passphrase-only) instead, or restore on another machine.',
      );
    }
  }
}

/** Makes the directory (0700) if it was not there, registering its removal; otherwise registers putting its mode back. */
export async function makeTarget(dir: string, before: TargetState, undo: Undo): Promise<void> {
  if (before.exists) {
    undo.push(`put back the mode of ${dir}`, async () => {
      if (process.platform !== 'win32' && ((await stat(dir)).mode & 0o7777) !== before.mode) await chmod(dir, before.mode);
    });
    return;
  }
  let first: string | undefined;
  try {
    first = await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw fsError(e, dir, 'write');
  }
  // the directories made, deepest first: each is removed only if it is empty again
  const made: string[] = [];
  for (let d = dir; first !== undefined; d = dirname(d)) {
    made.push(d);
    if (d === first || dirname(d) === d) break;
  }
  undo.push(`remove ${first ?? dir}`, async () => {
    for (const d of made) await rmdir(d);
  });
}

/**
 * Puts the finished database in place under its vault name, never over an
 * existing one: a hard link fails if the name is taken (where the file
 * system has no hard links, a check then a rename), then the temporary
 * name goes and the directory is synced.
 */
export async function placeDatabase(temp: string, dir: string, undo: Undo): Promise<void> {
  const final = join(dir, DB_FILE);
  const taken = () => new KmsError('AlreadyExistsException', `${dir} came to hold a vault while this one was being restored; it was left as it is.`);
  try {
    await link(temp, final);
    undo.push(`remove ${final}`, () => rm(final, { force: true }));
    await rm(temp);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw taken();
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw fsError(e, final, 'write');
    if (await stat(final).then(() => true, () => false)) throw taken();
    await rename(temp, final);
    undo.push(`remove ${final}`, () => rm(final, { force: true }));
  }
  await syncDir(dir);
}

/** fsync of the directory makes the new name durable; some platforms refuse it, which is harmless. */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, constants.O_RDONLY).catch(() => undefined);
  try {
    await fh?.sync();
  } catch {
    // not supported here (Windows) or not permitted: the link is still atomic
  } finally {
    await fh?.close().catch(() => undefined);
  }
}
