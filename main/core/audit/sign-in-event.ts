// The audit record of a failed sign-in, shaped as CloudTrail records console
// sign-ins (CloudTrail User Guide, "AWS console sign-in events"):
// eventSource signin.<domain>, eventName ConsoleLogin, eventType
// AwsConsoleSignIn, requestParameters null, responseElements
// {"ConsoleLogin": "Failure"}, and the reason in errorMessage (CloudTrail's
// own wording where it has one: "Failed authentication", "No username found
// in supplied account"). Like CloudTrail, a user name that names no user is
// written as HIDDEN_DUE_TO_SECURITY_REASONS: people type their passphrase
// into the user name by mistake, and the trail must never hold one.
// additionalEventData counts the failures in a row and says until when the
// name is locked out (core/service/sign-in.ts).
import { randomUUID } from 'node:crypto';
import { EVENT_SOURCE_DOMAIN, EVENT_VERSION, type AuditEvent, type JsonObject, type SourceType, type UserIdentity } from './event.js';

const HIDDEN_USER_NAME = 'HIDDEN_DUE_TO_SECURITY_REASONS';

interface SignInFailure {
  /** when the attempt began, epoch ms */
  time: number;
  region: string;
  /** the trail it goes to: the tenant signed in to, or the operator tenant's when that tenant does not exist */
  account: string;
  /** the user, when the tenant and a user of that name exist */
  user: { account: string; arn: string; userId: string; userName: string } | undefined;
  /** the tenant exists (the user name is then that tenant's, whether or not such a user exists) */
  tenantKnown: boolean;
  source: SourceType;
  reason: string;
  /** consecutive failures under this name, this one included (0 when this attempt was refused unchecked) */
  failures: number;
  /** until when further attempts are refused unchecked, if they are */
  lockedUntil: number | undefined;
}

/** The ConsoleLogin Failure record; members in canonical (RFC 8785) order, as buildEvent writes them. */
export function buildSignInFailureEvent(f: SignInFailure): AuditEvent {
  const u = f.user;
  const userIdentity: UserIdentity = u
    ? { accountId: u.account, arn: u.arn, principalId: u.userId, type: 'IAMUser', userName: u.userName }
    : f.tenantKnown
      ? { accountId: f.account, type: 'IAMUser', userName: HIDDEN_USER_NAME }
      : { type: 'IAMUser', userName: HIDDEN_USER_NAME };
  const additionalEventData: JsonObject = { FailedSignIns: f.failures };
  if (f.lockedUntil !== undefined) additionalEventData.LockedOutUntil = new Date(f.lockedUntil).toISOString();
  return {
    additionalEventData,
    awsRegion: f.region,
    errorMessage: f.reason,
    eventID: randomUUID(),
    eventName: 'ConsoleLogin',
    eventSource: `signin.${EVENT_SOURCE_DOMAIN}`,
    eventTime: new Date(f.time).toISOString(),
    eventType: 'AwsConsoleSignIn',
    eventVersion: EVENT_VERSION,
    readOnly: false,
    recipientAccountId: f.account,
    requestID: randomUUID(),
    requestParameters: null,
    resources: [],
    responseElements: { ConsoleLogin: 'Failure' },
    sourceType: f.source,
    userIdentity,
  };
}

/**
 * What happened to a session that outlives its process (the CLI's
 * `strongroom login`, core/service/sessions.ts): started (ConsoleLogin
 * Success: the passphrase was checked), ended (Logout, as IAM Identity Center
 * records a sign-out), or refused when a later process tried to resume it
 * (ConsoleLogin Failure: expired, user disabled or deleted, passphrase
 * changed, not a session of this vault). The session id is the
 * userIdentity's accessKeyId, as it is in the record of every call the
 * session makes, so an auditor can follow one session from login to logout.
 */
export interface SessionEvent {
  kind: 'login' | 'logout' | 'refused';
  time: number;
  region: string;
  account: string;
  /** the user, when known (a refused token that names no user of the tenant: undefined) */
  user: { account: string; arn: string; userId: string; userName: string } | undefined;
  source: SourceType;
  /** undefined only for a refused token that is not one of this vault's */
  sessionId: string | undefined;
  /** login: when the session expires */
  expiresAt?: number;
  /** refused: why */
  reason?: string;
}

export function buildSessionEvent(s: SessionEvent): AuditEvent {
  const u = s.user;
  const key = s.sessionId !== undefined ? { accessKeyId: s.sessionId } : {};
  const userIdentity: UserIdentity = u
    ? { ...key, accountId: u.account, arn: u.arn, principalId: u.userId, type: 'IAMUser', userName: u.userName }
    : { ...key, accountId: s.account, type: 'IAMUser', userName: HIDDEN_USER_NAME };
  const additionalEventData: JsonObject = { LoginTo: 'strongroom login' };
  if (s.sessionId !== undefined) additionalEventData.SessionId = s.sessionId;
  if (s.expiresAt !== undefined) additionalEventData.SessionExpiration = new Date(s.expiresAt).toISOString();
  return {
    additionalEventData,
    awsRegion: s.region,
    ...(s.kind === 'refused' ? { errorMessage: s.reason ?? 'The session was refused.' } : {}),
    eventID: randomUUID(),
    eventName: s.kind === 'logout' ? 'Logout' : 'ConsoleLogin',
    eventSource: `signin.${EVENT_SOURCE_DOMAIN}`,
    eventTime: new Date(s.time).toISOString(),
    eventType: 'AwsConsoleSignIn',
    eventVersion: EVENT_VERSION,
    readOnly: false,
    recipientAccountId: s.account,
    requestID: randomUUID(),
    requestParameters: null,
    resources: [],
    responseElements: s.kind === 'logout' ? null : { ConsoleLogin: s.kind === 'login' ? 'Success' : 'Failure' },
    sourceType: s.source,
    userIdentity,
  };
}
