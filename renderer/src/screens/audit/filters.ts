// The audit screen's filters: what the form holds (strings, as typed), the
// LookupEvents input they make, and the outcome of an event. LookupEvents
// filters by time, event name, user and key on the service; it has no
// outcome filter, so outcome is read here from each event's CloudTrail JSON
// (errorCode present = failed, as in CloudTrail) and filters the page
// shown. A page filtered by outcome may therefore show fewer rows than it
// fetched; the pager still moves by the service's pages.
import type { InputOf, OutputOf } from '../../../../main/api/index.js';

export type AuditEvent = OutputOf<'LookupEvents'>['Events'][number];
export type Outcome = 'any' | 'success' | 'failure';

export interface AuditFilters {
  /** datetime-local values (local time), or '' */
  start: string;
  end: string;
  userName: string;
  eventName: string;
  keyId: string;
  outcome: Outcome;
}

export const NO_FILTERS: AuditFilters = { start: '', end: '', userName: '', eventName: '', keyId: '', outcome: 'any' };
export const PAGE_SIZE = 50;

/** The LookupEvents input for these filters and a page token; empty fields are left out. */
export function lookupInput(f: AuditFilters, nextToken?: string): InputOf<'LookupEvents'> {
  const text = (s: string) => (s.trim() === '' ? undefined : s.trim());
  const time = (s: string) => (s === '' ? undefined : new Date(s));
  const input: InputOf<'LookupEvents'> = { MaxResults: PAGE_SIZE };
  const start = time(f.start);
  const end = time(f.end);
  if (start) input.StartTime = start;
  if (end) input.EndTime = end;
  if (text(f.userName)) input.UserName = text(f.userName);
  if (text(f.eventName)) input.EventName = text(f.eventName);
  if (text(f.keyId)) input.KeyId = text(f.keyId);
  if (nextToken) input.NextToken = nextToken;
  return input;
}

/** A problem with the time range, or undefined. */
export function rangeProblem(f: AuditFilters): string | undefined {
  if (f.start && Number.isNaN(new Date(f.start).getTime())) return 'The start time is not a date and time.';
  if (f.end && Number.isNaN(new Date(f.end).getTime())) return 'The end time is not a date and time.';
  if (f.start && f.end && new Date(f.start) > new Date(f.end)) return 'The start time is after the end time.';
  return undefined;
}

/** The event's CloudTrail record as an object (undefined if it is not JSON, which the verification would name). */
export function cloudTrail(event: AuditEvent): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(event.CloudTrailEvent);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** success, the error's name (CloudTrail's errorCode) for a failed call, or unreadable (not JSON: neither outcome is claimed). */
export type EventOutcome = { kind: 'success' } | { kind: 'failure'; errorCode: string } | { kind: 'unreadable' };

export function outcomeOf(event: AuditEvent): EventOutcome {
  const record = cloudTrail(event);
  if (!record) return { kind: 'unreadable' };
  const code = record.errorCode;
  return typeof code === 'string' && code !== '' ? { kind: 'failure', errorCode: code } : { kind: 'success' };
}

/** An unreadable record matches only "any". */
export function matchesOutcome(event: AuditEvent, outcome: Outcome): boolean {
  return outcome === 'any' || outcomeOf(event).kind === outcome;
}
