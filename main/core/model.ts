// The records the core works with. The store persists them; the core never
// sees how. Times are epoch milliseconds.
import type { PassphraseHash } from './crypto/argon2.js';

export const KEY_STATES = ['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport', 'Unavailable'] as const;
export type KeyState = (typeof KEY_STATES)[number];

export const KEY_SPECS = ['SYMMETRIC_DEFAULT'] as const;
export type KeySpec = (typeof KEY_SPECS)[number];

export const KEY_USAGES = ['ENCRYPT_DECRYPT'] as const;
export type KeyUsage = (typeof KEY_USAGES)[number];

export type Origin = 'AWS_KMS';
export type RotationType = 'AUTOMATIC' | 'ON_DEMAND';

export interface TenantRecord {
  account: string;
  name: string;
  createdAt: number;
  /** the tenant key sealed under the vault master key */
  wrappedKey: Buffer;
}

export interface UserRecord {
  account: string;
  userName: string;
  passphrase: PassphraseHash;
  createdAt: number;
}

export interface KeyRecord {
  account: string;
  region: string;
  keyId: string;
  description: string;
  keySpec: KeySpec;
  keyUsage: KeyUsage;
  origin: Origin;
  state: KeyState;
  createdAt: number;
  deletionDate: number | null;
  pendingWindowDays: number | null;
  rotationPeriodDays: number | null; // null: automatic rotation disabled
  nextRotationAt: number | null;
  currentVersion: number;
}

export interface MaterialRecord {
  account: string;
  keyId: string;
  version: number;
  /** the material sealed under the tenant key; see core/key-material.ts for the binding */
  wrapped: Buffer;
  createdAt: number;
  /** how this version came to be; null for the key's first material */
  rotationType: RotationType | null;
}

export interface AliasRecord {
  account: string;
  region: string;
  aliasName: string;
  keyId: string;
  createdAt: number;
  updatedAt: number;
}

export interface Tag {
  TagKey: string;
  TagValue: string;
}
