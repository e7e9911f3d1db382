// The audit screen's filter logic (renderer/src/screens/audit/filters.ts):
// the LookupEvents input the form makes, the time range's checks, and the
// outcome read from an event's CloudTrail record.
import { describe, expect, it } from 'vitest';
import { CONTRACT } from '../../main/api/index.js';
import { lookupInput, matchesOutcome, NO_FILTERS, outcomeOf, PAGE_SIZE, rangeProblem, type AuditEvent } from '../../renderer/src/screens/audit/filters.js';

const event = (record: Record<string, unknown> | string): AuditEvent => ({
  EventId: 'e1',
  EventName: 'Decrypt',
  ReadOnly: 'true',
  EventTime: new Date(0),
  EventSource: 'kms.strongroom.local',
  Resources: [],
  CloudTrailEvent: typeof record === 'string' ? record : JSON.stringify(record),
});

describe('lookupInput', () => {
  it('leaves out empty and blank fields, and always asks for one page', () => {
    expect(lookupInput({ ...NO_FILTERS, userName: '   ' })).toEqual({ MaxResults: PAGE_SIZE });
  });

  it('trims text, reads local times as dates, passes the page token; the contract accepts it', () => {
    const input = lookupInput({ start: '2026-11-28T10:00', end: '2026-11-28T11:30', userName: ' carol ', eventName: 'CreateKey', keyId: 'alias/k', outcome: 'failure' }, 'tok');
    expect(input).toEqual({
      MaxResults: PAGE_SIZE,
      StartTime: new Date('2026-11-28T10:00'),
      EndTime: new Date('2026-11-28T11:30'),
      UserName: 'carol',
      EventName: 'CreateKey',
      KeyId: 'alias/k',
      NextToken: 'tok',
    });
    expect(CONTRACT.LookupEvents.input.safeParse(input).success).toBe(true);
  });
});

describe('rangeProblem', () => {
  it('accepts an open or ordered range and names a reversed one', () => {
    expect(rangeProblem(NO_FILTERS)).toBeUndefined();
    expect(rangeProblem({ ...NO_FILTERS, start: '2026-11-28T10:00', end: '2026-11-28T10:00' })).toBeUndefined();
    expect(rangeProblem({ ...NO_FILTERS, start: '2026-11-28T10:01', end: '2026-11-28T10:00' })).toBe('The start time is after the end time.');
    expect(rangeProblem({ ...NO_FILTERS, end: 'yesterday' })).toBe('The end time is not a date and time.');
  });
});

describe('outcome', () => {
  it('a record with an errorCode failed; one without (or with an empty one) succeeded', () => {
    expect(outcomeOf(event({ eventName: 'Decrypt', errorCode: 'AccessDeniedException' }))).toEqual({ kind: 'failure', errorCode: 'AccessDeniedException' });
    expect(outcomeOf(event({ eventName: 'Decrypt' }))).toEqual({ kind: 'success' });
    expect(outcomeOf(event({ eventName: 'Decrypt', errorCode: '' }))).toEqual({ kind: 'success' });
    expect(outcomeOf(event('{not json'))).toEqual({ kind: 'unreadable' });
  });

  it('filters by outcome; a record that is not JSON is neither, and only any keeps it', () => {
    const failed = event({ errorCode: 'NotFoundException' });
    const ok = event({});
    const garbled = event('{not json');
    expect([failed, ok, garbled].filter((e) => matchesOutcome(e, 'failure'))).toEqual([failed]);
    expect([failed, ok, garbled].filter((e) => matchesOutcome(e, 'success'))).toEqual([ok]);
    expect([failed, ok, garbled].filter((e) => matchesOutcome(e, 'any'))).toEqual([failed, ok, garbled]);
  });
});
