// `strongroom ceremony recover`: re-establishes a vault's custody on this
// machine from M of its custodians' recovery shares (vault/recover-custody.ts
// does it and records it in every tenant's trail). It opens no session and
// signs no one in: it is what runs when the vault no longer opens (a new
// machine, a lost keychain entry, a forgotten vault passphrase).
//
//   ceremony recover --share FILE [--share FILE …] [--share-words …] [--identity AGE_ID_FILE …]
//                    [--share-passphrase-file NAME=PATH …] [--passphrase-custody]
//
// Each FILE's form is told from its content (share-files.ts). A
// passphrase-sealed share is opened with its custodian's passphrase, asked
// on the terminal naming the custodian (the vault's recovery record has the
// names), or read from --share-passphrase-file NAME=PATH; an age share with
// the --identity files; paper words from a file, or typed (--share-words).
// The command line, the files and the vault's split are checked before
// anyone is asked for anything; a share of another vault or an earlier split
// is refused before its custodian types a passphrase.
import { basename, resolve } from 'node:path';
import { invalidCiphertext, isKmsError, KmsError, validation } from '../core/errors.js';
import { PAPER_WORD_COUNT, parsePaperShare } from '../custody/recovery/paper.js';
import { openShareWithAgeIdentity, openShareWithPassphrase, parseShareText, peekSealedShare } from '../custody/recovery/sealed-share.js';
import type { RecoverySplitInfo } from '../vault/recover-custody.js';
import type { CommandHost } from './cli-io.js';
import { askOnce, ENV, newPassphrase } from './credentials.js';
import { applyQuery, formatOutput } from './format-output.js';
import { readFileAtMost } from './param-files.js';
import { MAX_SHARE_FILE, recogniseShare, ssssLineOf, type GivenShare } from './share-files.js';
import { EXIT, UsageError } from './usage-error.js';
import { optionTokens } from './option-tokens.js';
import { loadVaultApi, type Custody } from './vault-api.js';

export const RECOVER_COMMAND = 'ceremony recover';

export const RECOVER_SYNOPSIS = [
  `${RECOVER_COMMAND} --share <file> [--share <file> ...]`,
  '    [--share-words] [--identity <age-identity-file> ...]',
  '    [--share-passphrase-file <name>=<path> ...] [--passphrase-custody]',
];

interface RecoverArgs {
  help: boolean;
  shares: string[];
  /** how many paper shares are typed on the terminal */
  typed: number;
  identities: string[];
  /** custodian name (lower case: names are unique regardless of case) → the passphrase file's path */
  passphraseFiles: Map<string, { name: string; path: string }>;
  passphraseCustody: boolean;
}

/** A prompted custodian may mistype their passphrase this many times in all. */
const PASSPHRASE_TRIES = 3;
/** An age identity file holds a few lines; a passphrase file one. */
const MAX_SECRET_FILE = 64 * 1024;

