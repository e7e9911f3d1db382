// The Condition element: compiled at parse time, evaluated per request.
//
// Semantics follow the IAM User Guide ("IAM JSON policy elements: Condition
// operators", "Conditions with multiple context keys or values",
// "Single-valued vs. multivalued context keys", "Policy variables"):
//  - operators in a block are ANDed; keys under one operator are ANDed;
//    values of one key are ORed, and for a negated operator (StringNotEquals,
//    StringNotLike, …) NORed — true only if the request value matches none;
//  - a key missing from the request makes a positive operator false and a
//    negated one true ("If the policy condition requires that the key is not
//    matched … and the right key is not present, the condition is true");
//    `…IfExists` is true when the key is missing; `Null` tests presence;
//  - ForAnyValue: some request value satisfies the operator (false when the
//    key is missing or empty); ForAllValues: every request value does (true
//    when the key is missing or empty — "It also returns true if there are no
//    context keys in the request or if the context key value resolves to a
//    null dataset");
//  - condition key names are case-insensitive, values are compared as the
//    operator says (StringEquals exact, StringEqualsIgnoreCase not).
//
// One reading AWS leaves open: a single-valued operator (no ForAnyValue /
// ForAllValues) meeting several request values — which happens for
// kms:EncryptionContextKeys without a set operator, or when an encryption
// context holds two keys differing only by case, both of which
// kms:EncryptionContext:<key> matches. We require every value to satisfy the
// operator, so such a condition never passes on one lucky value.
import { EC_PREFIX, isKnownConditionKey } from './condition-keys.js';
import { ContextView, type ConditionContext, type RequestContext } from './context-view.js';
import { child, describe, isObject, malformed } from './json-path.js';
import { compileArnPattern, escapeRegExp, matchArn, wildcardRegExp, wildcardSource, type ArnPattern } from './wildcard.js';

export { ContextView, type ConditionContext, type ContextValue, type RequestContext } from './context-view.js';

type Family = 'string' | 'stringIgnoreCase' | 'like' | 'numeric' | 'bool' | 'arn' | 'null';
type Compare = 'eq' | 'lt' | 'lte' | 'gt' | 'gte';

interface BaseOperator {
  readonly family: Family;
  readonly negated: boolean;
  readonly compare?: Compare;
}

const BASE: Readonly<Record<string, BaseOperator>> = {
  StringEquals: { family: 'string', negated: false },
  StringNotEquals: { family: 'string', negated: true },
  StringEqualsIgnoreCase: { family: 'stringIgnoreCase', negated: false },
  StringNotEqualsIgnoreCase: { family: 'stringIgnoreCase', negated: true },
  StringLike: { family: 'like', negated: false },
  StringNotLike: { family: 'like', negated: true },
  NumericEquals: { family: 'numeric', negated: false, compare: 'eq' },
  NumericNotEquals: { family: 'numeric', negated: true, compare: 'eq' },
  NumericLessThan: { family: 'numeric', negated: false, compare: 'lt' },
  NumericLessThanEquals: { family: 'numeric', negated: false, compare: 'lte' },
  NumericGreaterThan: { family: 'numeric', negated: false, compare: 'gt' },
  NumericGreaterThanEquals: { family: 'numeric', negated: false, compare: 'gte' },
  Bool: { family: 'bool', negated: false },
  // ArnEquals and ArnLike behave identically (IAM "ARN condition operators").
  ArnEquals: { family: 'arn', negated: false },
  ArnLike: { family: 'arn', negated: false },
  ArnNotEquals: { family: 'arn', negated: true },
  ArnNotLike: { family: 'arn', negated: true },
  Null: { family: 'null', negated: false },
};

/** Operators AWS defines that Strongroom does not evaluate: named in the error rather than "unknown". */
const UNSUPPORTED = /^(Date|IpAddress|NotIpAddress|BinaryEquals)/;

/** A piece of a value with policy variables: literal text, a literal special character (`${*}` etc.) or a variable. */
type Part = { readonly lit: string } | { readonly esc: string } | { readonly key: string; readonly fallback?: string };

interface Value {
  /** the value as written (policy variables unresolved) */
  readonly text: string;
  /** exact, lower-cased (IgnoreCase, Bool, Null) or wildcard form, precomputed when there are no variables */
  readonly cmp?: string;
  readonly re?: RegExp;
  readonly num?: number;
  readonly arn?: ArnPattern;
  readonly parts?: readonly Part[];
}

export interface ConditionClause {
  /** operator as written, e.g. "ForAllValues:StringEquals" */
  readonly operator: string;
  /** condition key as written */
  readonly key: string;
  readonly lowerKey: string;
  readonly family: Family;
  readonly negated: boolean;
  readonly compare: Compare | undefined;
  readonly set: 'any' | 'all' | undefined;
  readonly ifExists: boolean;
  readonly values: readonly Value[];
}

export interface CompiledCondition {
  readonly clauses: readonly ConditionClause[];
}

// ---- compile -------------------------------------------------------------

