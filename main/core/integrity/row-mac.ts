// The database file alone is not trusted (DESIGN §3, issue 9). Someone who
// can write strongroom.db but not the keychain must gain nothing, so every
// row that decides access carries a MAC: HMAC-SHA-256 (RFC 2104) under a key
// derived from the vault master key (crypto/subkeys.ts), over the row's
// kind and the canonical JSON (RFC 8785) of everything in it, its account
// and id included. A row edited, forged, or copied onto another row, user,
// key or tenant fails, and is refused with a message naming it.
//
// Rows that can be deleted to gain access (a group membership or an
// identity policy that carries a Deny) are covered by their owner's MAC: a
// user's covers its groups and its policies, a group's its policies
// (RowMac.user, RowMac.group), so taking one away breaks the owner's.
import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../audit/chain.js';
import { sha256Hex } from '../audit/event.js';
import { KmsError } from '../errors.js';
import type { AliasRecord, ApprovalDecisionRecord, ApprovalRequestRecord, GrantRecord, GroupRecord, IdentityPolicyRecord, KeyRecord, TenantRecord, UserRecord } from '../model.js';

type RowKind = 'tenant' | 'user' | 'group' | 'key' | 'alias' | 'grant' | 'custody' | 'recovery' | 'intent' | 'approval-request' | 'approval-decision';

export const MAC_LENGTH = 32;

/** A user's or group's identity policies as their owner's MAC covers them. */
const policyRefs = (ps: readonly IdentityPolicyRecord[]) =>
  ps
    .map((p) => ({ kind: p.kind, name: p.policyName, document: p.document === null ? null : sha256Hex(p.document) }))
    .sort((a, b) => (a.kind === b.kind ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.kind < b.kind ? -1 : 1));

/** The refusal of a row that fails its MAC (or has none). */
export function tampered(what: string): KmsError {
  return new KmsError(
    'KMSInternalException',
    `${what} fails its integrity check: the vault file was changed outside Strongroom. Nothing was done with it; restore the vault from a backup.`,
  );
}

export class RowMac {
  readonly #key: KeyObject;

  constructor(key: KeyObject) {
    if (key.symmetricKeySize !== 32) throw new RangeError(`expected a 32-byte MAC key, got length=${key.symmetricKeySize}`);
    this.#key = key;
  }

  /** The MAC of a row of `kind` holding `fields` (a JSON value naming the row and all it holds). */
  tag(kind: RowKind, fields: unknown): Buffer {
    return createHmac('sha256', this.#key).update(`strongroom/row/v1\0${kind}\0`).update(canonicalJson(fields)).digest();
  }

  /** Throws tampered(what) unless the stored MAC is the expected one (a row's tag, computed from what was read). */
  static check(expected: Buffer, stored: Uint8Array | null | undefined, what: string): void {
    if (!stored || stored.length !== MAC_LENGTH || !timingSafeEqual(expected, stored)) throw tampered(what);
  }

  /** A tenant row, with its approval rules when it has any (a tenant sealed before rules existed keeps its MAC). */
  tenant(t: TenantRecord): Buffer {
    const { approvals, ...rest } = t;
    const fields = { ...rest, wrappedKey: t.wrappedKey.toString('base64') };
    return this.tag('tenant', approvals ? { ...fields, approvals } : fields);
  }

  /**
   * A user row, with the groups it belongs to and the identity policies
   * attached to or inlined in it. A login profile's creation date is
   * covered only when there is one: users sealed before migration 0008
   * (which added it) had none, and their MACs still check; a date added,
   * removed or changed outside Strongroom changes what is MAC'd.
   */
  user(u: UserRecord, groups: readonly string[], policies: readonly IdentityPolicyRecord[]): Buffer {
    const { loginProfileCreatedAt, ...rest } = u;
    const user = loginProfileCreatedAt === null ? rest : u;
    return this.tag('user', { user, groups: [...groups].sort(), policies: policyRefs(policies) });
  }

  /** A group row, with its identity policies. */
  group(g: GroupRecord, policies: readonly IdentityPolicyRecord[]): Buffer {
    return this.tag('group', { group: g, policies: policyRefs(policies) });
  }

  key(k: KeyRecord): Buffer {
    return this.tag('key', k);
  }

  alias(a: AliasRecord): Buffer {
    return this.tag('alias', a);
  }

  grant(g: GrantRecord): Buffer {
    return this.tag('grant', g);
  }

  /** An approval request (core/approvals/request.ts), its status included: a rejected request cannot be made pending again by editing it. */
  approvalRequest(r: ApprovalRequestRecord): Buffer {
    return this.tag('approval-request', r);
  }

  /** An approver's decision, naming the request and the hash decided on: it cannot be forged, nor moved to another request or user. */
  approvalDecision(d: ApprovalDecisionRecord): Buffer {
    return this.tag('approval-decision', d);
  }

  /** An audit intent (ports.ts AuditIntent): recovery appends only what the vault itself wrote. */
  intent(requestId: string, account: string, eventJson: string): Buffer {
    return this.tag('intent', { requestId, account, eventJson });
  }

  /** The vault's custody record (custody/vault-master-key.ts), as stored. */
  custody(vaultId: string, recordJson: string): Buffer {
    return this.tag('custody', { vaultId, record: recordJson });
  }

  /** The vault's recovery record (custody/recovery-record.ts: the master key under the recovery key, and the split's commitment), as stored. */
  recovery(recordJson: string): Buffer {
    return this.tag('recovery', { record: recordJson });
  }
}
