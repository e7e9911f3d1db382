// A recovery share on paper: 45 words from the BIP-39 English word list, and
// the same words as a QR code, so a custodian can type or scan it back.
//
// Encoding: the 61-byte share record (share-record.ts: version, vault id,
// split id, index, threshold, count, share, 4-byte SHA-256 checksum) read as
// a big-endian bit string, padded with 7 zero bits to 495 = 45 × 11 bits, and
// cut into 11-bit word indexes (BIP-39 §"Generating the mnemonic" packs bits
// the same way).
//
// Why the BIP-39 list but not a BIP-39 mnemonic: BIP-39 encodes only 128–256
// bits of entropy with a 4–8 bit checksum, and our record is 488 bits; its
// list is the standard part worth keeping (2048 common words, each fixed by
// its first four letters, printed on countless recovery cards). SLIP-39 is
// the standard for Shamir shares on paper, but it defines its own Shamir
// split (its own share x coordinates, digest share and encryption of the
// secret), which shamir-secret-sharing's shares cannot be expressed in; its
// RS1024 checksum is over its own 1024-word list.
//
// The checksum is the record's: a mistyped word fails it with probability
// 1 − 2^-32. A word that is not on the list is named by its position at once;
// a word typed as another word of the list is located by trying every other
// word at every position (and every swap of neighbours): if exactly one
// position can be changed to satisfy the checksum, that position is named.
// Messages never repeat the words (they are part of a secret).
import encodeQR from '@paulmillr/qr';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { invalidCiphertext, validation } from '../../core/errors.js';
import { SHARE_RECORD_LENGTH, checksumMatches, decodeShare } from './share-record.js';

const BITS_PER_WORD = 11;
export const PAPER_WORD_COUNT = Math.ceil((SHARE_RECORD_LENGTH * 8) / BITS_PER_WORD); // 45
const WORDS_PER_LINE = 5;

const INDEX = new Map(wordlist.map((w, i) => [w, i]));
const BY_PREFIX = new Map(wordlist.map((w, i) => [w.slice(0, 4), i]));

export interface PaperShare {
  /** the 45 words, lower case */
  words: string[];
  /** the words numbered, five to a line, for printing */
  text: string;
  /** what the QR code holds: the words in capitals (QR alphanumeric mode), one space apart */
  qrText: string;
  /** the QR code as an SVG document (error correction M, 4-module quiet zone) */
  qrSvg: string;
  /** the QR code's modules, true = dark, row by row, without the quiet zone */
  qrModules: boolean[][];
}

function recordToIndexes(record: Uint8Array): number[] {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const byte of record) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= BITS_PER_WORD) {
      bits -= BITS_PER_WORD;
      out.push((acc >>> bits) & 0x7ff);
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out.push((acc << (BITS_PER_WORD - bits)) & 0x7ff);
  return out;
}

/** The record the word indexes spell, or undefined when the pad bits are not zero. */
function indexesToRecord(indexes: number[]): Buffer | undefined {
  const out = Buffer.alloc(SHARE_RECORD_LENGTH);
  let acc = 0;
  let bits = 0;
  let at = 0;
  for (const index of indexes) {
    acc = (acc << BITS_PER_WORD) | index;
    bits += BITS_PER_WORD;
    while (bits >= 8 && at < out.length) {
      bits -= 8;
      out[at++] = (acc >>> bits) & 0xff;
    }
    acc &= (1 << bits) - 1;
  }
  return acc === 0 ? out : undefined;
}

const spells = (indexes: number[]) => {
  const r = indexesToRecord(indexes);
  return r !== undefined && checksumMatches(r);
};

/** The paper form of a share record (checked first: a damaged record is not printed). */
export function sharePaper(record: Uint8Array): PaperShare {
  decodeShare(record).value.fill(0);
  const words = recordToIndexes(record).map((i) => wordlist[i]!);
  const lines: string[] = [];
  for (let i = 0; i < words.length; i += WORDS_PER_LINE) {
    lines.push(
      words
        .slice(i, i + WORDS_PER_LINE)
        .map((w, k) => `${String(i + k + 1).padStart(2)} ${w.padEnd(8)}`)
        .join('  ')
        .trimEnd(),
    );
  }
  const qrText = words.join(' ').toUpperCase();
  return {
    words,
    text: `${lines.join('\n')}\n`,
    qrText,
    qrSvg: encodeQR(qrText, 'svg', { ecc: 'medium', border: 4 }),
    qrModules: encodeQR(qrText, 'raw', { ecc: 'medium', border: 0 }),
  };
}

