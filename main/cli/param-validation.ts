// The checks the AWS CLI makes on a request before calling anything:
// botocore's ParamValidator (botocore/validate.py), read from the same
// contract schemas the service checks (schema-shapes.ts), so there is one
// source of the limits. It checks, and words as botocore does:
//
//   required members    Missing required parameter in Tags[0]: "TagValue"
//   unknown members     Unknown parameter in input: "Foo", must be one of: KeyId, GrantTokens
//   types               Invalid type for parameter KeyId, value: 5, type: <class 'int'>, valid types: <class 'str'>
//   least lengths       Invalid length for parameter KeyId, value: 0, valid min length: 1
//   least values        Invalid value for parameter Limit, value: 0, valid min value: 1
//
// and nothing more: botocore checks no maximum, no enum value, no pattern
// and no blob length, so those are the service's to refuse (a
// ValidationException, exit 254). The CLI prints the report after
// "Parameter validation failed:" and exits 252.
import type { Field, Shape } from './schema-shapes.js';

/** A request the AWS CLI would not send (exit 252, no usage printed). */
export class ParamValidationError extends Error {
  override readonly name = 'ParamValidationError';
  constructor(readonly problems: readonly string[]) {
    super(`Parameter validation failed:\n${problems.join('\n')}`);
  }
}

/** Python's repr() of a JSON value, as botocore's messages show values inside lists and dicts. */
function pyRepr(v: unknown): string {
  if (typeof v === 'string') {
    const quote = v.includes("'") && !v.includes('"') ? '"' : "'";
    const body = [...v]
      .map((c) => {
        if (c === '\\') return '\\\\';
        if (c === quote) return `\\${c}`;
        if (c === '\n') return '\\n';
        if (c === '\r') return '\\r';
        if (c === '\t') return '\\t';
        const code = c.codePointAt(0) ?? 0;
        return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : c;
      })
      .join('');
    return `${quote}${body}${quote}`;
  }
  return pyStr(v);
}

/** Python's str() of a JSON value (json.loads's types): None, True, 5, 0.5, [1, 'a'], {'k': 'v'}. */
function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  return String(v);
}

/** Python's type() of a JSON value, as json.loads makes it. */
function pyType(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (Array.isArray(v)) return 'list';
  return 'dict';
}

const isDict = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Date);
/** bool is a subclass of int in Python, so botocore takes true for an integer */
const isPyInt = (v: unknown): boolean => typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v));

class Report {
  readonly problems: string[] = [];
  /** botocore's name for the top level is `input`, a member's its path (`Tags[0].TagKey`) */
  private static label = (path: string): string => (path === '' ? 'input' : path);

  missing(path: string, member: string): void {
    this.problems.push(`Missing required parameter in ${Report.label(path)}: "${member}"`);
  }
  unknown(path: string, member: string, valid: readonly string[]): void {
    this.problems.push(`Unknown parameter in ${Report.label(path)}: "${member}", must be one of: ${valid.join(', ')}`);
  }
  type(path: string, value: unknown, valid: readonly string[], secret = false): void {
    // a blob may hold a secret (a plaintext): its value is not echoed, though botocore would
    const shown = secret ? '(not shown)' : pyStr(value);
    this.problems.push(`Invalid type for parameter ${path}, value: ${shown}, type: <class '${pyType(value)}'>, valid types: ${valid.join(', ')}`);
  }
  length(path: string, length: number, min: number): void {
    this.problems.push(`Invalid length for parameter ${path}, value: ${length}, valid min length: ${min}`);
  }
  range(path: string, value: unknown, min: number): void {
    this.problems.push(`Invalid value for parameter ${path}, value: ${pyStr(value)}, valid min value: ${min}`);
  }
}

const STR = ["<class 'str'>"];
const INT = ["<class 'int'>"];
const FLOAT = ["<class 'float'>", "<class 'decimal.Decimal'>", "<class 'int'>"];
const BOOL = ["<class 'bool'>"];
const LIST = ["<class 'list'>", "<class 'tuple'>"];
const DICT = ["<class 'dict'>"];
const BLOB = ["<class 'bytes'>", "<class 'bytearray'>", 'file-like object'];
const TIMESTAMP = ["<class 'datetime.datetime'>", 'timestamp-string'];

function checkStructure(members: readonly Field[], value: Record<string, unknown>, path: string, report: Report, skip: readonly string[] = []): void {
  for (const m of members) if (m.required && value[m.name] === undefined && !skip.includes(m.name)) report.missing(path, m.name);
  const valid = members.map((m) => m.name);
  const known: Field[] = [];
  for (const k of Object.keys(value)) {
    const m = members.find((x) => x.name === k);
    if (m) known.push(m);
    else report.unknown(path, k, valid);
  }
  for (const m of known) check(m.shape, value[m.name], path === '' ? m.name : `${path}.${m.name}`, report);
}

function check(shape: Shape, v: unknown, path: string, report: Report): void {
  switch (shape.kind) {
    case 'string':
      if (typeof v !== 'string') return report.type(path, v, STR);
      if (shape.min !== undefined && v.length < shape.min) report.length(path, v.length, shape.min);
      return;
    case 'integer':
      if (!isPyInt(v)) return report.type(path, v, INT);
      if (shape.min !== undefined && Number(v) < shape.min) report.range(path, v, shape.min);
      return;
    case 'number':
      if (typeof v !== 'number' && typeof v !== 'boolean') return report.type(path, v, FLOAT);
      if (shape.min !== undefined && Number(v) < shape.min) report.range(path, v, shape.min);
      return;
    case 'boolean':
      if (typeof v !== 'boolean') report.type(path, v, BOOL);
      return;
    case 'blob':
      // a base64 string from JSON is bytes by now (parse-values.ts fromJson); botocore checks no blob length
      if (!(v instanceof Uint8Array) && typeof v !== 'string') report.type(path, v, BLOB, true);
      return;
    case 'timestamp':
      if (!(v instanceof Date)) report.type(path, v, TIMESTAMP);
      return;
    case 'list':
      if (!Array.isArray(v)) return report.type(path, v, LIST);
      if (shape.min !== undefined && v.length < shape.min) report.length(path, v.length, shape.min);
      v.forEach((x, i) => check(shape.element, x, `${path}[${i}]`, report));
      return;
    case 'map':
      if (!isDict(v)) return report.type(path, v, DICT);
      for (const [k, x] of Object.entries(v)) {
        if (shape.key) check(shape.key, k, `${path} (key: ${k})`, report);
        check(shape.value, x, `${path}.${k}`, report);
      }
      return;
    case 'structure':
      if (!isDict(v)) return report.type(path, v, DICT);
      checkStructure(shape.members, v, path, report);
      return;
    default:
      return;
  }
}

/**
 * Checks a request as botocore does before sending it; throws
 * ParamValidationError listing every problem. `members` are all the input's
 * members (passphrase ones too, for the list of valid names); `skip` are
 * required members the CLI fills itself later (a passphrase, a hash asked at
 * the terminal).
 */
export function validateParams(members: readonly Field[], input: Record<string, unknown>, skip: readonly string[] = []): void {
  const report = new Report();
  checkStructure(members, input, '', report, skip);
  if (report.problems.length) throw new ParamValidationError(report.problems);
}
