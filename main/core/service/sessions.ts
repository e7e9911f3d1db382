// Sessions that outlive their process (issue 14, the CLI's `strongroom
// login`, as `aws sso login`): the passphrase is checked once (the ordinary
// sign-in, with its Argon2id work and its slowing of failures), and a token
// (session-token.ts) lets later processes act as the user until it expires,
// without the passphrase. Where the token is kept is the adapter's business
// (the CLI: the OS keychain); what it is worth is decided here, every time,
// from the token and the vault's own rows:
//   - the token must be this vault's (its MAC, under a key below the master
//     key) and name the tenant and user it is used for;
//   - it must not have expired (ExpiredTokenException, as STS says);
//   - its tenant must be enabled, its user exist (the same user: same id) and
//     be enabled, and its passphrase be the one it had at login, read from
//     rows whose MACs are checked (core/integrity), so editing the database
//     file cannot bring back a disabled user or a changed passphrase.
// The same checks run again before every call of every session, in this
// process or another (liveSession, used by Service.#run), so a session also
// ends while a process is running.
//
// Audit (DESIGN §6): a login (ConsoleLogin Success, with the session id and
// expiry), a logout (Logout), and every refused resumption (ConsoleLogin
// Failure, with why) are recorded in the tenant's trail; every call made in
// a session carries its id as userIdentity.accessKeyId (call-record.ts).
// Resumptions that succeed are not recorded on their own: the call they are
// for is, with the session id.
import type { KeyObject } from 'node:crypto';
import { buildSessionEvent, type SessionEvent } from '../audit/sign-in-event.js';
import { userArn } from '../codecs/arn.js';
import { accessDenied, KmsError, toKmsError } from '../errors.js';
import { checkSessionDuration } from './session-duration.js';
import type { TenantRecord, UserRecord } from '../model.js';
import type { Caller, CallSource } from './caller.js';
import type { AuditTrail, VaultRepository } from './ports.js';
import { credentialBinding, newSessionId, signSessionToken, vaultUrn, verifySessionToken, type SessionClaims } from './session-token.js';

/** What a session of `caller` must still match before each call (the service's per-caller state). */
export interface SessionState {
  /** the user's id at sign-in */
  userId: string;
  /**
   * credentialBinding of the user's passphrase hash at sign-in: once the
   * passphrase is changed, reset or removed, the session ends — but for the
   * session that made the change itself (OpContext.passphraseChanged)
   */
  credential: string;
  /** a login session (started by startSession or resumed from its token): its id and when it expires (epoch ms) */
  token?: { id: string; expiresAt: number };
}

const passphraseOf = (user: UserRecord): string | null => user.passphrase?.hash ?? null;

/** What a session is bound to of `user`'s passphrase (session-token.ts credentialBinding). */
export const credentialOf = (user: UserRecord): string => credentialBinding(passphraseOf(user));

/**
 * The tenant and user of a session that can still act; throws the KmsError
 * that says why it cannot. Run before every call and when a token is resumed.
 */
export function liveSession(
  caller: Caller,
  session: SessionState,
  tenant: TenantRecord | undefined,
  user: UserRecord | undefined,
  now: number,
): { tenant: TenantRecord; user: UserRecord } {
  if (session.token && now >= session.token.expiresAt) {
    throw new KmsError('ExpiredTokenException', `The session ${session.token.id} of ${caller.arn} expired at ${new Date(session.token.expiresAt).toISOString()}: run \`strongroom login\` again.`);
  }
  if (!tenant || tenant.state !== 'Enabled') throw accessDenied(`Account ${caller.account} is disabled.`);
  if (!user || user.disabled || user.userId !== session.userId) throw accessDenied(`${caller.arn} is disabled or no longer exists.`);
  if (credentialOf(user) !== session.credential) throw accessDenied(`The passphrase of ${caller.arn} was changed or removed after this session signed in: sign in again.`);
  return { tenant, user };
}

/** The vault's session key and id; a service without one keeps no sessions beyond its process. */
export interface SessionKey {
  vaultId: string;
  key: KeyObject;
}

interface SessionServices {
  repo: VaultRepository;
  audit: AuditTrail;
  clock: () => number;
  log: (message: string, error?: unknown) => void;
  sessionKey: SessionKey | undefined;
}

/** A started session: its token (for the adapter to keep where only the user can read it), id and expiry. */
export interface StartedSession {
  token: string;
  sessionId: string;
  /** epoch ms */
  expiresAt: number;
}

/** Where a resumed token is used: the tenant and user the adapter looked it up for, the region and source of its calls. */
export interface ResumeRequest {
  account: string;
  userName: string;
  region: string;
  source: CallSource;
}

export class LoginSessions {
  readonly #s: SessionServices;

  constructor(services: SessionServices) {
    this.#s = services;
  }

