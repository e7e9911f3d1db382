// The recovery shares a command is given, for the commands a quorum of
// custodians runs: `ceremony recover` (the vault's split) and `backup
// restore` (the split a backup's header names). One reader (the checking
// and opening being custody/recovery/share-forms.ts's, which the desktop app uses too), so both take the
// same options, ask the same questions and name a bad share alike:
//
//   --share FILE                  a share file; its form told from its content (share-forms.ts)
//   --share-words                 a paper share's 45 words typed on the terminal (once per share)
//   --identity AGE_ID_FILE        an age identity that opens age shares (repeatable)
//   --share-passphrase-file NAME=PATH   custodian NAME's passphrase is PATH's first line
//
// In three stages, so that nobody is asked anything before everything that
// can be checked is: the options (shareOption), the files they name
// (readShareFiles, before any vault or backup is opened: an unreadable file
// is a usage error), and, once the split is known, the shares checked
// against it and opened (gatherShares): a name that is no custodian's, a
// share in the other scheme's form, or a sealed share of another vault or
// split is refused before its custodian types a passphrase, who is asked
// by name. A share is named by its file in every error (nameShares).
import { basename, resolve } from 'node:path';
import { isKmsError, validation } from '../core/errors.js';
import type { RecoverySplitInfo } from '../custody/recovery-record.js';
import type { ShareTarget } from '../custody/recovery/shares.js';
import { PAPER_WORD_COUNT } from '../custody/recovery/paper.js';
import {
  checkShareForms,
  MAX_SHARE_FILE,
  nameShares,
  openGivenShare,
  recogniseShare,
  sealedShareOwner,
  splitWords,
  ssssLineOf,
  type GivenShare,
  type OpenedShares,
} from '../custody/recovery/share-forms.js';
import type { CommandHost } from './cli-io.js';
import { askOnce } from './credentials.js';
import type { OptionToken } from './option-tokens.js';
import { readFileAtMost } from './param-files.js';
import { UsageError } from './usage-error.js';

/** The share options as given. */
export interface ShareOptions {
  shares: string[];
  /** how many paper shares are typed on the terminal */
  typed: number;
  identities: string[];
  /** custodian name (lower case: names are unique regardless of case) → the passphrase file's path */
  passphraseFiles: Map<string, { name: string; path: string }>;
}

export const noShareOptions = (): ShareOptions => ({ shares: [], typed: 0, identities: [], passphraseFiles: new Map() });

/** Whether any share is given (a file, or words to type). */
export const givesShares = (o: ShareOptions): boolean => o.shares.length > 0 || o.typed > 0;

/** The options' synopsis, for usage lines. */
export const SHARE_SYNOPSIS = ['[--share <file> ...] [--share-words]', '[--identity <age-identity-file> ...]', '[--share-passphrase-file <name>=<path> ...]'];

/** Each share option's help: name, kind, text. */
export const SHARE_OPTION_HELP: readonly { name: string; kind: string; text: string }[] = [
  {
    name: '--share',
    kind: 'string',
    text:
      "A custodian's share file, repeated for each; its form is read from its content: a passphrase-sealed share (NAME.share), an age share " +
      '(NAME.share.age), the text `age -d` prints from one, a paper sheet or any text of its 45 words (NAME.paper.txt), or an ssss line (NAME.ssss.txt, for an ssss split).',
  },
  { name: '--share-words', kind: 'boolean', text: "Type a paper share's 45 words on the terminal, a few at a time, not echoed (an empty line ends early). Give it once per paper share typed." },
  { name: '--identity', kind: 'string', text: "An age identity file (from age-keygen) that opens the age shares given; repeat for several custodians' keys." },
  {
    name: '--share-passphrase-file',
    kind: 'string',
    text: "NAME=PATH: the passphrase of custodian NAME's sealed share is the first line of PATH (for scripts). Otherwise each passphrase-sealed share asks its custodian, by name, on the terminal.",
  },
];

