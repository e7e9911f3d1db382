// What a handler gets: who is calling, in which account and region, the
// time the call began, the repository, and the key helpers that apply
// AWS's rules (resolve KeyId, authorize, key-state checks).
import type { Scope } from './arn.js';
import type { KeyMaterials } from './key-material.js';
import type { KeyRecord, TenantRecord } from './model.js';
import type { VaultRepository } from './ports.js';

export type CallSource = 'cli' | 'desktop' | 'sdk';

/** A signed-in principal. Only Service.signIn makes these; call() refuses any other object. */
export interface Caller {
  readonly account: string;
  readonly region: string;
  readonly userName: string;
  readonly arn: string;
  readonly source: CallSource;
}

export interface OpContext {
  readonly caller: Caller;
  readonly scope: Scope;
  /** when the call began, epoch ms; one value for the whole call */
  readonly now: number;
  readonly repo: VaultRepository;
  readonly materials: KeyMaterials;
  /** the IAM action of the operation being run */
  readonly action: string;
  /**
   * Resolves a KeyId argument (id, ARN, alias, alias ARN) to a live key the
   * caller may run this operation on. Due deletions and rotations happen
   * here, so a key past its deletion date is NotFound at once.
   */
  key(ref: string, opts?: { allowAlias?: boolean; action?: string }): Promise<KeyRecord>;
  /** Authorizes an action that has no key resource (CreateKey, ListKeys, …). */
  authorize(action?: string): Promise<void>;
  /**
   * Resolves a key id or key ARN (no aliases, as AWS's management actions
   * take), then in one write transaction re-reads the key, applies `change`
   * (which may throw to refuse) and stores the result.
   */
  mutateKey(ref: string, change: (key: KeyRecord) => KeyRecord, opts?: { allowAlias?: boolean }): Promise<KeyRecord>;
  /** The caller's tenant record (for sealing new key material). */
  tenant(): Promise<TenantRecord>;
  /** Destroys keys past their deletion date and rotates keys past their rotation date. */
  runDueWork(): Promise<void>;
}
