// The contract's `app` operations (issue 10) run in an AppSession over a real
// vault: signing in and out and the session's state, file jobs with
// progress and cancellation, audit export to a file and its offline
// verification, the vault's status. Outputs are checked against their
// schemas by test/support/check-outputs.ts, like every operation's.
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppSession } from '../../main/session/app-session.js';
import { refused } from '../support/kms.js';
import { openssl } from '../interop/tools.js';
import { SettingsFile } from '../../main/session/app-settings.js';
import { VaultHost } from '../../main/session/vault-host.js';
import { openVault } from '../../main/vault/vault.js';
import { holdWriteLock } from '../support/lock-holder.js';
import { ADMIN_PASSPHRASE, makeVault, TEST_ARGON2, VAULT_PASSPHRASE, type TestVault } from '../support/vault.js';

let t: TestVault;
let s: AppSession;
beforeEach(async () => {
  t = await makeVault();
  s = new AppSession(t.vault, 'desktop', t.dir);
});
afterEach(async () => t.close());

const signIn = () => s.run('SignIn', { UserName: 'admin', Passphrase: ADMIN_PASSPHRASE });

describe('a session: sign in, its state, sign out', () => {
  it('signs in as a user, says so, and signing out ends what the caller could do', async () => {
    expect(await s.run('GetSession', {})).toEqual({ SignedIn: false });
    const session = await signIn();
    expect(session).toEqual({ AccountId: t.admin.account, UserName: 'admin', Arn: t.admin.arn, Region: 'local-1', MustChangePassphrase: false });
    expect(await s.run('GetSession', {})).toEqual({ SignedIn: true, Session: session });
    const caller = s.caller;
    await expect(t.vault.service.call(caller, 'ListKeys', {})).resolves.toMatchObject({ Keys: [] });

    expect(await s.run('SignOut', {})).toEqual({});
    expect(await s.run('GetSession', {})).toEqual({ SignedIn: false });
    // the old caller is signed out in the service too, not only forgotten by the session
    await refused(t.vault.service.call(caller, 'ListKeys', {}), 'AccessDeniedException');
    await refused(s.run('EncryptFile', { In: ['x'], Out: 'y', KeyId: 'alias/none' }), 'AccessDeniedException');
  });

  it('a wrong passphrase is AccessDeniedException and leaves the session signed out; a new user must change its passphrase', async () => {
    await refused(s.run('SignIn', { UserName: 'admin', Passphrase: 'not the passphrase' }), 'AccessDeniedException');
    expect(await s.run('GetSession', {})).toEqual({ SignedIn: false });
    await t.call('CreateUser', { UserName: 'nora' });
    await t.call('CreateLoginProfile', { UserName: 'nora', Password: 'first passphrase of nora', PasswordResetRequired: true });
    expect(await s.run('SignIn', { UserName: 'nora', Passphrase: 'first passphrase of nora' })).toMatchObject({ UserName: 'nora', MustChangePassphrase: true });
  });

  it('malformed input and unknown names are ValidationException; the vault service does not run app operations', async () => {
    await refused(s.dispatch('SignIn', { UserName: 'admin' }), 'ValidationException');
    await refused(s.dispatch('SignIn', { UserName: 'admin', Passphrase: ADMIN_PASSPHRASE, Extra: 1 }), 'ValidationException');
    await refused(s.dispatch('NoSuchThing', {}), 'ValidationException');
    const e = await refused(t.dispatch('SignIn', { UserName: 'admin', Passphrase: ADMIN_PASSPHRASE }), 'ValidationException');
    expect(e.message).toMatch(/SignIn is an operation of the app/);
  });

  it("the vault's status", async () => {
    expect(await s.run('GetVaultStatus', {})).toEqual({ Directory: t.dir, Exists: true, Open: true, VaultId: t.vault.vaultId, Custody: 'passphrase', SchemaVersion: expect.any(Number) });
  });

  it('a passphrase vault stays locked until UnlockVault gives its passphrase; until then nothing else runs', async () => {
    const host = new VaultHost(t.dir, { service: { argon2: TEST_ARGON2 } });
    const app = new AppSession(host, 'desktop', t.dir);
    try {
      expect(await app.run('GetVaultStatus', {})).toEqual({ Directory: t.dir, Exists: true, Open: false, SchemaVersion: expect.any(Number) });
      await refused(app.run('SignIn', { UserName: 'admin', Passphrase: ADMIN_PASSPHRASE }), 'KMSInvalidStateException');
      expect((await refused(app.run('UnlockVault', {}), 'AccessDeniedException')).message).toMatch(/kept under a passphrase/);
      await refused(app.run('UnlockVault', { VaultPassphrase: 'not the vault passphrase' }), 'AccessDeniedException');
      expect(host.isOpen).toBe(false);
      expect(await app.run('UnlockVault', { VaultPassphrase: VAULT_PASSPHRASE })).toMatchObject({ Open: true, Custody: 'passphrase', VaultId: t.vault.vaultId });
      expect(await app.run('SignIn', { UserName: 'admin', Passphrase: ADMIN_PASSPHRASE })).toMatchObject({ UserName: 'admin' });
      // a directory without a vault: the first run
      const none = new AppSession(new VaultHost(join(t.dir, 'nowhere')), 'desktop');
      expect(await none.run('GetVaultStatus', {})).toMatchObject({ Exists: false, Open: false });
    } finally {
      await host.close();
    }
  });

  it('the first run creates the vault (keychain custody here), opens it, and signs in to it; a second CreateVault is refused', async () => {
    const dir = join(t.dir, 'first-run');
    const host = new VaultHost(dir, { service: { argon2: TEST_ARGON2 } });
    const app = new AppSession(host, 'desktop', dir);
    try {
      expect(await app.run('GetVaultStatus', {})).toMatchObject({ Exists: false, Open: false });
      for (const bad of [{ Custody: 'passphrase', AdminPassphrase: 'admin passphrase 1' }, { Custody: 'keychain', VaultPassphrase: 'x', AdminPassphrase: 'admin passphrase 1' }, { Custody: 'cloud', AdminPassphrase: 'a' }]) {
        await refused(app.dispatch('CreateVault', bad), 'ValidationException');
      }
      expect(existsSync(dir)).toBe(false);
      const created = await app.run('CreateVault', { Custody: 'keychain', TenantName: 'ceremony', AdminPassphrase: 'first admin passphrase' });
      expect(created).toMatchObject({ Exists: true, Open: true, Custody: 'keychain', VaultId: expect.any(String) });
      expect(await app.run('SignIn', { UserName: 'admin', Passphrase: 'first admin passphrase' })).toMatchObject({ UserName: 'admin' });
      await refused(app.run('CreateVault', { Custody: 'keychain', AdminPassphrase: 'another passphrase' }), 'AlreadyExistsException');
    } finally {
      await host.close();
    }
  });

  it('an app operation refused before it runs is in the audit trail: bad input, and anything but sign-in while signed out', async () => {
    const lookup = async (name: string) => (await t.call('LookupEvents', { EventName: name })).Events.map((e) => JSON.parse(e.CloudTrailEvent) as { errorCode?: string; userIdentity: { type: string } });
    await refused(s.dispatch('EncryptFile', { In: ['x'], Out: 'y', KeyId: 'alias/k' }), 'AccessDeniedException');
    await refused(s.dispatch('DecryptFile', { Bogus: 1 }), 'ValidationException');
    await refused(s.dispatch('NoSuchAppOperation', {}), 'ValidationException');
    expect((await lookup('EncryptFile')).map((e) => [e.errorCode, e.userIdentity.type])).toEqual([['AccessDeniedException', 'Unauthenticated']]);
    expect((await lookup('DecryptFile')).map((e) => e.errorCode)).toEqual(['ValidationException']);
    expect((await lookup('NoSuchAppOperation')).map((e) => e.errorCode)).toEqual(['ValidationException']);
  });
});

