// GetKeyLastUsage (AWS KMS API Reference): the last successful cryptographic
// operation a key was used for.
//
// The answer is read from the audit trail, not kept beside it: every call is
// recorded before its result is returned (DESIGN §6), so the newest record
// of a successful cryptographic call on the key *is* its last use, and the
// answer can never disagree with the trail — CloudTrailEventId and
// KmsRequestId are that record's eventID and requestID, which `audit
// lookup-events` shows. A call the trail failed to record failed itself
// (fail closed), so it was never a use. Nothing is written on the hot path.
//
// What counts (AWS KeyLastUsageTrackingOperation): the successful calls of
// the twelve cryptographic operations, under their own names; the internal
// age ssh-rsa unwrap (kms/age-unwrap.ts) is a Decrypt with the key. ReEncrypt
// counts for both its keys, as AWS records it for each. A call counts for a
// key only where its response names that key as the one used (KeyId, or
// ReEncrypt's SourceKeyId), never because the key's ARN appears somewhere in
// its request (an encryption context value, say).
//
// TrackingStartDate: the trail begins with the tenant, so tracking began
// when the key was created, or at the tenant's first record if that is
// later (a vault whose keys predate its trail).
import { KEY_LAST_USAGE_OPERATIONS, type KeyLastUsageOperation } from '../../api/enums.js';
import type { AuditEvent } from '../audit/event.js';
import { keyArn } from '../codecs/arn.js';
import type { Handler } from '../service/operation.js';

/** Event name → the operation it counts as. */
const COUNTS_AS: ReadonlyMap<string, KeyLastUsageOperation> = new Map([
  ...KEY_LAST_USAGE_OPERATIONS.map((op) => [op, op] as const),
  ['DecryptAgeSshRsaStanza', 'Decrypt'] as const,
]);
const EVENT_NAMES = [...COUNTS_AS.keys()];
/** records read per page of the trail, newest first */
const PAGE = 1000;

/** The operation `event` used the key `arn` for, if it was a successful use of it. */
function useOf(event: AuditEvent, arn: string): KeyLastUsageOperation | undefined {
  const op = COUNTS_AS.get(event.eventName);
  if (op === undefined || event.errorCode !== undefined || event.eventType !== 'AwsApiCall') return undefined;
  const r = event.responseElements;
  return r !== null && (r['KeyId'] === arn || (op === 'ReEncrypt' && r['SourceKeyId'] === arn)) ? op : undefined;
}

export const GetKeyLastUsage: Handler<'GetKeyLastUsage'> = async (ctx, input) => {
  const key = await ctx.key(input.KeyId, { allowAlias: false });
  const arn = keyArn(key);
  const account = ctx.scope.account;
  const [first] = await ctx.audit.records(account, 0, 1);
  const trailStart = first ? Date.parse((JSON.parse(first.eventJson) as AuditEvent).eventTime) : ctx.now;
  let KeyLastUsage = {};
  let nextToken: string | undefined;
  search: do {
    const page = await ctx.audit.lookup(account, { keyArn: arn, eventNames: EVENT_NAMES, succeeded: true, limit: PAGE, ...(nextToken ? { nextToken } : {}) });
    for (const { event } of page.events) {
      const op = useOf(event, arn);
      if (op === undefined) continue;
      KeyLastUsage = { Operation: op, Timestamp: new Date(event.eventTime), CloudTrailEventId: event.eventID, KmsRequestId: event.requestID };
      break search;
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return { KeyId: arn, KeyLastUsage, TrackingStartDate: new Date(Math.max(key.createdAt, trailStart)), KeyCreationDate: new Date(key.createdAt) };
};