/** Takes `t` into `o` if it is a share option; false if it is not one. */
export function shareOption(o: ShareOptions, t: OptionToken, command: string): boolean {
  switch (t.name) {
    case '--share':
      o.shares.push(t.value());
      return true;
    case '--share-words':
      t.flag();
      o.typed++;
      return true;
    case '--identity':
      o.identities.push(t.value());
      return true;
    case '--share-passphrase-file': {
      const v = t.value();
      const at = v.indexOf('=');
      if (at <= 0 || at === v.length - 1) throw new UsageError("argument --share-passphrase-file: expected NAME=PATH (the custodian's name and a file whose first line is their passphrase)", command);
      const custodian = v.slice(0, at);
      if (o.passphraseFiles.has(custodian.toLowerCase())) throw new UsageError(`argument --share-passphrase-file: ${custodian} is named twice`, command);
      o.passphraseFiles.set(custodian.toLowerCase(), { name: custodian, path: v.slice(at + 1) });
      return true;
    }
    default:
      return false;
  }
}

/** The share options' files, read: what gatherShares needs besides the split. */
export interface ShareFiles {
  readonly files: GivenShare[];
  readonly typed: number;
  /** the --identity files, one after the other */
  readonly identity: string;
  /** custodian name, lower case → passphrase */
  readonly passphrases: Map<string, string>;
  /** the custodians --share-passphrase-file names, as given */
  readonly passphraseNames: string[];
}

/** An age identity file holds a few lines; a passphrase file one. */
const MAX_SECRET_FILE = 64 * 1024;

/** Reads every file the options name; a file that cannot be read, or an age share with no --identity, is a usage error. */
export function readShareFiles(o: ShareOptions, cwd: string, command: string): ShareFiles {
  const files = o.shares.map((f) => readShareFile(f, cwd, command));
  const age = files.find((s) => s.form === 'age');
  if (age !== undefined && o.identities.length === 0) {
    throw new UsageError(`${age.source} is an age share: give its custodian's age identity with --identity FILE`, command);
  }
  return {
    files,
    typed: o.typed,
    identity: o.identities.map((f) => readSecretFile(f, cwd, '--identity', command)).join('\n'),
    passphrases: new Map([...o.passphraseFiles].map(([k, { path }]) => [k, firstLine(readSecretFile(path, cwd, '--share-passphrase-file', command))])),
    passphraseNames: [...o.passphraseFiles.values()].map((p) => p.name),
  };
}

/** Whose split the shares are for, in messages: the vault's own (ceremony recover) or a backup's. */
export type ShareSubject = ShareTarget;

/** The shares, opened, and how each is named in errors (labels[i] for the (i+1)th share given). */
export type GatheredShares = OpenedShares;

/** A prompted custodian may mistype their passphrase this many times in all. */
const PASSPHRASE_TRIES = 3;

/**
 * Checks the shares against `split` (names, forms, sealed shares' vault and
 * split), then opens them (custody/recovery/share-forms.ts): sealed shares
 * with their custodian's passphrase (from a file, or asked by name), age
 * shares with the identities, words from files or typed. Each error names
 * the share.
 */
export async function gatherShares(f: ShareFiles, split: RecoverySplitInfo, host: CommandHost, subject: ShareSubject): Promise<GatheredShares> {
  for (const name of f.passphraseNames) {
    if (!split.custodians.some((c) => c.toLowerCase() === name.toLowerCase())) {
      throw validation(`--share-passphrase-file names ${name}, who is not a custodian of ${splitWords(subject)} (${split.custodians.join(', ')}).`);
    }
  }
  checkShareForms(f.files, f.typed, split, subject);

  const records: Buffer[] = [];
  const lines: string[] = [];
  const labels: string[] = [];
  const wipe = () => {
    for (const r of records) r.fill(0);
  };
  try {
    for (const share of f.files) {
      labels.push(share.source);
      if (share.form === 'ssss') lines.push(ssssLineOf(share));
      else if (share.form === 'passphrase') records.push(await openSealed(share, split, host, f.passphrases, subject));
      else records.push(await openGivenShare(share, split, subject, { ageIdentity: f.identity }));
    }
    for (let k = 1; k <= f.typed; k++) {
      const label = `paper share ${k} (typed)`;
      labels.push(label);
      const text = await typeWords(host, k);
      records.push(await openGivenShare({ source: label, form: 'words', bytes: Buffer.from(text, 'utf8'), text }, split, subject, {}));
    }
  } catch (e) {
    wipe();
    throw e;
  }
  return { shares: split.scheme === 'ssss' ? { ssssLines: lines } : { records }, labels, wipe };
}

