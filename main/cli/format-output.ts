// Prints a response the way the AWS CLI v2 does (awscli/formatter.py,
// awscli/text.py): binary values as base64, timestamps as ISO 8601, then
// --query, then either JSON (4-space indent; an empty response prints
// nothing) or text (scalars bare, tab-separated rows, nested lists on their
// own lines), table (format-table.ts) or YAML (format-yaml.ts).
import * as jmespath from 'jmespath';
import { formatTable } from './format-table.js';
import { formatYaml, formatYamlStreamPage } from './format-yaml.js';
import { inputValueProblem } from '../core/service/input-bounds.js';
import { UsageError } from './usage-error.js';

const { search } = jmespath;
/** jmespath's lexer: exported by the library, missing from @types/jmespath */
const tokenize = (jmespath as unknown as { tokenize(expression: string): { type: string; value: unknown }[] }).tokenize;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type OutputFormat = 'json' | 'text' | 'table' | 'yaml' | 'yaml-stream';
/** the AWS CLI v2's choices (awscli/formatter.py, CLI_OUTPUT_FORMATS) */
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['json', 'text', 'table', 'yaml', 'yaml-stream'];

/**
 * ISO 8601 in UTC, as Python's datetime.isoformat() prints the AWS CLI's
 * timestamps: `2026-11-28T13:18:31.123000+00:00`, no fraction when it is 0.
 */
export function isoTimestamp(d: Date): string {
  const iso = d.toISOString(); // 2026-11-28T13:18:31.123Z
  const ms = d.getUTCMilliseconds();
  return `${iso.slice(0, 19)}${ms === 0 ? '' : `.${String(ms).padStart(3, '0')}000`}+00:00`;
}

/** Response object → plain JSON: Uint8Array → base64, Date → ISO 8601, undefined members dropped. */
export function toJson(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof Date) return isoTimestamp(value);
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJson(v);
    return out;
  }
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
  return String(value);
}


/**
 * The most tokens a --query expression may have. jmespath parses and
 * evaluates by recursive descent, and about 1,500 tokens nested in each
 * other (`a[][][]…`) overflow Node's stack; a long real query (a filter and
 * a multiselect of a dozen fields) has a few dozen.
 */
const MAX_QUERY_TOKENS = 500;

/**
 * Checks a --query expression before anything runs: its size (the lexer
 * does not recurse; the parser does), the nesting of its JSON literals
 * (core/service/input-bounds.ts, as for any JSON input), its syntax.
 */
export function checkQuery(expression: string): void {
  let tokens: { type: string; value: unknown }[];
  try {
    tokens = tokenize(expression);
  } catch (e) {
    if ((e as Error).name === 'LexerError') throw new UsageError(`Bad value for --query ${expression}: ${(e as Error).message}`);
    throw e;
  }
  if (tokens.length > MAX_QUERY_TOKENS) {
    throw new UsageError(`Bad value for --query: it has ${tokens.length} tokens (names, operators, literals); the limit is ${MAX_QUERY_TOKENS}.`);
  }
  for (const t of tokens) {
    const problem = t.type === 'Literal' ? inputValueProblem(t.value, 'A JSON literal in --query') : undefined;
    if (problem !== undefined) throw new UsageError(`Bad value for --query: ${problem}`);
  }
  try {
    search({}, expression);
  } catch (e) {
    const name = (e as Error).name;
    if (name === 'LexerError' || name === 'ParserError') {
      throw new UsageError(`Bad value for --query ${expression}: ${(e as Error).message}`);
    }
  }
}

export function applyQuery(data: Json, expression: string | undefined): Json {
  if (expression === undefined) return data;
  return search(data, expression) as Json;
}

/** JSON as the AWS CLI prints it: 4-space indent, trailing newline; nothing for `{}`. */
export function formatJson(data: Json): string {
  if (isEmptyObject(data)) return '';
  return `${JSON.stringify(data, null, 4)}\n`;
}

