// Keychain custody of the vault master key against a REAL Secret Service
// (gnome-keyring on a private D-Bus session). Run with:
//   bash test/with-secret-service.sh npx vitest run test/custody
// These tests fail rather than skip when no Secret Service is set up: a
// custody path that is never exercised is a custody path that is broken.
import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AsyncEntry, findCredentialsAsync } from '@napi-rs/keyring';
import ts from 'typescript';
import { KmsError } from '../../main/core/errors.js';
import {
  createVaultMasterKey,
  destroyVaultMasterKey,
  openVaultMasterKey,
  parseCustodyRecord,
  type CustodyRecord,
  type KeychainCustodyRecord,
} from '../../main/custody/vault-master-key.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SERVICE = 'Strongroom';
const created = new Set<string>();

function newVaultId(): string {
  const id = randomUUID();
  created.add(id);
  return id;
}

const entry = (vaultId: string) => new AsyncEntry(SERVICE, `vault:${vaultId}`);

async function readEntry(vaultId: string): Promise<Buffer | undefined> {
  const s = (await entry(vaultId).getSecret()) as ArrayLike<number> | null | undefined;
  return s == null ? undefined : Buffer.from(Array.from(s));
}

/** Awaits a rejection and returns it as a KmsError, failing the test otherwise. */
async function kmsError(p: Promise<unknown>): Promise<KmsError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e, 'expected the promise to reject').toBeInstanceOf(KmsError);
  return e as KmsError;
}

const asRecord = (r: CustodyRecord): CustodyRecord => JSON.parse(JSON.stringify(r)) as CustodyRecord;

beforeAll(async () => {
  if (process.env.STRONGROOM_TEST_SECRET_SERVICE !== '1') {
    throw new Error(
      'STRONGROOM_TEST_SECRET_SERVICE is not set: run these tests inside a private Secret Service with ' +
        '`bash test/with-secret-service.sh npx vitest run test/custody`.',
    );
  }
  // The service must really answer (this call never falls back to keyutils).
  await findCredentialsAsync('Strongroom.test-probe');
});

afterEach(async () => {
  for (const id of created) await entry(id).deleteCredential().catch(() => undefined);
  created.clear();
});

