// The order of an output's members is its schema's: each operation's output
// schema declares its members in the order of AWS's API model (botocore's
// service-2.json), which is the order AWS's JSON responses have, botocore
// parses them into, and the AWS CLI prints (test/api/aws-model-conformance
// .test.ts checks the schemas against the model). Handlers build their
// results in whatever order reads best; the service puts every output in
// its schema's order once, so every adapter (CLI, desktop, audit record)
// shows the same order. Node-free: part of the contract.
import type { z } from 'zod';

type Schema = z.core.$ZodType;

/** A schema without its optional/nullable/default/readonly wrappers (a pipe: its output side). */
function bare(schema: Schema): Schema {
  let s = schema;
  for (;;) {
    const def = s._zod.def as z.core.$ZodTypeDef & { innerType?: Schema; out?: Schema };
    if (def.type === 'pipe' && def.out) s = def.out;
    else if (def.innerType && ['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch'].includes(def.type)) s = def.innerType;
    else return s;
  }
}

/** A plain data object (not a date, a byte array, or an instance of a class, which are left as they are) */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * `value` with the members of every object in it in the order `schema`
 * declares them (members the schema does not know keep their place after
 * those it does). Byte arrays and dates are the same objects, not copies.
 */
export function inSchemaOrder(schema: Schema, value: unknown): unknown {
  const s = bare(schema);
  const def = s._zod.def;
  if (def.type === 'object' && isPlainObject(value)) {
    const shape = (def as z.core.$ZodObjectDef).shape;
    const members: [string, unknown][] = [];
    for (const [name, member] of Object.entries(shape)) if (Object.hasOwn(value, name)) members.push([name, inSchemaOrder(member, value[name])]);
    for (const [name, v] of Object.entries(value)) if (!Object.hasOwn(shape, name)) members.push([name, v]);
    // (fromEntries defines own members: a '__proto__' name stays a member, never a prototype)
    return Object.fromEntries(members);
  }
  if (def.type === 'array' && Array.isArray(value)) {
    const element = (def as z.core.$ZodArrayDef).element;
    return value.map((v) => inSchemaOrder(element, v));
  }
  if (def.type === 'record' && isPlainObject(value)) {
    const valueType = (def as z.core.$ZodRecordDef).valueType;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inSchemaOrder(valueType, v)]));
  }
  return value;
}
