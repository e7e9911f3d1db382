// Turns command-line option values into request values, by the field's
// shape, the way the AWS CLI does (awscli/argprocess.py, paramfile.py):
//
//   blob        fileb://path (raw bytes), file://path (UTF-8 text), or base64
//               (with --cli-binary-format raw-in-base64-out: the text itself)
//   string      a literal or file://path
//   integer     a decimal literal
//   timestamp   ISO 8601 (2026-12-31T23:59:59Z) or seconds since 1970
//   map         k=v,k2=v2 shorthand, JSON {"k":"v"}, or file://x.json
//   structure   K=v,K2=v2 shorthand or JSON
//   list        several values (--tag-keys a b), a,b shorthand, or JSON [...];
//               lists of structures take one shorthand/JSON value per element
//
// Values from JSON (a JSON option value or --cli-input-json) follow the
// same shapes; blobs in JSON are base64 strings.
import { validation } from '../core/errors.js';
import { MAX_JSON_BYTES, parseJsonInput } from '../core/service/input-bounds.js';
import { loadParamFile, unstatedLimit, type ReadLimit } from './param-files.js';
import type { Field, Shape } from './schema-shapes.js';
import { describeShape, isScalar } from './schema-shapes.js';
import { parseShorthandHash, parseShorthandList, ShorthandError, type ShorthandValue } from './shorthand.js';
import { UsageError } from './usage-error.js';

export type BinaryFormat = 'base64' | 'raw-in-base64-out';

export interface ParseOptions {
  /** where relative file:// paths start */
  readonly cwd: string;
  /** how blob values given as text are read (AWS CLI's cli_binary_format) */
  readonly binaryFormat: BinaryFormat;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict base64 (RFC 4648 §4, padding required; whitespace ignored), as the AWS CLI v2 requires for blobs. */
export function decodeBase64(text: string): Uint8Array | undefined {
  const s = text.replace(/[\t\n\r ]/g, '');
  if (!BASE64.test(s) || s.length % 4 !== 0) return undefined;
  const b = Buffer.from(s, 'base64');
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

function fail(option: string, message: string): never {
  throw new UsageError(`Error parsing parameter '${option}': ${message}`);
}

/** A blob given as text: base64, or the text's UTF-8 bytes under raw-in-base64-out. */
function blobFromText(text: string, option: string, opts: ParseOptions): Uint8Array {
  if (opts.binaryFormat === 'raw-in-base64-out') return utf8(text);
  const bytes = decodeBase64(text);
  if (!bytes) {
    const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    fail(option, `Invalid base64: "${shown}". Give base64, fileb://path for a file's bytes, or file://path for a text file.`);
  }
  return bytes;
}

/**
 * How much of a file:// or fileb:// a field's value may be read, from its
 * schema: a blob's byte limit; for a string of at most n characters (UTF-16
 * code units), 3n bytes, the most UTF-8 needs for them; otherwise the most
 * any JSON input may be (core/service/input-bounds.ts).
 */
export function readLimitOf(field: Field): ReadLimit {
  const member = `${field.name} (${field.option})`;
  if (field.maxBytes !== undefined) {
    const max = field.maxBytes;
    return { maxBytes: max, refuse: (value) => validation(`${member} takes at most ${max} bytes; ${value} holds more.`) };
  }
  if (field.maxLength !== undefined) {
    const max = field.maxLength;
    return { maxBytes: 3 * max, refuse: (value) => validation(`${member} takes at most ${max} characters; ${value} holds more than ${3 * max} bytes.`) };
  }
  return unstatedLimit(member, MAX_JSON_BYTES);
}

/** The text of a value: the literal, or a file://'s (or fileb://'s, if UTF-8) contents. */
function textOf(value: string, field: Field, opts: ParseOptions): string {
  const { option } = field;
  const f = loadParamFile(value, option, opts.cwd, readLimitOf(field));
  if (!f) return value;
  if (f.kind === 'text') return f.text;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(f.bytes);
  } catch {
    fail(option, `${value} is not UTF-8 text, and ${option} takes text`);
  }
}

/** JSON within input-bounds.ts's limits (else a ValidationException); bad syntax is a usage error. */
function parseJson(text: string, option: string): unknown {
  try {
    return parseJsonInput(text, `The JSON value of ${option}`);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    fail(option, `Invalid JSON: ${e.message}\nJSON received: ${text}`);
  }
}

const looksLikeJson = (text: string, open: string): boolean => text.trimStart().startsWith(open);

function scalarFromText(shape: Shape, text: string, option: string, opts: ParseOptions): unknown {
  switch (shape.kind) {
    case 'blob':
      return blobFromText(text, option, opts);
    case 'integer': {
      const t = text.trim();
      if (!/^[+-]?\d+$/.test(t)) fail(option, `expected an integer, got '${text}'`);
      const n = Number(t);
      if (!Number.isSafeInteger(n)) fail(option, `${t} is too large`);
      return n;
    }
    case 'number': {
      const n = Number(text.trim());
      if (text.trim() === '' || !Number.isFinite(n)) fail(option, `expected a number, got '${text}'`);
      return n;
    }
    case 'timestamp': {
      const d = parseTimestamp(text);
      if (!d) fail(option, `expected a timestamp (ISO 8601, like 2026-12-31T23:59:59Z, or seconds since 1970), got '${text}'`);
      return d;
    }
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (t !== 'true' && t !== 'false') fail(option, `expected true or false, got '${text}'`);
      return t === 'true';
    }
    default:
      return text;
  }
}

