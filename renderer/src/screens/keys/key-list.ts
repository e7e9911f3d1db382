// The key list's data, apart from React: loading the region's keys with
// their metadata and aliases, and the search and filters over them. Pure
// functions here are tested without a browser (test/renderer/key-list.test.ts).
import type { OutputOf } from '../../../../main/api/index.js';
import type { KeySpec, KeyState, KeyUsage, Origin } from '../../../../main/api/enums.js';
import { run } from '../../bridge.js';

type Metadata = NonNullable<OutputOf<'ListKeyDetails'>['Keys'][number]['KeyMetadata']>;

/** One row of the list. A key the caller may list but not DescribeKey has its id and ARN only. */
export interface KeyRow {
  readonly KeyId: string;
  readonly Arn: string;
  readonly Aliases: readonly string[];
  /** undefined when the caller may not DescribeKey this key */
  readonly Metadata: Metadata | undefined;
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

/** ListKeyDetails and ListAliases, every page; `onProgress` hears how many keys have come so far. */
export async function loadKeyList(onProgress?: (keys: number) => void): Promise<KeyRow[]> {
  const [keys, aliases] = await Promise.all([loadKeyPages(onProgress), loadAliasNames()]);
  return toRows(keys, aliases);
}

async function loadKeyPages(onProgress?: (keys: number) => void): Promise<OutputOf<'ListKeyDetails'>['Keys']> {
  const keys: OutputOf<'ListKeyDetails'>['Keys'] = [];
  let marker: string | undefined;
  do {
    const page = await run('ListKeyDetails', { Limit: 1000, ...(marker ? { Marker: marker } : {}) });
    keys.push(...page.Keys);
    onProgress?.(keys.length);
    marker = page.NextMarker;
  } while (marker);
  return keys;
}

/** Alias names by the key they point at. */
async function loadAliasNames(): Promise<Map<string, string[]>> {
  const byKey = new Map<string, string[]>();
  let marker: string | undefined;
  do {
    const page = await run('ListAliases', { Limit: 100, ...(marker ? { Marker: marker } : {}) });
    for (const a of page.Aliases) byKey.set(a.TargetKeyId, [...(byKey.get(a.TargetKeyId) ?? []), a.AliasName]);
    marker = page.NextMarker;
  } while (marker);
  return byKey;
}

export function toRows(keys: OutputOf<'ListKeyDetails'>['Keys'], aliases: ReadonlyMap<string, readonly string[]>): KeyRow[] {
  return keys.map((k) => {
    const names = aliases.get(k.KeyId) ?? [];
    return {
      KeyId: k.KeyId,
      Arn: k.KeyArn,
      Aliases: names,
      Metadata: k.KeyMetadata,
      searchText: [...names, k.KeyId, k.KeyMetadata?.Description ?? ''].join('\n').toLowerCase(),
    };
  });
}

/** The rows that match every filter given; the search matches a substring of an alias, the key id or the description, ignoring case. */
export function filterKeys(rows: readonly KeyRow[], f: KeyFilters): readonly KeyRow[] {
  const needle = f.search.trim().toLowerCase();
  if (!needle && !f.state && !f.spec && !f.usage && !f.origin) return rows;
  return rows.filter((r) => {
    if (needle && !r.searchText.includes(needle)) return false;
    const m = r.Metadata;
    if (f.state && m?.KeyState !== f.state) return false;
    if (f.spec && m?.KeySpec !== f.spec) return false;
    if (f.usage && m?.KeyUsage !== f.usage) return false;
    if (f.origin && m?.Origin !== f.origin) return false;
    return true;
  });
}