describe('file jobs', () => {
  it('encrypt then decrypt files, with progress that never goes back and ends at each size', async () => {
    await signIn();
    const { KeyMetadata } = await t.call('CreateKey', {});
    const data = randomBytes(3 * 1024 * 1024 + 17);
    writeFileSync(join(t.dir, 'a.bin'), data);
    writeFileSync(join(t.dir, 'b.bin'), 'small');
    const progress: { FileIndex: number; BytesDone: number; BytesTotal?: number | undefined }[] = [];
    const sealed = await s.run('EncryptFile', { In: ['a.bin', 'b.bin'], OutDir: 'sealed', KeyId: KeyMetadata.KeyId, EncryptionContext: { case: 'files' } }, { onProgress: (p) => progress.push(p) });
    expect(sealed.Files.map((f) => f.OutPath)).toEqual([join(t.dir, 'sealed', 'a.bin.sr'), join(t.dir, 'sealed', 'b.bin.sr')]);
    expect(sealed.Files[0]).toMatchObject({ KeyId: KeyMetadata.Arn, BytesRead: data.length });
    for (const i of [0, 1]) {
      const mine = progress.filter((p) => p.FileIndex === i).map((p) => p.BytesDone);
      expect(mine).toEqual([...mine].sort((a, b) => a - b));
      expect(mine.at(-1)).toBe(i === 0 ? data.length : 5);
    }
    const opened = await s.run('DecryptFile', { In: ['sealed/a.bin.sr'], Out: 'a.out', EncryptionContext: { case: 'files' } });
    expect(opened.Files[0]).toMatchObject({ Format: 'strongroom', KeyId: KeyMetadata.Arn, EncryptionContext: { case: 'files' }, BytesWritten: data.length });
    expect(readFileSync(join(t.dir, 'a.out')).equals(data)).toBe(true);
  });

  it('cancelled mid-file: the job rejects with AbortError and leaves no output and no temporary file', async () => {
    await signIn();
    const { KeyMetadata } = await t.call('CreateKey', {});
    writeFileSync(join(t.dir, 'big.bin'), randomBytes(8 * 1024 * 1024));
    const controller = new AbortController();
    const job = s.run('EncryptFile', { In: ['big.bin'], OutDir: 'out', KeyId: KeyMetadata.KeyId }, { signal: controller.signal, onProgress: (p) => p.BytesDone > 0 && controller.abort() });
    await expect(job).rejects.toMatchObject({ name: 'AbortError' });
    expect(readdirSync(join(t.dir, 'out'))).toEqual([]);
  });
});

