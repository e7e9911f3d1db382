// List operations page with Limit/Marker as AWS does: Truncated, and
// NextMarker only when there is more. The marker is opaque to callers (the
// base64url of the last item's sort key); anything else is InvalidMarkerException.
// Each list passes the shape its sort keys have (a key id, an alias name, a
// version number), so a marker it could not have issued is refused rather
// than silently read as a position (AWS: InvalidMarkerException).
import { KmsError } from '../errors.js';

const encodeMarker = (sortKey: string) => Buffer.from(sortKey, 'utf8').toString('base64url');

export function decodeMarker(marker: string | undefined, isSortKey: (s: string) => boolean = () => true): string | undefined {
  if (marker === undefined) return undefined;
  const s = Buffer.from(marker, 'base64url').toString('utf8');
  if (!s || encodeMarker(s) !== marker || !isSortKey(s)) throw new KmsError('InvalidMarkerException', 'The Marker is not one this vault returned; pass NextMarker unchanged.');
  return s;
}

/** Fetch limit+1 rows, then split into the page and the paging fields. */
export function page<T>(rows: T[], limit: number, sortKey: (t: T) => string): { items: T[]; Truncated: boolean; NextMarker?: string } {
  if (rows.length <= limit) return { items: rows, Truncated: false };
  const items = rows.slice(0, limit);
  return { items, Truncated: true, NextMarker: encodeMarker(sortKey(items[items.length - 1]!)) };
}
