// Paper shares: 45 BIP-39 English words and a QR code of the same words,
// typed or scanned back. A mistyped word is named by position, never echoed.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import decodeQR from '@paulmillr/qr/decode.js';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { describe, expect, it } from 'vitest';
import { PAPER_WORD_COUNT, parsePaperShare, sharePaper } from '../../../main/custody/recovery/paper.js';
import { encodeShare } from '../../../main/custody/recovery/share-record.js';
import { combineRecoveryShares, splitRecoveryKey } from '../../../main/custody/recovery/shares.js';
import { changeChar, failsWith } from './helpers.js';

const vaultId = randomUUID();
const key = Buffer.alloc(32, 7);
const { shares, commitment } = await splitRecoveryKey(vaultId, key, 3, 5);
const record = shares[1]!;
const paper = sharePaper(record);
const typed = (words: string[]) => words.join(' ');

describe('the paper form', () => {
  it('is 45 words of the BIP-39 English list, numbered five to a line', () => {
    expect(PAPER_WORD_COUNT).toBe(45);
    expect(paper.words).toHaveLength(45);
    for (const w of paper.words) expect(wordlist).toContain(w);
    const lines = paper.text.trimEnd().split('\n');
    expect(lines).toHaveLength(9);
    expect(lines[0]).toMatch(new RegExp(`^ 1 ${paper.words[0]}\\s+2 ${paper.words[1]}\\s`));
    expect(lines[8]).toMatch(new RegExp(`45 ${paper.words[44]}$`));
  });

  it('reads back to the same record, and three paper shares recover the key', async () => {
    expect(parsePaperShare(typed(paper.words)).equals(record)).toBe(true);
    const back = [0, 2, 4].map((i) => parsePaperShare(sharePaper(shares[i]!).text));
    expect((await combineRecoveryShares(back, commitment)).equals(key)).toBe(true);
  });

  it('reads what a person types: any case, numbers, extra spaces, line breaks, commas, 4-letter abbreviations, the sheet with its # notes', () => {
    const variants = [
      paper.text,
      paper.text.toUpperCase(),
      paper.words.map((w, i) => `${i + 1}. ${w}`).join('\n'),
      paper.words.map((w, i) => `${i + 1}) ${w}`).join('\r\n'),
      paper.words.map((w, i) => `#${String(i + 1).padStart(2, '0')}:${w}`).join(', '),
      `\n\n   ${paper.words.join('    ')}   \n\n`,
      paper.words.map((w) => (w.length > 4 ? w.slice(0, 4) : w)).join(' '),
      paper.words.map((w, i) => (i % 2 ? w[0]!.toUpperCase() + w.slice(1) : w)).join('\t'),
      // the printed sheet's notes: lines that start with '#' and no word number
      `# Strongroom recovery share for dave: share 4 of 5.\n  # Type these words back in.\n\n${paper.text}`,
    ];
    for (const v of variants) expect(parsePaperShare(v).equals(record)).toBe(true);
  });

  it('its QR code holds the words, decodes back (through a rendered image) and reads back to the record', () => {
    expect(paper.qrText).toBe(paper.words.join(' ').toUpperCase());
    expect(paper.qrSvg).toMatch(/^<svg[^>]*>/);
    // render the modules as a greyscale RGBA image with a quiet zone, as a camera would see the paper
    const scale = 4;
    const quiet = 4;
    const n = paper.qrModules.length;
    const size = (n + 2 * quiet) * scale;
    const data = new Uint8Array(size * size * 4).fill(255);
    paper.qrModules.forEach((row, y) =>
      row.forEach((dark, x) => {
        if (!dark) return;
        for (let dy = 0; dy < scale; dy++)
          for (let dx = 0; dx < scale; dx++) {
            const p = (((y + quiet) * scale + dy) * size + (x + quiet) * scale + dx) * 4;
            data.fill(0, p, p + 3);
          }
      }),
    );
    const scanned = decodeQR({ width: size, height: size, data });
    expect(scanned).toBe(paper.qrText);
    expect(parsePaperShare(scanned).equals(record)).toBe(true);
  });
});

