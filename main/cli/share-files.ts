// What a recovery share given to `ceremony recover` is, told from its
// content, not its name (a custodian may rename or retype a file); the forms
// are docs/recovery-shares.md's:
//
//   passphrase  -----BEGIN STRONGROOM PASSPHRASE-SEALED RECOVERY SHARE-----   (NAME.share)
//   age         -----BEGIN AGE ENCRYPTED FILE----- or binary age-encryption.org/v1   (NAME.share.age)
//   plain       -----BEGIN STRONGROOM RECOVERY SHARE-----   (what `age -d` prints from an age share)
//   ssss        a last line [token-]index-hex, as ssss-split prints it   (NAME.ssss.txt)
//   words       anything else: the 45 words of a paper share, '#' lines being notes   (NAME.paper.txt)
import { validation } from '../core/errors.js';
import { PASSPHRASE_LABEL, PLAIN_LABEL } from '../custody/recovery/armor.js';

export type ShareForm = 'passphrase' | 'age' | 'plain' | 'ssss' | 'words';

export interface GivenShare {
  /** how messages name the share: the file as given, or "the 1st paper share typed" */
  readonly source: string;
  readonly form: ShareForm;
  /** the file's bytes (an age file may be binary) */
  readonly bytes: Buffer;
  readonly text: string;
}

/** No share file comes near this (a sealed share is under 1 KiB, a paper sheet under 2 KiB). */
export const MAX_SHARE_FILE = 64 * 1024;

/** An ssss line: ssss-split's optional token, the share number, the hex digits (checked strictly later). */
const SSSS_LINE = /^(?:[^\s-]+-)?[0-9]+-[0-9A-Za-z]+$/;

export function recogniseShare(source: string, bytes: Buffer): GivenShare {
  const text = bytes.toString('utf8');
  const has = (label: string) => text.includes(`-----BEGIN ${label}-----`);
  const share = (form: ShareForm): GivenShare => ({ source, form, bytes, text });
  if (has(PASSPHRASE_LABEL)) return share('passphrase');
  if (has('AGE ENCRYPTED FILE') || bytes.subarray(0, 21).toString('latin1') === 'age-encryption.org/v1') return share('age');
  if (has(PLAIN_LABEL)) return share('plain');
  if (/^\s*(<\?xml|<svg)/.test(text)) {
    throw validation(`${source} is the QR code of a paper share: give the sheet with its words (NAME.paper.txt) or type them with --share-words.`);
  }
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length > 0 && SSSS_LINE.test(lines.at(-1)!)) return share('ssss');
  return share('words');
}

/** The ssss line of an ssss share file: its last line (the lines above explain it). */
export function ssssLineOf(share: GivenShare): string {
  return share.text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '').at(-1)!;
}
