// `strongroom encrypt-file` and `strongroom decrypt-file`: the command line
// over the EncryptFile and DecryptFile app operations
// (session/file-operations.ts runs them; files/file-jobs.ts decides what is
// written where): this file parses the options into the operation's input,
// turns Ctrl-C into cancellation, shows progress and prints the result. The
// input is checked and the job planned before the vault is opened, so a bad
// request is a usage error (exit 252) without a passphrase prompt; `-` is
// stdin or stdout, which only the command line has. They sign in with the
// same global options and print errors the same way as every command.
//
//   encrypt-file --key-id K --in PATH|- --out PATH|- [--encryption-context k=v,…] [--segment-size BYTES]
//   encrypt-file --key-id K --in PATH|DIR [--in PATH …] --out-dir DIR          → DIR/<name>.sr
//   decrypt-file --in PATH|- --out PATH|- [--key-id K] [--encryption-context k=v,…]
//   decrypt-file --in PATH|DIR [--in PATH …] --out-dir DIR                     → DIR/<name without .sr>
import { basename } from 'node:path';
import { isKmsError } from '../core/errors.js';
import { MAX_JSON_BYTES, parseJsonInput } from '../core/service/input-bounds.js';
import type { InputOf } from '../api/index.js';
import { EXTENSION, type FileJobPlan, type FileJobProgress, type TargetNames } from '../files/file-jobs.js';
import { checkAppInput } from '../session/app-input.js';
import { planFileOperation, runFileOperation, type FileOperationName } from '../session/file-operations.js';
import type { CliIo, CommandHost } from './cli-io.js';
import type { FileCommand } from './command-groups.js';
import { applyQuery, formatOutput, toJson } from './format-output.js';
import { HELP_HINT, PROGRAM, wrap } from './help-text.js';
import { loadParamFile, unstatedLimit } from './param-files.js';
import { openSession } from './session.js';
import { parseShorthandHash, ShorthandError } from './shorthand.js';
import { EXIT, UsageError } from './usage-error.js';
import { optionTokens } from './option-tokens.js';
import { loadVaultApi, type OpenedVault } from './vault-api.js';


const OPERATION: Record<FileCommand, FileOperationName> = { 'encrypt-file': 'EncryptFile', 'decrypt-file': 'DecryptFile' };

/** The options the files API's messages name (file-jobs.ts's TargetNames). */
const OPTION_NAMES: TargetNames = { In: '--in', Out: '--out PATH', OutDir: '--out-dir DIR' };

interface FileArgs {
  help: boolean;
  keyId?: string;
  ins: string[];
  out?: string;
  outDir?: string;
  encryptionContext?: Record<string, string>;
  segmentSize?: number;
}

export async function runFileCommand(command: FileCommand, tokens: readonly string[], host: CommandHost): Promise<number> {
  const { io } = host;
  const name = OPERATION[command];
  let input: InputOf<FileOperationName>;
  let plan: FileJobPlan;
  try {
    const args = parseFileArgs(command, tokens, io.cwd);
    if (args.help) {
      io.stdout(fileCommandHelp(command));
      return EXIT.ok;
    }
    // the app operation's input and plan, before the vault is opened: a bad request fails without a prompt
    input = checkAppInput(name, {
      In: args.ins,
      ...(args.out !== undefined ? { Out: args.out } : {}),
      ...(args.outDir !== undefined ? { OutDir: args.outDir } : {}),
      ...(args.keyId !== undefined ? { KeyId: args.keyId } : {}),
      ...(args.encryptionContext !== undefined ? { EncryptionContext: args.encryptionContext } : {}),
      ...(args.segmentSize !== undefined ? { SegmentSize: args.segmentSize } : {}),
    });
    plan = await planFileOperation(name, input, { cwd: io.cwd, stdio: { stdin: process.stdin, stdout: process.stdout }, names: OPTION_NAMES });
  } catch (e) {
    const usage = e instanceof UsageError ? e.message : isKmsError(e) && e.name === 'ValidationException' ? e.message : undefined;
    if (usage !== undefined) {
      io.stderr(`\n${fileCommandUsage(command)}\n\n${PROGRAM}: error: ${usage}\n`);
      return EXIT.usage;
    }
    if (isKmsError(e)) return host.serviceError(e, name);
    throw e;
  }

  const api = io.vault ?? (await loadVaultApi());
  const ac = new AbortController();
  const onSignal = () => ac.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let vault: OpenedVault | undefined;
  const progress = process.stderr.isTTY === true ? progressLines(io, command) : undefined;
  try {
    const session = await openSession(api, { env: io.env, globals: host.globals, prompt: host.prompt, dir: host.vaultDir(api), log: host.log });
    vault = session.vault;
    const { Files } = await runFileOperation(vault.service, session.caller, name, input, plan, { signal: ac.signal, ...(progress ? { onProgress: progress.update } : {}) });
    progress?.clear();
    if (input.Out !== '-') {
      const result = input.OutDir !== undefined ? { Files } : (Files[0] ?? {});
      io.stdout(formatOutput(applyQuery(toJson(result), host.globals.query), host.globals.output));
    }
    return EXIT.ok;
  } catch (e) {
    progress?.clear();
    if (ac.signal.aborted) {
      io.stderr('\n');
      return EXIT.interrupted;
    }
    if (isKmsError(e)) return host.serviceError(e, name);
    throw e;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    try {
      await vault?.close();
    } catch (e) {
      host.log('closing the vault failed', e);
    }
  }
}