/** A timestamp as the AWS CLI takes one: ISO 8601 or epoch seconds. */
function parseTimestamp(text: string): Date | undefined {
  const t = text.trim();
  const ms = /^\d+(\.\d+)?$/.test(t) ? Number(t) * 1000 : /^\d{4}-\d{2}-\d{2}/.test(t) ? Date.parse(t) : NaN;
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

/** Converts a shorthand value to the field's shape. */
function fromShorthand(shape: Shape, v: ShorthandValue, option: string, opts: ParseOptions): unknown {
  if (isScalar(shape)) {
    if (typeof v !== 'string') fail(option, `expected a single ${shape.kind} value, got ${Array.isArray(v) ? 'a list' : 'a structure'}`);
    return scalarFromText(shape, v, option, opts);
  }
  switch (shape.kind) {
    case 'list': {
      const items = Array.isArray(v) ? v : [v];
      return items.map((x) => fromShorthand(shape.element, x, option, opts));
    }
    case 'map': {
      if (typeof v !== 'object' || Array.isArray(v)) fail(option, 'expected key=value pairs');
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromShorthand(shape.value, x, option, opts)]));
    }
    case 'structure': {
      if (typeof v !== 'object' || Array.isArray(v)) fail(option, `expected ${shape.members.map((m) => `${m.name}=…`).join(',')}`);
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => {
          const member = shape.members.find((m) => m.name === k);
          if (!member) fail(option, `Unknown key '${k}', valid keys are: ${shape.members.map((m) => m.name).join(', ')}`);
          return [k, fromShorthand(member.shape, x, option, opts)];
        }),
      );
    }
    default:
      return v;
  }
}

/**
 * Converts a JSON value to the field's shape: base64 strings become bytes
 * where the shape is a blob; everything else is passed on as it is, for the
 * service's schema to accept or refuse (a ValidationException).
 */
export function fromJson(shape: Shape, v: unknown, option: string, opts: ParseOptions): unknown {
  switch (shape.kind) {
    case 'blob':
      return typeof v === 'string' ? blobFromText(v, option, opts) : v;
    case 'timestamp':
      return typeof v === 'string' || typeof v === 'number' ? (parseTimestamp(String(v)) ?? v) : v;
    case 'list':
      return Array.isArray(v) ? v.map((x) => fromJson(shape.element, x, option, opts)) : v;
    case 'map':
      return isPlainObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromJson(shape.value, x, option, opts)])) : v;
    case 'structure': {
      if (!isPlainObject(v)) return v;
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => {
          const member = shape.members.find((m) => m.name === k);
          return [k, member ? fromJson(member.shape, x, option, opts) : x];
        }),
      );
    }
    default:
      return v;
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function shorthand<T>(option: string, text: string, parse: (t: string, what: string) => T): T {
  try {
    return parse(text, `The value of ${option}`);
  } catch (e) {
    if (e instanceof ShorthandError) fail(option, `${e.message}\nUse shorthand (Key=value,Key2=value2) or JSON.`);
    throw e;
  }
}

/** The value of one option, from the tokens that followed it on the command line. */
export function parseOptionValue(field: Field, tokens: readonly string[], opts: ParseOptions): unknown {
  const { option, shape } = field;
  if (shape.kind === 'list') {
    const out: unknown[] = [];
    for (const token of tokens) {
      const text = textOf(token, field, opts);
      if (looksLikeJson(text, '[')) {
        const v = parseJson(text, option);
        if (!Array.isArray(v)) fail(option, 'expected a JSON list');
        out.push(...(fromJson(shape, v, option, opts) as unknown[]));
      } else if (shape.element.kind === 'structure' || shape.element.kind === 'map') {
        const v = looksLikeJson(text, '{')
          ? fromJson(shape.element, parseJson(text, option), option, opts)
          : fromShorthand(shape.element, shorthand(option, text, parseShorthandHash), option, opts);
        out.push(v);
      } else {
        // an empty value is one empty element (`--grant-tokens ''` is [''], as the AWS CLI reads it), for the checks to name
        const items = isScalar(shape.element) && text !== '' ? shorthand(option, text, parseShorthandList) : [text];
        out.push(...items.map((x) => fromShorthand(shape.element, x, option, opts)));
      }
    }
    return out;
  }
  if (tokens.length !== 1) fail(option, `expected one value, got ${tokens.length}`);
  const token = tokens[0] ?? '';
  if (shape.kind === 'blob') {
    const f = loadParamFile(token, option, opts.cwd, readLimitOf(field));
    if (!f) return blobFromText(token, option, opts);
    return f.kind === 'bytes' ? f.bytes : utf8(f.text);
  }
  const text = textOf(token, field, opts);
  switch (shape.kind) {
    case 'map':
    case 'structure':
      return looksLikeJson(text, '{')
        ? fromJson(shape, parseJson(text, option), option, opts)
        : fromShorthand(shape, shorthand(option, text, parseShorthandHash), option, opts);
    case 'unknown':
      return parseJson(text, option);
    default:
      return scalarFromText(shape, text, option, opts);
  }
}

/** What help texts show as an option's value syntax. */
export function valueSyntax(field: Field): string {
  const { shape } = field;
  switch (shape.kind) {
    case 'boolean':
      return '';
    case 'blob':
      return '<fileb://path | file://path | base64>';
    case 'string':
      return shape.choices ? `<${shape.choices.join(' | ')}>` : '<value>';
    case 'integer':
      return '<integer>';
    case 'timestamp':
      return '<timestamp>';
    case 'map':
      return 'key=value,key2=value2 | {"key":"value"}';
    case 'structure':
      return shape.members.map((m) => `${m.name}=${m.shape.kind}`).join(',');
    case 'list':
      if (shape.element.kind === 'structure') return `${shape.element.members.map((m) => `${m.name}=${m.shape.kind}`).join(',')} ...`;
      return `<${describeShape(shape.element)}> ...`;
    default:
      return '<json>';
  }
}