export async function runRecover(tokens: readonly string[], host: CommandHost): Promise<number | 'help'> {
  const { io } = host;
  const args = parseRecoverArgs(tokens);
  if (args.help) return 'help';
  const files = args.shares.map((f) => readShareFile(f, io.cwd));
  const age = files.find((s) => s.form === 'age');
  if (age !== undefined && args.identities.length === 0) {
    throw new UsageError(`${age.source} is an age share: give its custodian's age identity with --identity FILE`, RECOVER_COMMAND);
  }
  const identity = args.identities.map((f) => readSecretFile(f, io.cwd, '--identity')).join('\n');
  const passphrases = new Map([...args.passphraseFiles].map(([k, { path }]) => [k, firstLine(readSecretFile(path, io.cwd, '--share-passphrase-file'))]));

  const api = io.vault ?? (await loadVaultApi());
  const dir = host.vaultDir(api);
  // vault/ loads SQLite: imported only when a vault is needed, as vault-api.ts does
  const { readRecoverySplit, recoverCustody } = await import('../vault/recover-custody.js');
  const split = await readRecoverySplit(dir);
  for (const { name } of args.passphraseFiles.values()) {
    if (!split.custodians.some((c) => c.toLowerCase() === name.toLowerCase())) {
      throw validation(`--share-passphrase-file names ${name}, who is not a custodian of this vault's recovery split (${split.custodians.join(', ')}).`);
    }
  }
  checkForms(files, args.typed, split);

  const records: Buffer[] = [];
  const lines: string[] = [];
  const labels: string[] = [];
  try {
    for (const share of files) {
      labels.push(share.source);
      if (share.form === 'ssss') lines.push(ssssLineOf(share));
      else records.push(await openShare(share, split, host, identity, passphrases));
    }
    for (let k = 1; k <= args.typed; k++) {
      const label = `paper share ${k} (typed)`;
      labels.push(label);
      records.push(await named(label, async () => parsePaperShare(await typeWords(host, k))));
    }
    const custody: Custody = args.passphraseCustody
      ? { kind: 'passphrase', passphrase: await newPassphrase(io.env, host.prompt, ENV.newVaultPassphrase, 'vault passphrase') }
      : { kind: 'keychain' };
    let recovered;
    try {
      recovered = await recoverCustody(dir, split.scheme === 'ssss' ? { ssssLines: lines } : { records }, custody, 'cli');
    } catch (e) {
      throw nameShares(e, labels);
    }
    const out = { VaultId: recovered.vaultId, SplitId: recovered.splitId, Custody: recovered.custody };
    io.stdout(formatOutput(applyQuery(out, host.globals.query), host.globals.output));
    return EXIT.ok;
  } finally {
    for (const r of records) r.fill(0);
  }
}

/** A quorum is shares of one split: ssss lines for an ssss split, Strongroom shares otherwise. */
function checkForms(files: GivenShare[], typed: number, split: RecoverySplitInfo): void {
  const ssss = split.scheme === 'ssss';
  const misfit = files.find((s) => (s.form === 'ssss') !== ssss);
  if (misfit !== undefined) {
    throw validation(
      ssss
        ? `${misfit.source} is a Strongroom share, but this vault's recovery split is in the ssss form: give the custodians' ssss lines (NAME.ssss.txt).`
        : `${misfit.source} is an ssss line, but this vault's recovery split is Strongroom's: give the custodians' share files or paper words.`,
    );
  }
  if (ssss && typed > 0) throw validation("This vault's recovery split is in the ssss form: give the custodians' ssss lines as files, not typed words.");
}

/** A share record from a file in one of Strongroom's forms. */
async function openShare(share: GivenShare, split: RecoverySplitInfo, host: CommandHost, identity: string, passphrases: Map<string, string>): Promise<Buffer> {
  switch (share.form) {
    case 'passphrase':
      return openSealed(share, split, host, passphrases);
    case 'age':
      return named(share.source, () => openShareWithAgeIdentity(share.bytes, identity));
    case 'plain':
      return named(share.source, async () => parseShareText(share.text));
    default:
      return named(share.source, async () => parsePaperShare(share.text));
  }
}

