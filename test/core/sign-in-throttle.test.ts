// Failed sign-ins (issue 9, Identity; main/core/service/sign-in.ts): each one is
// recorded in the tenant's audit trail as CloudTrail records a failed
// console sign-in, and repeated failures under a user name lock it out for
// a growing while — unknown names and tenants alike, so nothing is told —
// with the count kept in the vault. Through the real service and vault;
// the vault's clock is moved to reach the end of a lockout.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditTrail } from '../../main/core/service/ports.js';
import { FREE_FAILURES, LOCKOUT_MS, MAX_LOCKOUT_MS, SIGN_IN_FAILED } from '../../main/core/service/sign-in.js';
import { initVault, openVault } from '../../main/vault/vault.js';
import { newTenant, newUser, passphraseOf } from '../support/iam.js';
import { refused, sqlite } from '../support/kms.js';
import { UNRECORDED } from '../support/trails.js';
import { ADMIN_PASSPHRASE, makeVault, TEST_ARGON2, VAULT_PASSPHRASE, type TestVault } from '../support/vault.js';

let t: TestVault;
beforeAll(async () => {
  t = await makeVault();
});
afterAll(() => t.close());

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const iso = (ms: number) => new Date(ms).toISOString();

/** Signs in; resolves with "ok" or the AccessDeniedException's message. */
async function attempt(userName: string, passphrase: string, opts: { tenant?: string; source?: 'cli' | 'desktop' | 'sdk' } = {}): Promise<string> {
  try {
    await t.vault.service.signIn({ ...(opts.tenant ? { tenant: opts.tenant } : {}), userName, passphrase, region: 'local-1', source: opts.source ?? 'sdk' });
    return 'ok';
  } catch (e) {
    expect((e as Error).name, (e as Error).message).toBe('AccessDeniedException');
    return (e as Error).message;
  }
}
const wrong = (userName: string, opts: { tenant?: string; source?: 'cli' | 'desktop' | 'sdk' } = {}) => attempt(userName, 'not the passphrase', opts);
const right = (userName: string) => attempt(userName, passphraseOf(userName));
/** What a failure that starts a lockout adds to the refusal. */
const lockedAfter = (failures: number, until: number, inWords: string) =>
  `${SIGN_IN_FAILED} After ${failures} failed sign-ins in a row, sign-in under this user name is refused until ${iso(until)} (in ${inWords}).`;
const lockedOut = (until: number, inWords: string) =>
  `Too many failed sign-ins under this user name: sign-in is refused until ${iso(until)} (in ${inWords}). Try again then, or ask an administrator to give the user a new passphrase, which lifts the lock.`;
/** The ConsoleLogin records of a tenant's trail (the operator's by default), oldest first. */
const signInRecords = async (caller = t.admin) =>
  ((await t.call('LookupEvents', { EventName: 'ConsoleLogin', MaxResults: 1000 }, caller)).Events as { CloudTrailEvent: string }[]).map((e) => JSON.parse(e.CloudTrailEvent)).reverse();

