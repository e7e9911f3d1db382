// Issue 14, "Sign in once": `strongroom login` / `strongroom logout` on the
// user's path — the built binary, one process per command, a keychain vault
// on a real Secret Service, the vault file edited with the sqlite3 shell.
// Commands run with no STRONGROOM_PASSPHRASE and no terminal (binary.ts runs
// each child without one): a command that needed a passphrase, and so
// Argon2id, would fail asking for one; in a session it succeeds. Expiry and
// the prompts of a session (the current passphrase change-password needs)
// run in-process, through run(), against the same real vault and keychain
// with the vault's clock moved. Run with
//   bash test/with-secret-service.sh npx vitest run test/cli/login-cli.test.ts
// (Each command is a process of a few seconds on a loaded machine: the tests allow minutes.)
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { AsyncEntry } from '@napi-rs/keyring';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { VaultApi } from '../../main/cli/vault-api.js';
import { sessionLocation } from '../../main/custody/session-keychain.js';
import { defaultVaultDir, initVault, openVault } from '../../main/vault/vault.js';
import { ADMIN_PASSPHRASE, ensureBuilt, Workspace, type Result } from './binary.js';
import { scriptedCli } from '../support/scripted-cli.js';

beforeAll(() => {
  if (process.env.STRONGROOM_TEST_SECRET_SERVICE !== '1') {
    throw new Error('STRONGROOM_TEST_SECRET_SERVICE is not set: run these tests with `bash test/with-secret-service.sh npx vitest run test/cli/login-cli.test.ts`.');
  }
  ensureBuilt();
}, 180_000);

/** No passphrase of any kind in the environment, and (binary.ts) no terminal to ask on. */
const NONE = { STRONGROOM_PASSPHRASE: undefined, STRONGROOM_VAULT_PASSPHRASE: undefined };
const NO_PASSPHRASE = (user: string) => `No passphrase for user '${user}': set STRONGROOM_PASSPHRASE, or run the command in a terminal to be asked for it.`;
const errorOf = (r: Result) => /^\nAn error occurred \((\w+)\) when calling the (\w+) operation: (.*)\n$/s.exec(r.stderr)?.slice(1) ?? [r.stderr];

type Event = { eventName: string; errorCode?: string; errorMessage?: string; userIdentity: Record<string, unknown>; additionalEventData?: Record<string, unknown>; responseElements: unknown };

