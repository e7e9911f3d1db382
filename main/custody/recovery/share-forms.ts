// A recovery share as a custodian gives it, told from its content, not its
// name (a custodian may rename or retype a file), checked against the split
// it is for, and opened with the secret that opens it. The forms are
// docs/recovery-shares.md's:
//
//   passphrase  -----BEGIN STRONGROOM PASSPHRASE-SEALED RECOVERY SHARE-----   (NAME.share)
//   age         -----BEGIN AGE ENCRYPTED FILE----- or binary age-encryption.org/v1   (NAME.share.age)
//   plain       -----BEGIN STRONGROOM RECOVERY SHARE-----   (what `age -d` prints from an age share)
//   ssss        a last line [token-]index-hex, as ssss-split prints it   (NAME.ssss.txt)
//   words       anything else: the 45 words of a paper share, '#' lines being notes   (NAME.paper.txt)
//
// Pure: the secrets (a custodian's passphrase, an age identity) are given
// as data. The CLI (main/cli/share-input.ts) asks for them on a terminal,
// the desktop app (main/session/recover-operations.ts) takes them from its
// form; both name a bad share alike, by its label (its file, or "share 2
// (typed)"), and refuse a share of another vault or split before it is opened.
import { invalidCiphertext, isKmsError, KmsError, validation } from '../../core/errors.js';
import type { GivenShares, RecoverySplitInfo } from '../recovery-record.js';
import { PASSPHRASE_LABEL, PLAIN_LABEL } from './armor.js';
import { parsePaperShare } from './paper.js';
import { openShareWithAgeIdentity, openShareWithPassphrase, parseShareText, peekSealedShare } from './sealed-share.js';
import type { ShareTarget } from './shares.js';

export type ShareForm = 'passphrase' | 'age' | 'plain' | 'ssss' | 'words';

export interface GivenShare {
  /** how messages name the share: the file as given, or "paper share 1 (typed)" */
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
    throw validation(`${source} is the QR code of a paper share: give the sheet with its words (NAME.paper.txt) or type its words.`);
  }
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length > 0 && SSSS_LINE.test(lines.at(-1)!)) return share('ssss');
  return share('words');
}

/** The ssss line of an ssss share file: its last line (the lines above explain it). */
export function ssssLineOf(share: GivenShare): string {
  return share.text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '').at(-1)!;
}

// ---------------------------------------------------------------- checked against the split

const WORDS: Record<ShareTarget, { split: string; vault: string; otherSplit: (theirs: string, wanted: string) => string }> = {
  vault: {
    split: "this vault's recovery split",
    vault: 'this vault',
    otherSplit: (theirs, wanted) => `an earlier recovery split (split ${theirs}; the current split is ${wanted}): shares of an earlier split no longer open the vault`,
  },
  backup: {
    split: "this backup's recovery split",
    vault: "this backup's vault",
    otherSplit: (theirs, wanted) => `another recovery split of this vault (split ${theirs}): this backup opens with the shares of split ${wanted}, the split in force when it was made`,
  },
};

/** How the split is named in messages: "this vault's recovery split" or "this backup's recovery split". */
export const splitWords = (subject: ShareTarget): string => WORDS[subject].split;

/**
 * A quorum is shares of one split: ssss lines for an ssss split, Strongroom
 * shares otherwise. `typed`: how many paper shares are typed besides (an
 * ssss split takes none).
 */
export function checkShareForms(shares: readonly GivenShare[], typed: number, split: RecoverySplitInfo, subject: ShareTarget): void {
  const whose = WORDS[subject].split;
  const ssss = split.scheme === 'ssss';
  const misfit = shares.find((s) => (s.form === 'ssss') !== ssss);
  if (misfit !== undefined) {
    throw validation(
      ssss
        ? `${misfit.source} is a Strongroom share, but ${whose} is in the ssss form: give the custodians' ssss lines (NAME.ssss.txt).`
        : `${misfit.source} is an ssss line, but ${whose} is Strongroom's: give the custodians' share files or paper words.`,
    );
  }
  if (ssss && typed > 0) throw validation(`${whose[0]!.toUpperCase()}${whose.slice(1)} is in the ssss form: give the custodians' ssss lines as files, not typed words.`);
}

