// The key list's rows and the search and filters over them: pure, so they
// are tested without a browser (test/renderer/key-list.test.ts); load-keys.ts
// reads them through the bridge.
import type { OutputOf } from '../../../../main/api/index.js';
import type { KeySpec, KeyState, KeyUsage, Origin } from '../../../../main/api/enums.js';

type Metadata = NonNullable<OutputOf<'ListKeyDetails'>['Keys'][number]['KeyMetadata']>;

/**
 * What the list shows of a key's metadata, and no more: 10,000 rows of
 * strings and a number, without KeyMetadata's algorithm arrays and Date
 * objects, leave the garbage collector less to trace, and its pauses were
 * the last long tasks while the list scrolled (npm run bench, keys.scroll_longtasks).
 */
export type KeySummary = Pick<Metadata, 'KeyState' | 'KeySpec' | 'KeyUsage' | 'Origin' | 'Description'> & { readonly Created: number };

/** One row of the list. A key the caller may list but not DescribeKey has its id and ARN only. */
export interface KeyRow {
  readonly KeyId: string;
  readonly Arn: string;
  readonly Aliases: readonly string[];
  /** undefined when the caller may not DescribeKey this key */
  readonly Summary: KeySummary | undefined;
  /** lower-cased alias names, key id and description: what the search box looks in */
  readonly searchText: string;
}

export interface KeyFilters {
  search: string;
  state: KeyState | '';
  spec: KeySpec | '';
  usage: KeyUsage | '';
  origin: Origin | '';
}

export const NO_FILTERS: KeyFilters = { search: '', state: '', spec: '', usage: '', origin: '' };

export function toRows(keys: OutputOf<'ListKeyDetails'>['Keys'], aliases: ReadonlyMap<string, readonly string[]>): KeyRow[] {
  return keys.map((k) => {
    const names = aliases.get(k.KeyId) ?? [];
    const m = k.KeyMetadata;
    return {
      KeyId: k.KeyId,
      Arn: k.KeyArn,
      Aliases: names,
      Summary: m && { KeyState: m.KeyState, KeySpec: m.KeySpec, KeyUsage: m.KeyUsage, Origin: m.Origin, Description: m.Description, Created: m.CreationDate.getTime() },
      searchText: [...names, k.KeyId, m?.Description ?? ''].join('\n').toLowerCase(),
    };
  });
}

/** The rows that match every filter given; the search matches a substring of an alias, the key id or the description, ignoring case. */
export function filterKeys(rows: readonly KeyRow[], f: KeyFilters): readonly KeyRow[] {
  const needle = f.search.trim().toLowerCase();
  if (!needle && !f.state && !f.spec && !f.usage && !f.origin) return rows;
  return rows.filter((r) => {
    if (needle && !r.searchText.includes(needle)) return false;
    const m = r.Summary;
    if (f.state && m?.KeyState !== f.state) return false;
    if (f.spec && m?.KeySpec !== f.spec) return false;
    if (f.usage && m?.KeyUsage !== f.usage) return false;
    if (f.origin && m?.Origin !== f.origin) return false;
    return true;
  });
}

/**
 * Whether two reads of the list show the same thing. A screen reads its list
 * again each time it opens; when nothing changed, keeping the old rows keeps
 * the table's sorted rows too, instead of rebuilding 10,000 of them and
 * leaving the old ones to the garbage collector.
 */
export function sameRows(a: readonly KeyRow[], b: readonly KeyRow[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.KeyId !== y.KeyId || x.searchText !== y.searchText || x.Aliases.join('\n') !== y.Aliases.join('\n') || !sameSummary(x.Summary, y.Summary)) return false;
  }
  return true;
}

function sameSummary(x: KeySummary | undefined, y: KeySummary | undefined): boolean {
  if (!x || !y) return x === y;
  return x.KeyState === y.KeyState && x.KeySpec === y.KeySpec && x.KeyUsage === y.KeyUsage && x.Origin === y.Origin && x.Description === y.Description && x.Created === y.Created;
}