/** A passphrase-sealed share: whose it is from its header, then their passphrase from a file or the terminal. */
async function openSealed(share: GivenShare, split: RecoverySplitInfo, host: CommandHost, passphrases: Map<string, string>): Promise<Buffer> {
  const header = await named(share.source, async () => peekSealedShare(share.text));
  if (header.vaultId !== split.vaultId) {
    throw invalidCiphertext(`${share.source} is share ${header.index} for vault ${header.vaultId}, not for this vault (${split.vaultId}).`);
  }
  if (header.splitId !== split.splitId) {
    throw invalidCiphertext(
      `${share.source} is share ${header.index} of an earlier recovery split (split ${header.splitId}; the current split is ${split.splitId}): ` +
        'shares of an earlier split no longer open the vault.',
    );
  }
  const custodian = split.custodians[header.index - 1] ?? `custodian ${header.index}`;
  const fromFile = passphrases.get(custodian.toLowerCase());
  if (fromFile !== undefined) return named(share.source, () => openShareWithPassphrase(share.text, fromFile));
  for (let attempt = 1; ; attempt++) {
    const passphrase = await askOnce(
      host.prompt,
      `Passphrase of custodian ${custodian} (share ${header.index} of ${header.count}, ${basename(share.source)}): `,
      `passphrase for ${custodian}'s share`,
      `give --share-passphrase-file ${custodian}=PATH, or run the command in a terminal to be asked for it`,
    );
    try {
      return await named(share.source, () => openShareWithPassphrase(share.text, passphrase));
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

/** Runs `read`, naming the share in its error: `alice.share: Wrong passphrase for …`. */
async function named<T>(label: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    throw isKmsError(e) ? new KmsError(e.name, `${label}: ${e.message}`) : e;
  }
}

/** recoverCustody names a share by its place ("The 2nd share given"); the command line names it by its file. */
function nameShares(e: unknown, labels: readonly string[]): unknown {
  if (!isKmsError(e)) return e;
  const m = /^The (\d+)(?:st|nd|rd|th) share given/.exec(e.message);
  const label = m ? labels[Number(m[1]) - 1] : undefined;
  return label === undefined ? e : new KmsError(e.name, `The share from ${label}${e.message.slice(m![0].length)}`);
}

// ---------------------------------------------------------------- files and arguments

function readShareFile(file: string, cwd: string): GivenShare {
  let bytes: Buffer | undefined;
  try {
    bytes = readFileAtMost(resolve(cwd, file), MAX_SHARE_FILE);
  } catch (e) {
    throw new UsageError(`argument --share: cannot read ${file}: ${reason(e)}`, RECOVER_COMMAND);
  }
  if (bytes === undefined) throw validation(`${file} is larger than any share file (${MAX_SHARE_FILE} bytes): give a share file, an ssss line or a paper share's words.`);
  return recogniseShare(file, bytes);
}

function readSecretFile(file: string, cwd: string, option: string): string {
  let bytes: Buffer | undefined;
  try {
    bytes = readFileAtMost(resolve(cwd, file), MAX_SECRET_FILE);
  } catch (e) {
    throw new UsageError(`argument ${option}: cannot read ${file}: ${reason(e)}`, RECOVER_COMMAND);
  }
  if (bytes === undefined) throw new UsageError(`argument ${option}: ${file} is larger than ${MAX_SECRET_FILE} bytes`, RECOVER_COMMAND);
  const text = bytes.toString('utf8');
  bytes.fill(0);
  return text;
}

const reason = (e: unknown): string => ((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message);
const firstLine = (text: string): string => text.split('\n')[0]!.replace(/\r$/, '');

function parseRecoverArgs(tokens: readonly string[]): RecoverArgs {
  const args: RecoverArgs = { help: false, shares: [], typed: 0, identities: [], passphraseFiles: new Map(), passphraseCustody: false };
  for (const { token, name, help, value, flag } of optionTokens(tokens, RECOVER_COMMAND)) {
    if (help) return { ...args, help: true };
    switch (name) {
      case '--share':
        args.shares.push(value());
        break;
      case '--share-words':
        flag();
        args.typed++;
        break;
      case '--identity':
        args.identities.push(value());
        break;
      case '--share-passphrase-file': {
        const v = value();
        const at = v.indexOf('=');
        if (at <= 0 || at === v.length - 1) throw new UsageError('argument --share-passphrase-file: expected NAME=PATH (the custodian\'s name and a file whose first line is their passphrase)', RECOVER_COMMAND);
        const custodian = v.slice(0, at);
        if (args.passphraseFiles.has(custodian.toLowerCase())) throw new UsageError(`argument --share-passphrase-file: ${custodian} is named twice`, RECOVER_COMMAND);
        args.passphraseFiles.set(custodian.toLowerCase(), { name: custodian, path: v.slice(at + 1) });
        break;
      }
      case '--passphrase-custody':
        flag();
        args.passphraseCustody = true;
        break;
      default:
        throw new UsageError(`Unknown options: ${token}`, RECOVER_COMMAND);
    }
  }
  if (args.shares.length === 0 && args.typed === 0) throw new UsageError('the following arguments are required: --share (or --share-words)', RECOVER_COMMAND);
  return args;
}
