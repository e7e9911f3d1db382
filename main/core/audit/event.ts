// The audit record: one per service call, shaped like an AWS CloudTrail
// event (CloudTrail User Guide, "CloudTrail record contents", eventVersion
// 1.08), and the redaction that decides what of a call's input and output
// may be written into it.
//
// Redaction is generic: it goes by field name and value type, never by a
// per-operation list, so an operation added later is covered without edits.
//   - secrets (field names matching SECRET_NAME: Plaintext, PrivateKeyPlaintext,
//     Passphrase, NewPassphrase, Password, SharedSecret, KeyMaterial, …) become
//     the string "[redacted]": not even a hash, since a hash of a short
//     plaintext or passphrase can be brute-forced;
//   - tokens (GrantToken(s), ImportToken, …) become {sha256, length}, so
//     calls can be correlated without the token being usable;
//   - binary values (Uint8Array, Buffer, ArrayBuffer) become {sha256, length}:
//     CiphertextBlob, Signature, Mac, Message, PublicKey, EncryptedKeyMaterial;
//   - Dates become ISO-8601 strings; bigints decimal strings; everything
//     else that JSON can hold is kept as it is (KeyId, EncryptionContext,
//     Policy, Tags, KeySpec, …), as CloudTrail keeps it.
// Decisions on the borderline fields: Mac and Signature are authenticators
// of a message, not secrets, so they are kept as hashes like any blob;
// Message is kept only as a hash; EncryptedKeyMaterial and
// PrivateKeyCiphertextBlob are ciphertexts (hashed); GrantTokens are hashed.
import { hash, randomUUID } from 'node:crypto';
import { arnAccount } from '../policy/wildcard.js';

export const EVENT_VERSION = '1.08';
/** the partition's service host names: kms.strongroom.local, iam.strongroom.local, … */
export const EVENT_SOURCE_DOMAIN = 'strongroom.local';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** AWSService: Strongroom itself, for what it does on its own (a scheduled deletion falling due, automatic rotation) */
export type IdentityType = 'IAMUser' | 'Root' | 'Unauthenticated' | 'AWSService';
export type SourceType = 'cli' | 'desktop' | 'sdk';

export interface UserIdentity {
  type: IdentityType;
  arn?: string;
  accountId?: string;
  /** the user's unique id (sign-in records, audit/sign-in-event.ts) */
  principalId?: string;
  userName?: string;
  /** for AWSService: the service that acted (kms.strongroom.local) */
  invokedBy?: string;
}

export interface AuditResource {
  ARN: string;
  type: string;
  accountId: string;
}

/** One CloudTrail-shaped record. Only JSON values: it is hashed as RFC 8785 canonical JSON. */
export interface AuditEvent {
  eventVersion: string;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  userIdentity: UserIdentity;
  sourceType: SourceType;
  /** AwsServiceEvent: something Strongroom did on its own, not a call; AwsConsoleSignIn: a sign-in (audit/sign-in-event.ts) */
  eventType: 'AwsApiCall' | 'AwsServiceEvent' | 'AwsConsoleSignIn';
  /** facts about the event that are not request or response (CloudTrail's additionalEventData): sign-ins, service events, recovered records */
  additionalEventData?: JsonObject;
  requestParameters: JsonObject | null;
  responseElements: JsonObject | null;
  errorCode?: string;
  errorMessage?: string;
  requestID: string;
  eventID: string;
  resources: AuditResource[];
  readOnly: boolean;
  recipientAccountId: string;
}

// ---------------------------------------------------------------- redaction

export const REDACTED = '[redacted]';

/** Values under these names are secrets: replaced by REDACTED whatever their type (except booleans and dates). */
const SECRET_NAME = /plaintext|passphrase|password|secret|privatekey|^(raw)?keymaterial$|^rawkey$|sessiontoken|credential/i;
/** …unless the name says the value is a ciphertext or public: then the ordinary rules apply (blobs hashed). */
const NOT_SECRET = /ciphertext|encrypted|wrapped|^public/i;
/** Bearer tokens: kept only as a hash. Pagination tokens are not secrets. */
const TOKEN_NAME = /token/i;
const PAGINATION = /^(next)?(token|marker)$|^nexttoken$/i;

