// Which keys an alias may point at (pure; test/renderer/key-list.test.ts):
// CreateAlias takes a key that is not pending deletion, and UpdateAlias only
// one of the same key spec and usage as its current key (AWS KMS API
// Reference, UpdateAlias).
import type { OutputOf } from '../../../../main/api/index.js';
import type { KeyRow } from '../keys/key-list.js';

export type Alias = OutputOf<'ListAliases'>['Aliases'][number];

/** Keys a new alias may name. */
export function aliasTargets(keys: readonly KeyRow[]): KeyRow[] {
  return keys.filter((k) => k.Summary && k.Summary.KeyState !== 'PendingDeletion');
}

/** Keys an alias now on `current` may be moved to: same spec and usage, not pending deletion, not `current` itself. */
export function retargetChoices(keys: readonly KeyRow[], current: string): KeyRow[] {
  const from = keys.find((k) => k.KeyId === current)?.Summary;
  if (!from) return [];
  return aliasTargets(keys).filter((k) => k.KeyId !== current && k.Summary!.KeySpec === from.KeySpec && k.Summary!.KeyUsage === from.KeyUsage);
}

/** How a key is named in a picker: its id, spec and usage, and its description or aliases. */
export function keyLabel(k: KeyRow): string {
  const m = k.Summary;
  const about = m?.Description || k.Aliases.join(', ');
  return `${k.KeyId}${m ? ` (${m.KeySpec}, ${m.KeyUsage})` : ''}${about ? ` — ${about}` : ''}`;
}
