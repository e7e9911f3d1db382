// Public keys in the formats partners' tools read, each with the fingerprint
// those tools print, so a partner can confirm the key out of band:
//
//   pem, der  SubjectPublicKeyInfo (RFC 5280 §4.1.2.7; PEM per RFC 7468 §13)
//             fingerprint: SHA-256 of the DER, hex
//             (openssl pkey -pubin -in k.pem -outform DER | openssl dgst -sha256)
//   jwk       RFC 7517 §4 / RFC 7518 §6 (RSA, EC incl. secp256k1 per RFC 8812 §3.1),
//             RFC 8037 §2 (OKP: Ed25519, X25519)
//             fingerprint: RFC 7638 JWK thumbprint (SHA-256, base64url)
//   ssh       RFC 4253 §6.6 ssh-rsa, RFC 5656 §3.1 ecdsa-sha2-nistp*, RFC 8709 §4 ssh-ed25519
//             fingerprint: SHA256:<base64 of SHA-256 of the key blob>, as `ssh-keygen -l` prints it
//   age       X25519: age1… (age spec "X25519 recipient type", Bech32 per BIP 173);
//             RSA: the ssh-rsa line age's ssh-rsa recipient type takes (`age -R file`)
import type { PublicKeyFormat } from '../../api/enums.js';
import { createHash, createPublicKey } from 'node:crypto';
import { bech32 } from '@scure/base';
import { KmsError } from '../errors.js';
import { familyOf } from '../kms/key-specs.js';
import { type KeySpec, type KeyUsage } from '../../api/enums.js';
import { COORD_BYTES, CURVE_OF_SPEC } from '../kms/asymmetric/ec.js';
import { parseSecp256k1Spki } from '../kms/asymmetric/secp256k1.js';

export type FingerprintType = 'SPKI_SHA256_HEX' | 'JWK_THUMBPRINT_SHA256' | 'OPENSSH_SHA256';

interface ExportedPublicKey {
  /** the text to hand out (for der: its base64) */
  publicKey: string;
  fingerprint: string;
  fingerprintType: FingerprintType;
}

const unsupported = (m: string) => new KmsError('UnsupportedOperationException', m);
const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');

const spkiSha256Hex = (spki: Uint8Array) => createHash('sha256').update(spki).digest('hex');

function spkiPem(spki: Uint8Array): string {
  const b64 = Buffer.from(spki).toString('base64');
  return `-----BEGIN PUBLIC KEY-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END PUBLIC KEY-----\n`;
}

// ---- JWK ----

type Jwk = Record<string, string>;

/** The JWK of an asymmetric public key (the members RFC 7638 hashes, then use/alg/kid). */
function publicJwk(spec: KeySpec, usage: KeyUsage, spki: Uint8Array, kid?: string): Jwk {
  let jwk: Jwk;
  let alg: string | undefined;
  switch (familyOf(spec)) {
    case 'rsa': {
      const j = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({ format: 'jwk' });
      jwk = { kty: 'RSA', n: j.n!, e: j.e! };
      break;
    }
    case 'ec': {
      const j = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({ format: 'jwk' });
      const curve = CURVE_OF_SPEC[spec as keyof typeof CURVE_OF_SPEC];
      jwk = { kty: 'EC', crv: curve, x: j.x!, y: j.y! };
      if (usage === 'SIGN_VERIFY') alg = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' }[curve];
      break;
    }
    case 'secp256k1': {
      const p = parseSecp256k1Spki(spki);
      jwk = { kty: 'EC', crv: 'secp256k1', x: b64u(p.subarray(1, 33)), y: b64u(p.subarray(33)) };
      alg = 'ES256K';
      break;
    }
    case 'ed25519':
    case 'x25519': {
      const j = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({ format: 'jwk' });
      jwk = { kty: 'OKP', crv: spec === 'ECC_X25519' ? 'X25519' : 'Ed25519', x: j.x! };
      if (spec !== 'ECC_X25519') alg = 'EdDSA';
      break;
    }
    default:
      throw unsupported(`${spec} public keys have no registered JWK key type; export them as pem or der.`);
  }
  return { ...jwk, use: usage === 'SIGN_VERIFY' ? 'sig' : 'enc', ...(alg ? { alg } : {}), ...(kid ? { kid } : {}) };
}

/** RFC 7638 thumbprint: SHA-256 over the required members in lexicographic order, no whitespace. */
export function jwkThumbprint(jwk: Jwk): string {
  const required: Record<string, string[]> = { RSA: ['e', 'kty', 'n'], EC: ['crv', 'kty', 'x', 'y'], OKP: ['crv', 'kty', 'x'] };
  const members = required[jwk['kty']!];
  if (!members) throw new Error(`no thumbprint members for kty ${jwk['kty']}`);
  const canonical = `{${members.map((m) => `${JSON.stringify(m)}:${JSON.stringify(jwk[m])}`).join(',')}}`;
  return createHash('sha256').update(canonical).digest('base64url');
}

// ---- OpenSSH ----

const sshString = (b: Uint8Array | string) => {
  const body = typeof b === 'string' ? Buffer.from(b, 'latin1') : Buffer.from(b);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
};

