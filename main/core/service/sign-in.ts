// Signing in (DESIGN §5, §6; issue 9): who gets in, what a failure leaves
// behind, and how repeated failures are slowed.
//
// One answer for every failure. Unknown tenant, unknown user, no login
// profile, disabled user or tenant, wrong passphrase: the same
// AccessDeniedException after the same Argon2id work (~250 ms at the
// production cost), so the answer tells nothing and each guess costs.
//
// Every failure is recorded, in the trail of the tenant signed in to, or the
// operator tenant's when no such tenant exists (as calls that are not signed
// in are), as CloudTrail records a failed console sign-in
// (audit/sign-in-event.ts): user, source, reason, never the passphrase. A
// failure whose record cannot be written is KMSInternalException, as any
// call whose record cannot be written (fail closed). Successful sign-ins
// are not recorded: every call a session makes is recorded with its user
// and source, and the CLI signs in once per command, so a ConsoleLogin
// record would precede each command's own. (A `strongroom login`, which
// starts a session later commands resume, is recorded: sessions.ts.)
//
// Slowing down. Failures are counted per tenant and user name in the vault
// (table sign_in_failures, so the count survives restarts and the CLI and
// the desktop app share it), for names that exist and names that do not
// alike, so the counting tells nothing either. The first FREE_FAILURES
// failures in a row cost only the Argon2id work; each further failure locks
// the name out for LOCKOUT_MS, doubling from one failure to the next, up to
// MAX_LOCKOUT_MS. While a name is locked out, a sign-in under it is refused
// at once, unchecked, with a message saying when to try again. A successful
// sign-in clears the count; so does an administrator giving the user a new
// passphrase (CreateLoginProfile, UpdateLoginProfile with a Password); a
// count with no failure for a day is forgotten.
//
// Parallel guesses. The lock is checked before the passphrase, and again
// once it has been checked: an attempt that was already running when other
// failures locked the name is answered "locked out" whatever its
// passphrase, so starting many guesses at once yields no more answers than
// making them one by one. The passphrase of a legitimate user's parallel
// sign-ins is right, so they never count.
import type { Caller, CallSource } from './caller.js';
import { buildSignInFailureEvent } from '../audit/sign-in-event.js';
import { hashPassphrase, verifyPassphrase, type Argon2Params, type PassphraseHash } from '../crypto/argon2.js';
import { accessDenied, isKmsError, KmsError, toKmsError } from '../errors.js';
import type { SignInFailureRecord, TenantRecord, UserRecord } from '../model.js';
import { IamName } from '../../api/fields.js';
import type { AuditTrail, SignInFailuresTx, VaultRepository } from './ports.js';
import { userArn } from '../codecs/arn.js';
import { tenantNamed } from './tenancy.js';

export interface SignInRequest {
  /** account id or tenant name; default: the first tenant */
  tenant?: string;
  userName: string;
  passphrase: string;
  region: string;
  source: CallSource;
}

/** Failures in a row that cost nothing but the Argon2id work. */
export const FREE_FAILURES = 5;
/** The lockout after the first failure past the free ones; it doubles with each further failure. */
export const LOCKOUT_MS = 30_000;
export const MAX_LOCKOUT_MS = 15 * 60_000;
/** A count with no failure for this long starts again from zero. */
const FORGET_AFTER_MS = 24 * 60 * 60_000;

/** How long a name is locked out after its `failures`-th failure in a row: 0, …, 0, 30 s, 1 min, 2 min, … 15 min. */
function lockoutAfter(failures: number): number {
  return failures < FREE_FAILURES ? 0 : Math.min(LOCKOUT_MS * 2 ** (failures - FREE_FAILURES), MAX_LOCKOUT_MS);
}

/** The generic refusal: it says nothing about which part was wrong. */
export const SIGN_IN_FAILED = 'Sign-in failed: unknown tenant or user, or wrong passphrase.';