/**
 * Makes `dir` a folder nobody may create files in, until the returned
 * function undoes it: read-only permissions, and for root (whom permissions
 * do not stop) the file system's immutable attribute (chattr +i).
 */
function freeze(dir: string): () => void {
  if (process.getuid?.() === 0) {
    execFileSync('chattr', ['+i', dir]);
    return () => execFileSync('chattr', ['-i', dir]);
  }
  chmodSync(dir, 0o500);
  return () => chmodSync(dir, 0o700);
}

describe('settings and the clipboard', () => {
  it('settings start at the defaults, change durably, and a damaged file gives the defaults back', async () => {
    const path = join(t.dir, 'settings.json');
    const settings = await SettingsFile.open(path);
    const app = new AppSession(t.vault, 'desktop', t.dir, { settings });
    expect(await app.run('GetAppSettings', {})).toEqual({ IdleLockMinutes: 5, ClipboardClearSeconds: 30 });
    await refused(app.run('UpdateAppSettings', { IdleLockMinutes: 10 }), 'AccessDeniedException');
    await app.run('SignIn', { UserName: 'admin', Passphrase: ADMIN_PASSPHRASE });
    expect(await app.run('UpdateAppSettings', { IdleLockMinutes: 10 })).toEqual({ IdleLockMinutes: 10, ClipboardClearSeconds: 30 });
    for (const bad of [{ IdleLockMinutes: 0 }, { IdleLockMinutes: 121 }, { ClipboardClearSeconds: 1 }, { Other: 1 }]) {
      await refused(app.dispatch('UpdateAppSettings', bad), 'ValidationException');
    }
    expect((await SettingsFile.open(path)).current).toEqual({ IdleLockMinutes: 10, ClipboardClearSeconds: 30 });
    expect(readdirSync(t.dir).filter((f) => f.includes('settings'))).toEqual(['settings.json']); // no temporary file left
    // the change is in the audit trail as the user's, with what was asked; the refusals too
    const events = (await t.call('LookupEvents', { EventName: 'UpdateAppSettings' })).Events.map((e) => JSON.parse(e.CloudTrailEvent) as { errorCode?: string; requestParameters?: unknown; userIdentity: { userName?: string } });
    const done = events.filter((e) => !e.errorCode);
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ requestParameters: { IdleLockMinutes: 10 }, userIdentity: { userName: 'admin' } });
    expect(events.filter((e) => e.errorCode)).toHaveLength(5);
    writeFileSync(path, '{"IdleLockMinutes": 100000');
    const logged: string[] = [];
    expect((await SettingsFile.open(path, (m) => logged.push(m))).current).toEqual({ IdleLockMinutes: 5, ClipboardClearSeconds: 30 });
    expect(logged).toEqual([`the settings in ${path} cannot be read; using the defaults`]);
  });

  it('a change whose audit record cannot be written changes nothing: the file and the settings stay as they were', async () => {
    const path = join(t.dir, 'settings.json');
    const settings = await SettingsFile.open(path);
    // a second vault connection with a short busy timeout, so the trail's write waits 0.2 s for the lock, not 10 s
    const vault = await openVault(t.dir, { vaultPassphrase: async () => VAULT_PASSPHRASE, service: { argon2: TEST_ARGON2 }, busyTimeoutMs: 200 });
    try {
      const app = new AppSession(vault, 'desktop', t.dir, { settings });
      await app.run('SignIn', { UserName: 'admin', Passphrase: ADMIN_PASSPHRASE });
      await app.run('UpdateAppSettings', { IdleLockMinutes: 10 });
      const before = readFileSync(path, 'utf8');
      // another program holds the vault's write lock: the call runs, but its record cannot be appended
      const holder = await holdWriteLock(join(t.dir, 'strongroom.db'));
      try {
        await refused(app.run('UpdateAppSettings', { IdleLockMinutes: 60, ClipboardClearSeconds: 120 }), 'DependencyTimeoutException');
      } finally {
        await holder.release();
      }
      expect(readFileSync(path, 'utf8')).toBe(before);
      expect(await app.run('GetAppSettings', {})).toEqual({ IdleLockMinutes: 10, ClipboardClearSeconds: 30 });
      expect((await SettingsFile.open(path)).current).toEqual({ IdleLockMinutes: 10, ClipboardClearSeconds: 30 });
      expect(readdirSync(t.dir).filter((f) => f.includes('settings'))).toEqual(['settings.json']); // its temporary file is gone too
      const asked = (await t.call('LookupEvents', { EventName: 'UpdateAppSettings' })).Events.map((e) => (JSON.parse(e.CloudTrailEvent) as { requestParameters?: unknown }).requestParameters);
      expect(asked).toEqual([{ IdleLockMinutes: 10 }]);
      // once the lock is let go, the same change goes through
      expect(await app.run('UpdateAppSettings', { IdleLockMinutes: 60 })).toEqual({ IdleLockMinutes: 60, ClipboardClearSeconds: 30 });
      expect((await SettingsFile.open(path)).current).toEqual({ IdleLockMinutes: 60, ClipboardClearSeconds: 30 });
      // changes made at once run one after the other: neither undoes the other
      await Promise.all([app.run('UpdateAppSettings', { IdleLockMinutes: 15 }), app.run('UpdateAppSettings', { ClipboardClearSeconds: 45 })]);
      expect((await SettingsFile.open(path)).current).toEqual({ IdleLockMinutes: 15, ClipboardClearSeconds: 45 });
    } finally {
      await vault.close();
    }
  });

  it('a settings folder that cannot be written: the change is refused, recorded as refused, and the settings stay', async () => {
    const folder = join(t.dir, 'app-data');
    mkdirSync(folder);
    const path = join(folder, 'settings.json');
    const app = new AppSession(t.vault, 'desktop', t.dir, { settings: await SettingsFile.open(path) });
    await app.run('SignIn', { UserName: 'admin', Passphrase: ADMIN_PASSPHRASE });
    await app.run('UpdateAppSettings', { ClipboardClearSeconds: 10 });
    const before = readFileSync(path, 'utf8');
    const unfreeze = freeze(folder);
    try {
      const e = await refused(app.run('UpdateAppSettings', { ClipboardClearSeconds: 90 }), 'ValidationException');
      expect(e.message).toBe(`Cannot write ${path}: permission denied.`);
    } finally {
      unfreeze();
    }
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(readdirSync(folder)).toEqual(['settings.json']);
    expect(await app.run('GetAppSettings', {})).toEqual({ IdleLockMinutes: 5, ClipboardClearSeconds: 10 });
    const events = (await t.call('LookupEvents', { EventName: 'UpdateAppSettings' })).Events.map((e) => JSON.parse(e.CloudTrailEvent) as { errorCode?: string; requestParameters?: unknown });
    expect(events.map((e) => [e.requestParameters, e.errorCode])).toEqual([
      [{ ClipboardClearSeconds: 90 }, 'ValidationException'],
      [{ ClipboardClearSeconds: 10 }, undefined],
    ]);
  });

  it("CopyToClipboard copies through the app's clipboard with the configured delay, and is refused where there is none", async () => {
    const copies: [string, number][] = [];
    const app = new AppSession(t.vault, 'desktop', t.dir, { clipboard: { copy: async (text, ms) => void copies.push([text, ms]) } });
    await app.run('SignIn', { UserName: 'admin', Passphrase: ADMIN_PASSPHRASE });
    expect(await app.run('CopyToClipboard', { Text: t.admin.arn })).toEqual({ ClearAfterSeconds: 30 });
    expect(copies).toEqual([[t.admin.arn, 30_000]]);
    await signIn();
    expect((await refused(s.run('CopyToClipboard', { Text: 'x' }), 'ValidationException')).message).toMatch(/no clipboard here/);
  });
});

