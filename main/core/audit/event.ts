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
  /** the session the call was made in (a `strongroom login` session, core/service/sessions.ts), as CloudTrail names temporary credentials */
  accessKeyId?: string;
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

/** Values under these names are secrets: replaced by REDACTED whatever their type (except booleans and dates). Words: a paper share's; AgeIdentity: an age secret key. */
const SECRET_NAME = /plaintext|passphrase|password|secret|privatekey|^(raw)?keymaterial$|^rawkey$|sessiontoken|credential|^words$|ageidentity/i;
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

const blobDigest = (bytes: Uint8Array): JsonObject => ({ length: bytes.length, sha256: sha256Hex(bytes) });
const stringDigest = (s: string): JsonObject => ({ length: s.length, sha256: sha256Hex(s) });

/** Whether a member of this name holds a secret (redacted whatever its value; approval rules never hold such an input). */
export const isSecretName = (name: string) => SECRET_NAME.test(name) && !NOT_SECRET.test(name);
const isTokenName = (name: string) => TOKEN_NAME.test(name) && !PAGINATION.test(name);

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
 * being cleaned above this one (a cycle is written "[circular]").
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
    // Members in canonical order (RFC 8785 §3.2.3: the default sort compares UTF-16 code units), for canonicalJson's fast path (chain.ts).
    const keys = Object.keys(source).sort();
    const out: JsonObject = {};
    for (const k of keys) {
      const m: Mode = isSecretName(k) ? 'secret' : isTokenName(k) || mode === 'token' ? 'token' : 'plain';
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
 * every operation but ListKeyDetails, whose response keeps only what
 * ListKeys' would (listedKeysOnly).
 */
export function redact(operation: string, input: unknown, output: unknown): { requestParameters: JsonObject | null; responseElements: JsonObject | null } {
  return { requestParameters: cleanTop(input), responseElements: cleanTop(operation === 'ListKeyDetails' ? listedKeysOnly(output) : output) };
}

/**
 * ListKeyDetails (core/kms/key-details.ts) answers a page of up to 1,000
 * keys with their metadata, which is the vault's own data: its record keeps
 * what ListKeys' would (each key's id and ARN, and the paging), not ~1 MB of
 * metadata per page.
 */
function listedKeysOnly(output: unknown): unknown {
  const o = output as { Keys?: unknown } | undefined;
  if (!o || !Array.isArray(o.Keys)) return output;
  return { ...o, Keys: o.Keys.map((k: { KeyId?: unknown; KeyArn?: unknown }) => ({ KeyId: k?.KeyId, KeyArn: k?.KeyArn })) };
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
  /** the session id of a call made in a `strongroom login` session */
  accessKeyId?: string | undefined;
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
  /** facts about the call beyond its request and response (an approval request it created or ran) */
  additionalEventData?: JsonObject | undefined;
}

/** Builds the record of one call, redacting its input and output. */
export function buildEvent(spec: EventSpec): AuditEvent {
  const { requestParameters, responseElements } = redact(spec.operation, spec.input, spec.error ? undefined : spec.output);
  const service = spec.action?.includes(':') ? spec.action.slice(0, spec.action.indexOf(':')) : 'kms';
  const caller = spec.caller;
  const key = caller?.accessKeyId !== undefined ? { accessKeyId: caller.accessKeyId } : {};
  const userIdentity: UserIdentity = !caller
    ? { type: 'Unauthenticated' }
    : caller.userName === undefined || caller.arn.endsWith(':root')
      ? { ...key, accountId: caller.account, arn: caller.arn, type: 'Root' }
      : { ...key, accountId: caller.account, arn: caller.arn, type: 'IAMUser', userName: caller.userName };
  const arns = spec.resources ?? keyArnsIn(requestParameters, responseElements);
  // members in canonical (RFC 8785) order, so that canonicalJson takes its fast path (chain.ts)
  return {
    ...(spec.additionalEventData ? { additionalEventData: spec.additionalEventData } : {}),
    awsRegion: spec.region,
    errorCode: spec.error?.name,
    errorMessage: spec.error?.message,
    eventID: spec.eventId ?? randomUUID(),
    eventName: spec.operation,
    eventSource: `${service}.${EVENT_SOURCE_DOMAIN}`,
    eventTime: new Date(spec.time).toISOString(),
    eventType: 'AwsApiCall',
    eventVersion: EVENT_VERSION,
    readOnly: spec.readOnly ?? isReadOnlyOperation(spec.operation),
    recipientAccountId: spec.account,
    requestID: spec.requestId ?? randomUUID(),
    requestParameters,
    resources: arns.map((ARN) => ({ ARN, accountId: arnAccount(ARN) ?? spec.account, type: 'AWS::KMS::Key' })),
    responseElements,
    sourceType: spec.source,
    userIdentity,
  };
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
    eventTime: new Date(spec.time).toISOString(),
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

/**
 * The record of something done to the vault as a whole, not by a signed-in
 * user of one tenant: custody re-established from recovery shares on a new
 * machine, a vault restored from a backup. It goes into every tenant's
 * trail, since each tenant's history is what its auditor reads. The
 * details (vault id, split id, source file hash) are additionalEventData.
 */
export function buildVaultEvent(spec: { time: number; operation: string; account: string; region: string; details: JsonObject; source: SourceType }): AuditEvent {
  return {
    additionalEventData: spec.details,
    awsRegion: spec.region,
    eventID: randomUUID(),
    eventName: spec.operation,
    eventSource: `vault.${EVENT_SOURCE_DOMAIN}`,
    eventTime: new Date(spec.time).toISOString(),
    eventType: 'AwsServiceEvent',
    eventVersion: EVENT_VERSION,
    readOnly: false,
    recipientAccountId: spec.account,
    requestID: randomUUID(),
    requestParameters: null,
    resources: [],
    responseElements: null,
    sourceType: spec.source,
    userIdentity: { invokedBy: `vault.${EVENT_SOURCE_DOMAIN}`, type: 'AWSService' },
  };
}

/** The key ARN the store indexes an event under (its first resource), or null. */
export const primaryKeyArn = (e: AuditEvent): string | null => e.resources[0]?.ARN ?? null;
