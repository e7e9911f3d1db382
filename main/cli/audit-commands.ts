// `strongroom audit export [--out FILE]` and `strongroom audit verify
// [--file FILE [--public-key PEM]]`. Export writes the tenant's trail as
// JSONL (docs/audit-format.md) atomically: a temporary file beside FILE,
// renamed into place once complete. Verify checks the stored trail through
// the vault, or — with --file — an export on its own, on any machine, with
// nothing but the file and the tenant's audit public key (from
// `strongroom audit get-audit-public-key`). A trail that fails verification
// exits 1 and prints what is wrong.
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, basename, join, resolve } from 'node:path';
import { verifyExport } from '../core/audit/export.js';
import { summary } from '../core/audit/verify.js';
import { isKmsError } from '../core/errors.js';
import { formatOutput, applyQuery } from './format-output.js';
import { openSession, type CommandHost } from './session.js';
import { EXIT, UsageError } from './usage-error.js';
import { loadVaultApi, type OpenedVault } from './vault-api.js';

export const AUDIT_COMMANDS = ['audit export', 'audit verify'] as const;
export type AuditCommand = (typeof AUDIT_COMMANDS)[number];
export const isAuditCommand = (c: string): c is AuditCommand => (AUDIT_COMMANDS as readonly string[]).includes(c);
/** exit status of a verification that found problems */
export const EXIT_UNVERIFIED = 1;

export const AUDIT_HELP: Record<AuditCommand, string> = {
  'audit export':
    'usage: strongroom [global options] audit export [--out FILE]\n\n' +
    "Exports the signed-in tenant's audit trail as JSONL with signed digests (docs/audit-format.md).\n" +
    'Without --out it goes to standard output. Needs audit:ExportEvents.\n',
  'audit verify':
    'usage: strongroom [global options] audit verify [--file FILE [--public-key PEM_FILE]]\n\n' +
    "Without --file: verifies the tenant's stored trail (needs audit:VerifyEvents).\n" +
    'With --file: verifies an export offline, without a vault. --public-key names the tenant audit key\n' +
    "(PEM, from `strongroom audit get-audit-public-key`) to trust; without it the file's own key is used,\n" +
    'which proves integrity but not origin. Exits 1 when anything is wrong, naming each problem.\n',
};

export type AuditCommandHost = CommandHost;

function parseArgs(command: AuditCommand, tokens: readonly string[]): Map<string, string> {
  const allowed = command === 'audit export' ? ['--out'] : ['--file', '--public-key'];
  const out = new Map<string, string>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === 'help' || t === '--help' || t === '-h') out.set('help', '');
    else if (allowed.includes(t)) {
      const v = tokens[++i];
      if (v === undefined) throw new UsageError(`argument ${t}: expected one argument`);
      out.set(t, v);
    } else throw new UsageError(`Unknown options: ${t}`);
  }
  if (out.has('--public-key') && !out.has('--file')) throw new UsageError('--public-key goes with --file');
  return out;
}

export async function runAuditCommand(command: AuditCommand, tokens: readonly string[], host: AuditCommandHost): Promise<number> {
  const { io } = host;
  let args: Map<string, string>;
  try {
    args = parseArgs(command, tokens);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`\n${AUDIT_HELP[command]}\nstrongroom: error: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
  if (args.has('help')) {
    io.stdout(AUDIT_HELP[command]);
    return EXIT.ok;
  }
  if (command === 'audit verify' && args.has('--file')) return verifyFile(host, resolve(io.cwd, args.get('--file')!), args.get('--public-key'));

  const api = io.vault ?? (await loadVaultApi());
  let vault: OpenedVault | undefined;
  const operation = command === 'audit export' ? 'ExportEvents' : 'VerifyEvents';
  try {
    const session = await openSession(api, { env: io.env, globals: host.globals, prompt: host.prompt, dir: host.vaultDir(api), log: host.log });
    vault = session.vault;
    const result = (await vault.service.call(session.caller, operation, {})) as Record<string, unknown>;
    if (command === 'audit export') {
      const text = String(result.Export);
      const out = args.get('--out');
      if (out === undefined) io.stdout(text);
      else await writeAtomically(resolve(io.cwd, out), text);
      return EXIT.ok;
    }
    io.stdout(formatOutput(applyQuery(result as never, host.globals.query), host.globals.output));
    return result.Valid === true ? EXIT.ok : EXIT_UNVERIFIED;
  } catch (e) {
    if (isKmsError(e)) return host.serviceError(e, operation);
    throw e;
  } finally {
    await vault?.close().catch((e) => host.log('closing the vault failed', e));
  }
}

async function verifyFile(host: AuditCommandHost, file: string, publicKeyFile: string | undefined): Promise<number> {
  const { io } = host;
  let text: string;
  let pem: string | undefined;
  try {
    text = await readFile(file, 'utf8');
    pem = publicKeyFile === undefined ? undefined : await readFile(resolve(io.cwd, publicKeyFile), 'utf8');
  } catch (e) {
    io.stderr(`\nstrongroom: error: cannot read ${(e as NodeJS.ErrnoException).path ?? file}: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
  const r = verifyExport(text, pem);
  const out = {
    Valid: r.ok,
    Account: r.account,
    Records: r.records,
    Digests: r.digests,
    PublicKeySource: pem === undefined ? 'file' : 'trusted',
    Summary: summary(r),
    Problems: r.problems.map((p) => ({ ...(p.seq !== null ? { Seq: p.seq } : {}), Kind: p.kind, Message: p.message })),
  };
  io.stdout(formatOutput(applyQuery(out as never, host.globals.query), host.globals.output));
  return r.ok ? EXIT.ok : EXIT_UNVERIFIED;
}

/** Nothing half-written: a temporary file in the destination's directory, synced, then renamed over the destination. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fh = await open(temp, 'wx', 0o600);
    try {
      await fh.writeFile(text, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}
