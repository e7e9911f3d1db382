// Only the vault's owner may read it (DESIGN §3, issue 9): the directory is
// 0700 and every file in it 0600, whatever the umask; init and open tighten
// what the user owns and refuse what another account owns. Real files, real
// owners: the tests run as root here, which can chown a vault to another
// uid, and (being root) could read or chmod it anyway, so a refusal seen
// here is made on ownership, not on a failed open.
import { chmod, chown, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KmsError } from '../../main/core/errors.js';
import { initVault, openVault } from '../../main/vault/vault.js';
import { ADMIN_PASSPHRASE, TEST_ARGON2, VAULT_PASSPHRASE } from '../support/vault.js';

/** An account that owns nothing here. */
const OTHER_UID = 54321;

let base: string;
beforeAll(() => {
  // chown to another uid needs root (or CAP_CHOWN); these tests run as root in CI and here.
  expect(process.getuid?.(), 'the ownership tests need to run as root').toBe(0);
});
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'strongroom-perm-'));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

const custody = { kind: 'passphrase' as const, passphrase: VAULT_PASSPHRASE };
const init = (dir: string) => initVault(dir, { custody, adminPassphrase: ADMIN_PASSPHRASE, service: { argon2: TEST_ARGON2 } });
const open = (dir: string, log?: (m: string) => void) =>
  openVault(dir, { vaultPassphrase: async () => VAULT_PASSPHRASE, service: { argon2: TEST_ARGON2 }, ...(log ? { log } : {}) });

const mode = async (path: string): Promise<string> => ((await stat(path)).mode & 0o7777).toString(8);

/** Every entry in dir with its mode, e.g. { 'strongroom.db': '600', … }. */
async function modes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) out[name] = await mode(join(dir, name));
  return out;
}

async function refusal(p: Promise<unknown>): Promise<KmsError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e, 'expected a refusal').toBeInstanceOf(KmsError);
  return e as KmsError;
}

async function withUmask<T>(mask: number, fn: () => Promise<T>): Promise<T> {
  const old = process.umask(mask);
  try {
    return await fn();
  } finally {
    process.umask(old);
  }
}

describe('init and use under any umask', () => {
  for (const mask of [0o000, 0o022, 0o777]) {
    it(`umask ${mask.toString(8).padStart(3, '0')}: the directory is 0700 and every file in it 0600, the WAL and its index included`, async () => {
      const dir = join(base, 'vault');
      await withUmask(mask, async () => {
        await init(dir);
        expect(await modes(dir)).toEqual({ 'audit-anchors': '600', 'strongroom.db': '600' });
        const vault = await open(dir);
        try {
          const admin = await vault.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'sdk' });
          await vault.service.call(admin, 'CreateKey', {});
          // While the vault is open, SQLite keeps its write-ahead log and index beside it.
          expect(await modes(dir)).toEqual({ 'audit-anchors': '600', 'strongroom.db': '600', 'strongroom.db-shm': '600', 'strongroom.db-wal': '600' });
        } finally {
          await vault.close();
        }
      });
      expect(await mode(dir)).toBe('700');
    });
  }
});

describe('init', () => {
  it('tightens an existing directory others may read (0755) to 0700', async () => {
    const dir = join(base, 'vault');
    await mkdir(dir);
    await chmod(dir, 0o755);
    await init(dir);
    expect(await mode(dir)).toBe('700');
    expect(await modes(dir)).toEqual({ 'audit-anchors': '600', 'strongroom.db': '600' });
  });

  for (const dirMode of [0o755, 0o700]) {
    it(`refuses a directory another account owns (mode ${dirMode.toString(8)}), naming the owner and the fix, and writes nothing`, async () => {
      const dir = join(base, 'vault');
      await mkdir(dir);
      await chmod(dir, dirMode);
      await chown(dir, OTHER_UID, OTHER_UID);
      const e = await refusal(init(dir));
      expect(e.name).toBe('KMSInvalidStateException');
      expect(e.message).toContain(`The vault directory ${dir} belongs to another account (uid ${OTHER_UID})`);
      expect(e.message).toContain(`chown root '${dir}' && chmod 700 '${dir}'`);
      expect(await readdir(dir)).toEqual([]);
      expect(await mode(dir)).toBe(dirMode.toString(8)); // left as it was
    });
  }
});

describe('open', () => {
  let dir: string;
  beforeEach(async () => {
    dir = join(base, 'vault');
    await init(dir);
  });

  it('tightens a directory and files the user owns, and says so', async () => {
    await chmod(dir, 0o755);
    await chmod(join(dir, 'strongroom.db'), 0o644);
    // A write-ahead log left behind by a crash, created under a lax umask.
    await writeFile(join(dir, 'strongroom.db-wal'), '', { mode: 0o666 });
    await chmod(join(dir, 'strongroom.db-wal'), 0o666);
    const logged: string[] = [];
    const vault = await open(dir, (m) => logged.push(m));
    try {
      expect(await mode(dir)).toBe('700');
      expect(await modes(dir)).toEqual({ 'audit-anchors': '600', 'strongroom.db': '600', 'strongroom.db-shm': '600', 'strongroom.db-wal': '600' });
    } finally {
      await vault.close();
    }
    expect(logged).toEqual([
      `the vault directory ${dir} was mode 0755, which other accounts may read; Strongroom set it to 0700`,
      `the vault file ${join(dir, 'strongroom.db')} was mode 0644, which other accounts may read; Strongroom set it to 0600`,
      `the vault file ${join(dir, 'strongroom.db-wal')} was mode 0666, which other accounts may read; Strongroom set it to 0600`,
    ]);
  });

  it('opens a private vault without a word', async () => {
    const logged: string[] = [];
    const vault = await open(dir, (m) => logged.push(m));
    await vault.close();
    expect(logged).toEqual([]);
  });

  it('refuses a database file another account owns, naming it and the fix', async () => {
    const db = join(dir, 'strongroom.db');
    await chown(db, OTHER_UID, OTHER_UID);
    const e = await refusal(open(dir));
    expect(e.name).toBe('KMSInvalidStateException');
    expect(e.message).toContain(`The vault file ${db} belongs to another account (uid ${OTHER_UID})`);
    expect(e.message).toContain(`chown root '${db}' && chmod 600 '${db}'`);
    expect((await stat(db)).uid).toBe(OTHER_UID);
  });

  it("refuses a write-ahead log another account owns (it could hold that account's writes)", async () => {
    const wal = join(dir, 'strongroom.db-wal');
    await writeFile(wal, '', { mode: 0o600 });
    await chown(wal, OTHER_UID, OTHER_UID);
    const e = await refusal(open(dir));
    expect(e.name).toBe('KMSInvalidStateException');
    expect(e.message).toContain(`The vault file ${wal} belongs to another account (uid ${OTHER_UID})`);
  });

  it('refuses a vault directory another account owns, even one closed to others', async () => {
    await chown(dir, OTHER_UID, OTHER_UID);
    const e = await refusal(open(dir));
    expect(e.name).toBe('KMSInvalidStateException');
    expect(e.message).toContain(`The vault directory ${dir} belongs to another account (uid ${OTHER_UID})`);
    expect(e.message).toContain(`chmod 700 '${dir}'`);
  });
});