/** RFC 4251 §5 mpint of a non-negative big-endian magnitude. */
function sshMpint(magnitude: Uint8Array): Buffer {
  let i = 0;
  while (i < magnitude.length && magnitude[i] === 0) i++;
  const m = Buffer.from(magnitude.subarray(i));
  return sshString(m.length && m[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), m]) : m);
}

/** The SSH public key blob and its key type name; UnsupportedOperationException where OpenSSH has no key type. */
export function sshPublicKeyBlob(spec: KeySpec, spki: Uint8Array): { type: string; blob: Buffer } {
  switch (familyOf(spec)) {
    case 'rsa': {
      const j = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({ format: 'jwk' });
      return { type: 'ssh-rsa', blob: Buffer.concat([sshString('ssh-rsa'), sshMpint(Buffer.from(j.e!, 'base64url')), sshMpint(Buffer.from(j.n!, 'base64url'))]) };
    }
    case 'ec': {
      const curve = CURVE_OF_SPEC[spec as keyof typeof CURVE_OF_SPEC];
      const j = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({ format: 'jwk' });
      const n = COORD_BYTES[curve];
      const pad = (b64: string) => {
        const b = Buffer.from(b64, 'base64url');
        return Buffer.concat([Buffer.alloc(n - b.length), b]);
      };
      const q = Buffer.concat([Buffer.from([4]), pad(j.x!), pad(j.y!)]);
      const id = `nistp${curve.slice(2)}`;
      const type = `ecdsa-sha2-${id}`;
      return { type, blob: Buffer.concat([sshString(type), sshString(id), sshString(q)]) };
    }
    case 'ed25519': {
      const j = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({ format: 'jwk' });
      return { type: 'ssh-ed25519', blob: Buffer.concat([sshString('ssh-ed25519'), sshString(Buffer.from(j.x!, 'base64url'))]) };
    }
    default:
      throw unsupported(`OpenSSH has no public key type for ${spec}; export it as pem, der${spec === 'ECC_X25519' ? ', jwk or age' : ' or jwk'}.`);
  }
}

const sshFingerprint = (blob: Uint8Array) => `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;

/** `<type> <base64 blob> <comment>`, one authorized_keys line. */
function sshPublicKeyLine(spec: KeySpec, spki: Uint8Array, comment?: string): { line: string; fingerprint: string } {
  const { type, blob } = sshPublicKeyBlob(spec, spki);
  const safeComment = comment?.replace(/[\r\n]/g, ' ');
  return { line: `${type} ${blob.toString('base64')}${safeComment ? ` ${safeComment}` : ''}\n`, fingerprint: sshFingerprint(blob) };
}

/** The age recipient of an X25519 public key: age1… */
export function ageX25519Recipient(spki: Uint8Array): string {
  const j = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({ format: 'jwk' });
  if (j.crv !== 'X25519') throw new Error('not an X25519 public key');
  // Bech32, not Bech32m (age spec); no length limit, as age's post-quantum recipients exceed BIP 173's 90 characters
  return bech32.encode('age', bech32.toWords(Buffer.from(j.x!, 'base64url')), false);
}

/**
 * The public key of an asymmetric key in `format`. Formats a key type has
 * no encoding for are UnsupportedOperationException; an age recipient needs
 * a key Strongroom can decrypt age files with (ECC_X25519, or an RSA key
 * with KeyUsage ENCRYPT_DECRYPT), else InvalidKeyUsageException.
 */
export function exportPublicKey(spec: KeySpec, usage: KeyUsage, spki: Uint8Array, format: PublicKeyFormat, opts: { kid?: string; comment?: string } = {}): ExportedPublicKey {
  switch (format) {
    case 'pem':
      return { publicKey: spkiPem(spki), fingerprint: spkiSha256Hex(spki), fingerprintType: 'SPKI_SHA256_HEX' };
    case 'der':
      return { publicKey: Buffer.from(spki).toString('base64'), fingerprint: spkiSha256Hex(spki), fingerprintType: 'SPKI_SHA256_HEX' };
    case 'jwk': {
      const jwk = publicJwk(spec, usage, spki, opts.kid);
      return { publicKey: JSON.stringify(jwk), fingerprint: jwkThumbprint(jwk), fingerprintType: 'JWK_THUMBPRINT_SHA256' };
    }
    case 'ssh': {
      const { line, fingerprint } = sshPublicKeyLine(spec, spki, opts.comment);
      return { publicKey: line, fingerprint, fingerprintType: 'OPENSSH_SHA256' };
    }
    case 'age': {
      if (spec === 'ECC_X25519') {
        return { publicKey: `${ageX25519Recipient(spki)}\n`, fingerprint: spkiSha256Hex(spki), fingerprintType: 'SPKI_SHA256_HEX' };
      }
      if (familyOf(spec) === 'rsa') {
        if (usage !== 'ENCRYPT_DECRYPT') {
          throw new KmsError('InvalidKeyUsageException', `An age recipient must be a key that can decrypt: this ${spec} key has KeyUsage ${usage}, not ENCRYPT_DECRYPT.`);
        }
        const { line, fingerprint } = sshPublicKeyLine(spec, spki, opts.comment);
        return { publicKey: line, fingerprint, fingerprintType: 'OPENSSH_SHA256' };
      }
      throw unsupported(`age has no recipient type for ${spec} keys; use an ECC_X25519 key or an RSA key with KeyUsage ENCRYPT_DECRYPT.`);
    }
  }
}
