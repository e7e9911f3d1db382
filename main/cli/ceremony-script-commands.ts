// `strongroom ceremony run SCRIPT --transcript OUT [--out-dir DIR] [--report
// FILE] [--witness-passphrase-file NAME=PATH]…` and `strongroom ceremony
// verify TRANSCRIPT [--public-key PEM] [--files-dir DIR] [--report FILE]`
// (main/ceremony; the RunCeremony and VerifyCeremonyTranscript app
// operations run the same). Run reads and checks the script before the vault
// is opened, signs in as the script's operator (STRONGROOM_PASSPHRASE or
// asked), asks each witness for their passphrase when a step needs their
// confirmation (or reads it from the file given for them), and writes the
// signed transcript atomically; a ceremony that stopped at a failed step
// still writes its (incomplete) transcript, and exits 1. Verify needs no
// vault: it exits 1 when anything is wrong, naming the step or the part.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { runSummary, checkSummary } from '../ceremony/app-ceremony.js';
import { openTranscriptFiles, readScriptFile, verifyTranscriptFile, writeAtomically, reportFormatOf, type TranscriptFiles } from '../ceremony/files.js';
import { transcriptReport } from '../ceremony/report.js';
import { runCeremony, type CeremonyRunner } from '../ceremony/run.js';
import type { Transcript } from '../ceremony/transcript.js';
import { isKmsError, KmsError, validation } from '../core/errors.js';
import type { CommandHost } from './cli-io.js';
import type { CeremonyScriptCommand } from './command-groups.js';
import { applyQuery, formatOutput } from './format-output.js';
import { openSession } from './session.js';
import { NoTerminalError } from './terminal-prompt.js';
import { EXIT, UsageError } from './usage-error.js';
import type { Vault } from '../vault/vault.js';
import { loadVaultApi, type OpenedVault } from './vault-api.js';

/** exit status of a ceremony that stopped at a failed step, or of a transcript that does not verify */
const EXIT_FAILED = 1;

export const CEREMONY_SCRIPT_HELP: Record<CeremonyScriptCommand, string> = {
  'ceremony run':
    'usage: strongroom [global options] ceremony run SCRIPT --transcript OUT [--out-dir DIR] [--report FILE]\n' +
    '                  [--witness-passphrase-file NAME=PATH]...\n\n' +
    'Runs a ceremony script (JSON or YAML; docs/ceremonies.md) step by step as its operator, and writes the\n' +
    "signed transcript to OUT. The steps' files go to DIR (default: OUT's folder, where verify looks for them).\n" +
    "Each witness named by a step's confirm signs in with their own passphrase before the step runs: asked\n" +
    'on the terminal, or read from the file given for them. --report writes the printable form (.html: HTML,\n' +
    'else text). A failed step stops the ceremony: the transcript, marked incomplete, is written, and the\n' +
    'exit status is 1.\n',
  'ceremony verify':
    'usage: strongroom [global options] ceremony verify TRANSCRIPT [--public-key PEM_FILE] [--files-dir DIR] [--report FILE]\n\n' +
    'Verifies a ceremony transcript offline, without a vault: the signature over its index, every step\n' +
    "against the index, and each output file found in DIR (default: the transcript's folder; missing files\n" +
    "are listed). --public-key names the tenant audit key to trust (from `strongroom audit get-audit-public-key`);\n" +
    "without it the transcript's own key is used, which proves integrity but not origin. --report writes the\n" +
    'printable form of a transcript that verifies. Exits 1 when anything is wrong, naming the step or the part.\n',
};

const MAX_PUBLIC_KEY_BYTES = 64 * 1024;

interface Args {
  positional: string[];
  options: Map<string, string>;
  witnessFiles: Map<string, string>;
  help: boolean;
}

function parseArgs(command: CeremonyScriptCommand, tokens: readonly string[]): Args {
  const allowed = command === 'ceremony run' ? ['--transcript', '--out-dir', '--report', '--witness-passphrase-file'] : ['--public-key', '--files-dir', '--report'];
  const a: Args = { positional: [], options: new Map(), witnessFiles: new Map(), help: false };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === 'help' || t === '--help' || t === '-h') a.help = true;
    else if (allowed.includes(t)) {
      const v = tokens[++i];
      if (v === undefined) throw new UsageError(`argument ${t}: expected one argument`);
      if (t !== '--witness-passphrase-file') a.options.set(t, v);
      else {
        const m = /^([^=]+)=(.+)$/.exec(v);
        if (!m) throw new UsageError(`argument ${t}: expected NAME=PATH, got ${v}`);
        a.witnessFiles.set(m[1]!, m[2]!);
      }
    } else if (t.startsWith('-')) throw new UsageError(`Unknown options: ${t}`);
    else a.positional.push(t);
  }
  if (a.help) return a;
  if (a.positional.length !== 1) throw new UsageError(`expected one ${command === 'ceremony run' ? 'SCRIPT' : 'TRANSCRIPT'}, got ${a.positional.length}`);
  if (command === 'ceremony run' && !a.options.has('--transcript')) throw new UsageError('the following arguments are required: --transcript');
  return a;
}