describe('file dialogs', () => {
  it("ChooseFiles asks the desktop's dialogs over the session's window, checks the request first, and is refused where there are none", async () => {
    const asked: unknown[] = [];
    const chooseFiles = async (request: unknown, windowId: number | undefined) => (asked.push([request, windowId]), ['/home/a.txt', '/home/b.txt']);
    const app = new AppSession(t.vault, 'desktop', t.dir, { chooseFiles, windowId: 7 });
    await refused(app.run('ChooseFiles', { Purpose: 'open' }), 'AccessDeniedException'); // only a signed-in session
    await app.run('SignIn', { UserName: 'admin', Passphrase: ADMIN_PASSPHRASE });
    expect(await app.run('ChooseFiles', { Purpose: 'open', Multiple: true, Title: 'Files to encrypt' })).toEqual({ Paths: ['/home/a.txt', '/home/b.txt'] });
    for (const bad of [{ Purpose: 'save', Multiple: true }, { Purpose: 'save', Directory: true }, { Purpose: 'delete' }, { Purpose: 'open', Path: '/etc' }]) {
      await refused(app.dispatch('ChooseFiles', bad), 'ValidationException');
    }
    expect(asked).toEqual([[{ Purpose: 'open', Multiple: true, Title: 'Files to encrypt' }, 7]]);
    await signIn();
    expect((await refused(s.run('ChooseFiles', { Purpose: 'save' }), 'ValidationException')).message).toMatch(/no file dialogs here/);
  });
});

