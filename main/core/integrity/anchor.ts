// The vault's anchor (DESIGN §3 and §6, issue 9): what must be remembered
// outside the database file, because someone who can write the database
// but not the keychain could otherwise take the vault back in time.
//   - each tenant's newest signed audit digest: the newest records can be
//     deleted together with the digests over them, and what is left still
//     verifies as a chain; the anchor names what was there, so a trail
//     whose stored digests no longer include the anchored one was cut back;
//   - the newest schema version the vault was opened at: a file put back
//     to an older schema would have its rows sealed anew by the migration
//     that first sealed them (store/migrations/0007-row-macs.ts).
//
// Where it lives is the vault's business (main/custody/anchor.ts):
// next to the master key in the OS keychain, or, for a vault without one,
// in a file sealed under a key derived from the vault master key.
import { digestHash, type AuditDigest } from '../audit/digest.js';

export interface Anchor {
  /** the last record the anchored digest covers */
  toSeq: number;
  /** SHA-256 of the anchored digest's canonical JSON (digest.ts digestHash) */
  digestHash: string;
}

export interface AnchorStore {
  /** The account's audit anchor, if one was ever written. */
  read(account: string): Promise<Anchor | undefined>;
  /** Remembers a newer digest of the account's trail; never moves the anchor back. */
  advance(account: string, anchor: Anchor): Promise<void>;
  /** The newest schema version the vault was opened at, if one was ever written. */
  schema(): Promise<number | undefined>;
  /** Remembers that the vault is now at schema `version`; never moves back. */
  raiseSchema(version: number): Promise<void>;
}

export const anchorOf = (d: AuditDigest): Anchor => ({ toSeq: d.toSeq, digestHash: digestHash(d) });

/**
 * Checks a trail's stored digests (oldest first) against its anchor: the
 * anchored digest must be among them, unchanged. Returns what is wrong, in
 * words for the user, or undefined when the trail holds its anchor.
 */
export function anchorProblem(account: string, anchor: Anchor | undefined, digests: readonly AuditDigest[], lastSeq: number): string | undefined {
  if (!anchor) return undefined;
  const d = digests.find((x) => x.toSeq === anchor.toSeq);
  if (d && digestHash(d) === anchor.digestHash) return undefined;
  if (lastSeq < anchor.toSeq) {
    return `the trail of account ${account} was cut back: records ${lastSeq + 1}..${anchor.toSeq} were signed (the vault's anchor outside the database says so) and are gone`;
  }
  return d
    ? `the signed digest over records up to ${anchor.toSeq} of account ${account} was replaced: it is not the one the vault's anchor outside the database names`
    : `the trail of account ${account} was cut back: the signed digest over records up to ${anchor.toSeq}, which the vault's anchor outside the database names, is gone`;
}
