// AWS names → AWS CLI names. The AWS CLI derives its command and option
// names from the API's PascalCase names with botocore's xform_name
// (botocore/__init__.py): an upper-case run followed by a capitalised word
// is split before the word (HMACKey → hmac-key), a lower-case letter or
// digit followed by an upper-case letter is split between them
// (ReEncrypt → re-encrypt), and everything is lower-cased.

/** `GenerateDataKeyWithoutPlaintext` → `generate-data-key-without-plaintext` */
export function kebabCase(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
}

/** Operation name → command: `CreateKey` → `create-key`. */
export const commandName = (operation: string): string => kebabCase(operation);

/** Field name → option: `KeyId` → `--key-id`. */
export const optionName = (field: string): string => `--${kebabCase(field)}`;

/** The negated form of a boolean option: `MultiRegion` → `--no-multi-region`. */
export const negatedOptionName = (field: string): string => `--no-${kebabCase(field)}`;

/** Levenshtein distance, for "did you mean" suggestions. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** The candidates close to `word` (by edit distance, or sharing a prefix/substring), closest first. */
export function closeMatches(word: string, candidates: Iterable<string>, max = 3): string[] {
  const scored: { c: string; d: number }[] = [];
  for (const c of candidates) {
    const d = editDistance(word, c);
    const limit = Math.max(2, Math.floor(c.length / 3));
    if (d <= limit || (word.length >= 4 && c.includes(word))) scored.push({ c, d });
  }
  return scored
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, max)
    .map((s) => s.c);
}