/** Strings longer than this are kept as a hash (a policy is at most 32 KiB). */
const MAX_STRING = 64 * 1024;
const MAX_DEPTH = 32;

export interface BlobDigest {
  sha256: string;
  length: number;
}

export const sha256Hex = (data: Uint8Array | string): string => hash('sha256', data, 'hex');

// Members in canonical order (length < sha256), so canonicalJson need not sort them.
const blobDigest = (bytes: Uint8Array): JsonObject => ({ length: bytes.length, sha256: sha256Hex(bytes) });
const stringDigest = (s: string): JsonObject => ({ length: s.length, sha256: sha256Hex(s) });

const isSecretName = (name: string) => SECRET_NAME.test(name) && !NOT_SECRET.test(name);
const isTokenName = (name: string) => TOKEN_NAME.test(name) && !PAGINATION.test(name);

/** What a field name says of its value, remembered: the same few names come back on every call. */
const nameKinds = new Map<string, 'secret' | 'token' | 'inherit'>();
function nameKind(name: string): 'secret' | 'token' | 'inherit' {
  let kind = nameKinds.get(name);
  if (kind === undefined) {
    kind = isSecretName(name) ? 'secret' : isTokenName(name) ? 'token' : 'inherit';
    if (nameKinds.size >= 1024) nameKinds.clear();
    nameKinds.set(name, kind);
  }
  return kind;
}

/**
 * Sorts member names by UTF-16 code units (RFC 8785 §3.2.3), in place. The
 * objects here have a handful of members, often already in order: an
 * insertion sort does that in a few comparisons, where Array.prototype.sort
 * costs ~0.5 µs to set up.
 */