// ---------------------------------------------------------------- arguments

function parseFileArgs(command: FileCommand, tokens: readonly string[], cwd: string): FileArgs {
  const args: FileArgs = { help: false, ins: [] };
  for (const { token, name, help, value } of optionTokens(tokens, command)) {
    if (help) {
      args.help = true;
      continue;
    }
    switch (name) {
      case '--key-id':
        args.keyId = value();
        break;
      case '--in':
        args.ins.push(value());
        break;
      case '--out':
        if (args.out !== undefined) throw new UsageError('argument --out: given more than once; use --out-dir for several files', command);
        args.out = value();
        break;
      case '--out-dir':
        args.outDir = value();
        break;
      case '--encryption-context':
        args.encryptionContext = parseContext(value(), cwd, command);
        break;
      case '--segment-size': {
        if (command !== 'encrypt-file') throw new UsageError(`Unknown options: ${name}`, command);
        const v = value();
        if (!/^\d+$/.test(v)) throw new UsageError(`argument --segment-size: expected a number of bytes, got '${v}'`, command);
        args.segmentSize = Number(v);
        break;
      }
      default:
        throw new UsageError(`Unknown options: ${token}`, command);
    }
  }
  if (args.help) return args;
  if (command === 'encrypt-file' && args.keyId === undefined) throw new UsageError('the following arguments are required: --key-id', command);
  if (args.ins.length === 0) throw new UsageError('the following arguments are required: --in', command);
  if (args.out === undefined && args.outDir === undefined) throw new UsageError('one of the arguments --out --out-dir is required', command);
  if (args.out !== undefined && args.outDir !== undefined) throw new UsageError('argument --out-dir: not allowed with argument --out', command);
  if (args.out !== undefined && args.ins.length > 1) throw new UsageError('several --in files need --out-dir, not --out', command);
  if (args.outDir !== undefined && args.ins.includes('-')) throw new UsageError('--in - (standard input) needs --out, not --out-dir', command);
  if (args.outDir === '-') throw new UsageError('argument --out-dir: expected a directory, not -', command);
  return args;
}

/** `k=v,k2=v2` (AWS CLI shorthand), JSON `{"k":"v"}`, or file://context.json. */
function parseContext(text: string, cwd: string, command: FileCommand): Record<string, string> {
  const option = '--encryption-context';
  const file = loadParamFile(text, option, cwd, unstatedLimit(`EncryptionContext (${option})`, MAX_JSON_BYTES));
  if (file?.kind === 'bytes') throw new UsageError(`Error parsing parameter '${option}': use file:// (text), not fileb://`, command);
  const source = file?.kind === 'text' ? file.text : text;
  let value: unknown;
  try {
    value = source.trim().startsWith('{') ? parseJsonInput(source, `The JSON value of ${option}`) : parseShorthandHash(source, `The value of ${option}`);
  } catch (e) {
    if (isKmsError(e)) throw e; // over input-bounds.ts's limits: a ValidationException
    const why = e instanceof ShorthandError || e instanceof SyntaxError ? e.message : String(e);
    throw new UsageError(`Error parsing parameter '${option}': ${why}`, command);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`Error parsing parameter '${option}': expected key=value pairs`, command);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new UsageError(`Error parsing parameter '${option}': the value of '${k}' must be a string (quote values that contain commas)`, command);
    out[k] = v;
  }
  return out;
}

// ---------------------------------------------------------------- progress