export async function runCeremonyScriptCommand(command: CeremonyScriptCommand, tokens: readonly string[], host: CommandHost): Promise<number> {
  const { io } = host;
  let args: Args;
  try {
    args = parseArgs(command, tokens);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`\n${CEREMONY_SCRIPT_HELP[command]}\nstrongroom: error: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
  if (args.help) {
    io.stdout(CEREMONY_SCRIPT_HELP[command]);
    return EXIT.ok;
  }
  const operation = command === 'ceremony run' ? 'RunCeremony' : 'VerifyCeremonyTranscript';
  try {
    return command === 'ceremony run' ? await run(host, args) : await verify(host, args);
  } catch (e) {
    if (isKmsError(e)) return host.serviceError(e, operation);
    throw e;
  }
}

async function run(host: CommandHost, args: Args): Promise<number> {
  const { io } = host;
  const { script, dir } = await readScriptFile(resolve(io.cwd, args.positional[0]!));
  const transcriptPath = resolve(io.cwd, args.options.get('--transcript')!);
  const outDir = resolve(io.cwd, args.options.get('--out-dir') ?? dirname(transcriptPath));
  const reportPath = args.options.has('--report') ? resolve(io.cwd, args.options.get('--report')!) : undefined;
  for (const name of args.witnessFiles.keys()) if (!script.witnesses.includes(name)) throw validation(`${name} is not a witness of the ceremony ${script.ceremony}.`);

  const api = io.vault ?? (await loadVaultApi());
  let vault: OpenedVault | undefined;
  let files: TranscriptFiles | undefined;
  try {
    // the transcript's destination is checked before the vault is opened: a ceremony never runs without one
    files = await openTranscriptFiles(transcriptPath, reportPath);
    await mkdir(outDir, { recursive: true });
    const globals = { ...host.globals, user: script.operator, ...(host.globals.tenant === undefined && script.tenant !== undefined ? { tenant: script.tenant } : {}), ...(script.region !== undefined ? { region: script.region } : {}) };
    const session = await openSession(api, { env: io.env, globals, prompt: host.prompt, dir: host.vaultDir(api), log: host.log });
    vault = session.vault;
    const { service, vaultId, whole } = ceremonyVault(vault);
    const t: Transcript = await runCeremony(script, {
      service,
      operator: session.caller,
      vaultId,
      outDir,
      scriptDir: dir,
      ...(whole ? { vault: whole } : {}),
      source: 'cli',
      witnessPassphrase: (name) => witnessPassphrase(host, args.witnessFiles.get(name), name),
    });
    await files.write(t);
    io.stdout(formatOutput(applyQuery(runSummary(t, transcriptPath, reportPath) as never, host.globals.query), host.globals.output));
    return t.header.status === 'complete' ? EXIT.ok : EXIT_FAILED;
  } finally {
    await files?.discard();
    await vault?.close().catch((e) => host.log('closing the vault failed', e));
  }
}

/**
 * The vault the CLI opened, as a ceremony needs it: its id, a service that
 * signs witnesses in and out, and the vault itself (a backup step needs it)
 * where it is the real vault module's rather than a test's stand-in.
 */
function ceremonyVault(v: OpenedVault): { service: CeremonyRunner['service']; vaultId: string; whole?: Vault } {
  const x = v as OpenedVault & { vaultId?: unknown; service: { signOut?: unknown }; dir?: unknown; masterKey?: unknown };
  if (typeof x.vaultId !== 'string' || typeof x.service.signOut !== 'function') throw new KmsError('KMSInternalException', 'This vault cannot run ceremonies: it has no vault id or sign-out.');
  const whole = typeof x.dir === 'string' && x.masterKey !== undefined ? (v as unknown as Vault) : undefined;
  return { service: x.service as unknown as CeremonyRunner['service'], vaultId: x.vaultId, ...(whole ? { whole } : {}) };
}

/** A witness's passphrase: the first line of the file given for them, or asked on the terminal. */
async function witnessPassphrase(host: CommandHost, file: string | undefined, name: string): Promise<string> {
  if (file !== undefined) {
    const path = resolve(host.io.cwd, file);
    try {
      return (await readFile(path, 'utf8')).split(/\r?\n/)[0]!;
    } catch (e) {
      throw validation(`Cannot read the passphrase file of witness ${name} (${path}): ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
    }
  }
  try {
    return await host.prompt(`Passphrase of witness ${name}: `);
  } catch (e) {
    if (e instanceof NoTerminalError) throw new KmsError('AccessDeniedException', `No passphrase for witness ${name}: give --witness-passphrase-file ${name}=FILE, or run the command in a terminal.`);
    throw e;
  }
}

async function verify(host: CommandHost, args: Args): Promise<number> {
  const { io } = host;
  const keyFile = args.options.get('--public-key');
  let publicKeyPem: string | undefined;
  if (keyFile !== undefined) {
    const path = resolve(io.cwd, keyFile);
    const bytes = await readFile(path).catch((e: NodeJS.ErrnoException) => {
      throw validation(`Cannot read ${path}: ${e.code ?? e.message}.`);
    });
    if (bytes.length > MAX_PUBLIC_KEY_BYTES) throw validation(`${path} is larger than any PEM public key.`);
    publicKeyPem = bytes.toString('utf8');
  }
  const filesDir = args.options.get('--files-dir');
  const { check, text } = await verifyTranscriptFile(resolve(io.cwd, args.positional[0]!), {
    ...(publicKeyPem !== undefined ? { publicKeyPem } : {}),
    ...(filesDir !== undefined ? { filesDir: resolve(io.cwd, filesDir) } : {}),
  });
  const report = args.options.get('--report');
  // the printable form only of a transcript that verified: a changed one would print what was changed
  if (report !== undefined && check.valid) {
    const path = resolve(io.cwd, report);
    await writeAtomically(path, transcriptReport(JSON.parse(text) as Transcript, reportFormatOf(path)));
  }
  io.stdout(formatOutput(applyQuery(checkSummary(check) as never, host.globals.query), host.globals.output));
  return check.valid ? EXIT.ok : EXIT_FAILED;
}
