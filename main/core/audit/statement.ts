// Statements other than digests that a tenant's audit signing key signs: a
// ceremony transcript's signed index (main/ceremony/transcript.ts). The
// signed bytes are the UTF-8 canonical JSON (RFC 8785) of the statement, as
// for a digest (digest.ts); the statement's `type` separates it from a
// digest, so a signature over one can never pass for the other.
import { DIGEST_TYPE, digestBytes, type AuditSigner } from './digest.js';

/** What a statement's `type` looks like: strongroom-<what>/<version>. */
const STATEMENT_TYPE = /^strongroom-[a-z][a-z-]{0,62}\/[1-9][0-9]{0,3}$/;

/** Signs a statement with the account's audit key; refuses an audit digest or an untyped statement. */
export async function signStatement(signer: AuditSigner, account: string, statement: { type: string }): Promise<string> {
  if (statement.type === DIGEST_TYPE || !STATEMENT_TYPE.test(statement.type)) {
    throw new TypeError(`expected a statement type other than ${DIGEST_TYPE} (strongroom-<what>/<n>), got ${JSON.stringify(statement.type)}`);
  }
  return Buffer.from(await signer.sign(account, digestBytes(statement))).toString('base64');
}