/** One line on stderr per file, rewritten in place as the file goes (at most every 100 ms), cleared when it is done. */
function progressLines(io: CliIo, command: FileCommand): { update: (p: FileJobProgress) => void; clear: () => void } {
  const verb = command === 'encrypt-file' ? 'Encrypting' : 'Decrypting';
  let file = -1;
  let last = 0;
  let shown = false;
  const clear = () => {
    if (shown) io.stderr('\r\x1b[K');
    shown = false;
  };
  return {
    update({ FileIndex, InPath, BytesDone: done, BytesTotal: total }) {
      if (FileIndex !== file) {
        clear();
        file = FileIndex;
        last = 0;
      }
      const now = Date.now();
      if (now - last < 100 && done !== total) return;
      last = now;
      shown = true;
      const pct = total ? ` ${Math.floor((done / total) * 100)}%` : '';
      const name = InPath === undefined ? 'stdin' : basename(InPath);
      io.stderr(`\r\x1b[K${verb} ${name}:${pct} ${bytes(done)}${total !== undefined ? ` of ${bytes(total)}` : ''}`);
    },
    clear,
  };
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

// ---------------------------------------------------------------- help

function synopsis(command: FileCommand): string[] {
  const head = `${PROGRAM} [global options] ${command}`;
  return command === 'encrypt-file'
    ? [
        `${head} --key-id <value> --in <path> --out <path>`,
        `${head} --key-id <value> --in <path|dir> [--in <path> ...] --out-dir <dir>`,
        '    [--encryption-context <value>] [--segment-size <bytes>]',
      ]
    : [`${head} --in <path> --out <path>`, `${head} --in <path|dir> [--in <path> ...] --out-dir <dir>`, '    [--key-id <value>] [--encryption-context <value>]'];
}

function fileCommandUsage(command: FileCommand): string {
  const [first, ...rest] = synopsis(command);
  return [`usage: ${first}`, ...rest.map((l) => `       ${l}`), '', HELP_HINT(command)].join('\n');
}

const FILE_COMMAND_SUMMARIES: Record<FileCommand, string> = {
  'encrypt-file': 'Encrypts files of any size under a key (envelope encryption, streamed); `-` is stdin/stdout.',
  'decrypt-file': 'Decrypts files made by encrypt-file; the key is found from the file.',
};

export function fileCommandHelp(command: FileCommand): string {
  const encrypt = command === 'encrypt-file';
  const opt = (name: string, kind: string, required: boolean, text: string) => [`  ${name} (${kind}) [${required ? 'required' : 'optional'}]`, wrap(text, 6), ''];
  return [
    'NAME',
    `  ${command} -`,
    wrap(FILE_COMMAND_SUMMARIES[command], 4),
    '',
    'SYNOPSIS',
    ...synopsis(command).map((l) => `  ${l}`),
    '',
    'DESCRIPTION',
    wrap(
      encrypt
        ? 'Encrypts each file with a fresh data key from GenerateDataKey under --key-id, in authenticated segments ' +
            '(AES-256-GCM), so files of any size stream through constant memory. The output is written to a temporary ' +
            'file in the destination directory and renamed into place only when complete; on any error or Ctrl-C nothing ' +
            'is left behind and an existing destination is untouched. The format is described in docs/file-format.md.'
        : 'Decrypts each file: the key is found from the file header (a Decrypt of its encrypted data key), every ' +
            'segment is authenticated before its plaintext is written, and the output is renamed into place only after ' +
            'the final segment verifies. A damaged, truncated, reordered or extended file fails with ' +
            'InvalidCiphertextException naming the first bad segment. With --out -, verified segments are written as ' +
            'they are read, so a stream cut short is detected at its end, after the segments before the cut were ' +
            'written (as with age).',
      2,
    ),
    '',
    'OPTIONS',
    ...opt('--key-id', 'string', encrypt, encrypt ? 'The key to encrypt under: key id, key ARN, alias name or alias ARN.' : 'If given, the file must be encrypted under this key (IncorrectKeyException otherwise).'),
    ...opt('--in', 'string', true, `A file to ${encrypt ? 'encrypt' : 'decrypt'}, - for standard input, or a directory (with --out-dir) whose regular files ${encrypt ? `are encrypted (files ending in ${EXTENSION} are skipped)` : `ending in ${EXTENSION} are decrypted`}; not recursive. Repeat --in for several.`),
    ...opt('--out', 'string', false, 'The output file, or - for standard output. Not with --out-dir.'),
    ...opt('--out-dir', 'string', false, `A directory for the outputs (created if missing): ${encrypt ? `DIR/<name>${EXTENSION}` : `DIR/<name without ${EXTENSION}>`}.`),
    ...opt(
      '--encryption-context',
      'map',
      false,
      encrypt
        ? 'key=value pairs bound to the file (shorthand k=v,k2=v2, JSON, or file://). Stored in the header; decrypting checks them.'
        : 'If given, must equal the encryption context the file was made with (InvalidCiphertextException otherwise).',
    ),
    ...(encrypt ? opt('--segment-size', 'integer', false, 'Plaintext bytes per segment, 65536 to 1048576; default 1048576.') : []),
    'OUTPUT',
    wrap(
      `A JSON object per file (with --out-dir, {"Files": [...]}): InPath, OutPath, KeyId (the key ARN), ${encrypt ? '' : 'EncryptionContext, '}SegmentSize, Segments, BytesRead, BytesWritten. Nothing when the data goes to standard output. Progress goes to standard error when it is a terminal.`,
      2,
    ),
    '',
  ].join('\n');
}