function sortCodeUnits(keys: string[]): void {
  if (keys.length > 32) {
    keys.sort(); // the default order compares UTF-16 code units
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
}

function asBytes(v: unknown): Uint8Array | undefined {
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return undefined;
}

type Mode = 'plain' | 'secret' | 'token';

/**
 * Turns any value into a JSON value under the rules above. `mode` is
 * inherited downwards: everything under a secret name is a secret, every
 * string under a token name is hashed. Returns undefined for values JSON
 * drops (undefined, functions, symbols). `ancestors` holds the objects
 * being cleaned above this one (a cycle is written "[circular]"); it is a
 * short array rather than a Set, since this runs for every call.
 */
function clean(value: unknown, mode: Mode, depth: number, ancestors: object[]): JsonValue | undefined {
  switch (typeof value) {
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'boolean':
      return value;
    case 'number':
      return mode === 'secret' ? REDACTED : Number.isFinite(value) ? value : null;
    case 'bigint':
      return mode === 'secret' ? REDACTED : value.toString();
    case 'string':
      if (mode === 'secret') return REDACTED;
      return mode === 'token' || value.length > MAX_STRING ? stringDigest(value) : value;
  }
  if (value === null) return null;
  // binary first: most objects here are Buffers, and `instanceof Date` walks a Buffer's whole prototype chain
  const bytes = asBytes(value);
  if (bytes) return mode === 'secret' ? REDACTED : blobDigest(bytes);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (mode === 'secret') return REDACTED;
  if (typeof value !== 'object') return REDACTED;
  if (depth >= MAX_DEPTH) return '[truncated]';
  if (ancestors.includes(value)) return '[circular]';
  ancestors.push(value);
  try {
    if (Array.isArray(value) || value instanceof Set) {
      const out: JsonValue[] = [];
      for (const v of value as Iterable<unknown>) out.push(clean(v, mode, depth + 1, ancestors) ?? null);
      return out;
    }
    let source: Record<string, unknown>;
    if (value instanceof Map) {
      source = {};
      for (const [k, v] of value) setMember(source, String(k), v);
    } else {
      const proto = Object.getPrototypeOf(value) as unknown;
      // a class instance (a KeyObject, an Error, …) may hold anything: never written
      if (proto !== Object.prototype && proto !== null) return REDACTED;
      source = value as Record<string, unknown>;
    }
    const keys = Object.keys(source);
    // Members in canonical order (UTF-16 code units), so that canonicalJson can write the record as it is.
    sortCodeUnits(keys);
    const out: JsonObject = {};
    for (const k of keys) {
      const kind = nameKind(k);
      const m: Mode = kind === 'secret' ? 'secret' : kind === 'token' || mode === 'token' ? 'token' : 'plain';
      const c = clean(source[k], m, depth + 1, ancestors);
      if (c !== undefined) setMember(out, k, c);
    }
    return out;
  } finally {
    ancestors.pop();
  }
}

/** o[k] = v, also for k = "__proto__" (a JSON member name like any other, which plain assignment would take as the prototype). */
function setMember(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

function cleanTop(v: unknown): JsonObject | null {
  if (v === undefined || v === null) return null;
  const c = clean(v, 'plain', 0, []);
  if (c === undefined || c === null) return null;
  return typeof c === 'object' && !Array.isArray(c) ? c : { value: c };
}

/**
 * The requestParameters and responseElements of a call, with secrets
 * removed and blobs reduced to their SHA-256. Pure; never throws on odd
 * input. `operation` is the AWS operation name; the rules are the same for
 * every operation today, and it is the hook for an operation that ever
 * needs more.
 */
export function redact(operation: string, input: unknown, output: unknown): { requestParameters: JsonObject | null; responseElements: JsonObject | null } {
  void operation;
  return { requestParameters: cleanTop(input), responseElements: cleanTop(output) };
}

// ---------------------------------------------------------------- building events

/** Operation-name prefixes that change state; every other call is readOnly (as CloudTrail marks Encrypt, Decrypt, Describe*, List*, Get*). */
const WRITE_PREFIX =
  /^(Create|Delete|Put|Update|Enable|Disable|Schedule|Cancel|Tag|Untag|Retire|Revoke|Import|Replicate|Rotate|Connect|Disconnect|Change|Add|Remove|Attach|Detach|Set|Reset|Upload|Deactivate|Activate)/;
export const isReadOnlyOperation = (operation: string): boolean => !WRITE_PREFIX.test(operation);

const KEY_ARN = /^arn:[a-z0-9-]+:kms:[a-z0-9-]*:\d{12}:key\/[0-9A-Za-z-]{1,128}$/;

/** Key ARNs named anywhere in the (redacted) parameters or response, first seen first. */
export function keyArnsIn(...values: (JsonValue | null)[]): string[] {
  const found = new Set<string>();
  const walk = (v: JsonValue | null, depth: number) => {
    if (depth > 6 || v === null) return;
    if (typeof v === 'string') {
      if (KEY_ARN.test(v)) found.add(v);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, depth + 1));
    else if (typeof v === 'object') for (const x of Object.values(v)) walk(x, depth + 1);
  };
  values.forEach((v) => walk(v, 0));
  return [...found];
}

export interface EventCaller {
  account: string;
  arn: string;
  /** absent for the account root */
  userName?: string;
}

export interface EventSpec {
  /** when the call began (epoch ms or a Date) */
  time: number | Date;
  /** the AWS operation name: eventName */
  operation: string;
  /** the IAM action (kms:Encrypt, iam:CreateUser); its service names the eventSource. Default: kms */
  action?: string;
  region: string;
  /** the tenant whose trail receives the record (recipientAccountId) */
  account: string;
  /** the signed-in principal; undefined for a call that was not signed in */
  caller?: EventCaller | undefined;
  source: SourceType;
  input: unknown;
  /** the operation's output; undefined when it failed */
  output?: unknown;
  /** the KmsError the call ended with (name + message; the message never holds key material) */
  error?: { name: string; message: string } | undefined;
  /** ARNs of the keys the call touched; default (absent or undefined): the key ARNs found in the parameters and response */
  resources?: readonly string[] | undefined;
  requestId?: string;
  eventId?: string;
  readOnly?: boolean | undefined;
}

// toISOString costs ~0.45 µs, as much as the rest of an event's fixed fields; calls
// arriving together mostly share their millisecond, so the last one is remembered.
let lastMs = Number.NaN;
let lastIso = '';
function isoTime(t: number | Date): string {
  const ms = typeof t === 'number' ? t : t.getTime();
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString(); // throws RangeError for an invalid time, before anything is remembered
    lastMs = ms;
  }
  return lastIso;
}