/** Whose a passphrase-sealed share is, from its header; a share of another vault or split is refused here, before anyone types a passphrase. */
export async function sealedShareOwner(share: GivenShare, split: RecoverySplitInfo, subject: ShareTarget): Promise<{ custodian: string; index: number; count: number }> {
  const header = await named(share.source, async () => peekSealedShare(share.text));
  if (header.vaultId !== split.vaultId) {
    throw invalidCiphertext(`${share.source} is share ${header.index} for vault ${header.vaultId}, not for ${WORDS[subject].vault} (${split.vaultId}).`);
  }
  if (header.splitId !== split.splitId) throw invalidCiphertext(`${share.source} is share ${header.index} of ${WORDS[subject].otherSplit(header.splitId, split.splitId)}.`);
  return { custodian: split.custodians[header.index - 1] ?? `custodian ${header.index}`, index: header.index, count: header.count };
}

/** What opens a share: its custodian's passphrase (a sealed share), an age identity (an age share); plain, words and ssss forms need nothing. */
export interface ShareSecret {
  passphrase?: string;
  /** one or more age identities (AGE-SECRET-KEY-…), a line each */
  ageIdentity?: string;
}

/**
 * The share record of a share in one of Strongroom's forms (not ssss: its
 * line is ssssLineOf), opened with `secret`; each error names the share.
 * A sealed share is checked against the split first (sealedShareOwner).
 */
export async function openGivenShare(share: GivenShare, split: RecoverySplitInfo, subject: ShareTarget, secret: ShareSecret): Promise<Buffer> {
  switch (share.form) {
    case 'passphrase': {
      const { custodian } = await sealedShareOwner(share, split, subject);
      if (secret.passphrase === undefined) throw validation(`${share.source} is sealed with ${custodian}'s passphrase: give it.`);
      return named(share.source, () => openShareWithPassphrase(share.text, secret.passphrase!));
    }
    case 'age':
      if (secret.ageIdentity === undefined) throw validation(`${share.source} is an age share: give its custodian's age identity.`);
      return named(share.source, () => openShareWithAgeIdentity(share.bytes, secret.ageIdentity!));
    case 'plain':
      return named(share.source, async () => parseShareText(share.text));
    case 'words':
      return named(share.source, async () => parsePaperShare(share.text));
    case 'ssss':
      throw validation(`${share.source} is an ssss line: it is combined as a line, not opened.`);
  }
}

/** Shares opened, and how each is named in errors (labels[i] for the (i+1)th share given). */
export interface OpenedShares {
  readonly shares: GivenShares;
  readonly labels: string[];
  /** overwrites the share records */
  wipe(): void;
}

/**
 * Every share checked against the split (forms, sealed shares' vault and
 * split), then opened with its own secret: the whole quorum, or nothing
 * (a share that fails wipes those opened before it).
 */
export async function openShares(given: readonly { share: GivenShare; secret: ShareSecret }[], split: RecoverySplitInfo, subject: ShareTarget): Promise<OpenedShares> {
  checkShareForms(
    given.map((g) => g.share),
    0,
    split,
    subject,
  );
  for (const { share } of given) if (share.form === 'passphrase') await sealedShareOwner(share, split, subject);
  const records: Buffer[] = [];
  const lines: string[] = [];
  const wipe = () => {
    for (const r of records) r.fill(0);
  };
  try {
    for (const { share, secret } of given) {
      if (share.form === 'ssss') lines.push(ssssLineOf(share));
      else records.push(await openGivenShare(share, split, subject, secret));
    }
  } catch (e) {
    wipe();
    throw e;
  }
  return { shares: split.scheme === 'ssss' ? { ssssLines: lines } : { records }, labels: given.map((g) => g.share.source), wipe };
}

/** Runs `read`, naming the share in its error: `alice.share: Wrong passphrase for …`. */
export async function named<T>(label: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    throw isKmsError(e) ? new KmsError(e.name, `${label}: ${e.message}`) : e;
  }
}

/** The library names a share by its place ("The 2nd share given"); the callers name it by its label (its file). */
export function nameShares(e: unknown, labels: readonly string[]): unknown {
  if (!isKmsError(e)) return e;
  const m = /^The (\d+)(?:st|nd|rd|th) share given/.exec(e.message);
  const label = m ? labels[Number(m[1]) - 1] : undefined;
  return label === undefined ? e : new KmsError(e.name, `The share from ${label}${e.message.slice(m![0].length)}`);
}