const OPERATOR = /^(?:(ForAnyValue|ForAllValues):)?([A-Za-z]+?)(IfExists)?$/;

/**
 * Compiles a Condition element. `variables` enables policy variables
 * (`${aws:username}`), which only Version 2012-10-17 supports; under
 * 2008-10-17 `${…}` is literal text (IAM "Policy variables", Version).
 */
export function compileCondition(raw: unknown, path: string, variables: boolean): CompiledCondition {
  if (!isObject(raw)) throw malformed(path, `expected an object of condition operators, got ${describe(raw)}`);
  const clauses: ConditionClause[] = [];
  for (const [operator, block] of Object.entries(raw)) {
    const opPath = child(path, operator);
    const m = OPERATOR.exec(operator);
    // hasOwn first: "toString" and friends are letters too
    const base = m && Object.hasOwn(BASE, m[2]!) ? BASE[m[2]!] : undefined;
    if (!m || !base) {
      const why = m && UNSUPPORTED.test(m[2]!) ? 'is not supported by Strongroom' : 'is not a known condition operator';
      throw malformed(opPath, `${JSON.stringify(operator)} ${why}`);
    }
    const set = m[1] === 'ForAnyValue' ? 'any' : m[1] === 'ForAllValues' ? 'all' : undefined;
    const ifExists = m[3] !== undefined;
    if (base.family === 'null' && (set || ifExists)) {
      throw malformed(opPath, 'the Null operator takes neither a ForAnyValue/ForAllValues prefix nor an IfExists suffix');
    }
    if (!isObject(block)) throw malformed(opPath, `expected an object of condition keys, got ${describe(block)}`);
    const entries = Object.entries(block);
    if (entries.length === 0) throw malformed(opPath, 'expected at least one condition key');
    for (const [key, rawValues] of entries) {
      const keyPath = child(opPath, key);
      const lowerKey = key.toLowerCase();
      if (!isKnownConditionKey(lowerKey)) throw malformed(keyPath, `${JSON.stringify(key)} is not a known condition key`);
      if (set === 'all' && lowerKey.startsWith(EC_PREFIX)) {
        // KMS guide, kms:EncryptionContext:context-key: AWS KMS refuses this
        // combination (OverlyPermissiveCondition) because it matches requests
        // with no encryption context at all.
        throw malformed(
          keyPath,
          'OverlyPermissiveCondition:EncryptionContext: Using the ForAllValues set operator with a single-valued condition key matches requests without the specified encryption context or with an unspecified encryption context. To fix, remove ForAllValues.',
        );
      }
      const list = Array.isArray(rawValues) ? rawValues : [rawValues];
      if (list.length === 0) throw malformed(keyPath, 'expected at least one value');
      const values = list.map((v, i) => compileValue(v, Array.isArray(rawValues) ? child(keyPath, i) : keyPath, base, variables));
      clauses.push({ operator, key, lowerKey, family: base.family, negated: base.negated, compare: base.compare, set, ifExists, values });
    }
  }
  return { clauses };
}

function compileValue(raw: unknown, path: string, base: BaseOperator, variables: boolean): Value {
  let text: string;
  if (typeof raw === 'string') text = raw;
  else if (typeof raw === 'number' || typeof raw === 'boolean') text = String(raw); // AWS reads JSON numbers and booleans as their text
  else throw malformed(path, `expected a string, number or boolean, got ${describe(raw)}`);

  const parts = variables && text.includes('${') ? parseVariables(text, path) : undefined;
  if (parts) return { text, parts };
  return { text, ...prepare(base.family, text, path) };
}

/** The comparison form of one literal value; throws (with `path`) or returns undefined fields when it cannot hold. */
function prepare(family: Family, text: string, path: string | undefined): Omit<Value, 'text' | 'parts'> {
  switch (family) {
    case 'string':
      return { cmp: text };
    case 'stringIgnoreCase':
      return { cmp: text.toLowerCase() };
    case 'like':
      return { re: wildcardRegExp(text) };
    case 'numeric': {
      const num = toNumber(text);
      if (Number.isNaN(num) && path !== undefined) throw malformed(path, `expected a number, got ${JSON.stringify(text)}`);
      return { num };
    }
    case 'bool':
    case 'null': {
      const cmp = text.toLowerCase();
      if (cmp !== 'true' && cmp !== 'false' && path !== undefined) throw malformed(path, `expected true or false, got ${JSON.stringify(text)}`);
      return { cmp };
    }
    case 'arn': {
      const arn = compileArnPattern(text);
      if (!arn && path !== undefined) throw malformed(path, `expected an ARN (arn:partition:service:region:account:resource) or "*", got ${JSON.stringify(text)}`);
      return { arn };
    }
  }
}

const toNumber = (s: string): number => (s.trim() === '' ? Number.NaN : Number(s));

const VARIABLE = /\$\{([^}]*)\}/g;
const VARIABLE_BODY = /^([A-Za-z0-9_.:/-]+)\s*(?:,\s*'([^']*)')?$/;