describe('login on a keychain vault', () => {
  const ws = new Workspace({ STRONGROOM_VAULT_PASSPHRASE: undefined });
  let account: string;
  beforeAll(async () => {
    const init = await ws.run(['init']);
    expect(init.code, init.stderr).toBe(0);
    account = JSON.parse(init.stdout).AccountId;
  }, 180_000);
  afterAll(() => ws.remove());

  const sqlite = (sql: string) => execFileSync('sqlite3', [join(ws.vault, 'strongroom.db'), sql], { encoding: 'utf8' }).trim();
  /** The admin's trail, oldest first (read with the admin passphrase, so outside any session). */
  async function trail(): Promise<Event[]> {
    const r = await ws.run(['audit', 'export']);
    expect(r.code, r.stderr).toBe(0);
    return r.stdout
      .split('\n')
      .filter((l) => l.includes('"event"'))
      .map((l) => JSON.parse(l).event as Event);
  }
  async function createUser(name: string, passphrase: string, ...policies: string[]): Promise<void> {
    expect((await ws.run(['iam', 'create-user', '--user-name', name])).code).toBe(0);
    expect((await ws.run(['iam', 'create-login-profile', '--user-name', name], { STRONGROOM_NEW_PASSPHRASE: passphrase })).code).toBe(0);
    for (const p of policies) expect((await ws.run(['iam', 'attach-user-policy', '--user-name', name, '--policy-arn', `arn:strongroom:iam::aws:policy/${p}`])).code).toBe(0);
  }

  test('after login, commands need no passphrase (none is set and there is no terminal); after logout they do again', async () => {
    const before = await ws.run(['list-keys'], NONE);
    expect(errorOf(before)).toEqual(['AccessDeniedException', 'ListKeys', NO_PASSPHRASE('admin')]);

    const t0 = Date.now();
    const login = await ws.run(['login']); // the passphrase from STRONGROOM_PASSPHRASE, checked once
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    const out = JSON.parse(login.stdout);
    expect(Object.keys(out)).toEqual(['SessionId', 'Arn', 'Expiration']);
    expect(out.SessionId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Arn).toBe(`arn:strongroom:iam::${account}:user/admin`);
    const expires = Date.parse(out.Expiration);
    expect(expires - t0).toBeGreaterThan(3600_000 - 1000); // the default: an hour
    expect(expires - Date.now()).toBeLessThanOrEqual(3600_000);

    const key = await ws.run(['create-key', '--description', 'made in a session', '--query', 'KeyMetadata.KeyId', '--output', 'text'], NONE);
    expect(key.stderr).toBe('');
    const keyId = key.stdout.trim();
    const r = await ws.sh(
      `printf 'kept by a session' > in.txt && strongroom encrypt --key-id ${keyId} --plaintext fileb://in.txt --output text --query CiphertextBlob | base64 --decode > ct.bin && ` +
        'strongroom decrypt --ciphertext-blob fileb://ct.bin --output text --query Plaintext | base64 --decode',
      NONE,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('kept by a session');

    const logout = await ws.run(['logout'], NONE);
    expect([logout.code, logout.stdout, logout.stderr]).toEqual([0, '', '']);
    expect(errorOf(await ws.run(['list-keys'], NONE))).toEqual(['AccessDeniedException', 'ListKeys', NO_PASSPHRASE('admin')]);
    const again = await ws.run(['logout'], NONE); // no session: nothing to do, not an error (as `aws sso logout`)
    expect([again.code, again.stdout, again.stderr]).toEqual([0, '', '']);

    expect((await ws.run(['list-aliases'])).code).toBe(0); // with the passphrase, outside the session

    // the audit trail: the login, each call made in the session under its id, the logout
    const events = await trail();
    const session = events.filter((e) => e.userIdentity.accessKeyId === out.SessionId);
    expect(session.map((e) => e.eventName)).toEqual(['ConsoleLogin', 'CreateKey', 'Encrypt', 'Decrypt', 'Logout']);
    expect(session[0]).toMatchObject({ responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { SessionId: out.SessionId, SessionExpiration: new Date(expires).toISOString() } });
    for (const e of session) expect(e.userIdentity).toMatchObject({ type: 'IAMUser', userName: 'admin', accountId: account });
    // a call made with the passphrase carries no session id
    expect(events.filter((e) => e.eventName === 'ListAliases').at(-1)?.userIdentity).toEqual({ accountId: account, arn: out.Arn, type: 'IAMUser', userName: 'admin' });
  }, 180_000);

  test('STRONGROOM_PASSPHRASE wins over a session: a wrong one is refused even while a session is kept', async () => {
    expect((await ws.run(['login'])).code).toBe(0);
    const wrong = await ws.run(['list-keys'], { STRONGROOM_PASSPHRASE: 'not the passphrase' });
    expect(errorOf(wrong)[0]).toBe('AccessDeniedException');
    expect(errorOf(wrong)[2]).toMatch(/^Sign-in failed/);
    expect((await ws.run(['list-keys'], NONE)).code).toBe(0); // the session is still there
    expect((await ws.run(['logout'], NONE)).code).toBe(0);
  }, 180_000);

  test('--duration: seconds, or hours and minutes, from 15 minutes to 12 hours; anything else is refused before a passphrase is asked', async () => {
    for (const [value, seconds] of [['5400', 5400], ['90m', 5400], ['1h30m', 5400], ['12h', 43200], ['15m', 900]] as const) {
      const t0 = Date.now();
      const r = await ws.run(['login', '--duration', value, '--query', 'Expiration', '--output', 'text']);
      expect(r.code, r.stderr).toBe(0);
      const expires = Date.parse(r.stdout.trim());
      // the session starts (to the second) while the command runs
      expect(expires).toBeGreaterThan(t0 - 1000 + seconds * 1000);
      expect(expires).toBeLessThanOrEqual(Date.now() + seconds * 1000);
    }
    for (const value of ['13h', '899', '14m', '0']) {
      const r = await ws.run(['login', `--duration=${value}`], NONE); // no passphrase: asking for one would be a different error
      expect(r.code).toBe(254);
      expect(errorOf(r)[0]).toBe('ValidationException');
      expect(errorOf(r)[2]).toMatch(/^1 validation error detected: Value '\d+' at 'durationSeconds' failed to satisfy constraint: Member must have value (greater than or equal to 900|less than or equal to 43200)$/);
    }
    for (const value of ['1d', 'abc', '1.5h', '-60', '']) {
      const r = await ws.run(['login', '--duration', value], NONE);
      expect(r.code).toBe(252);
      expect(r.stderr).toContain(`strongroom: error: argument --duration: expected seconds (3600) or hours and minutes (1h, 30m, 1h30m), got '${value}'`);
    }
    expect((await ws.run(['logout'], NONE)).code).toBe(0);
  }, 180_000);

  /** Logs `user` in, checks a command runs in the session, lets `end` happen, and returns the refusal of the next command. */
  async function sessionEndedBy(user: string, end: () => Promise<void>): Promise<Result> {
    const as = { ...NONE, STRONGROOM_USER: user };
    expect((await ws.run(['login'], { STRONGROOM_USER: user, STRONGROOM_PASSPHRASE: `${user} passphrase` })).code).toBe(0);
    expect((await ws.run(['sts', 'get-caller-identity'], as)).code).toBe(0);
    await end();
    const refused = await ws.run(['sts', 'get-caller-identity'], as);
    // the refused session is gone from the keychain: the next command has no session, so it asks for a passphrase
    expect(errorOf(await ws.run(['sts', 'get-caller-identity'], as))).toEqual(['AccessDeniedException', 'GetCallerIdentity', NO_PASSPHRASE(user)]);
    return refused;
  }

  test('disabling the user ends its session', async () => {
    await createUser('bob', 'bob passphrase');
    const r = await sessionEndedBy('bob', async () => void expect((await ws.run(['iam', 'disable-user', '--user-name', 'bob'])).code).toBe(0));
    expect(errorOf(r)).toEqual(['AccessDeniedException', 'GetCallerIdentity', `arn:strongroom:iam::${account}:user/bob is disabled or no longer exists.`]);
    const refusal = (await trail()).filter((e) => e.eventName === 'ConsoleLogin').at(-1);
    expect(refusal).toMatchObject({ responseElements: { ConsoleLogin: 'Failure' }, errorMessage: `arn:strongroom:iam::${account}:user/bob is disabled or no longer exists.`, userIdentity: { userName: 'bob' } });
    expect(refusal?.userIdentity.accessKeyId).toMatch(/^ASIA/);
  }, 180_000);

  test('deleting the user ends its session', async () => {
    await createUser('carol', 'carol passphrase');
    const r = await sessionEndedBy('carol', async () => {
      expect((await ws.run(['iam', 'delete-login-profile', '--user-name', 'carol'])).code).toBe(0);
      expect((await ws.run(['iam', 'delete-user', '--user-name', 'carol'])).code).toBe(0);
    });
    expect(errorOf(r)).toEqual(['AccessDeniedException', 'GetCallerIdentity', `arn:strongroom:iam::${account}:user/carol is disabled or no longer exists.`]);
  }, 180_000);

  test('a new passphrase from an administrator ends the session', async () => {
    await createUser('dave', 'dave passphrase');
    const r = await sessionEndedBy('dave', async () => {
      expect((await ws.run(['iam', 'update-login-profile', '--user-name', 'dave', '--password'], { STRONGROOM_NEW_PASSPHRASE: 'dave passphrase 2' })).code).toBe(0);
    });
    expect(errorOf(r)).toEqual(['AccessDeniedException', 'GetCallerIdentity', `The passphrase of arn:strongroom:iam::${account}:user/dave was changed or removed after this session signed in: sign in again.`]);
  }, 180_000);

  test('editing the vault file cannot bring a disabled user back, nor a token in the keychain extend its session', async () => {
    await createUser('erin', 'erin passphrase');
    const as = { ...NONE, STRONGROOM_USER: 'erin' };
    const login = await ws.run(['login'], { STRONGROOM_USER: 'erin', STRONGROOM_PASSPHRASE: 'erin passphrase' });
    expect(login.code).toBe(0);
    // a token rewritten to last a year: its MAC (under a key below the master key) no longer matches
    const vaultId = sqlite("SELECT value FROM vault_meta WHERE name = 'vault_id'");
    const loc = sessionLocation(vaultId, account, 'erin');
    const entry = new AsyncEntry(loc.service, loc.account);
    const token = Buffer.from((await entry.getSecret())!).toString('utf8');
    const [h, payload, sig] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    await entry.setSecret(Buffer.from(`${h}.${Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 365 * 86400 })).toString('base64url')}.${sig}`));
    expect(errorOf(await ws.run(['sts', 'get-caller-identity'], as))).toEqual([
      'AccessDeniedException',
      'GetCallerIdentity',
      `The stored session is not a session of arn:strongroom:iam::${account}:user/erin in this vault: run \`strongroom login\` again.`,
    ]);
    expect(await entry.getSecret()).toBeNull(); // removed

    // a disabled user's row edited back to enabled: the row fails its integrity check, the session is refused
    expect((await ws.run(['login'], { STRONGROOM_USER: 'erin', STRONGROOM_PASSPHRASE: 'erin passphrase' })).code).toBe(0);
    expect((await ws.run(['iam', 'disable-user', '--user-name', 'erin'])).code).toBe(0);
    sqlite(`UPDATE users SET disabled = 0 WHERE account = '${account}' AND user_name = 'erin'`);
    const r = await ws.run(['sts', 'get-caller-identity'], as);
    expect(errorOf(r)[0]).toBe('KMSInternalException');
    expect(errorOf(r)[2]).toMatch(/fails its integrity check/);
  }, 180_000);
});

describe('a vault without a keychain', () => {
  const ws = new Workspace();
  beforeAll(async () => {
    expect((await ws.run(['init', '--passphrase-only'])).code).toBe(0);
  }, 180_000);
  afterAll(() => ws.remove());

  test('login is not offered, and says why before asking for anything; logout has nothing to do; commands still ask for what they need', async () => {
    const r = await ws.run(['login'], NONE);
    expect(errorOf(r)).toEqual([
      'UnsupportedOperationException',
      'Login',
      'This vault keeps its master key under a vault passphrase, not in an OS keychain, so there is no keychain to keep a login session in, and `strongroom login` is not offered: each command asks for the passphrases it needs (STRONGROOM_VAULT_PASSPHRASE and STRONGROOM_PASSPHRASE, or the terminal).',
    ]);
    expect((await ws.run(['login'])).stderr).toBe(r.stderr); // with both passphrases at hand too
    const logout = await ws.run(['logout'], NONE);
    expect([logout.code, logout.stdout, logout.stderr]).toEqual([0, '', '']);
    expect((await ws.run(['list-keys'])).code).toBe(0);
    expect(errorOf(await ws.run(['list-keys'], { STRONGROOM_PASSPHRASE: undefined }))).toEqual(['AccessDeniedException', 'ListKeys', NO_PASSPHRASE('admin')]);
  }, 180_000);
});

describe('in-process: expiry, and what a session still asks for', () => {
  const ws = new Workspace();
  const clock = { now: Date.now() };
  /** The real vault module, with the vault's clock under the test's control. */
  const vaults: VaultApi = {
    defaultVaultDir,
    initVault: (dir, opts) => initVault(dir, opts),
    openVault: (dir, opts) => openVault(dir, { ...opts, service: { clock: () => clock.now } }),
  };
  let answers: string[] = [];
  let prompts: string[] = [];
  async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
    const c = scriptedCli(ws.dir, { STRONGROOM_VAULT: ws.vault, ...env }, answers, { vault: vaults });
    const code = await c.run(args);
    prompts.push(...c.prompts);
    return { code, out: c.out(), err: c.err() };
  }
  beforeAll(async () => {
    expect((await cli(['init'], { STRONGROOM_PASSPHRASE: ADMIN_PASSPHRASE })).code).toBe(0);
  }, 180_000);
  afterAll(() => ws.remove());

  test('a session expires: the next command is ExpiredTokenException, and the one after asks for the passphrase', async () => {
    answers = [ADMIN_PASSPHRASE];
    prompts = [];
    const login = await cli(['login', '--duration', '15m']);
    expect(login.err).toBe('');
    expect(prompts).toEqual(['Passphrase for admin: ']);
    const { SessionId, Expiration } = JSON.parse(login.out);
    expect(Date.parse(Expiration)).toBe(Math.floor(clock.now / 1000) * 1000 + 900_000);
    clock.now = Date.parse(Expiration) - 1;
    expect((await cli(['list-keys'])).code).toBe(0);
    clock.now += 1;
    const expired = await cli(['list-keys']);
    expect(expired.code).toBe(254);
    expect(expired.err).toBe(
      `\nAn error occurred (ExpiredTokenException) when calling the ListKeys operation: The session ${SessionId} of arn:strongroom:iam::${JSON.parse(login.out).Arn.split(':')[4]}:user/admin expired at ${new Date(Date.parse(Expiration)).toISOString()}: run \`strongroom login\` again.\n`,
    );
    prompts = [];
    const next = await cli(['list-keys']);
    expect(next.code).toBe(254);
    expect(prompts).toEqual(['Passphrase for admin: ']); // no session any more: asked, and no terminal to answer
  }, 180_000);

  test("change-password in a session asks for the current passphrase (the session never holds it), and then the session ends", async () => {
    answers = [ADMIN_PASSPHRASE];
    expect((await cli(['login'])).code).toBe(0);
    prompts = [];
    answers = [ADMIN_PASSPHRASE, 'a new admin passphrase', 'a new admin passphrase'];
    const change = await cli(['iam', 'change-password']);
    expect(change.err).toBe('');
    expect(change.code).toBe(0);
    expect(prompts[0]).toBe('Passphrase for admin (this operation needs it even in a login session): ');
    const after = await cli(['list-keys']);
    expect(after.err).toMatch(/^\nAn error occurred \(AccessDeniedException\) when calling the ListKeys operation: The passphrase of .* was changed or removed after this session signed in: sign in again\.\n$/);
    answers = ['a new admin passphrase'];
    expect((await cli(['list-keys'])).code).toBe(0); // no session: the new passphrase, asked
  }, 180_000);
});
