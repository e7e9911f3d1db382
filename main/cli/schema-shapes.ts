// Reads an operation's zod input schema into the shapes the CLI needs: for
// each field its option name, whether it is required, its description, and
// its kind (blob, string, integer, boolean, map, list, structure), which
// decides how its value is parsed from the command line. Nothing here is
// written per operation: a new operation in the table gets its command,
// options and help from its schema alone.
import { z } from 'zod';
import { negatedOptionName, optionName } from './names.js';

// `min` is the schema's least length (strings, lists) or value (numbers):
// the one constraint the AWS CLI checks before calling (param-validation.ts).
export type Shape =
  | { readonly kind: 'blob' }
  | { readonly kind: 'string'; readonly choices?: readonly string[]; readonly min?: number }
  | { readonly kind: 'integer'; readonly min?: number }
  | { readonly kind: 'number'; readonly min?: number }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'timestamp' }
  | { readonly kind: 'map'; readonly value: Shape; readonly key?: Shape }
  | { readonly kind: 'list'; readonly element: Shape; readonly min?: number }
  | { readonly kind: 'structure'; readonly members: readonly Field[] }
  | { readonly kind: 'unknown' };

export interface Field {
  /** the AWS field name: `KeyId` */
  readonly name: string;
  /** `--key-id` */
  readonly option: string;
  /** `--no-multi-region`, for booleans only */
  readonly negatedOption?: string;
  readonly required: boolean;
  readonly description: string;
  readonly shape: Shape;
  /**
   * A passphrase field (zod meta `passphrase`): never a command-line option.
   * 'new' comes from STRONGROOM_NEW_PASSPHRASE or a prompt, 'current' is the
   * passphrase the caller signed in with (main/core/operations/fields.ts).
   */
  readonly passphrase?: 'new' | 'current';
  /** a blob's most bytes (fields.ts blob()), when stated */
  readonly maxBytes?: number;
  /** a string's most characters (z.string().max(), UTF-16 code units as zod counts), when stated */
  readonly maxLength?: number;
}

type AnySchema = z.core.$ZodType;

interface Meta {
  description?: string;
  blob?: boolean;
  /** a blob's most bytes */
  maxBytes?: number;
  passphrase?: 'new' | 'current';
}

function metaOf(schema: AnySchema): Meta {
  const m = z.globalRegistry.get(schema) as Record<string, unknown> | undefined;
  return {
    ...(typeof m?.['description'] === 'string' ? { description: m['description'] } : {}),
    ...(m?.['blob'] === true ? { blob: true } : {}),
    ...(typeof m?.['maxBytes'] === 'number' ? { maxBytes: m['maxBytes'] } : {}),
    ...(m?.['passphrase'] === 'new' || m?.['passphrase'] === 'current' ? { passphrase: m['passphrase'] } : {}),
  };
}

/** Peels optional/default/nullable/readonly wrappers, collecting their metadata (outermost wins). (The fuzz tests' arbitraries read schemas through it too.) */
export function unwrap(schema: AnySchema): { inner: AnySchema; optional: boolean; meta: Meta } {
  let s = schema;
  let optional = false;
  const meta: Meta = {};
  for (;;) {
    const m = metaOf(s);
    meta.description ??= m.description;
    meta.blob ||= m.blob;
    meta.maxBytes ??= m.maxBytes;
    meta.passphrase ??= m.passphrase;
    const def = s._zod.def;
    if (def.type === 'optional' || def.type === 'default' || def.type === 'prefault') {
      optional = true;
      s = (def as z.core.$ZodOptionalDef).innerType;
    } else if (def.type === 'nullable' || def.type === 'readonly' || def.type === 'nonoptional' || def.type === 'catch') {
      s = (def as z.core.$ZodNullableDef).innerType;
    } else if (def.type === 'pipe') {
      // A pipe's input side is what a caller gives, unless it is only a
      // guard (a custom check or transform): then the output side has the shape.
      const { in: input, out } = def as z.core.$ZodPipeDef;
      const t = input._zod.def.type;
      s = (t === 'custom' || t === 'transform' || t === 'any' || t === 'unknown') && !metaOf(input).blob ? out : input;
    } else break;
  }
  return { inner: s, optional, meta };
}

/**
 * The least length or value a schema's checks allow (zod v4 keeps them in
 * def.checks: min_length, length_equals, greater_than), or undefined. An
 * exclusive bound on an integer (`.positive()`) is the next integer; on a
 * non-integer it has no inclusive equivalent and is left to the service.
 */