/** Builds the record of one call, redacting its input and output. */
export function buildEvent(spec: EventSpec): AuditEvent {
  const { requestParameters, responseElements } = redact(spec.operation, spec.input, spec.error ? undefined : spec.output);
  const service = spec.action?.includes(':') ? spec.action.slice(0, spec.action.indexOf(':')) : 'kms';
  const caller = spec.caller;
  // Every object here is built with its members in canonical order (keys sorted by UTF-16
  // code units), so canonicalJson writes it without sorting anything.
  const userIdentity: UserIdentity = !caller
    ? { type: 'Unauthenticated' }
    : caller.userName === undefined || caller.arn.endsWith(':root')
      ? { accountId: caller.account, arn: caller.arn, type: 'Root' }
      : { accountId: caller.account, arn: caller.arn, type: 'IAMUser', userName: caller.userName };
  const arns = spec.resources ?? keyArnsIn(requestParameters, responseElements);
  const awsRegion = spec.region;
  const eventID = spec.eventId ?? randomUUID();
  const eventName = spec.operation;
  const eventSource = `${service}.${EVENT_SOURCE_DOMAIN}`;
  const eventTime = isoTime(spec.time);
  const readOnly = spec.readOnly ?? isReadOnlyOperation(spec.operation);
  const requestID = spec.requestId ?? randomUUID();
  const resources = arns.map((ARN) => ({ ARN, accountId: arnAccount(ARN) ?? spec.account, type: 'AWS::KMS::Key' }));
  const sourceType = spec.source;
  // Members in canonical (RFC 8785) order, so canonicalJson can take its JSON.stringify fast path,
  // added one by one: an object literal with a conditional spread (the error fields) is built on
  // V8's slow path as a dictionary, ~1 µs to make and twice as slow to serialise.
  const event = { awsRegion } as AuditEvent;
  if (spec.error) {
    event.errorCode = spec.error.name;
    event.errorMessage = spec.error.message;
  }
  event.eventID = eventID;
  event.eventName = eventName;
  event.eventSource = eventSource;
  event.eventTime = eventTime;
  event.eventType = 'AwsApiCall';
  event.eventVersion = EVENT_VERSION;
  event.readOnly = readOnly;
  event.recipientAccountId = spec.account;
  event.requestID = requestID;
  event.requestParameters = requestParameters;
  event.resources = resources;
  event.responseElements = responseElements;
  event.sourceType = sourceType;
  event.userIdentity = userIdentity;
  return event;
}

/**
 * The record of something Strongroom did on its own in a tenant, as
 * CloudTrail records what AWS KMS does on its own: a scheduled deletion
 * falling due (DeleteKey), automatic rotation (RotateKey), imported
 * material expiring (DeleteExpiredKeyMaterial). No caller, no request.
 */
export function buildServiceEvent(spec: { time: number; operation: string; account: string; region: string; keyArn: string; source: SourceType; requestId: string }): AuditEvent {
  return {
    additionalEventData: { keyId: spec.keyArn.slice(spec.keyArn.lastIndexOf('/') + 1) },
    awsRegion: spec.region,
    eventID: randomUUID(),
    eventName: spec.operation,
    eventSource: `kms.${EVENT_SOURCE_DOMAIN}`,
    eventTime: isoTime(spec.time),
    eventType: 'AwsServiceEvent',
    eventVersion: EVENT_VERSION,
    readOnly: false,
    recipientAccountId: spec.account,
    requestID: spec.requestId,
    requestParameters: null,
    resources: [{ ARN: spec.keyArn, accountId: spec.account, type: 'AWS::KMS::Key' }],
    responseElements: null,
    sourceType: spec.source,
    userIdentity: { invokedBy: `kms.${EVENT_SOURCE_DOMAIN}`, type: 'AWSService' },
  };
}

/** The key ARN the store indexes an event under (its first resource), or null. */
export const primaryKeyArn = (e: AuditEvent): string | null => e.resources[0]?.ARN ?? null;
