// Sessions that outlive their process (issue 14; core/service/sessions.ts):
// started by a sign-in (startSession), resumed by later processes from the
// token alone (resumeSession, no passphrase), ended by expiry, by disabling
// or deleting the user or its tenant, by a passphrase change, and never by
// editing the vault file. Through the real service on a real keychain vault
// (the session key exists only where a keychain can hold the tokens); the
// vault's clock is moved to reach an expiry. Run under
//   bash test/with-secret-service.sh npx vitest run test/core/login-sessions.test.ts
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../main/core/service/caller.js';
import { MAX_SESSION_SECONDS, MIN_SESSION_SECONDS } from '../../main/core/service/session-duration.js';
import type { Vault } from '../../main/vault/vault.js';
import { newUser, passphraseOf, signIn } from '../support/iam.js';
import { refused, sqlite } from '../support/kms.js';
import { ADMIN_PASSPHRASE, makeVault, type TestVault } from '../support/vault.js';

let t: TestVault;
/** A second connection to the vault: "a later process". */
let later: Vault;
beforeAll(async () => {
  if (process.env.STRONGROOM_TEST_SECRET_SERVICE !== '1') throw new Error('run under bash test/with-secret-service.sh: a keychain vault needs a Secret Service');
  t = await makeVault({ keychain: true });
  later = await t.reopen();
}, 60_000);
afterAll(() => t?.close());

const HOUR = 3600_000;

const login = (userName: string, seconds = 3600, passphrase = passphraseOf(userName)) =>
  t.vault.service.startSession({ userName, passphrase, region: 'local-1', source: 'cli' }, seconds);
const resume = (token: string, userName: string, opts: { account?: string; vault?: Vault } = {}) =>
  (opts.vault ?? later).service.resumeSession(token, { account: opts.account ?? t.admin.account, userName, region: 'local-1', source: 'cli' });

type Event = { eventName: string; errorMessage?: string; errorCode?: string; userIdentity: Record<string, unknown>; additionalEventData?: Record<string, unknown>; responseElements: unknown };
/** The tenant's records, oldest first. */
async function trail(): Promise<Event[]> {
  const { Events } = await t.call('LookupEvents', { MaxResults: 1000 });
  return (Events as { CloudTrailEvent: string }[]).map((e) => JSON.parse(e.CloudTrailEvent) as Event).reverse();
}
const last = async (eventName: string) => (await trail()).filter((e) => e.eventName === eventName).at(-1);

