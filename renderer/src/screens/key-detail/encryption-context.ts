// An encryption context typed as lines of key=value, for grant constraints.
// Returns the pairs, or the sentence saying which line is wrong.
export function parseContextLines(text: string): { pairs: Record<string, string> } | { error: string } {
  const pairs: Record<string, string> = {};
  const lines = text.split('\n').map((l) => l.trim());
  for (const [i, line] of lines.entries()) {
    if (!line) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { error: `Line ${i + 1} is not key=value.` };
    const key = line.slice(0, eq).trim();
    if (Object.hasOwn(pairs, key)) return { error: `Line ${i + 1} repeats the key ${key}.` };
    pairs[key] = line.slice(eq + 1).trim();
  }
  return { pairs };
}
