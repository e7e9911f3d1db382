// Reads the region's keys with their metadata (ListKeyDetails, a page of
// 1,000 per audited call) and the aliases (ListAliases), every page, into
// the key list's rows (key-list.ts).
import type { OutputOf } from '../../../../main/api/index.js';
import { run } from '../../bridge.js';
import { toRows, type KeyRow } from './key-list.js';

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

