// The split commitment: what the vault keeps, in its recovery custody record,
// about one split of the recovery key, so that combining names a share that
// does not belong rather than interpolating a wrong key from it.
//
// shamir-secret-sharing does not verify what it combines (its README,
// "Security considerations" 2): any M well-formed shares yield *a* key. A
// share's own checksum catches typos, not a share altered on purpose, and the
// wrong key would only show later as a failed unwrap of the master key,
// without saying which custodian's share was bad. So the vault records a
// SHA-256 digest of every share it handed out (Feldman/Pedersen commitments
// would let shares be checked without the dealer's record, but the vault is
// the only verifier here, and a hash of a 256-bit random share reveals
// nothing usable about it). A share is accepted only if its digest is the one
// recorded for its index.
//
//   strongroom split  digest_i = SHA-256("strongroom:recovery-share:v1" 0x00 || record_i)
//   ssss split        digest_i = SHA-256("strongroom:recovery-ssss-share:v1" 0x00 ||
//                                        vault id(16) || split id(4) || i(1) || y_i(32))
//
// The record comes from the vault file, which alone is not trusted
// (DESIGN §3) and whose MAC cannot be checked before the master key is back.
// An attacker who rewrites it can make honest shares be refused (as deleting
// it would) but cannot make shares of their choosing open the vault: the
// combined key must still unwrap the master key (AES-256-GCM), which the
// service checks next.
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { KmsError } from '../../core/errors.js';
import { MAX_SHARES, MIN_THRESHOLD } from './share-record.js';

/** Which Shamir scheme, field and share form a split uses. */
export type ShareScheme =
  /** shamir-secret-sharing (GF(2^8)), shares as share-record.ts records */
  | 'strongroom-shamir-v1'
  /** ssss 0.5 (GF(2^256), diffusion layer), shares as `ssss-split -x` lines */
  | 'ssss-0.5';

export interface SplitCommitment {
  version: 1;
  scheme: ShareScheme;
  /** the vault's UUID */
  vaultId: string;
  /** 8 hex digits, random per split */
  splitId: string;
  threshold: number;
  count: number;
  /** base64 SHA-256 digest of share i at [i - 1], for i = 1..count */
  shareDigests: string[];
}

const DIGEST_BASE64 = /^[A-Za-z0-9+/]{43}=$/;

const schema = z
  .strictObject({
    version: z.literal(1),
    scheme: z.enum(['strongroom-shamir-v1', 'ssss-0.5']),
    vaultId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'expected a lower-case UUID'),
    splitId: z.string().regex(/^[0-9a-f]{8}$/, 'expected 8 lower-case hex digits'),
    threshold: z.number().int().min(MIN_THRESHOLD).max(MAX_SHARES),
    count: z.number().int().min(MIN_THRESHOLD).max(MAX_SHARES),
    shareDigests: z.array(z.string().regex(DIGEST_BASE64, 'expected a base64 SHA-256 digest')).min(MIN_THRESHOLD).max(MAX_SHARES),
  })
  .refine((c) => c.threshold <= c.count, { message: 'threshold exceeds count', path: ['threshold'] })
  .refine((c) => c.shareDigests.length === c.count, { message: 'one digest per share expected', path: ['shareDigests'] });

/**
 * Validates a commitment read back from the vault file. A broken one is the
 * vault's state, not the caller's input: KMSInvalidStateException, as for the
 * master-key custody record.
 */
export function parseSplitCommitment(value: unknown): SplitCommitment {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new KmsError(
      'KMSInvalidStateException',
      `The vault's recovery split record is malformed${where}: ${issue?.message ?? 'invalid'}. ` +
        'The vault file may be damaged or from a newer Strongroom; restore it from a backup.',
    );
  }
  return r.data;
}

export function shareDigest(domain: string, ...parts: Uint8Array[]): string {
  const h = createHash('sha256').update(`${domain}\0`, 'utf8');
  for (const p of parts) h.update(p);
  return h.digest('base64');
}

/** Whether `digest` is the one the commitment recorded for share `index` (1-based). */
export function digestMatches(c: SplitCommitment, index: number, digest: string): boolean {
  const recorded = c.shareDigests[index - 1];
  if (recorded === undefined) return false;
  return timingSafeEqual(Buffer.from(recorded, 'base64'), Buffer.from(digest, 'base64'));
}