  #key(): SessionKey {
    const k = this.#s.sessionKey;
    if (!k) throw new KmsError('UnsupportedOperationException', 'This vault keeps no sessions beyond one command.');
    return k;
  }

  /** Refuses a duration out of bounds, or a vault that keeps no sessions. */
  check(durationSeconds: number): void {
    this.#key();
    checkSessionDuration(durationSeconds);
  }

  /** Starts a session for a user just signed in (the caller has checked the passphrase), and records it. */
  async start(caller: Caller, user: UserRecord, durationSeconds: number): Promise<StartedSession> {
    const { vaultId, key } = this.#key();
    checkSessionDuration(durationSeconds);
    const now = this.#s.clock();
    const iat = Math.floor(now / 1000);
    const claims: SessionClaims = {
      iss: vaultUrn(vaultId),
      sub: user.userId,
      jti: newSessionId(),
      iat,
      exp: iat + durationSeconds,
      acct: caller.account,
      name: user.userName,
      cred: credentialOf(user),
    };
    const started = { token: signSessionToken(key, claims), sessionId: claims.jti, expiresAt: claims.exp * 1000 };
    await this.#record({ kind: 'login', time: now, region: caller.region, account: caller.account, user: identity(user), source: caller.source, sessionId: claims.jti, expiresAt: started.expiresAt });
    return started;
  }

  /**
   * The tenant, user and claims of a token still good for `req`'s tenant and
   * user, or a KmsError after the refusal is recorded: AccessDeniedException,
   * or ExpiredTokenException. A token refused is worth nothing again (the
   * adapter may delete it): a refusal never depends on anything that could
   * come back but the expiry, which does not.
   */
  async resume(token: string, req: ResumeRequest): Promise<{ tenant: TenantRecord; user: UserRecord; state: SessionState }> {
    const { repo, clock } = this.#s;
    const { vaultId, key } = this.#key();
    await repo.refresh();
    const now = clock();
    const claims = verifySessionToken(key, token);
    const caller: Caller = { account: req.account, region: req.region, userName: req.userName, arn: userArn(req.account, req.userName), source: req.source };
    const refuse = async (error: KmsError, sessionId: string | undefined, user: UserRecord | undefined): Promise<never> => {
      await this.#record({ kind: 'refused', time: now, region: req.region, account: req.account, user: user && identity(user), source: req.source, sessionId, reason: error.message });
      throw error;
    };
    if (!claims || claims.iss !== vaultUrn(vaultId) || claims.acct !== req.account || claims.name !== req.userName) {
      const named = await repo.user(req.account, req.userName).catch(() => undefined);
      return refuse(accessDenied(`The stored session is not a session of ${caller.arn} in this vault: run \`strongroom login\` again.`), undefined, named);
    }
    const tenant = await repo.tenant(req.account);
    let user: UserRecord | undefined;
    try {
      user = await repo.user(req.account, req.userName);
    } catch (e) {
      // a user row that fails its integrity check (KMSInternalException, naming it), as in sign-in
      return refuse(toKmsError(e), claims.jti, undefined);
    }
    const state: SessionState = { userId: claims.sub, credential: claims.cred, token: { id: claims.jti, expiresAt: claims.exp * 1000 } };
    try {
      return { ...liveSession(caller, state, tenant, user, now), state };
    } catch (e) {
      return refuse(toKmsError(e), claims.jti, user?.userId === claims.sub ? user : undefined);
    }
  }

  /** Records the end of the session a token names (logout); undefined when the token is not this vault's (nothing is recorded). */
  async end(token: string, region: string, source: CallSource): Promise<{ sessionId: string } | undefined> {
    const claims = verifySessionToken(this.#key().key, token);
    if (!claims || claims.iss !== vaultUrn(this.#key().vaultId)) return undefined;
    const user = await this.#s.repo.user(claims.acct, claims.name).catch(() => undefined);
    const known = user?.userId === claims.sub ? user : undefined;
    await this.#record({
      kind: 'logout',
      time: this.#s.clock(),
      region,
      account: claims.acct,
      user: known ? identity(known) : { account: claims.acct, arn: userArn(claims.acct, claims.name), userId: claims.sub, userName: claims.name },
      source,
      sessionId: claims.jti,
    });
    return { sessionId: claims.jti };
  }

  async #record(event: SessionEvent): Promise<void> {
    if (!(await this.#s.repo.tenant(event.account).catch(() => undefined))) return; // no such tenant: no trail to write to
    try {
      await this.#s.audit.append(event.account, buildSessionEvent(event));
    } catch (e) {
      this.#s.log('the audit record of a session could not be written', e);
      throw new KmsError('KMSInternalException', 'The audit record of this session could not be written, so it was refused; see the Strongroom log.');
    }
  }
}

function identity(user: UserRecord): { account: string; arn: string; userId: string; userName: string } {
  return { account: user.account, arn: userArn(user.account, user.userName), userId: user.userId, userName: user.userName };
}
