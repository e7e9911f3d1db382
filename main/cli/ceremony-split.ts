// `strongroom ceremony split`: the SplitRecoveryKey app operation
// (session/recovery-split.ts runs it, as the desktop app does) from the
// command line. This file turns the options into the operation's input,
// asks each passphrase custodian for their passphrase, and prints the
// operation's summary (never a share).
//
//   ceremony split --threshold M --custodian SPEC [--custodian SPEC …] --out-dir DIR [--scheme strongroom|ssss]
//                  [--approval-request-id ID]
//
//   SPEC  NAME=paper                 words to print and a QR code (NAME.paper.txt, NAME.qr.svg)
//         NAME=age:RECIPIENT         a file sealed to the custodian's age recipient (NAME.share.age)
//         NAME=passphrase            a file sealed under the custodian's passphrase, asked twice on the terminal (NAME.share)
//         NAME=passphrase-file:PATH  the same, the passphrase the first line of PATH (scripted ceremonies)
//
// Everything that can be wrong with the command line is found before the
// vault is opened or anyone is asked for anything: the SPECs, the passphrase
// files, the age recipients, the operation's input against the contract's
// schema (with a stand-in where a passphrase is still to be typed), and the
// output folder. Those are usage errors (exit 252).
//
// Where the tenant's approval rules hold vault:SplitRecoveryKey, the first
// run leaves an approval request (ApprovalRequiredException names it) and no
// share; once approved, its requester runs the same command again with
// --approval-request-id ID, and the split runs as approved.
import { lstat, mkdir, rmdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { InputOf } from '../api/index.js';
import { validation } from '../core/errors.js';
import { checkAgeRecipient } from '../custody/recovery/sealed-share.js';
import { checkAppInput } from '../session/app-input.js';
import { splitRecovery } from '../session/recovery-split.js';
import type { CommandHost } from './cli-io.js';
import { askTwice } from './credentials.js';
import { applyQuery, formatOutput, toJson } from './format-output.js';
import { readFileAtMost } from './param-files.js';
import { openSession } from './session.js';
import { EXIT, UsageError } from './usage-error.js';
import { optionTokens } from './option-tokens.js';
import { loadVaultApi, type OpenedVault } from './vault-api.js';
import { SPLIT_COMMAND } from './command-groups.js';

type SplitInput = InputOf<'SplitRecoveryKey'>;
type Custodian = SplitInput['Custodians'][number];

/** A custodian as the command line gives them; `ask` marks a passphrase still to be typed. */
type CustodianSpec = Custodian & { ask?: true };

interface SplitArgs {
  help: boolean;
  threshold?: number;
  custodians: CustodianSpec[];
  outDir?: string;
  scheme?: 'strongroom' | 'ssss';
  approvalRequestId?: string;
}

/** A passphrase file holds one line; nothing longer is read. */
const MAX_PASSPHRASE_FILE = 64 * 1024;
/**
 * What stands in for a passphrase not yet typed when the input is checked
 * against the schema before any prompt (it meets NewPassphrase's rule); the
 * input is checked again with the passphrases typed, and this never leaves
 * this file.
 */
const NOT_YET_TYPED = '(asked on the terminal)';

export const SPLIT_SYNOPSIS = [
  `${SPLIT_COMMAND} --threshold <M> --custodian <spec>`,
  '    [--custodian <spec> ...] --out-dir <dir> [--scheme strongroom|ssss]',
  '    [--approval-request-id <id>]',
];

export async function runSplit(tokens: readonly string[], host: CommandHost): Promise<number | 'help'> {
  const { io } = host;
  const args = parseSplitArgs(tokens, io.cwd);
  if (args.help) return 'help';
  const outDir = resolve(io.cwd, args.outDir!);
  // the operation's input, checked before the vault is opened: a bad request is a usage error without a prompt
  try {
    for (const c of args.custodians) if (c.Delivery === 'age') checkAgeRecipient(c.AgeRecipient);
    checkAppInput('SplitRecoveryKey', splitInput(args, outDir));
  } catch (e) {
    throw asUsage(e);
  }
  const createdDir = await checkOutDir(outDir);

  const api = io.vault ?? (await loadVaultApi());
  let vault: OpenedVault | undefined;
  let done = false;
  try {
    const session = await openSession(api, { env: io.env, globals: host.globals, prompt: host.prompt, dir: host.vaultDir(api), log: host.log });
    vault = session.vault;
    for (const c of args.custodians) {
      if (c.Delivery === 'passphrase' && c.ask) c.Passphrase = await custodianPassphrase(host, c.Name);
    }
    const input = checkAppInput('SplitRecoveryKey', splitInput(args, outDir));
    if (createdDir) await mkdir(outDir, { mode: 0o700 });
    const result = await splitRecovery(vault.service, session.caller, vault.vaultId, input, outDir);
    done = true;
    io.stdout(formatOutput(applyQuery(toJson(result), host.globals.query), host.globals.output));
    return EXIT.ok;
  } finally {
    // a folder this run made stays only with the shares in it (rmdir removes it only if empty)
    if (createdDir && !done) await rmdir(outDir).catch(() => undefined);
    await vault?.close().catch((e) => host.log('closing the vault failed', e));
  }
}

/** The contract's input for the arguments, as the desktop app would send it. */
function splitInput(args: SplitArgs, outDir: string): SplitInput {
  return {
    Threshold: args.threshold!,
    Custodians: args.custodians.map(({ ask: _ask, ...c }) => (c.Delivery === 'passphrase' && c.Passphrase === '' ? { ...c, Passphrase: NOT_YET_TYPED } : c)),
    ...(args.scheme !== undefined ? { Scheme: args.scheme } : {}),
    OutDir: outDir,
    ...(args.approvalRequestId !== undefined ? { ApprovalRequestId: args.approvalRequestId } : {}),
  };
}

/** The folder the shares go to: false for an existing folder, true for one this run is to create (in an existing folder). */
async function checkOutDir(outDir: string): Promise<boolean> {
  const folder = async (path: string): Promise<boolean> => {
    const st = await lstat(path).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw new UsageError(`argument --out-dir: cannot use ${path}: ${e.message}`, SPLIT_COMMAND);
    });
    if (st !== undefined && !st.isDirectory()) throw new UsageError(`argument --out-dir: ${path} is not a folder`, SPLIT_COMMAND);
    return st !== undefined;
  };
  if (await folder(outDir)) return false;
  if (!(await folder(dirname(outDir)))) throw new UsageError(`argument --out-dir: ${dirname(outDir)} does not exist`, SPLIT_COMMAND);
  return true;
}