describe('lockout', () => {
  it(`the first ${FREE_FAILURES} failures are only refused; then the name is locked out, even for the right passphrase, saying until when`, async () => {
    await newUser(t, 'bob');
    for (let i = 1; i < FREE_FAILURES; i++) expect(await wrong('bob')).toBe(SIGN_IN_FAILED);
    const until = t.clock.now + LOCKOUT_MS;
    expect(await wrong('bob')).toBe(lockedAfter(FREE_FAILURES, until, '30 seconds'));
    expect(await right('bob')).toBe(lockedOut(until, '30 seconds'));
    t.clock.now += LOCKOUT_MS - 1000;
    expect(await right('bob')).toBe(lockedOut(until, '1 second'));
    t.clock.now += 1000;
    expect(await right('bob')).toBe('ok');
    // a success starts the count again
    expect(await wrong('bob')).toBe(SIGN_IN_FAILED);
  });

  it('each further failure doubles the lockout, up to 15 minutes', async () => {
    await newUser(t, 'carol');
    for (let i = 1; i < FREE_FAILURES; i++) await wrong('carol');
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      const msg = await wrong('carol');
      const until = Date.parse(/refused until (\S+)/.exec(msg)![1]!);
      seen.push(until - t.clock.now);
      t.clock.now = until;
    }
    expect(seen).toEqual([LOCKOUT_MS, 2 * LOCKOUT_MS, 4 * LOCKOUT_MS, 8 * LOCKOUT_MS, 16 * LOCKOUT_MS, MAX_LOCKOUT_MS, MAX_LOCKOUT_MS, MAX_LOCKOUT_MS]);
    expect(MAX_LOCKOUT_MS).toBe(15 * MINUTE);
    expect(await wrong('carol')).toMatch(/\(in 15 minutes\)\.$/);
  });

  it('while locked out, the passphrase is not checked at all', async () => {
    await newUser(t, 'dave');
    for (let i = 0; i < FREE_FAILURES; i++) await wrong('dave');
    // a stored hash that cannot be checked (its salt is empty): checking it would fail with KMSInternalException
    const unusable = JSON.stringify({ alg: 'argon2id', params: TEST_ARGON2, salt: '', hash: '' });
    sqlite(t, `UPDATE users SET passphrase = '${unusable}' WHERE user_name = 'dave'; UPDATE change_counter SET value = value + 1`);
    expect(await right('dave')).toMatch(/^Too many failed sign-ins/);
    expect(await wrong('dave')).toMatch(/^Too many failed sign-ins/);
    t.clock.now += LOCKOUT_MS;
    await refused(t.vault.service.signIn({ userName: 'dave', passphrase: passphraseOf('dave'), region: 'local-1', source: 'sdk' }), 'KMSInternalException');
  });

  it('unknown user names, and users of unknown tenants, are counted and answered exactly alike', async () => {
    await newUser(t, 'erin');
    const answers = async (who: () => Promise<string>) => {
      const out: string[] = [];
      for (let i = 0; i <= FREE_FAILURES; i++) out.push(await who());
      return out;
    };
    const start = t.clock.now;
    const known = await answers(() => wrong('erin'));
    const unknown = await answers(() => wrong('no-such-user'));
    const noTenant = await answers(() => wrong('admin', { tenant: 'no-such-tenant' }));
    const noAccount = await answers(() => wrong('admin', { tenant: '999999999999' }));
    expect(t.clock.now).toBe(start);
    expect(unknown).toEqual(known);
    expect(noTenant).toEqual(known);
    expect(noAccount).toEqual(known);
    expect(known.at(-1)).toMatch(/^Too many failed sign-ins/);
    // each name its own count: another unknown name is not locked out
    expect(await wrong('no-such-user-2')).toBe(SIGN_IN_FAILED);
    t.clock.now += LOCKOUT_MS;
  });

  it('the count is kept in the vault: another process sees the lockout, and the same vault opened again does', async () => {
    await newUser(t, 'frank');
    for (let i = 0; i < FREE_FAILURES; i++) await wrong('frank');
    const other = await t.reopen();
    const inOther = other.service.signIn({ userName: 'frank', passphrase: passphraseOf('frank'), region: 'local-1', source: 'desktop' });
    expect((await refused(inOther, 'AccessDeniedException')).message).toMatch(/^Too many failed sign-ins/);
    const reopened = await t.reopen();
    expect((await refused(reopened.service.signIn({ userName: 'frank', passphrase: passphraseOf('frank'), region: 'local-1', source: 'cli' }), 'AccessDeniedException')).message).toMatch(
      /^Too many failed sign-ins/,
    );
    t.clock.now += LOCKOUT_MS;
    expect(await right('frank')).toBe('ok');
  });

  it('a count with no failure for a day is forgotten', async () => {
    await newUser(t, 'gina');
    for (let i = 1; i < FREE_FAILURES; i++) await wrong('gina');
    t.clock.now += 24 * HOUR;
    expect(await wrong('gina')).toBe(SIGN_IN_FAILED);
    for (let i = 2; i < FREE_FAILURES; i++) expect(await wrong('gina')).toBe(SIGN_IN_FAILED);
    expect(await wrong('gina')).toMatch(/refused until/);
    t.clock.now += LOCKOUT_MS;
  });

  it('an administrator lifts a lockout at once by giving the user a new passphrase', async () => {
    await newUser(t, 'hank');
    for (let i = 0; i < FREE_FAILURES; i++) await wrong('hank');
    expect(await right('hank')).toMatch(/^Too many failed sign-ins/);
    await t.call('DeleteLoginProfile', { UserName: 'hank' });
    await t.call('CreateLoginProfile', { UserName: 'hank', Password: 'hank new passphrase' });
    expect(await attempt('hank', 'hank new passphrase')).toBe('ok');
  });

  it('guesses made in parallel get no more answers than the free failures', async () => {
    await newUser(t, 'ivan');
    const outcomes = await Promise.all(Array.from({ length: 24 }, () => wrong('ivan')));
    const told = outcomes.filter((m) => m.startsWith(SIGN_IN_FAILED));
    expect(told.length).toBeLessThanOrEqual(FREE_FAILURES);
    expect(outcomes.filter((m) => m.startsWith('Too many failed sign-ins')).length).toBe(outcomes.length - told.length);
    // the right passphrase, started while others were failing, is not confirmed either once the name is locked
    expect(await right('ivan')).toMatch(/^Too many failed sign-ins/);
    t.clock.now += MAX_LOCKOUT_MS;
    expect(await right('ivan')).toBe('ok');
  });

  it('a legitimate user\'s parallel sign-ins never count', async () => {
    await newUser(t, 'judy');
    const outcomes = await Promise.all(Array.from({ length: 3 * FREE_FAILURES }, () => right('judy')));
    expect(outcomes.every((o) => o === 'ok')).toBe(true);
    expect(sqlite(t, "SELECT count(*) FROM sign_in_failures WHERE user_name = 'judy'")).toBe('0');
  });
});