interface SignInServices {
  repo: VaultRepository;
  audit: AuditTrail;
  clock: () => number;
  /** the Argon2id cost of the dummy hash checked for unknown users: the service's cost for new passphrases */
  argon2: Argon2Params;
  log: (message: string, error?: unknown) => void;
}

export class SignIn {
  readonly #s: SignInServices;
  #dummyHash: Promise<PassphraseHash> | undefined;

  constructor(services: SignInServices) {
    this.#s = services;
  }

  /** The tenant and user a request signs in as, or an AccessDeniedException after the failure is counted and recorded. */
  async authenticate(req: SignInRequest): Promise<{ tenant: TenantRecord; user: UserRecord }> {
    try {
      return await this.#authenticate(req);
    } catch (e) {
      // a broken row or store: logged here, KMSInternalException to the caller (never its text)
      if (!isKmsError(e)) this.#s.log('sign-in failed', e);
      throw toKmsError(e);
    }
  }

  async #authenticate(req: SignInRequest): Promise<{ tenant: TenantRecord; user: UserRecord }> {
    const { repo, clock } = this.#s;
    await repo.refresh();
    const started = clock();
    const tenant = await tenantNamed(repo, req.tenant);
    const counted = countedAs(tenant, req);
    const before = await repo.signInFailures(counted.tenant, counted.userName);
    // A user row that fails its integrity check (core/integrity/row-mac.ts) is not used, not even to name the user in the record.
    const readUser = () => (tenant ? repo.user(tenant.account, req.userName) : Promise.resolve(undefined));
    if (before && before.lockedUntil > started) {
      // neither the passphrase nor the user row is looked at while locked out
      const named = await readUser().catch(() => undefined);
      await this.#record(req, tenant, named, started, 'Locked out after too many failed sign-ins; the passphrase was not checked.', 0, before.lockedUntil);
      throw lockedOut(before.lockedUntil, started);
    }
    let user: UserRecord | undefined;
    try {
      user = await readUser();
    } catch (e) {
      await this.#record(req, tenant, undefined, started, isKmsError(e) ? e.message : SIGN_IN_FAILED, 0, undefined);
      throw e;
    }
    // An empty passphrase is simply wrong; it still costs the same Argon2id work.
    const right = (await verifyPassphrase(req.passphrase || '\0', user?.passphrase ?? (await this.#dummy()))) && req.passphrase.length > 0;
    const reason = refusal(tenant, user, right);
    const now = clock();
    if (reason === undefined && tenant && user) {
      const after = await repo.signInFailures(counted.tenant, counted.userName);
      if (after && after.lockedUntil > now) {
        // locked by other attempts while this one was checked: not told (see the top of this file)
        await this.#record(req, tenant, user, started, 'Locked out by failed sign-ins made while this one was checked.', 0, after.lockedUntil);
        throw lockedOut(after.lockedUntil, now);
      }
      if (after) await repo.writeSignInFailures((tx) => tx.deleteSignInFailures(counted.tenant, counted.userName));
      return { tenant, user };
    }
    const { record, lockedBefore } = await repo.writeSignInFailures((tx) => countFailure(tx, counted, now));
    await this.#record(req, tenant, user, started, reason ?? SIGN_IN_FAILED, record.failures, record.lockedUntil > now ? record.lockedUntil : undefined);
    if (lockedBefore) throw lockedOut(record.lockedUntil, now);
    if (record.lockedUntil > now) {
      throw accessDenied(`${SIGN_IN_FAILED} After ${record.failures} failed sign-ins in a row, sign-in under this user name is refused until ${when(record.lockedUntil, now)}.`);
    }
    throw accessDenied(SIGN_IN_FAILED);
  }

  async #record(req: SignInRequest, tenant: TenantRecord | undefined, user: UserRecord | undefined, time: number, reason: string, failures: number, lockedUntil: number | undefined): Promise<void> {
    const account = tenant?.account ?? (await this.#s.repo.firstTenant())?.account;
    if (!account) return; // a vault with no tenant has no trail (and no one to sign in as)
    const event = buildSignInFailureEvent({
      time,
      region: req.region,
      account,
      user: user && { account: user.account, arn: userArn(user.account, user.userName), userId: user.userId, userName: user.userName },
      tenantKnown: tenant !== undefined,
      source: req.source,
      reason,
      failures,
      lockedUntil,
    });
    try {
      await this.#s.audit.append(account, event);
    } catch (e) {
      this.#s.log('the audit record of a failed sign-in could not be written', e);
      throw new KmsError('KMSInternalException', 'The audit record of this sign-in could not be written, so it was refused; see the Strongroom log.');
    }
  }

  #dummy(): Promise<PassphraseHash> {
    this.#dummyHash ??= hashPassphrase('strongroom-no-such-user', this.#s.argon2);
    return this.#dummyHash;
  }
}

/**
 * Lifts a user's lockout: an administrator gave the user a new passphrase
 * (CreateLoginProfile, UpdateLoginProfile), which is the remedy when
 * someone has been guessing.
 */
export function clearSignInFailures(tx: SignInFailuresTx, account: string, userName: string): Promise<void> {
  return tx.deleteSignInFailures(account, userName);
}

/** The signed-in principal a Caller names. */
export function callerOf(tenant: TenantRecord, user: UserRecord, req: Pick<SignInRequest, 'region' | 'source'>): Caller {
  return Object.freeze({ account: tenant.account, region: req.region, userName: user.userName, arn: userArn(tenant.account, user.userName), source: req.source });
}

/** Why a sign-in is refused (the audit record's errorMessage; CloudTrail's wording where it has one), or undefined when it is not. */
function refusal(tenant: TenantRecord | undefined, user: UserRecord | undefined, rightPassphrase: boolean): string | undefined {
  if (!tenant) return 'No such tenant.';
  if (!user) return 'No username found in supplied account';
  if (!user.passphrase) return 'The user has no login profile (passphrase).';
  if (!rightPassphrase) return 'Failed authentication';
  if (user.disabled) return 'The user is disabled.';
  if (tenant.state !== 'Enabled') return 'The tenant is disabled.';
  return undefined;
}

/**
 * The name a request's failures count under: the tenant's account (or "?"
 * and the tenant as named, when there is none), and the user name (names
 * that cannot be user names share one count, so junk cannot fill the table).
 */
function countedAs(tenant: TenantRecord | undefined, req: SignInRequest): { tenant: string; userName: string } {
  const named = req.tenant === undefined ? '' : req.tenant.length <= 64 ? req.tenant : '(too long)';
  return {
    tenant: tenant ? tenant.account : `?${named}`,
    userName: IamName.safeParse(req.userName).success ? req.userName : '(not a user name)',
  };
}

/** Counts one failure (and forgets counts a day old): the new record, and whether the name was already locked out by others. */
async function countFailure(tx: SignInFailuresTx, counted: { tenant: string; userName: string }, now: number): Promise<{ record: SignInFailureRecord; lockedBefore: boolean }> {
  await tx.forgetSignInFailures(now - FORGET_AFTER_MS);
  const prev = await tx.signInFailures(counted.tenant, counted.userName);
  const failures = (prev?.failures ?? 0) + 1;
  const record: SignInFailureRecord = { ...counted, failures, lastFailureAt: now, lockedUntil: now + lockoutAfter(failures) };
  await tx.putSignInFailures(record);
  return { record, lockedBefore: prev !== undefined && prev.lockedUntil > now };
}

function lockedOut(until: number, now: number): KmsError {
  return accessDenied(
    `Too many failed sign-ins under this user name: sign-in is refused until ${when(until, now)}. Try again then, or ask an administrator to give the user a new passphrase, which lifts the lock.`,
  );
}

/** "2026-11-28T12:00:30.000Z (in 30 seconds)" */
function when(until: number, now: number): string {
  const s = Math.ceil((until - now) / 1000);
  const inWords = s === 1 ? '1 second' : s < 120 ? `${s} seconds` : `${Math.ceil(s / 60)} minutes`;
  return `${new Date(until).toISOString()} (in ${inWords})`;
}
