// The one error model. Every failure a caller can see is a KmsError whose
// `name` is the AWS KMS exception name, so the CLI, the IPC bridge and any
// later HTTP endpoint all match on the same value. Messages say what was
// wrong and how to fix it; they never carry key material.

export const ERROR_NAMES = [
  'AccessDeniedException',
  'AlreadyExistsException',
  'ApprovalRequiredException',
  'DependencyTimeoutException',
  'DisabledException',
  'IncorrectKeyException',
  'InvalidAliasNameException',
  'InvalidArnException',
  'InvalidCiphertextException',
  'InvalidKeyUsageException',
  'InvalidMarkerException',
  'KMSInternalException',
  'KMSInvalidStateException',
  'KMSInvalidMacException',
  'KMSInvalidSignatureException',
  'LimitExceededException',
  'MalformedPolicyDocumentException',
  'InvalidImportTokenException',
  'ExpiredImportTokenException',
  /** STS's: a sign-in session (the CLI's `login`) past its expiration */
  'ExpiredTokenException',
  'IncorrectKeyMaterialException',
  'InvalidGrantTokenException',
  'InvalidGrantIdException',
  'PasswordPolicyViolationException',
  'EntityAlreadyExistsException',
  'NoSuchEntityException',
  'DeleteConflictException',
  'DryRunOperationException',
  'NotFoundException',
  'TagException',
  'UnsupportedOperationException',
  'ValidationException',
] as const;

type ErrorName = (typeof ERROR_NAMES)[number];

/**
 * Errors that are Strongroom's own fault: logged, and their message is generic.
 * DependencyTimeoutException is a fault in AWS's model (HTTP 500, retried by
 * the SDKs), but here it means another program holds the vault's lock: its
 * message names that program and is meant for the user, so it is not one.
 */
const SERVER_FAULTS: ReadonlySet<ErrorName> = new Set(['KMSInternalException']);

export class KmsError extends Error {
  override readonly name: ErrorName;
  constructor(name: ErrorName, message: string) {
    super(message);
    this.name = name;
  }
  get fault(): 'client' | 'server' {
    return SERVER_FAULTS.has(this.name) ? 'server' : 'client';
  }
  toJSON(): { name: ErrorName; message: string } {
    return { name: this.name, message: this.message };
  }
}

export const isKmsError = (e: unknown): e is KmsError => e instanceof KmsError;

/**
 * A call the tenant's approval rules hold (core/approvals/): nothing ran, and
 * an approval request now holds its input. The request id is in the message
 * and, for adapters to read, in `approvalRequestId`.
 */
export class ApprovalRequiredError extends KmsError {
  constructor(
    message: string,
    readonly approvalRequestId: string,
  ) {
    super('ApprovalRequiredException', message);
  }
  override toJSON(): { name: ErrorName; message: string; approvalRequestId: string } {
    return { ...super.toJSON(), approvalRequestId: this.approvalRequestId };
  }
}

/**
 * Turns anything thrown into a KmsError safe to cross a process boundary.
 * Unknown errors become KMSInternalException with a generic message: their
 * text may hold paths, SQL or bytes, so it is for the local log only.
 */
export function toKmsError(e: unknown): KmsError {
  if (isKmsError(e)) return e;
  return new KmsError('KMSInternalException', 'An internal error occurred; see the Strongroom log for details.');
}

/** The most of a caller's text a message repeats. */
const SHOWN_MAX = 256;

/**
 * A caller's value as an error message repeats it: whole up to 256
 * characters, else its start and its length. A message says what was
 * wrong; it does not carry a megabyte of input to stderr and into the
 * audit record (found by test/fuzz: a 1 MiB AliasName or PolicyArn came
 * back whole in the message).
 */
export function shown(value: string): string {
  if (value.length <= SHOWN_MAX) return value;
  // never end on half a surrogate pair
  const cut = /[\uD800-\uDBFF]$/.test(value.slice(0, SHOWN_MAX)) ? SHOWN_MAX - 1 : SHOWN_MAX;
  return `${value.slice(0, cut)}…(${value.length} characters)`;
}

// Shorthands for the errors raised most often.
export const notFound = (m: string) => new KmsError('NotFoundException', m);
export const validation = (m: string) => new KmsError('ValidationException', m);
export const invalidCiphertext = (m: string) => new KmsError('InvalidCiphertextException', m);
export const accessDenied = (m: string) => new KmsError('AccessDeniedException', m);