describe('the audit trail', () => {
  it('records every failed sign-in as a CloudTrail ConsoleLogin Failure: user, source, reason, never the passphrase', async () => {
    await newUser(t, 'kim');
    const secret = 'kim typed this secret instead';
    const before = (await signInRecords()).length;
    expect(await attempt('kim', secret)).toBe(SIGN_IN_FAILED);
    await t.vault.service.signIn({ userName: 'kim', passphrase: secret, region: 'local-1', source: 'desktop' }).catch(() => undefined);
    const records = (await signInRecords()).slice(before);
    expect(records).toHaveLength(2);
    const kimId = (await t.call('GetUser', { UserName: 'kim' })).User.UserId;
    expect(records[0]).toEqual({
      additionalEventData: { FailedSignIns: 1 },
      awsRegion: 'local-1',
      errorMessage: 'Failed authentication',
      eventID: expect.any(String),
      eventName: 'ConsoleLogin',
      eventSource: 'signin.strongroom.local',
      eventTime: iso(t.clock.now),
      eventType: 'AwsConsoleSignIn',
      eventVersion: '1.08',
      readOnly: false,
      recipientAccountId: t.admin.account,
      requestID: expect.any(String),
      requestParameters: null,
      resources: [],
      responseElements: { ConsoleLogin: 'Failure' },
      sourceType: 'sdk',
      userIdentity: { accountId: t.admin.account, arn: `arn:strongroom:iam::${t.admin.account}:user/kim`, principalId: kimId, type: 'IAMUser', userName: 'kim' },
    });
    expect(records[1]).toMatchObject({ sourceType: 'desktop', additionalEventData: { FailedSignIns: 2 } });
    expect(JSON.stringify(records)).not.toContain(secret);
    // found by user name, as any record of kim's
    expect((await t.call('LookupEvents', { UserName: 'kim' })).Events.map((e: { EventName: string }) => e.EventName)).toContain('ConsoleLogin');
    await right('kim');
  });

  it('names that are no user are hidden (they may be a passphrase typed in the wrong place), with the reason', async () => {
    const before = (await signInRecords()).length;
    await wrong('mySecretPassphrase');
    await wrong('admin', { tenant: 'no-such-tenant-at-all' });
    const [unknownUser, unknownTenant] = (await signInRecords()).slice(before);
    expect(unknownUser).toMatchObject({
      errorMessage: 'No username found in supplied account',
      recipientAccountId: t.admin.account,
      userIdentity: { accountId: t.admin.account, type: 'IAMUser', userName: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
    });
    // an unknown tenant's failures go to the operator tenant's trail, claiming no account
    expect(unknownTenant).toMatchObject({ errorMessage: 'No such tenant.', recipientAccountId: t.admin.account, userIdentity: { type: 'IAMUser', userName: 'HIDDEN_DUE_TO_SECURITY_REASONS' } });
    expect(unknownTenant.userIdentity.accountId).toBeUndefined();
    expect(JSON.stringify([unknownUser, unknownTenant])).not.toMatch(/mySecretPassphrase|no-such-tenant-at-all/);
  });

  it('a disabled user, a user with no login profile and a lockout each give their reason; a success is not recorded', async () => {
    await newUser(t, 'leo');
    await t.call('DisableUser', { UserName: 'leo' });
    await t.call('CreateUser', { UserName: 'mia' });
    const before = (await signInRecords()).length;
    expect(await right('leo')).toBe(SIGN_IN_FAILED);
    expect(await right('mia')).toBe(SIGN_IN_FAILED);
    await newUser(t, 'ned');
    for (let i = 0; i < FREE_FAILURES; i++) await wrong('ned');
    expect(await right('ned')).toMatch(/^Too many/);
    const records = (await signInRecords()).slice(before);
    expect(records.map((r) => [r.userIdentity.userName, r.errorMessage])).toEqual([
      ['leo', 'The user is disabled.'],
      ['mia', 'The user has no login profile (passphrase).'],
      ...Array.from({ length: FREE_FAILURES }, () => ['ned', 'Failed authentication']),
      ['ned', 'Locked out after too many failed sign-ins; the passphrase was not checked.'],
    ]);
    expect(records.at(-2).additionalEventData).toEqual({ FailedSignIns: FREE_FAILURES, LockedOutUntil: iso(t.clock.now + LOCKOUT_MS) });
    expect(records.at(-1).additionalEventData).toEqual({ FailedSignIns: 0, LockedOutUntil: iso(t.clock.now + LOCKOUT_MS) });
    t.clock.now += LOCKOUT_MS;
    const count = (await signInRecords()).length;
    expect(await right('ned')).toBe('ok');
    expect((await signInRecords()).length).toBe(count);
    expect((await t.call('VerifyEvents', {})).Valid).toBe(true);
  });

  it("a tenant's failures are in its own trail, not the operator's", async () => {
    const acme = await newTenant(t, 'acme-sign-in');
    const operatorBefore = (await signInRecords()).length;
    expect(await wrong('admin', { tenant: 'acme-sign-in' })).toBe(SIGN_IN_FAILED);
    expect((await signInRecords()).length).toBe(operatorBefore);
    const theirs = await signInRecords(acme);
    expect(theirs).toHaveLength(1);
    expect(theirs[0]).toMatchObject({ recipientAccountId: acme.account, userIdentity: { accountId: acme.account, userName: 'admin' } });
  });
});

describe('a failed sign-in whose record cannot be written', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strongroom-sign-in-audit-'));
    await initVault(dir, { custody: { kind: 'passphrase', passphrase: VAULT_PASSPHRASE }, adminPassphrase: ADMIN_PASSPHRASE, service: { argon2: TEST_ARGON2 } });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is KMSInternalException, logged, and a right passphrase still signs in', async () => {
    const failing: AuditTrail = { ...UNRECORDED, append: async () => Promise.reject(new Error('disk full')) };
    const logged: string[] = [];
    const vault = await openVault(dir, { vaultPassphrase: async () => VAULT_PASSPHRASE, service: { argon2: TEST_ARGON2, audit: () => failing, log: (m) => logged.push(m) } });
    try {
      const signIn = (passphrase: string) => vault.service.signIn({ userName: 'admin', passphrase, region: 'local-1', source: 'sdk' });
      const e = await refused(signIn('not the passphrase'), 'KMSInternalException');
      expect(e.message).toMatch(/audit record of this sign-in could not be written/);
      expect(logged.join('\n')).toMatch(/audit record of a failed sign-in could not be written/);
      expect((await signIn(ADMIN_PASSPHRASE)).userName).toBe('admin');
    } finally {
      await vault.close();
    }
  });
});