/** A passphrase-sealed share: whose it is from its header, then their passphrase from a file or the terminal. */
async function openSealed(share: GivenShare, split: RecoverySplitInfo, host: CommandHost, passphrases: Map<string, string>, subject: ShareSubject): Promise<Buffer> {
  const { custodian, index, count } = await sealedShareOwner(share, split, subject);
  const fromFile = passphrases.get(custodian.toLowerCase());
  if (fromFile !== undefined) return openGivenShare(share, split, subject, { passphrase: fromFile });
  for (let attempt = 1; ; attempt++) {
    const passphrase = await askOnce(
      host.prompt,
      `Passphrase of custodian ${custodian} (share ${index} of ${count}, ${basename(share.source)}): `,
      `passphrase for ${custodian}'s share`,
      `give --share-passphrase-file ${custodian}=PATH, or run the command in a terminal to be asked for it`,
    );
    try {
      return await openGivenShare(share, split, subject, { passphrase });
    } catch (e) {
      if (!(isKmsError(e) && e.name === 'AccessDeniedException' && attempt < PASSPHRASE_TRIES)) throw e;
      host.io.stderr(`That is not the passphrase of ${custodian}'s share; try again.\n`);
    }
  }
}

/** One paper share's words, typed on the terminal a line at a time (not echoed: the words are a secret). */
async function typeWords(host: CommandHost, k: number): Promise<string> {
  const lines: string[] = [];
  let count = 0;
  while (count < PAPER_WORD_COUNT) {
    const line = await askOnce(
      host.prompt,
      `Paper share ${k}, words ${count + 1}-${Math.min(count + 5, PAPER_WORD_COUNT)} of ${PAPER_WORD_COUNT}: `,
      'paper share words',
      'give the words in a file with --share FILE, or run the command in a terminal to type them',
    );
    if (line.trim() === '') break; // an empty line ends a share that is short of words: the reader then names what is missing
    lines.push(line);
    count += line.split(/[\s,;]+/).filter((t) => /\p{L}/u.test(t)).length;
  }
  return lines.join('\n');
}

export { nameShares };

// ---------------------------------------------------------------- files

function readShareFile(file: string, cwd: string, command: string): GivenShare {
  let bytes: Buffer | undefined;
  try {
    bytes = readFileAtMost(resolve(cwd, file), MAX_SHARE_FILE);
  } catch (e) {
    throw new UsageError(`argument --share: cannot read ${file}: ${reason(e)}`, command);
  }
  if (bytes === undefined) throw validation(`${file} is larger than any share file (${MAX_SHARE_FILE} bytes): give a share file, an ssss line or a paper share's words.`);
  return recogniseShare(file, bytes);
}

function readSecretFile(file: string, cwd: string, option: string, command: string): string {
  let bytes: Buffer | undefined;
  try {
    bytes = readFileAtMost(resolve(cwd, file), MAX_SECRET_FILE);
  } catch (e) {
    throw new UsageError(`argument ${option}: cannot read ${file}: ${reason(e)}`, command);
  }
  if (bytes === undefined) throw new UsageError(`argument ${option}: ${file} is larger than ${MAX_SECRET_FILE} bytes`, command);
  const text = bytes.toString('utf8');
  bytes.fill(0);
  return text;
}

const reason = (e: unknown): string => ((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message);
const firstLine = (text: string): string => text.split('\n')[0]!.replace(/\r$/, '');