function numbered(positions: number[]): string {
  if (positions.length === 1) return `Word ${positions[0]}`;
  return `Words ${positions.slice(0, -1).join(', ')} and ${positions.at(-1)}`;
}

/**
 * The words a custodian typed (or a scanner read), leniently: any case, any
 * spacing and line breaks, word numbers ("1.", "2)", "03"), commas; a word may
 * be given by its first four letters or more, as BIP-39 allows.
 */
function readWords(input: string): (number | undefined)[] {
  // a line that starts with '#' and no word number is a note on the printed sheet (session/recovery-split.ts), not words
  const text = input.split('\n').filter((line) => !/^\s*#(?![0-9])/.test(line)).join('\n');
  const tokens = text.normalize('NFKC').toLowerCase().split(/[\s,;]+/);
  const words: (number | undefined)[] = [];
  for (const raw of tokens) {
    const token = raw.replace(/^#?[0-9]+[.):]?/, '').replace(/[.):]+$/, '');
    if (token === '') continue;
    const exact = INDEX.get(token);
    const prefixed = token.length >= 4 ? BY_PREFIX.get(token.slice(0, 4)) : undefined;
    const viaPrefix = prefixed !== undefined && wordlist[prefixed]!.startsWith(token) ? prefixed : undefined;
    words.push(exact ?? viaPrefix);
  }
  return words;
}

/** Where a single mistyped word, or one swap of neighbours, would satisfy the checksum. */
function locate(indexes: number[]): string {
  const fixable: number[] = [];
  for (let p = 0; p < indexes.length; p++) {
    const trial = [...indexes];
    for (let w = 0; w < wordlist.length; w++) {
      if (w === indexes[p]) continue;
      trial[p] = w;
      if (spells(trial)) {
        fixable.push(p + 1);
        break;
      }
    }
  }
  const swaps: number[] = [];
  for (let p = 0; p + 1 < indexes.length; p++) {
    if (indexes[p] === indexes[p + 1]) continue;
    const trial = [...indexes];
    [trial[p], trial[p + 1]] = [trial[p + 1]!, trial[p]!];
    if (spells(trial)) swaps.push(p + 1);
  }
  if (fixable.length === 1 && swaps.length === 0) {
    return `Word ${fixable[0]} does not fit the share's checksum: it was probably mistyped as another word of the list. Check it against the paper.`;
  }
  if (swaps.length === 1 && fixable.length === 0) {
    return `Words ${swaps[0]} and ${swaps[0]! + 1} appear to be swapped. Check them against the paper.`;
  }
  return "The words do not match the share's checksum: at least one word is wrong. Check each word against the paper.";
}

/**
 * Reads a paper share back into its share record. Every problem is
 * InvalidCiphertextException naming the word(s) at fault where it can.
 */
export function parsePaperShare(input: string): Buffer {
  if (typeof input !== 'string') throw validation('The paper share must be text.');
  if (input.length > 10_000) throw invalidCiphertext(`The paper share is ${input.length} characters long; ${PAPER_WORD_COUNT} words are expected.`);
  const words = readWords(input);
  if (words.length === 0) throw invalidCiphertext(`The paper share is empty: type its ${PAPER_WORD_COUNT} words.`);
  const unknown = words.flatMap((w, i) => (w === undefined ? [i + 1] : []));
  if (unknown.length > 0) {
    const verb = unknown.length === 1 ? 'is' : 'are';
    throw invalidCiphertext(`${numbered(unknown)} ${verb} not in the BIP-39 English word list: check the spelling against the paper.`);
  }
  const indexes = words as number[];
  if (indexes.length !== PAPER_WORD_COUNT) {
    const diff = indexes.length < PAPER_WORD_COUNT ? 'a word is missing' : 'there is an extra word';
    throw invalidCiphertext(`The paper share has ${indexes.length} words, not ${PAPER_WORD_COUNT}: ${diff}.`);
  }
  const record = indexesToRecord(indexes);
  if (record === undefined || !checksumMatches(record)) throw invalidCiphertext(locate(indexes));
  decodeShare(record, 'The paper share');
  return record;
}
