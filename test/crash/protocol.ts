// What the crash test's parent and its workers say to each other (see
// worker.ts and harness.ts). The parent hands a worker a plan (a JSON file:
// the vault and the keys and aliases it may work on); the worker writes one
// JSON line per event to its standard output, synchronously, so a line the
// parent reads is a fact that happened before the kill:
//   {"ready": …}                      signed in, about to start calls
//   {"start": n, "op": …, …}          call n is about to be made
//   {"ack": n, …}                     call n resolved (its result, as the caller saw it)
//   {"fail": n, "name", "message"}    call n was refused
// A call with a start line and no ack or fail line was in flight at the kill.
import { TEST_ARGON2 } from '../support/vault.js';

export const ADMIN_PASSPHRASE = 'crash test admin passphrase';
export const VAULT_PASSPHRASE = 'crash test vault passphrase';
export const REGION = 'local-1';
/** Cheap Argon2id for the admin's passphrase (custody keeps the real cost, as in production). */
export const SERVICE_OPTIONS = { argon2: TEST_ARGON2 };
/** What every acknowledged Encrypt encrypts; a decrypt must give it back. */
export const PLAINTEXT = 'crash test plaintext: acknowledged means durable';
/** The tag every TagResource sets (its value is a counter). */
export const TAG_KEY = 'crash-counter';
/** Days a scheduled deletion waits: far beyond any run, so no key is ever destroyed. */
export const PENDING_WINDOW_DAYS = 30;

export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';
/** The key specs the workers create: symmetric, and an ECC signing key now and then. */
export type Spec = 'SYMMETRIC_DEFAULT' | 'ECC_NIST_P256';

export interface PlanKey {
  keyId: string;
  spec: Spec;
  state: KeyState;
}

export interface Plan {
  vaultDir: string;
  /** this worker's number: its alias names and policy ids carry it, so every value is unique */
  worker: number;
  seed: number;
  /** calls kept in flight at once */
  lanes: number;
  /** keys and aliases whose state the parent knows for certain */
  keys: PlanKey[];
  aliases: { aliasName: string; keyId: string; spec: Spec }[];
}

export type Call =
  | { op: 'CreateKey'; spec: Spec }
  | { op: 'CreateAlias'; aliasName: string; keyId: string }
  | { op: 'UpdateAlias'; aliasName: string; keyId: string; from: string }
  | { op: 'ScheduleKeyDeletion' | 'CancelKeyDeletion' | 'DisableKey' | 'EnableKey'; keyId: string }
  | { op: 'Encrypt'; keyId: string }
  | { op: 'PutKeyPolicy'; keyId: string; policyId: string }
  | { op: 'TagResource'; keyId: string; value: string };

export type Line =
  | { ready: true; account: string; pid: number }
  | ({ start: number } & Call)
  | { ack: number; keyId?: string; keyArn?: string; ciphertext?: string }
  | { fail: number; name: string; message: string };

/** The key policy a PutKeyPolicy writes: the account root may do everything (passes the lockout check); `Id` tells one from another. */
export function policyDocument(account: string, policyId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Id: policyId,
    Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:strongroom:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
  });
}

/** The `Id` of a stored policy document; 'default' for the policy CreateKey wrote (which has none of ours). */
export function policyIdOf(policy: string): string {
  try {
    const id = (JSON.parse(policy) as { Id?: unknown }).Id;
    return typeof id === 'string' && id.startsWith('crash-') ? id : 'default';
  } catch {
    return `unparseable policy`;
  }
}

/** Seeded PRNG (mulberry32): the same seed gives the same choices, so a failing run can be retried. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
