// The lookup columns of audit_events (migration 0002): what append copies
// out of each event beside its canonical JSON, so that lookups and the
// block index filter on columns instead of parsing every event, and what
// verify checks against the event (an edited column could hide a record
// from a filter). Shared by append, lookup, maintenance and verify.
import { primaryKeyArn, type AuditEvent } from '../../core/audit/event.js';

/** An account id: 12 digits. */
export const ACCOUNT = /^\d{12}$/;

export interface Columns {
  /** eventTime, epoch ms */
  time: number;
  name: string;
  user: string | null;
  /** the first resource's ARN */
  keyArn: string | null;
  /** the further resources' ARNs as a JSON array (NULL for almost every event) */
  otherKeyArns: string | null;
}

/** The columns copied out of an event for lookups; throws on an event that has no time or name. */
export function columnsOf(event: AuditEvent): Columns {
  const time = Date.parse(event.eventTime);
  if (!Number.isFinite(time)) throw new TypeError(`expected eventTime to be an ISO-8601 time, got ${JSON.stringify(event.eventTime)}`);
  if (typeof event.eventName !== 'string' || event.eventName === '') throw new TypeError('expected a non-empty eventName');
  const resources = Array.isArray(event.resources) ? event.resources : [];
  return {
    time,
    name: event.eventName,
    user: event.userIdentity?.userName ?? null,
    keyArn: primaryKeyArn(event),
    otherKeyArns: resources.length > 1 ? JSON.stringify(resources.slice(1).map((r) => r.ARN)) : null,
  };
}

/** SQLite stores text as UTF-8, turning lone surrogates into U+FFFD; the copy we compare with must too. */
export const wellFormed = (s: string | null): string | null => (s === null ? null : Buffer.from(s, 'utf8').toString('utf8'));

/** The further key ARNs of event row `e` (other_key_arns), as a table `alias` of json_each. */
export const OTHER_ARNS = (alias: string) => `json_each(CASE WHEN json_valid(e.other_key_arns) THEN e.other_key_arns ELSE '[]' END) ${alias}`;
