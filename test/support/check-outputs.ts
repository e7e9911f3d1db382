// Every operation output the test suite sees is checked against the
// contract's output schema (issue 10): a vitest setup file (vitest.config.ts)
// wraps Service.call and Service.dispatch, and AppSession.run and
// AppSession.dispatch for the app operations, so no test can forget. An output
// that fails its schema, carries a member its schema does not declare, or
// has its members in another order than its schema's (AWS's order, which the
// CLI prints: main/api/member-order.ts), fails the call that returned it,
// with the operation and the path named.
import { isDeepStrictEqual } from 'node:util';
import { CONTRACT, isOperationName } from '../../main/api/index.js';
import { inSchemaOrder } from '../../main/api/member-order.js';
import { Service } from '../../main/core/service/service.js';
import { AppSession } from '../../main/session/app-session.js';

/** Throws unless `output` is exactly what the operation's output schema describes. */
export function checkOutput(name: string, output: unknown): void {
  if (!isOperationName(name)) return;
  const parsed = CONTRACT[name].output.safeParse(output);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(output)'}: ${i.message}`).join('; ');
    throw new Error(`the output of ${name} does not fit its schema: ${issues}`);
  }
  // zod drops members an object schema does not declare; what it kept must be all there was
  if (!isDeepStrictEqual(withoutUndefined(parsed.data), withoutUndefined(output))) {
    throw new Error(`the output of ${name} has members its schema does not declare: ${JSON.stringify(output, (_k, v: unknown) => (v instanceof Uint8Array ? `<${v.length} bytes>` : v))}`);
  }
  const order = memberPaths(output);
  const expected = memberPaths(inSchemaOrder(CONTRACT[name].output, output));
  if (order.join() !== expected.join()) {
    throw new Error(`the output of ${name} has its members out of its schema's order: ${order.join(', ')}; expected ${expected.join(', ')}`);
  }
}

/** Every member's path, in the order a walk of the value meets them (the order JSON prints them in). */
function memberPaths(v: unknown, path = ''): string[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => memberPaths(x, `${path}[${i}]`));
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array || v instanceof Date) return [];
  return Object.entries(v).flatMap(([k, x]) => [`${path}.${k}`, ...memberPaths(x, `${path}.${k}`)]);
}

/** Plain data with members whose value is undefined left out (a schema cannot tell them from absent ones). */
function withoutUndefined(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutUndefined);
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array || v instanceof Date) return v instanceof Uint8Array ? Buffer.from(v) : v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, withoutUndefined(x)]));
}

const { call, dispatch } = Service.prototype;
Service.prototype.call = async function (this: Service, caller, name, input) {
  const out = await call.call(this, caller, name, input);
  checkOutput(name, out);
  return out;
} as typeof call;
Service.prototype.dispatch = async function (this: Service, caller, name, input) {
  const out = await dispatch.call(this, caller, name, input);
  checkOutput(name, out);
  return out;
};

const app = { run: AppSession.prototype.run, dispatch: AppSession.prototype.dispatch };
AppSession.prototype.run = async function (this: AppSession, name, input, events) {
  const out = await app.run.call(this, name, input, events);
  checkOutput(name, out);
  return out;
} as typeof app.run;
AppSession.prototype.dispatch = async function (this: AppSession, name, input, events) {
  const out = await app.dispatch.call(this, name, input, events);
  checkOutput(name, out);
  return out;
};