describe('a mistyped paper share is named', () => {
  // A fixed record, so where the checksum search lands is the same on every run.
  const fixed = encodeShare({
    vaultId: '3f1c2a9e-5b7d-4e0f-9a8b-6c5d4e3f2a1b',
    splitId: '0badc0de',
    index: 2,
    threshold: 3,
    count: 5,
    value: Uint8Array.from({ length: 33 }, (_, i) => (i * 37 + 11) & 0xff),
  });
  const paper = sharePaper(fixed);
  it('a word with one changed character that is no longer a word is named by its position, for every position', async () => {
    for (let p = 0; p < 45; p++) {
      const words = [...paper.words];
      // change the last letter until it is neither a word nor a word's abbreviation (4+ first letters)
      let w = words[p]!;
      do w = changeChar(w, w.length - 1, 'abcdefghijklmnopqrstuvwxyz');
      while (wordlist.some((x) => x === w || (w.length >= 4 && x.startsWith(w))));
      words[p] = w;
      const e = await failsWith(() => parsePaperShare(typed(words)), 'InvalidCiphertextException');
      expect(e.message).toBe(`Word ${p + 1} is not in the BIP-39 English word list: check the spelling against the paper.`);
      expect(e.message).not.toContain(w);
    }
  });

  it('several unknown words are all named', async () => {
    const words = [...paper.words];
    words[3] = 'strongroom';
    words[40] = 'xyzzy';
    const e = await failsWith(() => parsePaperShare(typed(words)), 'InvalidCiphertextException');
    expect(e.message).toBe('Words 4 and 41 are not in the BIP-39 English word list: check the spelling against the paper.');
  });

  it('a word typed as another word of the list is located by the checksum', async () => {
    for (const p of [0, 11, 22, 33, 44]) {
      const words = [...paper.words];
      const i = wordlist.indexOf(words[p]!);
      words[p] = wordlist[(i + 1 + p) % 2048]!;
      const e = await failsWith(() => parsePaperShare(typed(words)), 'InvalidCiphertextException');
      expect(e.message).toBe(
        `Word ${p + 1} does not fit the share's checksum: it was probably mistyped as another word of the list. Check it against the paper.`,
      );
    }
  });

  it('two neighbouring words swapped are named', async () => {
    const words = [...paper.words];
    const p = paper.words.findIndex((w, i) => i > 10 && w !== paper.words[i + 1]);
    [words[p], words[p + 1]] = [words[p + 1]!, words[p]!];
    const e = await failsWith(() => parsePaperShare(typed(words)), 'InvalidCiphertextException');
    expect(e.message).toBe(`Words ${p + 1} and ${p + 2} appear to be swapped. Check them against the paper.`);
  });

  it('two wrong words are caught, without guessing where', async () => {
    const words = [...paper.words];
    words[5] = wordlist[(wordlist.indexOf(words[5]!) + 9) % 2048]!;
    words[30] = wordlist[(wordlist.indexOf(words[30]!) + 9) % 2048]!;
    const e = await failsWith(() => parsePaperShare(typed(words)), 'InvalidCiphertextException');
    expect(e.message).toBe("The words do not match the share's checksum: at least one word is wrong. Check each word against the paper.");
  });

  it('a missing or an extra word, and nothing at all, are named', async () => {
    expect((await failsWith(() => parsePaperShare(typed(paper.words.slice(1))), 'InvalidCiphertextException')).message).toBe(
      'The paper share has 44 words, not 45: a word is missing.',
    );
    expect((await failsWith(() => parsePaperShare(typed([...paper.words, 'abandon'])), 'InvalidCiphertextException')).message).toBe(
      'The paper share has 46 words, not 45: there is an extra word.',
    );
    expect((await failsWith(() => parsePaperShare(' 1. \n 2) '), 'InvalidCiphertextException')).message).toBe(
      'The paper share is empty: type its 45 words.',
    );
  });

  it("another vault's paper share reads as a share, and combine refuses it by vault", async () => {
    const other = await splitRecoveryKey(randomUUID(), key, 3, 5);
    const foreign = parsePaperShare(sharePaper(other.shares[0]!).text);
    const e = await failsWith(() => combineRecoveryShares([shares[0]!, shares[2]!, foreign], commitment), 'InvalidCiphertextException');
    expect(e.message).toMatch(/^The 3rd share given is share 1 for vault .*, not for this vault/);
  });

  it("is docs/recovery-shares.md's example, word for word", () => {
    const doc = readFileSync(new URL('../../../docs/recovery-shares.md', import.meta.url), 'utf8');
    const example = doc.slice(doc.indexOf('## Example'));
    const [hex, words] = [...example.matchAll(/```\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(hex!.trim()).toBe(fixed.toString('hex'));
    expect(words).toBe(paper.text);
    expect(example).toContain(`its checksum is \`${fixed.subarray(57).toString('hex')}\``);
    expect(parsePaperShare(words!).equals(fixed)).toBe(true);
  });

  it('a damaged record is not put on paper', async () => {
    const bad = Buffer.from(fixed);
    bad[10]! ^= 1;
    await failsWith(() => sharePaper(bad), 'InvalidCiphertextException');
  });
});
