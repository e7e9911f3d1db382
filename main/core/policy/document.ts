// Policy documents in AWS JSON syntax (IAM User Guide, "IAM JSON policy
// elements reference" and "IAM JSON policy grammar"; KMS Developer Guide,
// "Key policy format"). Parsing validates everything and compiles the parts
// evaluation needs — wildcard sets, ARN patterns, principal sets, condition
// clauses — so evaluate() never re-reads JSON.
//
// Key policies (resource policies) must name a Principal or NotPrincipal;
// identity policies must not (IAM: "You cannot use the Principal element in
// an identity-based policy"). Anything else malformed, unknown, over 32 KiB
// or nested deeper than input-bounds.ts allows is
// MalformedPolicyDocumentException with the JSON path at fault.
import { PARTITION } from '../codecs/arn.js';
import { isKmsError } from '../errors.js';
import { parseJsonInput } from '../service/input-bounds.js';
import { compileCondition, type CompiledCondition } from './conditions.js';
import { child, describe, isObject, malformed } from './json-path.js';
import { isAccountId, parsePrincipalArn } from './principals.js';
import { compileArnPattern, compilePatternSet, type ArnPattern, type PatternSet } from './wildcard.js';

/** KMS key policies and IAM policies are both limited to 32 KiB (KMS "Key policy format": "up to 32 kilobytes (32,768 bytes)"). */
export const MAX_POLICY_BYTES = 32_768;

export type PolicyKind = 'key' | 'identity';
export type PolicyVersion = '2012-10-17' | '2008-10-17';
export type Effect = 'Allow' | 'Deny';

/** Service prefixes Strongroom authorizes: KMS, and its own IAM, STS, audit, tenant and approval APIs. */
export const SERVICE_PREFIXES: ReadonlySet<string> = new Set(['kms', 'iam', 'sts', 'audit', 'tenant', 'approval']);

export interface PrincipalSet {
  /** "*" or {"AWS": "*"}: every principal */
  readonly any: boolean;
  /** user ARNs, exactly as written */
  readonly users: ReadonlySet<string>;
  /** accounts named by root ARN or bare 12-digit id */
  readonly accounts: ReadonlySet<string>;
  /** the entries as written, for display */
  readonly values: readonly string[];
}

export interface Statement {
  /** position in the Statement array (0 when Statement was a single object) */
  readonly index: number;
  /** JSON path of the statement, e.g. "Statement[2]" */
  readonly path: string;
  /** `statement "Sid" (Statement[2])`, precomputed for decision reasons */
  readonly label: string;
  readonly sid: string | undefined;
  readonly effect: Effect;
  /** key policies only */
  readonly principal: PrincipalSet | undefined;
  /** true when the principal came from NotPrincipal */
  readonly notPrincipal: boolean;
  /** action patterns, lower-cased; match with a lower-cased action */
  readonly actions: PatternSet;
  readonly notAction: boolean;
  readonly actionPatterns: readonly string[];
  readonly resources: readonly ArnPattern[];
  /** some Resource entry is "*" */
  readonly anyResource: boolean;
  readonly notResource: boolean;
  readonly resourcePatterns: readonly string[];
  readonly condition: CompiledCondition | undefined;
}

export interface PolicyDocument {
  readonly kind: PolicyKind;
  readonly version: PolicyVersion;
  readonly id: string | undefined;
  readonly statements: readonly Statement[];
  /** the document as parsed JSON, for display and re-serialisation */
  readonly source: Readonly<Record<string, unknown>>;
}

export const parseKeyPolicy = (json: string): PolicyDocument => parsePolicy(json, 'key');
export const parseIdentityPolicy = (json: string): PolicyDocument => parsePolicy(json, 'identity');

const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_FIELDS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);