function minOf(schema: AnySchema, integer = false): number | undefined {
  let min: number | undefined;
  for (const c of schema._zod.def.checks ?? []) {
    const d = c._zod.def as { check: string; minimum?: number; length?: number; value?: unknown; inclusive?: boolean };
    let m: number | undefined;
    if (d.check === 'min_length') m = d.minimum;
    else if (d.check === 'length_equals') m = d.length;
    else if (d.check === 'greater_than' && typeof d.value === 'number') m = d.inclusive ? d.value : integer ? Math.floor(d.value) + 1 : undefined;
    if (m !== undefined) min = min === undefined ? m : Math.max(min, m);
  }
  return min;
}

const withMin = <T extends Shape>(shape: T, min: number | undefined): T => (min === undefined ? shape : { ...shape, min });

function shapeOf(schema: AnySchema, meta: Meta): Shape {
  if (meta.blob) return { kind: 'blob' };
  const def = schema._zod.def;
  switch (def.type) {
    case 'string':
      return withMin({ kind: 'string' }, minOf(schema));
    case 'enum':
      return { kind: 'string', choices: Object.values((def as z.core.$ZodEnumDef).entries).map(String) };
    case 'literal':
      return { kind: 'string', choices: (def as z.core.$ZodLiteralDef<z.core.util.Literal>).values.map(String) };
    case 'number': {
      // z.number().int() sets format 'safeint' (zod v4 ZodNumber.format)
      const format = (schema as { format?: string | null }).format ?? '';
      const integer = format.includes('int');
      return withMin({ kind: integer ? 'integer' : 'number' }, minOf(schema, integer));
    }
    case 'int':
      return withMin({ kind: 'integer' }, minOf(schema, true));
    case 'boolean':
      return { kind: 'boolean' };
    case 'date':
      return { kind: 'timestamp' };
    case 'record': {
      const value = unwrap((def as z.core.$ZodRecordDef).valueType);
      const key = unwrap((def as z.core.$ZodRecordDef).keyType);
      return { kind: 'map', value: shapeOf(value.inner, value.meta), key: shapeOf(key.inner, key.meta) };
    }
    case 'array': {
      const element = unwrap((def as z.core.$ZodArrayDef).element);
      return withMin({ kind: 'list', element: shapeOf(element.inner, element.meta) }, minOf(schema));
    }
    case 'object':
      return { kind: 'structure', members: fieldsOf(schema) };
    default:
      return { kind: 'unknown' };
  }
}

/** The fields of an object schema, in declaration order. */
export function fieldsOf(schema: AnySchema): Field[] {
  const { inner } = unwrap(schema);
  const def = inner._zod.def;
  if (def.type !== 'object') return [];
  return Object.entries((def as z.core.$ZodObjectDef).shape).map(([name, s]) => {
    const { inner: fieldSchema, optional, meta } = unwrap(s);
    const shape = shapeOf(fieldSchema, meta);
    const maxLength = shape.kind === 'string' ? (fieldSchema as { maxLength?: number | null }).maxLength : undefined;
    return {
      name,
      option: optionName(name),
      ...(shape.kind === 'boolean' ? { negatedOption: negatedOptionName(name) } : {}),
      required: !optional,
      description: meta.description ?? '',
      shape,
      ...(meta.passphrase ? { passphrase: meta.passphrase } : {}),
      ...(shape.kind === 'blob' && meta.maxBytes !== undefined ? { maxBytes: meta.maxBytes } : {}),
      ...(typeof maxLength === 'number' ? { maxLength } : {}),
    };
  });
}

/** `blob`, `string`, `integer`, `map`, `list of structures`, … as help texts print it. */
export function describeShape(shape: Shape): string {
  switch (shape.kind) {
    case 'map':
      return `map of ${describeShape(shape.value)}`;
    case 'list':
      return shape.element.kind === 'structure' ? 'list of structures' : `list of ${describeShape(shape.element)}`;
    default:
      return shape.kind;
  }
}

/** True for shapes whose value is a single scalar token. */
export const isScalar = (shape: Shape): boolean =>
  shape.kind === 'blob' ||
  shape.kind === 'string' ||
  shape.kind === 'integer' ||
  shape.kind === 'number' ||
  shape.kind === 'boolean' ||
  shape.kind === 'timestamp';
