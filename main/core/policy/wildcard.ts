// Wildcard matching for policy elements, compiled once at parse time so
// evaluation (which runs on every Encrypt/Decrypt) only does string
// compares and RegExp tests.
//
// IAM JSON policy reference: in Action, Resource and the String*Like /
// Arn*Like condition operators, `*` matches any run of characters (also
// none) and `?` exactly one character. ARNs are matched one colon-delimited
// component at a time ("Each of the six colon-delimited components of the
// ARN is checked separately", IAM "Condition operators", ARN operators), so
// a `*` never swallows a `:` of the first five components.

const SYNTAX = /[\\^$.*+?()[\]{}|/]/g;

/** Escapes a literal for use inside a `u`-flag RegExp. */
export const escapeRegExp = (s: string): string => s.replace(SYNTAX, '\\$&');

const hasWildcard = (s: string): boolean => s.includes('*') || s.includes('?');

/** RegExp source (unanchored) for a wildcard pattern. */
export function wildcardSource(pattern: string): string {
  let out = '';
  for (const ch of pattern) {
    if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else out += escapeRegExp(ch);
  }
  return out;
}

/** Anchored RegExp; `s` so `*` crosses newlines, `u` so `?` is one code point. */
export const wildcardRegExp = (pattern: string, ignoreCase = false): RegExp =>
  new RegExp(`^${wildcardSource(pattern)}$`, ignoreCase ? 'isu' : 'su');

/**
 * A set of wildcard patterns matched against one value: literals in a Set,
 * the rest folded into one alternation, so a statement listing ten actions
 * costs one Set lookup and at most one RegExp test.
 */
export interface PatternSet {
  readonly any: boolean;
  readonly literals: ReadonlySet<string>;
  readonly regex: RegExp | undefined;
}

/** Compiles patterns; with `lowerCase` the patterns are folded and callers must pass lower-cased values. */
export function compilePatternSet(patterns: readonly string[], lowerCase: boolean): PatternSet {
  const literals = new Set<string>();
  const wild: string[] = [];
  let any = false;
  for (const raw of patterns) {
    const p = lowerCase ? raw.toLowerCase() : raw;
    if (p === '*') any = true;
    else if (hasWildcard(p)) wild.push(wildcardSource(p));
    else literals.add(p);
  }
  const regex = wild.length > 0 ? new RegExp(`^(?:${wild.join('|')})$`, 'su') : undefined;
  return { any, literals, regex };
}

export const matchPatternSet = (set: PatternSet, value: string): boolean =>
  set.any || set.literals.has(value) || (set.regex !== undefined && set.regex.test(value));

// ---- ARNs ----------------------------------------------------------------

/** arn:partition:service:region:account:resource — the resource part may hold more colons. */
export function splitArn(arn: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < 5; i++) {
    const c = arn.indexOf(':', start);
    if (c < 0) return undefined;
    parts.push(arn.slice(start, c));
    start = c + 1;
  }
  parts.push(arn.slice(start));
  return parts[0] === 'arn' ? parts : undefined;
}

/** One ARN pattern: `"*"` alone, or six components each a literal or a RegExp. */
export interface ArnPattern {
  readonly any: boolean;
  readonly segments: readonly (string | RegExp)[];
}

/** Undefined when the pattern is neither "*" nor six colon-delimited components starting with "arn". */
export function compileArnPattern(pattern: string): ArnPattern | undefined {
  if (pattern === '*') return { any: true, segments: [] };
  const parts = splitArn(pattern);
  if (!parts) return undefined;
  return { any: false, segments: parts.map((p) => (hasWildcard(p) ? wildcardRegExp(p) : p)) };
}

export function matchArn(pattern: ArnPattern, arn: string): boolean {
  return pattern.any || matchArnParts(pattern, splitArn(arn));
}

/** As matchArn, for an ARN already split (evaluate splits the resource once per request). */
export function matchArnParts(pattern: ArnPattern, parts: readonly string[] | undefined): boolean {
  if (pattern.any) return true;
  if (!parts) return false;
  for (let i = 0; i < 6; i++) {
    const seg = pattern.segments[i]!;
    const part = parts[i]!;
    if (typeof seg === 'string' ? seg !== part : !seg.test(part)) return false;
  }
  return true;
}

/** The account component of an ARN without splitting it all; undefined when absent or empty. */
export function arnAccount(arn: string): string | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  let c = 3;
  for (let i = 0; i < 3; i++) {
    c = arn.indexOf(':', c + 1);
    if (c < 0) return undefined;
  }
  const end = arn.indexOf(':', c + 1);
  return end > c + 1 ? arn.slice(c + 1, end) : undefined;
}
