// Auto-pagination, as the AWS CLI does for paginated operations
// (botocore PageIterator, awscli/customizations/paginate.py): the CLI keeps
// calling with the previous NextMarker until Truncated is false and prints
// the merged result list with NextMarker and Truncated removed. --page-size
// sets Limit per call, --max-items caps the items printed and then prints a
// NextToken that --starting-token resumes from. Giving --marker or --limit
// yourself turns auto-pagination off (as does --no-paginate).
//
// An operation is paginated when its input has Marker and Limit and its
// output has NextMarker, Truncated and exactly one list (the result key).
import type { OperationSpec } from '../api/operation.js';
import { parseJsonInput } from '../core/service/input-bounds.js';
import { fieldsOf } from './schema-shapes.js';
import { UsageError } from './usage-error.js';

export interface Paging {
  /** the list in the output that pages merge into: Keys, Aliases, Tags, … */
  readonly resultKey: string;
}

export function pagingOf(op: OperationSpec): Paging | undefined {
  const inNames = new Set(fieldsOf(op.input).map((f) => f.name));
  const outFields = fieldsOf(op.output);
  const outNames = new Set(outFields.map((f) => f.name));
  const lists = outFields.filter((f) => f.shape.kind === 'list');
  if (!inNames.has('Marker') || !inNames.has('Limit') || !outNames.has('NextMarker') || !outNames.has('Truncated')) return undefined;
  if (lists.length !== 1 || !lists[0]) return undefined;
  return { resultKey: lists[0].name };
}

export interface PageRequest {
  readonly pageSize?: number;
  readonly maxItems?: number;
  readonly startingToken?: string;
}

interface PagedResult {
  /** the merged response: { [resultKey]: all items, …other members of the first page, NextToken? } */
  readonly full: Record<string, unknown>;
  /** one object per page as printed by --output text: the first page carries the non-list members */
  readonly pages: Record<string, unknown>[];
  readonly nextToken?: string;
}

interface Token {
  Marker?: string;
  boto_truncate_amount?: number;
}

/** botocore's resume token: base64 of {"Marker": …, "boto_truncate_amount": n}. */
function encodeToken(t: Token): string {
  return Buffer.from(JSON.stringify(t), 'utf8').toString('base64');
}

function decodeToken(s: string): Token {
  try {
    const t: unknown = parseJsonInput(Buffer.from(s, 'base64').toString('utf8'), 'The --starting-token');
    if (typeof t === 'object' && t !== null && !Array.isArray(t)) {
      const { Marker, boto_truncate_amount: skip } = t as Record<string, unknown>;
      if ((Marker === undefined || Marker === null || typeof Marker === 'string') && (skip === undefined || (Number.isSafeInteger(skip) && (skip as number) >= 0))) {
        return { ...(typeof Marker === 'string' ? { Marker } : {}), ...(skip !== undefined ? { boto_truncate_amount: skip as number } : {}) };
      }
    }
  } catch {
    // reported below
  }
  throw new UsageError(`Bad value for --starting-token: it must be a NextToken printed by an earlier call with --max-items.`);
}

export async function paginate(
  paging: Paging,
  input: Record<string, unknown>,
  req: PageRequest,
  call: (input: Record<string, unknown>) => Promise<Record<string, unknown>>,
): Promise<PagedResult> {
  const start = req.startingToken !== undefined ? decodeToken(req.startingToken) : {};
  let marker = start.Marker;
  let skip = start.boto_truncate_amount ?? 0;
  const all: unknown[] = [];
  const pages: Record<string, unknown>[] = [];
  let rest: Record<string, unknown> | undefined;
  let nextToken: Token | undefined;
  for (;;) {
    const res = await call({ ...input, ...(req.pageSize !== undefined ? { Limit: req.pageSize } : {}), ...(marker !== undefined ? { Marker: marker } : {}) });
    const { [paging.resultKey]: list, NextMarker, Truncated, ...others } = res;
    rest ??= others;
    const items = Array.isArray(list) ? list : [];
    let taken = items.slice(skip);
    const room = req.maxItems === undefined ? Infinity : req.maxItems - all.length;
    if (taken.length > room) {
      taken = taken.slice(0, room);
      nextToken = { ...(marker !== undefined ? { Marker: marker } : {}), boto_truncate_amount: skip + room };
    }
    skip = 0;
    all.push(...taken);
    pages.push({ ...(pages.length === 0 ? others : {}), [paging.resultKey]: taken });
    if (nextToken) break;
    if (Truncated !== true || typeof NextMarker !== 'string') break;
    marker = NextMarker;
    if (req.maxItems !== undefined && all.length >= req.maxItems) {
      nextToken = { Marker: marker };
      break;
    }
  }
  const token = nextToken ? encodeToken(nextToken) : undefined;
  return {
    full: { [paging.resultKey]: all, ...rest, ...(token !== undefined ? { NextToken: token } : {}) },
    pages,
    ...(token !== undefined ? { nextToken: token } : {}),
  };
}
