// What the create-key wizard offers at each choice: only the (type, usage,
// spec) combinations the contract's one table allows (main/api/key-specs.ts,
// which CreateKey checks too), and the words the AWS console uses for them.
import { specUsagePairs, usagesOf, keyTypeOf, type KeyType } from '../../../../main/api/key-specs.js';
import type { KeySpec, KeyUsage } from '../../../../main/api/enums.js';

export const KEY_TYPES: readonly { value: KeyType; label: string; hint: string }[] = [
  { value: 'symmetric', label: 'Symmetric', hint: 'One AES-256-GCM key that encrypts and decrypts; it never leaves the vault. For data keys and files.' },
  { value: 'asymmetric', label: 'Asymmetric', hint: 'A key pair: the public key can go to partners (encrypt, verify, key agreement); the private key stays in the vault.' },
  { value: 'hmac', label: 'HMAC', hint: 'A secret key that generates and verifies message authentication codes.' },
];

export const USAGE_LABELS: Readonly<Record<KeyUsage, string>> = {
  ENCRYPT_DECRYPT: 'Encrypt and decrypt',
  SIGN_VERIFY: 'Sign and verify',
  GENERATE_VERIFY_MAC: 'Generate and verify MAC',
  KEY_AGREEMENT: 'Key agreement',
};

/** The usages a key type offers, each once, in the table's order. */
export function usagesFor(type: KeyType): KeyUsage[] {
  return [...new Set(specUsagePairs(type).map((p) => p.usage))];
}

/** The specs of a key type that allow a usage. */
export function specsFor(type: KeyType, usage: KeyUsage): KeySpec[] {
  return specUsagePairs(type)
    .filter((p) => p.usage === usage)
    .map((p) => p.spec);
}

/** A valid (usage, spec) for a type, keeping what was chosen where it still fits. */
export function fitChoice(type: KeyType, usage: KeyUsage, spec: KeySpec): { KeyUsage: KeyUsage; KeySpec: KeySpec } {
  const usages = usagesFor(type);
  const u = usages.includes(usage) ? usage : usages[0]!;
  const s = keyTypeOf(spec) === type && usagesOf(spec).includes(u) ? spec : specsFor(type, u)[0]!;
  return { KeyUsage: u, KeySpec: s };
}

/** The alias a custodian typed, with AWS's alias/ prefix added when left out; '' for none. */
export const aliasNameOf = (typed: string): string => {
  const t = typed.trim();
  return t === '' || t.startsWith('alias/') ? t : `alias/${t}`;
};