describe('keychain custody (real Secret Service)', () => {
  it('runs against the real Secret Service', async () => {
    expect(process.env.STRONGROOM_TEST_SECRET_SERVICE).toBe('1');
    expect(process.env.DBUS_SESSION_BUS_ADDRESS).toBeTruthy();
    await expect(findCredentialsAsync('Strongroom.test-probe')).resolves.toEqual([]);
  });

  it('create / open / destroy round trip', async () => {
    const id = newVaultId();
    const { vmk, record } = await createVaultMasterKey(id, { kind: 'keychain' });
    expect(vmk).toBeInstanceOf(Buffer);
    expect(vmk.length).toBe(32);
    expect(record).toMatchObject({ kind: 'keychain', version: 1, service: SERVICE, account: `vault:${id}` });

    // The record is JSON and never holds the VMK.
    const json = JSON.stringify(record);
    expect(json).not.toContain(vmk.toString('base64'));
    expect(json).not.toContain(vmk.toString('hex'));
    const stored = parseCustodyRecord(JSON.parse(json));

    // The keychain holds exactly the VMK.
    expect((await readEntry(id))?.equals(vmk)).toBe(true);

    const opened = await openVaultMasterKey(id, stored);
    expect(opened.equals(vmk)).toBe(true);

    await destroyVaultMasterKey(id, stored);
    expect(await readEntry(id)).toBeUndefined();
    // Idempotent.
    await destroyVaultMasterKey(id, stored);

    const e = await kmsError(openVaultMasterKey(id, stored));
    expect(e.name).toBe('KMSInvalidStateException');
    expect(e.message).toMatch(/no master key for vault/);
  });

  it('two vault ids do not collide', async () => {
    const a = newVaultId();
    const b = newVaultId();
    const ka = await createVaultMasterKey(a, { kind: 'keychain' });
    const kb = await createVaultMasterKey(b, { kind: 'keychain' });
    expect(ka.vmk.equals(kb.vmk)).toBe(false);
    expect((await openVaultMasterKey(a, asRecord(ka.record))).equals(ka.vmk)).toBe(true);
    expect((await openVaultMasterKey(b, asRecord(kb.record))).equals(kb.vmk)).toBe(true);

    // One vault's record does not open the other vault.
    const cross = await kmsError(openVaultMasterKey(b, asRecord(ka.record)));
    expect(cross.name).toBe('KMSInvalidStateException');

    // Destroying one leaves the other intact.
    await destroyVaultMasterKey(a, ka.record);
    expect(await readEntry(a)).toBeUndefined();
    expect((await openVaultMasterKey(b, asRecord(kb.record))).equals(kb.vmk)).toBe(true);
  });

  it('a different secret in the keychain entry is KMSInvalidStateException, not garbage', async () => {
    const id = newVaultId();
    const { vmk, record } = await createVaultMasterKey(id, { kind: 'keychain' });
    let other = randomBytes(32);
    while (other.equals(vmk)) other = randomBytes(32);
    await entry(id).setSecret(other);

    const e = await kmsError(openVaultMasterKey(id, asRecord(record)));
    expect(e.name).toBe('KMSInvalidStateException');
    expect(e.message).toMatch(/keychain entry does not match this vault/);

    // A secret of the wrong length is rejected the same way.
    await entry(id).setSecret(randomBytes(16));
    const short = await kmsError(openVaultMasterKey(id, asRecord(record)));
    expect(short.name).toBe('KMSInvalidStateException');
    expect(short.message).toMatch(/keychain entry does not match this vault/);
  });

  it('a missing keychain entry is KMSInvalidStateException with a way out', async () => {
    const id = newVaultId();
    const { record } = await createVaultMasterKey(id, { kind: 'keychain' });
    await entry(id).deleteCredential();

    const e = await kmsError(openVaultMasterKey(id, asRecord(record)));
    expect(e.name).toBe('KMSInvalidStateException');
    expect(e.message).toMatch(/no master key for vault/);
    expect(e.message).toMatch(/another machine/);
    // the shared Secret Service is unlocked, and asked: a missing entry is not called locked
    expect(e.message).not.toMatch(/locked/i);
    expect(e.message).toMatch(/backup/);
  });

  it('never overwrites an existing keychain entry', async () => {
    const id = newVaultId();
    const first = await createVaultMasterKey(id, { kind: 'keychain' });
    const e = await kmsError(createVaultMasterKey(id, { kind: 'keychain' }));
    expect(e.name).toBe('AlreadyExistsException');
    expect((await openVaultMasterKey(id, asRecord(first.record))).equals(first.vmk)).toBe(true);
  });

  it('an altered custody record fails cleanly', async () => {
    const id = newVaultId();
    const { record } = await createVaultMasterKey(id, { kind: 'keychain' });
    const r = asRecord(record) as KeychainCustodyRecord;

    const kcv = Buffer.from(r.kcv, 'base64');
    kcv[kcv.length - 1]! ^= 0x01;
    const badKcv = await kmsError(openVaultMasterKey(id, { ...r, kcv: kcv.toString('base64') }));
    expect(badKcv.name).toBe('KMSInvalidStateException');
    expect(badKcv.message).toMatch(/does not match this vault/);

    const otherAccount = await kmsError(openVaultMasterKey(id, { ...r, account: 'vault:someone-else' }));
    expect(otherAccount.name).toBe('KMSInvalidStateException');

    const junk = await kmsError(openVaultMasterKey(id, { ...r, kcv: 42 } as unknown as CustodyRecord));
    expect(junk.name).toBe('KMSInvalidStateException');
    expect(junk.message).toMatch(/malformed/);
  });

  it('rejects vault ids that cannot name a keychain entry', async () => {
    const e = await kmsError(createVaultMasterKey('bad id/with\0stuff', { kind: 'keychain' }));
    expect(e.name).toBe('ValidationException');
  });

  it(
    'keychain unreachable: a clear KMSInvalidStateException naming both remedies, and no fallback store',
    async () => {
      const out = await runUnreachableChild();
      for (const step of [out.create, out.open]) {
        expect(step.name).toBe('KMSInvalidStateException');
        expect(step.message).toMatch(/keychain/i);
        expect(step.message).toMatch(/Secret Service|gnome-keyring/);
        expect(step.message).toMatch(/unlock/);
        expect(step.message).toContain('strongroom init --passphrase-only');
      }
      // Nothing was written anywhere @napi-rs/keyring could fall back to
      // (on Linux: the kernel keyutils store).
      expect(out.fallbackEntry).toBeNull();
    },
    60_000,
  );
});

