// LookupEvents over the stored trail: an account's records newest first,
// filtered like CloudTrail's LookupEvents (time range, event name, user
// name, resource) and paged with a NextToken. Filters are applied exactly
// to the lookup columns (columns.ts); the block index that maintenance
// writes (maintenance.ts) only decides which ranges of records to read, and
// the records after the last block are always read, so a lookup never waits
// for the index.
import { validation } from '../../core/errors.js';
import type { AuditEvent } from '../../core/audit/event.js';
import type { AuditLookup } from '../../core/service/ports.js';
import type { Database, SqlValue } from '../sqlite.js';
import { OTHER_ARNS } from './columns.js';

/** The filters of AuditTrail.lookup (core/service/ports.ts). */
export type LookupFilters = AuditLookup;

export interface LookupResult {
  /** newest first */
  events: { seq: number; event: AuditEvent }[];
  nextToken?: string;
}

function toMs(t: Date | number | string, what: string): number {
  const ms = t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t);
  if (!Number.isFinite(ms)) throw validation(`${what} is not a valid time: use ISO-8601 (2026-11-28T12:00:00Z) or epoch milliseconds.`);
  return ms;
}

const encodeToken = (account: string, seq: number) => Buffer.from(`audit/1:${account}:${seq}`).toString('base64url');
function decodeToken(account: string, token: string): number {
  const m = /^audit\/1:(\d{12}):(\d{1,16})$/.exec(Buffer.from(token, 'base64url').toString());
  if (!m || m[1] !== account) throw validation('The NextToken is not valid: pass the NextToken of the previous response unchanged.');
  return Number(m[2]);
}

/** GLOB has no escape character; a bracket expression matches a special character literally. */
const globLiteral = (s: string) => s.replace(/[*?[]/g, (c) => `[${c}]`);

/**
 * Records of an account, newest first, like CloudTrail LookupEvents.
 * Filters combine with AND and are applied exactly; the block index only
 * decides which records need reading.
 */
export async function lookupEvents(db: Database, account: string, filters: LookupFilters = {}): Promise<LookupResult> {
  const limit = filters.limit ?? 50;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) throw validation('limit must be an integer from 1 to 1000.');
  const start = filters.startTime === undefined ? undefined : toMs(filters.startTime, 'startTime');
  const end = filters.endTime === undefined ? undefined : toMs(filters.endTime, 'endTime');
  const before = filters.nextToken === undefined ? Number.MAX_SAFE_INTEGER : decodeToken(account, filters.nextToken);

  // exact filters on the records, and the block index entries that can satisfy them
  const where: string[] = [];
  const params: SqlValue[] = [];
  const attributes: { attribute: string; op: '=' | 'GLOB' | 'IN'; value: string | readonly string[] }[] = [];
  if (filters.eventName !== undefined) {
    where.push('e.event_name = ?');
    params.push(filters.eventName);
    attributes.push({ attribute: 'EventName', op: '=', value: filters.eventName });
  }
  if (filters.eventNames !== undefined) {
    if (filters.eventNames.length === 0) return { events: [] };
    where.push(`e.event_name IN (${filters.eventNames.map(() => '?').join(', ')})`);
    params.push(...filters.eventNames);
    attributes.push({ attribute: 'EventName', op: 'IN', value: filters.eventNames });
  }
  if (filters.succeeded) where.push("json_extract(e.event_json, '$.errorCode') IS NULL");
  if (filters.userName !== undefined) {
    where.push('e.user_name = ?');
    params.push(filters.userName);
    attributes.push({ attribute: 'Username', op: '=', value: filters.userName });
  }
  if (filters.keyArn !== undefined) {
    let pattern: string;
    if (filters.keyArn.startsWith('arn:')) pattern = globLiteral(filters.keyArn);
    else if (/^[0-9A-Za-z-]{1,128}$/.test(filters.keyArn)) pattern = `*:key/${filters.keyArn}`;
    else return { events: [] };
    where.push(`(e.key_arn GLOB ? OR (e.other_key_arns IS NOT NULL AND EXISTS (SELECT 1 FROM ${OTHER_ARNS('j')} WHERE j.value GLOB ?)))`);
    params.push(pattern, pattern);
    attributes.push({ attribute: 'ResourceName', op: 'GLOB', value: pattern });
  }
  if (start !== undefined) {
    where.push('e.event_time >= ?');
    params.push(start);
  }
  if (end !== undefined) {
    where.push('e.event_time <= ?');
    params.push(end);
  }

  // which seq ranges to read, newest first
  let ranges: [number, number][] = [[1, before - 1]];
  if (where.length > 0) {
    const blocks = await db.all<{ from_seq: number; to_seq: number; min_time: number; max_time: number }>(
      'SELECT from_seq, to_seq, min_time, max_time FROM audit_blocks WHERE account = ? ORDER BY from_seq',
      [account],
    );
    const indexedTo = blocks.reduce((m, b) => Math.max(m, b.to_seq), 0);
    let candidates = blocks.filter((b) => (start === undefined || b.max_time >= start) && (end === undefined || b.min_time <= end));
    for (const a of attributes) {
      if (candidates.length === 0) break;
      const values = typeof a.value === 'string' ? [a.value] : a.value;
      const match = a.op === 'IN' ? `IN (${values.map(() => '?').join(', ')})` : `${a.op} ?`;
      const hits = await db.all<{ from_seq: number }>(`SELECT DISTINCT from_seq FROM audit_lookup WHERE account = ? AND attribute = ? AND value ${match}`, [account, a.attribute, ...values]);
      const set = new Set(hits.map((h) => h.from_seq));
      candidates = candidates.filter((b) => set.has(b.from_seq));
    }
    ranges = [];
    for (const b of candidates) {
      const last = ranges[ranges.length - 1];
      if (last && last[1] + 1 === b.from_seq) last[1] = b.to_seq;
      else ranges.push([b.from_seq, b.to_seq]);
    }
    ranges.push([indexedTo + 1, Number.MAX_SAFE_INTEGER]); // records not yet in a block
    ranges = ranges.map(([lo, hi]): [number, number] => [lo, Math.min(hi, before - 1)]).filter(([lo, hi]) => lo <= hi);
    ranges.reverse();
  }

  const rows: { seq: number; event_json: string }[] = [];
  for (const [lo, hi] of ranges) {
    const got = await db.all<{ seq: number; event_json: string }>(
      `SELECT e.seq AS seq, e.event_json AS event_json FROM audit_events e WHERE e.account = ? AND e.seq >= ? AND e.seq <= ?${where.map((w) => ` AND ${w}`).join('')} ORDER BY e.seq DESC LIMIT ?`,
      [account, lo, hi, ...params, limit + 1 - rows.length],
    );
    rows.push(...got);
    if (rows.length > limit) break;
  }
  const events = rows.slice(0, limit).map((r) => ({ seq: r.seq, event: JSON.parse(r.event_json) as AuditEvent }));
  return rows.length > limit ? { events, nextToken: encodeToken(account, rows[limit - 1]!.seq) } : { events };
}
