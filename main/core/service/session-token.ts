// The token of a sign-in session that outlives its process (the CLI's
// `strongroom login`, issue 14): a JSON Web Token (RFC 7519) in JWS compact
// form (RFC 7515) with HMAC-SHA-256 ("HS256", RFC 7518 §3.2), under a key
// derived from the vault master key (crypto/subkeys.ts, purpose "session").
//
// Why a MAC when the token is kept in the OS keychain: the keychain is where
// the token lives, not what makes it true. On macOS another program may
// create an item under a name it cannot read; anywhere, the database file is
// not trusted (DESIGN §3). A token only this vault's master key could have
// made cannot be forged or extended by editing anything, and it names the
// vault, so one vault's token is nothing to another.
//
// It holds no secret: it names a session, its user, its expiry, and a
// digest of the user's passphrase hash at login (`cred`), so that a
// passphrase changed, reset or removed since ends the session (the digest of
// a salted Argon2id hash tells nothing of the passphrase). The header is
// checked byte for byte: "alg" is never taken from the token (RFC 8725 §3.1).
import { createHmac, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { base32 } from '@scure/base';
import { z } from 'zod';
import { sha256Hex } from '../audit/event.js';

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
/** A token is a few hundred bytes; anything much longer is not one. */
const MAX_TOKEN_LENGTH = 2048;

/** What a session token says. Times are epoch seconds (NumericDate, RFC 7519 §2). */
export interface SessionClaims {
  /** the vault, as a URN (RFC 4122 §3) */
  iss: string;
  /** the user's unique id (its principalId): a user deleted and re-created under the same name is someone else */
  sub: string;
  /** the session id: ASIA… as AWS names temporary credentials, written into each call's record (userIdentity.accessKeyId) */
  jti: string;
  iat: number;
  exp: number;
  /** the tenant's account id */
  acct: string;
  /** the user name */
  name: string;
  /** digest of the user's passphrase hash at login (credentialBinding) */
  cred: string;
}

const Claims = z
  .object({
    iss: z.string().max(64),
    sub: z.string().max(128),
    jti: z.string().regex(/^ASIA[A-Z2-7]{16}$/),
    iat: z.number().int().nonnegative(),
    exp: z.number().int().nonnegative(),
    acct: z.string().regex(/^\d{12}$/),
    name: z.string().max(128),
    cred: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();

export const vaultUrn = (vaultId: string): string => `urn:uuid:${vaultId}`;

/** A new session id: "ASIA" and 16 base32 characters (80 random bits), the shape of an AWS temporary access key id. */
export const newSessionId = (): string => `ASIA${base32.encode(randomBytes(10))}`;

/** What a session is bound to of its user's credential: a digest of the stored passphrase hash (a fresh salt makes it change with every passphrase set). */
export const credentialBinding = (passphraseHash: string | null): string => sha256Hex(`strongroom/session-credential/v1\0${passphraseHash ?? ''}`);

const mac = (key: KeyObject, signingInput: string): Buffer => createHmac('sha256', key).update(signingInput).digest();

export function signSessionToken(key: KeyObject, claims: SessionClaims): string {
  const body = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${body}.${mac(key, body).toString('base64url')}`;
}

/** The token's claims if this key made it, else undefined (whatever is wrong with it: the caller says "not a session of this vault"). */
export function verifySessionToken(key: KeyObject, token: string): SessionClaims | undefined {
  if (token.length > MAX_TOKEN_LENGTH) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return undefined;
  const [, payload = '', signature = ''] = parts;
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, `${HEADER}.${payload}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = Claims.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