describe('file job refusals', () => {
  it('- (stdin, stdout) is only for the command line; a segment size outside 64 KiB–1 MiB is refused; neither writes anything', async () => {
    await signIn();
    const { KeyMetadata } = await t.call('CreateKey', {});
    writeFileSync(join(t.dir, 'in.txt'), 'x');
    const stdin = await refused(s.run('EncryptFile', { In: ['-'], Out: 'x.sr', KeyId: KeyMetadata.KeyId }), 'ValidationException');
    expect(stdin.message).toBe('- (standard input) is for the command line; give a path.');
    const stdout = await refused(s.run('DecryptFile', { In: ['in.txt'], Out: '-' }), 'ValidationException');
    expect(stdout.message).toBe('- (standard output) is for the command line; give a path.');
    for (const SegmentSize of [65_535, 1_048_577, 1.5]) {
      await refused(s.run('EncryptFile', { In: ['in.txt'], Out: 'x.sr', KeyId: KeyMetadata.KeyId, SegmentSize }), 'ValidationException');
    }
    expect(existsSync(join(t.dir, 'x.sr'))).toBe(false);
    const sealed = await s.run('EncryptFile', { In: ['in.txt'], Out: 'x.sr', KeyId: KeyMetadata.KeyId, SegmentSize: 65_536 });
    expect(sealed.Files[0]).toMatchObject({ SegmentSize: 65_536, Segments: 1 });
  });
});

