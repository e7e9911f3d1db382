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
