// Text armor for share files: RFC 7468 textual encoding (the PEM shape),
//
//   <explanatory text, ignored on reading (RFC 7468 §5.2)>
//   -----BEGIN <LABEL>-----
//   <standard base64, 64 characters a line>
//   -----END <LABEL>-----
//
// so a custodian can read which share a file holds, mail it, or print it,
// and the label says which format the body is. Reading is strict about the
// label and the base64 (RFC 4648 §4, canonical padding) and lax about line
// endings and surrounding whitespace, as RFC 7468 §3 recommends.
import { invalidCiphertext } from '../../core/errors.js';

/** A plain share record (share-record.ts), as age decrypts a share file to. */
export const PLAIN_LABEL = 'STRONGROOM RECOVERY SHARE';
/** A share record sealed under its custodian's passphrase (sealed-share.ts). */
export const PASSPHRASE_LABEL = 'STRONGROOM PASSPHRASE-SEALED RECOVERY SHARE';
const AGE_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
/** No share file comes near this; longer input is refused unread. */
const MAX_TEXT = 64 * 1024;

export function armor(label: string, body: Uint8Array, explanatory: string): string {
  const b64 = Buffer.from(body).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `${explanatory.trimEnd()}\n-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** What a text that is not the expected kind of share file appears to be, for the message. */
function otherKind(text: string): string {
  if (text.includes(AGE_BEGIN) || text.startsWith('age-encryption.org/')) return " It is an age-encrypted file: open it with its custodian's age identity.";
  if (text.includes(`-----BEGIN ${PASSPHRASE_LABEL}-----`)) return " It is a passphrase-sealed share: open it with its custodian's passphrase.";
  if (text.includes(`-----BEGIN ${PLAIN_LABEL}-----`)) return ' It is an unsealed share.';
  return '';
}

/** The body of the armored block with `label`; `what` names the file in messages. */
export function dearmor(input: string | Uint8Array, label: string, what: string): Buffer {
  if (input.length > MAX_TEXT) throw invalidCiphertext(`${what} is ${input.length} bytes long; a share file is under 1 KiB.`);
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const begin = lines.indexOf(`-----BEGIN ${label}-----`);
  if (begin < 0) throw invalidCiphertext(`${what} is not a ${label.toLowerCase()} (no "-----BEGIN ${label}-----" line).${otherKind(text)}`);
  const end = lines.indexOf(`-----END ${label}-----`, begin + 1);
  if (end < 0) throw invalidCiphertext(`${what} has no "-----END ${label}-----" line: it is truncated.`);
  const b64 = lines.slice(begin + 1, end).join('');
  if (b64 === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) {
    throw invalidCiphertext(`${what} is damaged: its body is not base64.`);
  }
  const body = Buffer.from(b64, 'base64');
  if (body.toString('base64') !== b64) throw invalidCiphertext(`${what} is damaged: its body is not canonical base64.`);
  return body;
}