const isEmptyObject = (v: Json): boolean => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
const isCompound = (v: Json): v is Json[] | { [key: string]: Json } => typeof v === 'object' && v !== null;

/** Python's str() of a scalar, as the AWS CLI's text output prints it. */
function scalarText(v: Json | undefined): string {
  if (v === null) return 'None';
  if (v === undefined) return '';
  if (v === true) return 'True';
  if (v === false) return 'False';
  return String(v);
}

/** The AWS CLI's text format (awscli/text.py, format_text). */
export function formatText(data: Json): string {
  const out: string[] = [];
  formatItem(data, out, undefined, undefined);
  return out.join('');
}

function formatItem(item: Json, out: string[], identifier: string | undefined, scalarKeys: string[] | undefined): void {
  if (Array.isArray(item)) formatList(item, out, identifier);
  else if (isCompound(item)) formatDict(item, out, identifier, scalarKeys);
  else out.push(`${scalarText(item)}\n`);
}

function formatList(items: Json[], out: string[], identifier: string | undefined): void {
  if (items.length === 0) return;
  if (items.some((e) => isCompound(e) && !Array.isArray(e))) {
    const keys = allScalarKeys(items);
    for (const e of items) formatItem(e, out, identifier, keys);
  } else if (items.some(Array.isArray)) {
    const scalars = items.filter((e) => !isCompound(e));
    if (scalars.length) formatScalarList(scalars, out, identifier);
    for (const e of items.filter(isCompound)) formatItem(e, out, identifier, undefined);
  } else formatScalarList(items, out, identifier);
}

function formatScalarList(items: Json[], out: string[], identifier: string | undefined): void {
  if (identifier !== undefined) for (const e of items) out.push(`${identifier.toUpperCase()}\t${scalarText(e)}\n`);
  else out.push(`${items.map(scalarText).join('\t')}\n`);
}

function formatDict(item: { [key: string]: Json }, out: string[], identifier: string | undefined, scalarKeys: string[] | undefined): void {
  const scalars: string[] = [];
  const nonScalars: [string, Json][] = [];
  if (scalarKeys === undefined) {
    for (const key of Object.keys(item).sort(byCodePoint)) {
      const v = item[key] ?? null;
      if (isCompound(v)) nonScalars.push([key, v]);
      else scalars.push(scalarText(v));
    }
  } else {
    for (const key of scalarKeys) scalars.push(key in item ? scalarText(item[key]) : '');
    for (const key of Object.keys(item).filter((k) => !scalarKeys.includes(k)).sort(byCodePoint)) nonScalars.push([key, item[key] ?? null]);
  }
  if (scalars.length) out.push(`${[...(identifier !== undefined ? [identifier.toUpperCase()] : []), ...scalars].join('\t')}\n`);
  for (const [key, v] of nonScalars) formatItem(v, out, key, undefined);
}

function allScalarKeys(items: Json[]): string[] {
  const keys = new Set<string>();
  for (const e of items) {
    if (isCompound(e) && !Array.isArray(e)) for (const [k, v] of Object.entries(e)) if (!isCompound(v)) keys.add(k);
  }
  return [...keys].sort(byCodePoint);
}

/** Python's sorted() on str: by code point. */
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** What the table format needs besides the data: its title and the terminal's width. */
export interface OutputContext {
  /** the operation's name (DescribeKey), the table's title; default: the command's name given by the caller */
  readonly title?: string;
  /** the terminal's columns; default 80, as the AWS CLI when standard output is not a terminal */
  readonly columns?: number;
}

export function formatOutput(data: Json, format: OutputFormat, context: OutputContext = {}): string {
  switch (format) {
    case 'text':
      return formatText(data);
    case 'table':
      return formatTable(data, context.title ?? '', context.columns);
    case 'yaml':
      return formatYaml(data);
    case 'yaml-stream':
      // one response is a stream of one page
      return formatYamlStreamPage(data);
    default:
      return formatJson(data);
  }
}
