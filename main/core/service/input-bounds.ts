// How deep and how big any input a caller hands Strongroom may be: JSON text
// (--cli-input-json, JSON option values, file:// documents, key and identity
// policies, audit exports given to `audit verify`) and request objects
// (service.call, which the IPC bridge feeds objects, not text). Code that
// walks a value recursively — JSON.stringify, RFC 8785 canonicalization, the
// audit record's redaction, zod, the CLI's conversions — overflows the stack
// a few thousand levels down. These checks run first and never go deeper
// than the limit themselves, so a value nested thousands deep is a
// ValidationException (for a policy, MalformedPolicyDocumentException) that
// names the limit, not a crash. Each limit is far above what a real request
// needs; its comment says where it comes from.
import { validation, type KmsError } from '../errors.js';

/**
 * Containers (objects, arrays) nested inside each other. The deepest input an
 * operation takes is a key policy's Condition values, 6 levels down (document
 * → Statement → statement → Condition → operator → a key's values); a record
 * line of an audit export nests about 35 (the record's redaction keeps 32
 * levels, audit/event.ts MAX_DEPTH).
 */
export const MAX_INPUT_DEPTH = 64;

/**
 * Bytes of JSON text. The largest request is a 4 MiB Plaintext, or the
 * ciphertext of one, written as base64 in --cli-input-json: about 5.6 MiB
 * (operations/cryptographic.ts MAX_PLAINTEXT). Policy documents have their
 * own, smaller limit: AWS's 32 KiB (policy/document.ts MAX_POLICY_BYTES).
 */
export const MAX_JSON_BYTES = 16 * 1024 * 1024;

/**
 * Values (containers and scalars; a binary value counts as one) in a request
 * object. The most a valid request holds is an encryption context at AWS's
 * 8 KiB limit (encryption-context.ts): at most about 8,200 one-byte pairs,
 * 16,400 values.
 */
export const MAX_INPUT_VALUES = 100_000;

const OPEN_BRACE = 0x7b; // {
const OPEN_BRACKET = 0x5b; // [
const CLOSE_BRACE = 0x7d; // }
const CLOSE_BRACKET = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/** The refusal of a value nested deeper than MAX_INPUT_DEPTH, naming the limit. */
export const tooDeepMessage = (what: string): string =>
  `${what} is nested more than ${MAX_INPUT_DEPTH} levels deep, Strongroom's limit (no request needs more than a few levels).`;

/**
 * Why `text` may not be parsed as JSON — larger than `maxBytes` of UTF-8, or
 * nested deeper than MAX_INPUT_DEPTH — or undefined when it may. One pass
 * over the text, no recursion; text that is not JSON passes, for JSON.parse
 * to name its syntax error.
 */
export function jsonTextProblem(text: string, what: string, maxBytes: number = MAX_JSON_BYTES): string | undefined {
  // UTF-8 takes at least one byte per UTF-16 unit: only a long text needs counting
  if (text.length > maxBytes || (3 * text.length > maxBytes && Buffer.byteLength(text, 'utf8') > maxBytes)) {
    return `${what} is more than ${maxBytes} bytes, Strongroom's limit.`;
  }
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > MAX_INPUT_DEPTH) return tooDeepMessage(what);
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return undefined;
}

interface JsonInputOptions {
  /** default MAX_JSON_BYTES */
  maxBytes?: number;
  /** the error a text over a limit is refused with; default ValidationException */
  refuse?: (message: string) => KmsError;
}

/**
 * JSON.parse for text from a caller, once jsonTextProblem finds nothing:
 * the result nests at most MAX_INPUT_DEPTH deep. Text over a limit is
 * refused with `refuse(message)`; text that is not JSON throws JSON.parse's
 * SyntaxError, for the caller to word as it words bad syntax.
 */
export function parseJsonInput(text: string, what: string, options: JsonInputOptions = {}): unknown {
  const problem = jsonTextProblem(text, what, options.maxBytes);
  if (problem !== undefined) throw (options.refuse ?? validation)(problem);
  return JSON.parse(text);
}

const OK = 0;
const TOO_DEEP = 1;
const TOO_MANY = 2;
type Walk = typeof OK | typeof TOO_DEEP | typeof TOO_MANY;

/**
 * Why a value may not be taken — nested deeper than MAX_INPUT_DEPTH (a cycle
 * is refused as too deep) or holding more than MAX_INPUT_VALUES values — or
 * undefined when it may. Binary values and dates are leaves; the members of
 * anything else are its elements (arrays, Sets), its values (Maps) or its
 * own enumerable property values, as zod and the redaction read them.
 */
export function inputValueProblem(value: unknown, what: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = walk(value, 1, { values: 1 });
  return r === OK ? undefined : r === TOO_DEEP ? tooDeepMessage(what) : tooManyMessage(what);
}

/**
 * Recursive, but it descends only while depth < MAX_INPUT_DEPTH, so it cannot
 * overflow the stack; it runs on every service call (~50 ns for Encrypt's input).
 */
function walk(v: object, depth: number, count: { values: number }): Walk {
  if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer || v instanceof Date) return OK;
  let members: ArrayLike<unknown>;
  if (Array.isArray(v)) members = v; // its length is counted before any member is read: a sparse array may claim 2^32 - 1
  else if (v instanceof Map || v instanceof Set) {
    if (count.values + v.size > MAX_INPUT_VALUES) return TOO_MANY;
    members = [...v.values()];
  } else members = Object.values(v);
  if ((count.values += members.length) > MAX_INPUT_VALUES) return TOO_MANY;
  for (let i = 0; i < members.length; i++) {
    const m = members[i];
    if (typeof m !== 'object' || m === null) continue;
    if (depth >= MAX_INPUT_DEPTH) return TOO_DEEP;
    const r = walk(m, depth + 1, count);
    if (r !== OK) return r;
  }
  return OK;
}

/** inputValueProblem as a ValidationException: what service.call checks each request with before anything else reads it. */
export function checkInputValue(value: unknown, what: string): void {
  const problem = inputValueProblem(value, what);
  if (problem !== undefined) throw validation(problem);
}

const tooManyMessage = (what: string): string =>
  `${what} holds more than ${MAX_INPUT_VALUES} values, Strongroom's limit (the largest valid request holds about 16,400).`;