describe('audit files', () => {
  it('export to a file, then verify it offline: with the file’s own key, with the trusted key, and edited', async () => {
    await signIn();
    await t.call('CreateKey', {});
    const exported = await s.run('ExportAuditTrail', { OutPath: 'trail.jsonl' });
    expect(exported.OutPath).toBe(join(t.dir, 'trail.jsonl'));
    expect(exported.Records).toBeGreaterThan(0);
    expect(await s.run('VerifyAuditTrail', { InPath: 'trail.jsonl' })).toMatchObject({ Valid: true, Records: exported.Records, PublicKeySource: 'file', Account: expect.stringMatching(/^\d{12}$/) });
    const { PublicKey } = await t.call('GetAuditPublicKey', {});
    expect(await s.run('VerifyAuditTrail', { InPath: 'trail.jsonl', PublicKey })).toMatchObject({ Valid: true, PublicKeySource: 'trusted' });

    const text = readFileSync(join(t.dir, 'trail.jsonl'), 'utf8');
    writeFileSync(join(t.dir, 'edited.jsonl'), text.replace('"CreateKey"', '"DeleteKey"'));
    const edited = await s.run('VerifyAuditTrail', { InPath: 'edited.jsonl', PublicKey });
    expect(edited.Valid).toBe(false);
    expect(edited.Problems.length).toBeGreaterThan(0);
  });

  it('an export to a directory that does not exist is refused before anything is written', async () => {
    await signIn();
    await refused(s.run('ExportAuditTrail', { OutPath: 'missing/trail.jsonl' }), 'ValidationException');
    expect(existsSync(join(t.dir, 'missing'))).toBe(false);
    await refused(s.run('VerifyAuditTrail', { InPath: 'nothing-here.jsonl' }), 'ValidationException');
  });
});

describe('public key files', () => {
  it('SavePublicKey writes each format a partner tool reads (der binary, PEM for openssl) with the fingerprint, and is audited as GetPublicKey', async () => {
    await signIn();
    const { KeyMetadata } = await t.call('CreateKey', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const pem = await s.run('SavePublicKey', { KeyId: KeyMetadata.KeyId, Format: 'pem', OutPath: 'partner.pem' });
    const der = await s.run('SavePublicKey', { KeyId: KeyMetadata.KeyId, Format: 'der', OutPath: 'partner.der' });
    expect(pem).toMatchObject({ KeyId: KeyMetadata.Arn, Format: 'pem', OutPath: join(t.dir, 'partner.pem'), FingerprintType: 'SPKI_SHA256_HEX' });
    const { PublicKey } = await t.call('GetPublicKey', { KeyId: KeyMetadata.KeyId });
    // the DER file is the SubjectPublicKeyInfo itself, and the PEM file is the same key
    expect(readFileSync(join(t.dir, 'partner.der')).equals(Buffer.from(PublicKey))).toBe(true);
    expect(der.Bytes).toBe(PublicKey.length);
    const fromPem = await openssl(['pkey', '-pubin', '-in', join(t.dir, 'partner.pem'), '-outform', 'DER']);
    expect(fromPem.stdout.equals(Buffer.from(PublicKey))).toBe(true);
    expect(readFileSync(join(t.dir, 'partner.pem'), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
    const ssh = await s.run('SavePublicKey', { KeyId: KeyMetadata.KeyId, Format: 'ssh', OutPath: 'partner.pub' });
    expect(readFileSync(join(t.dir, 'partner.pub'), 'utf8')).toMatch(/^ecdsa-sha2-nistp256 \S+( .*)?\n$/);
    expect(ssh.FingerprintType).toBe('OPENSSH_SHA256');
    const { Events } = await t.call('LookupEvents', { EventName: 'ExportPublicKey' });
    expect(Events).toHaveLength(3);
  });

  it('a bad path or a key without a public key writes nothing; a missing directory is refused before the key is read', async () => {
    await signIn();
    const { KeyMetadata } = await t.call('CreateKey', {});
    await refused(s.run('SavePublicKey', { KeyId: KeyMetadata.KeyId, Format: 'pem', OutPath: 'missing/key.pem' }), 'ValidationException');
    expect((await t.call('LookupEvents', { EventName: 'ExportPublicKey' })).Events).toHaveLength(0);
    await refused(s.run('SavePublicKey', { KeyId: KeyMetadata.KeyId, Format: 'pem', OutPath: 'symmetric.pem' }), 'UnsupportedOperationException');
    expect(readdirSync(t.dir).filter((f) => f.includes('symmetric'))).toEqual([]);
    await s.run('SignOut', {});
    await refused(s.run('SavePublicKey', { KeyId: KeyMetadata.KeyId, Format: 'pem', OutPath: 'signed-out.pem' }), 'AccessDeniedException');
  });
});