/** A custodian's passphrase, typed twice on the terminal by the custodian, never echoed. */
async function custodianPassphrase(host: CommandHost, name: string): Promise<string> {
  const passphrase = await askTwice(host.prompt, `passphrase for custodian ${name}`, `give --custodian ${name}=passphrase-file:PATH, or run the command in a terminal to be asked for it`);
  if (passphrase === '') throw validation(`The passphrase for custodian ${name} is empty; nothing was changed. Run the command again.`);
  return passphrase;
}

/** A ValidationException found before anything ran is a usage error, as for the file commands. */
function asUsage(e: unknown): unknown {
  return e instanceof Error && e.name === 'ValidationException' ? new UsageError(e.message, SPLIT_COMMAND) : e;
}

// ---------------------------------------------------------------- arguments

function parseSplitArgs(tokens: readonly string[], cwd: string): SplitArgs {
  const args: SplitArgs = { help: false, custodians: [] };
  for (const { token, name, help, value } of optionTokens(tokens, SPLIT_COMMAND)) {
    if (help) return { ...args, help: true };
    switch (name) {
      case '--threshold': {
        const v = value();
        if (!/^\d{1,3}$/.test(v)) throw new UsageError(`argument --threshold: expected a number of shares, got '${v}'`, SPLIT_COMMAND);
        args.threshold = Number(v);
        break;
      }
      case '--custodian':
        args.custodians.push(parseCustodian(value(), cwd));
        break;
      case '--out-dir':
        args.outDir = value();
        break;
      case '--scheme': {
        const v = value();
        if (v !== 'strongroom' && v !== 'ssss') throw new UsageError(`argument --scheme: Invalid choice, valid choices are: strongroom | ssss`, SPLIT_COMMAND);
        args.scheme = v;
        break;
      }
      case '--approval-request-id':
        args.approvalRequestId = value();
        break;
      default:
        throw new UsageError(`Unknown options: ${token}`, SPLIT_COMMAND);
    }
  }
  const missing = [args.threshold === undefined && '--threshold', args.custodians.length === 0 && '--custodian', args.outDir === undefined && '--out-dir'].filter(Boolean);
  if (missing.length) throw new UsageError(`the following arguments are required: ${missing.join(', ')}`, SPLIT_COMMAND);
  return args;
}

const SPEC_FORMS = 'NAME=paper, NAME=age:RECIPIENT, NAME=passphrase or NAME=passphrase-file:PATH';

/**
 * One --custodian SPEC. A message never repeats what follows '=' when it is
 * not understood: someone may have typed a passphrase there.
 */
function parseCustodian(spec: string, cwd: string): CustodianSpec {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new UsageError(`argument --custodian: expected ${SPEC_FORMS}`, SPLIT_COMMAND);
  const Name = spec.slice(0, eq);
  const how = spec.slice(eq + 1);
  if (how === 'paper') return { Name, Delivery: 'paper' };
  if (how === 'passphrase') return { Name, Delivery: 'passphrase', Passphrase: '', ask: true };
  if (how.startsWith('age:') && how.length > 'age:'.length) return { Name, Delivery: 'age', AgeRecipient: how.slice('age:'.length) };
  if (how.startsWith('passphrase-file:') && how.length > 'passphrase-file:'.length) {
    return { Name, Delivery: 'passphrase', Passphrase: passphraseFromFile(resolve(cwd, how.slice('passphrase-file:'.length)), Name) };
  }
  if (how.startsWith('passphrase:')) {
    throw new UsageError(`argument --custodian ${Name}=…: a passphrase is never given on the command line; use ${Name}=passphrase (asked on the terminal) or ${Name}=passphrase-file:PATH`, SPLIT_COMMAND);
  }
  throw new UsageError(`argument --custodian ${Name}=…: expected ${SPEC_FORMS}`, SPLIT_COMMAND);
}

/** The first line of a passphrase file (without its line ending). */
function passphraseFromFile(path: string, name: string): string {
  let bytes: Buffer | undefined;
  try {
    bytes = readFileAtMost(path, MAX_PASSPHRASE_FILE);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message;
    throw new UsageError(`argument --custodian ${name}=passphrase-file:…: cannot read ${path}: ${why}`, SPLIT_COMMAND);
  }
  if (bytes === undefined) throw new UsageError(`argument --custodian ${name}=passphrase-file:…: ${path} is larger than a passphrase file (${MAX_PASSPHRASE_FILE} bytes)`, SPLIT_COMMAND);
  const line = bytes.toString('utf8').split('\n')[0]!.replace(/\r$/, '');
  bytes.fill(0);
  if (line === '') throw new UsageError(`argument --custodian ${name}=passphrase-file:…: the first line of ${path} is empty`, SPLIT_COMMAND);
  return line;
}
