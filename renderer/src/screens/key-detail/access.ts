// What the signed-in user may do on one key, read from GetKeyAccessMatrix
// (the service's own decision for each user and KMS action), so the screen
// offers only the actions the service would allow. The matrix needs
// kms:GetKeyPolicy; a caller without it (a key user, under the default
// policy) gets AccessDeniedException, and then nothing is known: changes
// are not offered (fail closed), while reads are still tried and the
// service answers them.
import type { OutputOf } from '../../../../main/api/index.js';

export type Matrix = OutputOf<'GetKeyAccessMatrix'>;
export type Verdict = 'Allow' | 'Deny' | 'Unknown';

/** The KMS actions that use a key's material, as opposed to managing the key (DESIGN §5: key users vs key administrators). */
export const CRYPTOGRAPHIC_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:Sign',
  'kms:Verify',
  'kms:GenerateMac',
  'kms:VerifyMac',
  'kms:DeriveSharedSecret',
] as const;

export interface Access {
  /** false when the matrix could not be read: every verdict is Unknown */
  readonly known: boolean;
  verdict(action: string): Verdict;
  /** only a known Allow: what changes the key is offered on this alone */
  may(action: string): boolean;
  /** every action the matrix names, with the user's verdict */
  readonly allowed: readonly string[];
}

/** The signed-in user's row of the matrix (by ARN); no matrix, or no row, is an Access that knows nothing. */
export function accessOf(matrix: Matrix | undefined, callerArn: string): Access {
  const row = matrix?.Principals.find((p) => p.Principal === callerArn);
  const decisions = new Map((row?.Decisions ?? []).map((d) => [d.Action, d.Decision]));
  const known = row !== undefined;
  const verdict = (action: string): Verdict => {
    if (!known) return 'Unknown';
    // an action the matrix does not cover is not known to be allowed
    const d = decisions.get(action);
    return d === 'Allow' ? 'Allow' : d === undefined ? 'Unknown' : 'Deny';
  };
  return {
    known,
    verdict,
    may: (action) => verdict(action) === 'Allow',
    allowed: [...decisions].filter(([, d]) => d === 'Allow').map(([a]) => a),
  };
}