/** `${key}`, `${key, 'default'}` and the escapes `${*}`, `${?}`, `${$}` (IAM "Policy variables"). */
function parseVariables(text: string, path: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const m of text.matchAll(VARIABLE)) {
    if (m.index > last) parts.push({ lit: text.slice(last, m.index) });
    const body = m[1]!.trim();
    if (body === '*' || body === '?' || body === '$') parts.push({ esc: body });
    else {
      const v = VARIABLE_BODY.exec(body);
      const key = v?.[1]?.toLowerCase();
      if (!v || !key || !isKnownConditionKey(key)) throw malformed(path, `${JSON.stringify(m[0])} is not a valid policy variable`);
      parts.push(v[2] === undefined ? { key } : { key, fallback: v[2] });
    }
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ lit: text.slice(last) });
  return parts;
}

// ---- evaluate ------------------------------------------------------------

/** True when every clause holds (operators and keys are ANDed). */
export function conditionHolds(condition: CompiledCondition, ctx: ConditionContext): boolean {
  for (const c of condition.clauses) if (!clauseHolds(c, ctx)) return false;
  return true;
}

function clauseHolds(c: ConditionClause, ctx: ConditionContext): boolean {
  const raw = ctx.get(c.lowerKey);
  // An empty list is "a null dataset": the key counts as absent.
  const present = raw !== undefined && (typeof raw === 'string' || raw.length > 0);
  if (c.family === 'null') {
    // "true": the key must be absent; "false": present. Several values are ORed.
    return c.values.some((v) => (v.parts ? resolve(v.parts, ctx)?.toLowerCase() : v.cmp) === (present ? 'false' : 'true'));
  }
  if (!present) {
    if (c.ifExists || c.set === 'all') return true;
    if (c.set === 'any') return false;
    return c.negated;
  }
  if (typeof raw === 'string') return valueHolds(c, raw, ctx);
  if (c.set === 'any') {
    for (const v of raw as readonly string[]) if (valueHolds(c, v, ctx)) return true;
    return false;
  }
  for (const v of raw as readonly string[]) if (!valueHolds(c, v, ctx)) return false;
  return true;
}

/** One request value against the clause's policy values: OR, or NOR for a negated operator. */
function valueHolds(c: ConditionClause, requestValue: string, ctx: ConditionContext): boolean {
  let folded: string | undefined;
  let hit = false;
  for (const p of c.values) {
    const v = p.parts ? withVariables(c.family, p.parts, ctx) : p;
    if (v === undefined) continue; // a variable with no value matches nothing
    let match: boolean;
    switch (c.family) {
      case 'string':
        match = requestValue === v.cmp;
        break;
      case 'stringIgnoreCase':
      case 'bool':
        folded ??= requestValue.toLowerCase();
        match = folded === v.cmp;
        break;
      case 'like':
        match = v.re !== undefined && v.re.test(requestValue);
        break;
      case 'numeric':
        match = compareNumbers(c.compare!, toNumber(requestValue), v.num!);
        break;
      case 'arn':
        match = v.arn !== undefined && matchArn(v.arn, requestValue);
        break;
      default:
        match = false;
    }
    if (match) {
      hit = true;
      break;
    }
  }
  return c.negated ? !hit : hit;
}

function compareNumbers(op: Compare, a: number, b: number): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
  }
}

/** A variable's value: single-valued keys only ("you cannot use multivalued context keys as policy variables"). */
function variableValue(part: { key: string; fallback?: string }, ctx: ConditionContext): string | undefined {
  const v = ctx.get(part.key);
  const single = typeof v === 'string' ? v : v?.length === 1 ? v[0] : undefined;
  return single ?? part.fallback;
}

function resolve(parts: readonly Part[], ctx: ConditionContext): string | undefined {
  let out = '';
  for (const p of parts) {
    if ('lit' in p) out += p.lit;
    else if ('esc' in p) out += p.esc;
    else {
      const v = variableValue(p, ctx);
      if (v === undefined) return undefined;
      out += v;
    }
  }
  return out;
}

/** The comparison form of a value with variables, for this request. */
function withVariables(family: Family, parts: readonly Part[], ctx: ConditionContext): Omit<Value, 'text'> | undefined {
  if (family !== 'like') {
    const s = resolve(parts, ctx);
    return s === undefined ? undefined : prepare(family, s, undefined);
  }
  // In StringLike, literal text keeps its wildcards; substituted values and ${*} / ${?} do not.
  let src = '';
  for (const p of parts) {
    if ('lit' in p) src += wildcardSource(p.lit);
    else if ('esc' in p) src += escapeRegExp(p.esc);
    else {
      const v = variableValue(p, ctx);
      if (v === undefined) return undefined;
      src += escapeRegExp(v);
    }
  }
  return { re: new RegExp(`^${src}$`, 'su') };
}

/** Compiles and evaluates a Condition element in one go (tests, one-off checks). */
export function evaluateConditionElement(condition: unknown, context: RequestContext, variables = true): boolean {
  return conditionHolds(compileCondition(condition, 'Condition', variables), new ContextView(context));
}