export function parsePolicy(json: string, kind: PolicyKind): PolicyDocument {
  if (typeof json !== 'string') throw malformed('', 'the policy document must be a JSON string');
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > MAX_POLICY_BYTES) {
    throw malformed('', `the policy document is ${bytes} bytes; the limit is ${MAX_POLICY_BYTES} bytes (32 KiB) of UTF-8`);
  }
  let root: unknown;
  try {
    root = parseJsonInput(json, 'the policy document', { maxBytes: MAX_POLICY_BYTES, refuse: (m) => malformed('', m) });
  } catch (e) {
    if (isKmsError(e)) throw e;
    throw malformed('', `the policy document is not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(root)) throw malformed('', `the policy document must be a JSON object, got ${describe(root)}`);
  for (const key of Object.keys(root)) {
    if (!TOP_LEVEL.has(key)) throw malformed(child('', key), 'unknown policy element; expected Version, Id or Statement');
  }

  // Version is optional in AWS and then means 2008-10-17, which has no policy variables (IAM "Version").
  const version = root.Version === undefined ? '2008-10-17' : root.Version;
  if (version !== '2012-10-17' && version !== '2008-10-17') {
    throw malformed('Version', `expected "2012-10-17" or "2008-10-17", got ${describe(root.Version)}`);
  }
  if (root.Id !== undefined && typeof root.Id !== 'string') throw malformed('Id', `expected a string, got ${describe(root.Id)}`);

  const raw = root.Statement;
  if (raw === undefined) throw malformed('Statement', 'required element is missing');
  let list: { value: unknown; path: string }[];
  if (Array.isArray(raw)) list = raw.map((value, i) => ({ value, path: child('Statement', i) }));
  else if (isObject(raw)) list = [{ value: raw, path: 'Statement' }];
  else throw malformed('Statement', `expected a statement object or an array of them, got ${describe(raw)}`);

  const sids = new Map<string, string>();
  const statements = list.map(({ value, path }, index) => {
    const st = parseStatement(value, path, index, kind, version);
    if (st.sid) {
      const earlier = sids.get(st.sid);
      if (earlier) throw malformed(child(path, 'Sid'), `duplicate Sid ${JSON.stringify(st.sid)} (also at ${earlier}); Sids must be unique within a policy`);
      sids.set(st.sid, path);
    }
    return st;
  });
  return Object.freeze({ kind, version, id: root.Id as string | undefined, statements: Object.freeze(statements), source: root });
}

function parseStatement(raw: unknown, path: string, index: number, kind: PolicyKind, version: PolicyVersion): Statement {
  if (!isObject(raw)) throw malformed(path, `expected a statement object, got ${describe(raw)}`);
  for (const key of Object.keys(raw)) {
    if (!STATEMENT_FIELDS.has(key)) {
      throw malformed(child(path, key), 'unknown statement element; expected Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource, NotResource or Condition');
    }
  }

  const sid = raw.Sid;
  if (sid !== undefined) {
    if (typeof sid !== 'string') throw malformed(child(path, 'Sid'), `expected a string, got ${describe(sid)}`);
    // IAM: "The Sid element supports ASCII uppercase letters (A-Z), lowercase
    // letters (a-z), and numbers (0-9)". Key policies allow more (the
    // console's own Sids have spaces).
    if (kind === 'identity' && !/^[A-Za-z0-9]*$/.test(sid)) {
      throw malformed(child(path, 'Sid'), `in an identity policy a Sid may hold only letters A-Z, a-z and digits, got ${describe(sid)}`);
    }
  }

  const effect = raw.Effect;
  if (effect === undefined) throw malformed(child(path, 'Effect'), 'required element is missing');
  if (effect !== 'Allow' && effect !== 'Deny') throw malformed(child(path, 'Effect'), `expected "Allow" or "Deny", got ${describe(effect)}`);

  const principalField = exactlyOne(raw, path, 'Principal', 'NotPrincipal', kind === 'key');
  if (kind === 'identity' && principalField) {
    throw malformed(child(path, principalField), `${principalField} is not allowed in an identity policy; it applies to the user or group it is attached to`);
  }
  if (principalField === 'NotPrincipal' && effect === 'Allow') {
    // IAM "NotPrincipal": "NotPrincipal must be used with "Effect":"Deny". Using it with "Effect":"Allow" is not supported."
    throw malformed(child(path, 'NotPrincipal'), 'NotPrincipal may only be used with "Effect": "Deny"');
  }
  const principal = principalField ? parsePrincipal(raw[principalField], child(path, principalField)) : undefined;

  const actionField = exactlyOne(raw, path, 'Action', 'NotAction', true)!;
  const actionPatterns = stringList(raw[actionField], child(path, actionField)).map((a, i) => checkAction(a, listPath(path, actionField, i, raw[actionField])));

  const resourceField = exactlyOne(raw, path, 'Resource', 'NotResource', true)!;
  const resourcePatterns = stringList(raw[resourceField], child(path, resourceField));
  const resources = resourcePatterns.map((r, i) => checkResource(r, listPath(path, resourceField, i, raw[resourceField]), version));

  const condition = raw.Condition === undefined ? undefined : compileCondition(raw.Condition, child(path, 'Condition'), version === '2012-10-17');

  return Object.freeze({
    index,
    path,
    label: typeof sid === 'string' && sid !== '' ? `statement ${JSON.stringify(sid)} (${path})` : `statement ${path}`,
    sid: sid as string | undefined,
    effect,
    principal,
    notPrincipal: principalField === 'NotPrincipal',
    actions: compilePatternSet(actionPatterns, true),
    notAction: actionField === 'NotAction',
    actionPatterns,
    resources,
    anyResource: resources.some((r) => r.any),
    notResource: resourceField === 'NotResource',
    resourcePatterns,
    condition,
  });
}

/** Which of two mutually exclusive elements is present; throws if both, or neither when `required`. */
function exactlyOne(raw: Record<string, unknown>, path: string, a: string, b: string, required: boolean): string | undefined {
  const hasA = raw[a] !== undefined;
  const hasB = raw[b] !== undefined;
  if (hasA && hasB) throw malformed(child(path, b), `a statement may have ${a} or ${b}, not both`);
  if (!hasA && !hasB && required) throw malformed(child(path, a), `required element is missing (give ${a} or ${b})`);
  return hasA ? a : hasB ? b : undefined;
}

/** Path of entry `i` of a string-or-array element. */
const listPath = (path: string, field: string, i: number, raw: unknown): string =>
  Array.isArray(raw) ? child(child(path, field), i) : child(path, field);

/** A string or a non-empty array of strings. */
function stringList(raw: unknown, path: string): string[] {
  if (typeof raw === 'string') return [raw];
  if (!Array.isArray(raw)) throw malformed(path, `expected a string or an array of strings, got ${describe(raw)}`);
  if (raw.length === 0) throw malformed(path, 'expected at least one entry');
  raw.forEach((v, i) => {
    if (typeof v !== 'string') throw malformed(child(path, i), `expected a string, got ${describe(v)}`);
  });
  return raw as string[];
}

const ACTION = /^([A-Za-z0-9-]+):([A-Za-z0-9*?]+)$/;

/** "*" or service:Action with `*`/`?` wildcards (IAM "Action"); the service prefix must be one Strongroom has. */
function checkAction(action: string, path: string): string {
  if (action === '*') return action;
  const m = ACTION.exec(action);
  if (!m) throw malformed(path, `expected "*" or "service:Action" (e.g. "kms:Encrypt", "kms:Get*"), got ${describe(action)}`);
  if (!SERVICE_PREFIXES.has(m[1]!.toLowerCase())) {
    throw malformed(path, `unknown service prefix ${JSON.stringify(m[1])}; expected one of ${[...SERVICE_PREFIXES].join(', ')}`);
  }
  return action;
}

/** "*" or an ARN in the strongroom partition, wildcards allowed in each component (IAM "Resource"). */
function checkResource(resource: string, path: string, version: PolicyVersion): ArnPattern {
  if (version === '2012-10-17' && resource.includes('${')) {
    // Policy variables in Resource are AWS syntax Strongroom does not
    // substitute; refusing beats matching the literal text.
    throw malformed(path, 'policy variables are not supported in Resource');
  }
  const pattern = compileArnPattern(resource);
  const partition = resource.split(':')[1];
  if (!pattern || (!pattern.any && partition !== PARTITION && partition !== '*')) {
    throw malformed(path, `expected "*" or an ARN such as "arn:${PARTITION}:kms:<region>:<account>:key/<key-id>", got ${describe(resource)}`);
  }
  return pattern;
}

/** IAM user ids (model.ts newUserId), as a deleted principal reads in a policy. */
const UNIQUE_ID = /^AIDA[A-Z0-9]{16}$/;

/** "*", {"AWS": "*"}, or {"AWS": account-id | root ARN | user ARN | [ … ]} (IAM "Principal", AWS account and IAM user principals). */
function parsePrincipal(raw: unknown, path: string): PrincipalSet {
  if (raw === '*') return { any: true, users: new Set(), accounts: new Set(), values: ['*'] };
  if (!isObject(raw)) throw malformed(path, `expected "*" or {"AWS": …}, got ${describe(raw)}`);
  const keys = Object.keys(raw);
  for (const k of keys) {
    if (k !== 'AWS') throw malformed(child(path, k), `principal type ${JSON.stringify(k)} is not supported; use "AWS"`);
  }
  if (keys.length === 0) throw malformed(child(path, 'AWS'), 'required element is missing');
  const awsPath = child(path, 'AWS');
  const values = stringList(raw.AWS, awsPath);
  const users = new Set<string>();
  const accounts = new Set<string>();
  let any = false;
  values.forEach((v, i) => {
    const at = Array.isArray(raw.AWS) ? child(awsPath, i) : awsPath;
    if (v === '*') any = true;
    else if (isAccountId(v)) accounts.add(v);
    else {
      const p = parsePrincipalArn(v);
      if (!p && UNIQUE_ID.test(v)) {
        // what GetKeyPolicy shows for a deleted user (core/policy/principal-binding.ts); AWS refuses it too ("invalid principal")
        throw malformed(at, `${describe(v)} is the unique id of a user that was deleted, which names no one: remove it, or name an existing user by its ARN`);
      }
      if (!p) {
        throw malformed(
          at,
          `expected "*", a 12-digit account id, arn:${PARTITION}:iam::<account>:root or arn:${PARTITION}:iam::<account>:user/<name>, got ${describe(v)}`,
        );
      }
      if (p.kind === 'root') accounts.add(p.account);
      else users.add(v);
    }
  });
  return { any, users, accounts, values };
}
