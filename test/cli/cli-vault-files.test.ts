// The built binary and the vault's files (issue 9): a vault made and used
// under a lax umask is still private; another program holding the vault's
// lock is a service error (254) named DependencyTimeoutException that names
// the program, after --lock-timeout / STRONGROOM_LOCK_TIMEOUT seconds.
import { spawn } from 'node:child_process';
import { chownSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, Workspace } from './binary.js';

beforeAll(() => ensureBuilt(), 180_000);

const mode = (path: string): string => (statSync(path).mode & 0o7777).toString(8);

describe('a vault made under umask 000', () => {
  const ws = new Workspace();
  afterAll(() => ws.remove());

  test('is a 0700 directory of 0600 files', async () => {
    const r = await ws.sh('umask 000 && strongroom init --passphrase-only >/dev/null && strongroom create-key >/dev/null && touch probe');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(mode(ws.path('probe'))).toBe('666'); // the umask was in force
    expect(mode(ws.vault)).toBe('700');
    for (const name of readdirSync(ws.vault)) expect([name, mode(join(ws.vault, name))]).toEqual([name, '600']);
  });
});

describe('init into a directory another account owns', () => {
  const ws = new Workspace();
  afterAll(() => ws.remove());

  test('is refused (254), naming the owner', async () => {
    mkdirSync(ws.vault, { mode: 0o755 });
    chownSync(ws.vault, 54321, 54321);
    const r = await ws.run(['init', '--passphrase-only']);
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(/^\nAn error occurred \(KMSInvalidStateException\) when calling the Init operation: The vault directory .* belongs to another account \(uid 54321\)/);
    expect(readdirSync(ws.vault)).toEqual([]);
  });
});

describe('a vault another program holds locked', () => {
  const ws = new Workspace();
  let holder: ReturnType<typeof spawn> | undefined;
  beforeAll(async () => {
    const r = await ws.run(['init', '--passphrase-only']);
    expect(r.code).toBe(0);
    // The sqlite3 shell in a write transaction, kept open until afterAll.
    const child = spawn('sqlite3', [join(ws.vault, 'strongroom.db')], { stdio: 'pipe' });
    holder = child;
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.stdout.on('data', (b: Buffer) => b.toString().includes('held') && resolve());
      child.stdin.write("BEGIN IMMEDIATE;\nSELECT 'held';\n");
    });
  }, 60_000);
  afterAll(async () => {
    if (holder) {
      const closed = new Promise((resolve) => holder!.on('close', resolve));
      holder.stdin!.end();
      await closed;
    }
    ws.remove();
  });

  test('fails with DependencyTimeoutException (254) naming the holder, after --lock-timeout', async () => {
    const started = Date.now();
    const r = await ws.run(['--lock-timeout', '0.2', 'list-keys']);
    expect(r.code).toBe(254);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      new RegExp(
        `^\\nAn error occurred \\(DependencyTimeoutException\\) when calling the ListKeys operation: The vault is locked by another program \\(pid ${holder!.pid}: sqlite3 [^)]*strongroom\\.db\\): .* stayed locked for 0\\.2 s\\. Let that program finish or close it, then retry\\.\\n$`,
      ),
    );
    expect(Date.now() - started).toBeLessThan(8_000); // not the 10 s default
  });

  test('STRONGROOM_LOCK_TIMEOUT sets the same wait', async () => {
    const r = await ws.run(['list-keys'], { STRONGROOM_LOCK_TIMEOUT: '0.1' });
    expect(r.code).toBe(254);
    expect(r.stderr).toContain('(DependencyTimeoutException)');
    expect(r.stderr).toContain('stayed locked for 0.1 s');
  });

  test('a --lock-timeout that is not a number of seconds is a usage error (252)', async () => {
    for (const bad of ['-1', 'ten', '1e3', '90000']) {
      const r = await ws.run(['--lock-timeout', bad, 'list-keys']);
      expect(r.code, bad).toBe(252);
      expect(r.stderr).toContain(`argument --lock-timeout (or STRONGROOM_LOCK_TIMEOUT): expected a number of seconds from 0 to 86400, got '${bad}'`);
    }
  });
});