// ---- child process with no reachable keychain ---------------------------------

interface ChildResult {
  create: { name: string; message: string };
  open: { name: string; message: string };
  fallbackEntry: unknown;
}

/**
 * Node 20 cannot import .ts, so the custody module and its relative imports
 * are transpiled (typescript.transpileModule, no bundler) into a git-ignored
 * .vault-test-* dir inside the repo, where bare imports still resolve to the
 * repo's node_modules. The child gets a D-Bus address that points nowhere: a
 * fresh process, so libdbus has not cached the real bus.
 */
async function runUnreachableChild(): Promise<ChildResult> {
  const dir = mkdtempSync(join(REPO, '.vault-test-custody-'));
  try {
    transpileTree(join(REPO, 'main/custody/vault-master-key.ts'), dir);
    const vaultId = randomUUID();
    const record = {
      kind: 'keychain',
      version: 1,
      service: SERVICE,
      account: `vault:${vaultId}`,
      kcv: randomBytes(12 + 36 + 16).toString('base64'),
    };
    const child = `
      import { AsyncEntry } from '@napi-rs/keyring';
      import { createVaultMasterKey, openVaultMasterKey } from './main/custody/vault-master-key.js';
      const vaultId = ${JSON.stringify(vaultId)};
      const record = ${JSON.stringify(record)};
      const out = {};
      const err = (e) => ({ name: e?.name, message: String(e?.message) });
      try { await createVaultMasterKey(vaultId, { kind: 'keychain' }); out.create = { name: 'resolved', message: '' }; }
      catch (e) { out.create = err(e); }
      try { await openVaultMasterKey(vaultId, record); out.open = { name: 'resolved', message: '' }; }
      catch (e) { out.open = err(e); }
      try { out.fallbackEntry = (await new AsyncEntry('Strongroom', 'vault:' + vaultId).getSecret()) ?? null; }
      catch { out.fallbackEntry = null; }
      process.stdout.write(JSON.stringify(out));
    `;
    writeFileSync(join(dir, 'child.mjs'), child);
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'no-such-bus-socket')}` };
    const { code, stdout, stderr } = await run(process.execPath, [join(dir, 'child.mjs')], env, 50_000);
    expect(code, `child failed: ${stderr}`).toBe(0);
    return JSON.parse(stdout) as ChildResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function transpileTree(entryFile: string, outDir: string): void {
  const queue = [entryFile];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    const js = ts.transpileModule(src, {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    }).outputText;
    const out = join(outDir, relative(REPO, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, js);
    for (const m of src.matchAll(/from\s+'(\.{1,2}\/[^']+)\.js'/g)) queue.push(resolve(dirname(file), `${m[1]}.ts`));
  }
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    const p = spawn(cmd, args, { env, cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', rej);
    p.on('close', (code) => res({ code, stdout, stderr }));
  });
}