describe('a session', () => {
  let token: string;
  let sessionId: string;
  let expiresAt: number;

  it('starts with a sign-in, is recorded with its id and expiry, and resumes in a later process without a passphrase', async () => {
    await newUser(t, 'alice', { managed: ['KeyAdministrator'] });
    const started = await login('alice', 2 * 3600);
    ({ token, sessionId, expiresAt } = started);
    expect(sessionId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(expiresAt).toBe(t.clock.now + 2 * HOUR);
    expect(token.split('.')).toHaveLength(3); // JWS compact
    expect(await last('ConsoleLogin')).toMatchObject({
      responseElements: { ConsoleLogin: 'Success' },
      userIdentity: { accessKeyId: sessionId, type: 'IAMUser', userName: 'alice' },
      additionalEventData: { SessionId: sessionId, SessionExpiration: new Date(expiresAt).toISOString() },
    });

    const caller = await resume(token, 'alice');
    expect(caller).toMatchObject({ account: t.admin.account, userName: 'alice', source: 'cli' });
    const { KeyMetadata } = await later.service.call(caller, 'CreateKey', { Description: 'made in a session' });
    const made = (await trail()).find((e) => e.eventName === 'CreateKey' && JSON.stringify(e).includes(KeyMetadata.KeyId));
    expect(made?.userIdentity).toEqual({ accessKeyId: sessionId, accountId: t.admin.account, arn: caller.arn, type: 'IAMUser', userName: 'alice' });
  });

  it('is not ended by failed sign-ins under its user name (someone guessing): resuming checks no passphrase', async () => {
    for (let i = 0; i < 8; i++) await refused(signIn(t, 'alice', 'a wrong guess'), 'AccessDeniedException');
    await refused(signIn(t, 'alice'), 'AccessDeniedException'); // locked out: even the right passphrase is refused unchecked
    const caller = await resume(token, 'alice');
    await later.service.call(caller, 'ListKeys', {});
    await t.call('UpdateLoginProfile', { UserName: 'alice', Password: passphraseOf('alice') }); // lifts the lock, and changes the passphrase hash
    await refused(resume(token, 'alice'), 'AccessDeniedException');
  });

  it('expires: resuming then is ExpiredTokenException, and so is a call of a resumed caller past the expiry', async () => {
    const s = await login('alice', MIN_SESSION_SECONDS);
    const caller = await resume(s.token, 'alice');
    t.clock.now += MIN_SESSION_SECONDS * 1000 - 1;
    await later.service.call(caller, 'ListKeys', {});
    t.clock.now += 1;
    const e = await refused(later.service.call(caller, 'ListKeys', {}), 'ExpiredTokenException');
    expect(e.message).toBe(`The session ${s.sessionId} of ${caller.arn} expired at ${new Date(s.expiresAt).toISOString()}: run \`strongroom login\` again.`);
    await refused(resume(s.token, 'alice'), 'ExpiredTokenException');
    expect(await last('ConsoleLogin')).toMatchObject({ responseElements: { ConsoleLogin: 'Failure' }, errorMessage: e.message, userIdentity: { accessKeyId: s.sessionId, userName: 'alice' } });
    expect((await last('ListKeys'))?.errorCode).toBe('ExpiredTokenException');
  });

  it.each([
    ['the user is disabled', 'DisableUser', (u: string) => t.call('DisableUser', { UserName: u }), 'is disabled or no longer exists'],
    ['the user is deleted', 'DeleteUser', async (u: string) => {
      await t.call('DeleteLoginProfile', { UserName: u });
      await t.call('DeleteUser', { UserName: u });
    }, 'is disabled or no longer exists'],
    ['the user is deleted and made again under the same name', 'DeleteUser', async (u: string) => {
      await t.call('DeleteLoginProfile', { UserName: u });
      await t.call('DeleteUser', { UserName: u });
      await newUser(t, u);
    }, 'is disabled or no longer exists'],
    ['an administrator sets a new passphrase', 'UpdateLoginProfile', (u: string) => t.call('UpdateLoginProfile', { UserName: u, Password: 'a new passphrase' }), 'was changed or removed'],
    ['the user changes its own passphrase', 'ChangePassword', async (u: string) => {
      await t.call('ChangePassword', { OldPassword: passphraseOf(u), NewPassword: 'its own new passphrase' }, await signIn(t, u));
    }, 'was changed or removed'],
    ['the passphrase is removed', 'DeleteLoginProfile', (u: string) => t.call('DeleteLoginProfile', { UserName: u }), 'was changed or removed'],
  ])('ends when %s: before its next call in a running process, and when resumed', async (_what, _op, end, why) => {
    const user = `u${Math.random().toString(36).slice(2, 10)}`;
    await newUser(t, user); // no policy: GetCallerIdentity needs none, and DeleteUser finds nothing attached
    const s = await login(user);
    const caller = await resume(s.token, user);
    await later.service.call(caller, 'GetCallerIdentity', {});
    await end(user);
    expect((await refused(later.service.call(caller, 'GetCallerIdentity', {}), 'AccessDeniedException')).message).toContain(why);
    expect((await refused(resume(s.token, user), 'AccessDeniedException')).message).toContain(why);
    expect(await last('ConsoleLogin')).toMatchObject({ responseElements: { ConsoleLogin: 'Failure' }, userIdentity: { accessKeyId: s.sessionId } });
  });

  it('ends when its tenant is disabled', async () => {
    await t.call('CreateTenant', { TenantName: 'acme', AdminPassword: 'first passphrase of acme' });
    const acme = sqlite(t, "SELECT account FROM tenants WHERE name = 'acme'");
    const s = await t.vault.service.startSession({ tenant: 'acme', userName: 'admin', passphrase: 'first passphrase of acme', region: 'local-1', source: 'cli' }, 3600);
    await resume(s.token, 'admin', { account: acme });
    await t.call('DisableTenant', { AccountId: acme });
    expect((await refused(resume(s.token, 'admin', { account: acme }), 'AccessDeniedException')).message).toBe(`Account ${acme} is disabled.`);
    await t.call('EnableTenant', { AccountId: acme });
  });
});

describe('what cannot make or stretch a session', () => {
  let token: string;
  beforeAll(async () => {
    await newUser(t, 'mallory');
    ({ token } = await login('mallory'));
  });

  const claims = (tok: string) => JSON.parse(Buffer.from(tok.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
  const withClaims = (tok: string, change: Record<string, unknown>) => {
    const [h, , sig] = tok.split('.');
    return `${h}.${Buffer.from(JSON.stringify({ ...claims(tok), ...change })).toString('base64url')}.${sig}`;
  };

  it('a token with its expiry or user changed fails its MAC, and the refusal is recorded', async () => {
    const exp = claims(token).exp as number;
    const forgeries: [string, string][] = [
      [withClaims(token, { exp: exp + 365 * 86400 }), 'mallory'],
      [withClaims(token, { name: 'admin' }), 'admin'],
      [`${token}x`, 'mallory'],
      ['not a token', 'mallory'],
      ['', 'mallory'],
    ];
    for (const [forged, user] of forgeries) {
      const e = await refused(resume(forged, user), 'AccessDeniedException');
      expect(e.message).toBe(`The stored session is not a session of arn:strongroom:iam::${t.admin.account}:user/${user} in this vault: run \`strongroom login\` again.`);
    }
    await resume(token, 'mallory'); // the token itself is still good
    expect(await last('ConsoleLogin')).toMatchObject({ responseElements: { ConsoleLogin: 'Failure' }, additionalEventData: { LoginTo: 'strongroom login' } });
  });

  it("a token is good only for its own tenant and user, and only in its own vault", async () => {
    await refused(resume(token, 'alice'), 'AccessDeniedException');
    await refused(resume(token, 'mallory', { account: '000000000000' }), 'AccessDeniedException');
    const other = await makeVault({ keychain: true });
    try {
      await other.call('CreateUser', { UserName: 'mallory' });
      await refused(resume(token, 'mallory', { vault: other.vault, account: other.admin.account }), 'AccessDeniedException');
    } finally {
      await other.close();
    }
  });

  it('editing the vault file (sqlite3) cannot bring back a disabled user: its row fails its integrity check', async () => {
    await t.call('DisableUser', { UserName: 'mallory' });
    await refused(resume(token, 'mallory'), 'AccessDeniedException');
    sqlite(t, `UPDATE users SET disabled = 0 WHERE account = '${t.admin.account}' AND user_name = 'mallory'`);
    // a process started after the edit (a running one keeps what it read, which the edit does not change)
    const e = await refused(resume(token, 'mallory', { vault: await t.reopen() }), 'KMSInternalException');
    expect(e.message).toMatch(/fails its integrity check/);
  });

  it('nor give the token the passphrase hash of another user', async () => {
    await newUser(t, 'trent');
    const s = await login('trent');
    sqlite(t, `UPDATE users SET passphrase = (SELECT passphrase FROM users WHERE account = '${t.admin.account}' AND user_name = 'admin') WHERE account = '${t.admin.account}' AND user_name = 'trent'`);
    await refused(resume(s.token, 'trent', { vault: await t.reopen() }), 'KMSInternalException');
  });
});

describe('starting and ending', () => {
  it(`a duration outside ${MIN_SESSION_SECONDS}..${MAX_SESSION_SECONDS} seconds is a ValidationException before the passphrase is checked`, async () => {
    const before = (await trail()).length;
    for (const seconds of [MIN_SESSION_SECONDS - 1, MAX_SESSION_SECONDS + 1, 0, 1.5]) {
      const e = await refused(t.vault.service.startSession({ userName: 'admin', passphrase: 'wrong', region: 'local-1', source: 'cli' }, seconds), 'ValidationException');
      expect(e.message).toMatch(/^1 validation error detected: Value '.*' at 'durationSeconds' failed to satisfy constraint: Member must have value (greater|less) than or equal to \d+$/);
    }
    expect((await trail()).length).toBe(before + 1); // the first LookupEvents only: no failed sign-in was recorded, the passphrase was never looked at
    const s = await t.vault.service.startSession({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'cli' }, MAX_SESSION_SECONDS);
    expect(s.expiresAt - t.clock.now).toBe(12 * HOUR);
  });

  it('a wrong passphrase starts nothing: the ordinary failed sign-in', async () => {
    await refused(t.vault.service.startSession({ userName: 'admin', passphrase: 'wrong', region: 'local-1', source: 'cli' }, 3600), 'AccessDeniedException');
    expect(await last('ConsoleLogin')).toMatchObject({ errorMessage: 'Failed authentication', additionalEventData: { FailedSignIns: 1 } });
  });

  it('endSession records a Logout with the session id; a token not of this vault records nothing', async () => {
    const s = await t.vault.service.startSession({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'cli' }, 3600);
    expect(await later.service.endSession(s.token, 'local-1', 'cli')).toEqual({ sessionId: s.sessionId });
    expect(await last('Logout')).toMatchObject({ userIdentity: { accessKeyId: s.sessionId, userName: 'admin' }, additionalEventData: { SessionId: s.sessionId } });
    const records = (await trail()).length;
    expect(await later.service.endSession('not a token', 'local-1', 'cli')).toBeUndefined();
    expect((await trail()).length).toBe(records + 1); // only this LookupEvents call
  });

  it('a vault whose master key is under a vault passphrase keeps no sessions', async () => {
    const plain = await makeVault();
    try {
      const e = await refused(plain.vault.service.startSession({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'cli' }, 3600), 'UnsupportedOperationException');
      expect(e.message).toBe('This vault keeps no sessions beyond one command.');
    } finally {
      await plain.close();
    }
  });

  it('a caller signed in with a passphrase is recorded without a session id', async () => {
    const caller: Caller = await signIn(t, 'admin', ADMIN_PASSPHRASE);
    await t.call('ListAliases', {}, caller);
    expect((await last('ListAliases'))?.userIdentity).not.toHaveProperty('accessKeyId');
  });
});
