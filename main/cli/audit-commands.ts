// `strongroom audit export [--out FILE]` and `strongroom audit verify
// [--file FILE [--public-key PEM]]`. Export writes the tenant's trail as
// JSONL (docs/audit-format.md) atomically, as the file commands write
// theirs (files/outputs.ts): FILE is checked and a temporary file beside it
// created before the vault is opened, and renamed into place once complete.
// Verify checks the stored trail through the vault, or — with --file — an
// export on its own, on any machine, with nothing but the file and the
// tenant's audit public key (from `strongroom audit get-audit-public-key`).
// A trail that fails verification exits 1 and prints what is wrong.
import { constants as buffer } from 'node:buffer';
import { resolve } from 'node:path';
import { verifyExport } from '../core/audit/export.js';
import { summary } from '../core/audit/verify.js';
import { isKmsError, validation } from '../core/errors.js';
import { checkPaths, openOutput, type Output } from '../files/outputs.js';
import { formatOutput, applyQuery } from './format-output.js';
import { readFileAtMost } from './param-files.js';
import type { CommandHost } from './cli-io.js';
import { openSession } from './session.js';
import { EXIT, UsageError } from './usage-error.js';
import { loadVaultApi, type OpenedVault } from './vault-api.js';

const AUDIT_COMMANDS = ['audit export', 'audit verify'] as const;
type AuditCommand = (typeof AUDIT_COMMANDS)[number];
export const isAuditCommand = (c: string): c is AuditCommand => (AUDIT_COMMANDS as readonly string[]).includes(c);
/** exit status of a verification that found problems */
const EXIT_UNVERIFIED = 1;

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

/**
 * The largest export `audit verify --file` reads: ExportEvents returns the
 * export as one string, and V8 holds at most buffer.constants.MAX_STRING_LENGTH
 * (2^29 - 24 in Node 20) UTF-16 code units in one; an export is JSON, ASCII
 * but for what its records quote.
 */
const MAX_EXPORT_BYTES = buffer.MAX_STRING_LENGTH;
/** The largest --public-key file read: an audit key's PEM is ~113 bytes (Ed25519), an RSA-4096 one ~800. */
const MAX_PUBLIC_KEY_BYTES = 64 * 1024;

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

export async function runAuditCommand(command: AuditCommand, tokens: readonly string[], host: CommandHost): Promise<number> {
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
  let output: Output | undefined;
  const operation = command === 'audit export' ? 'ExportEvents' : 'VerifyEvents';
  try {
    const out = command === 'audit export' ? args.get('--out') : undefined;
    if (out !== undefined) {
      // A destination that cannot be written (no such directory, a directory, no permission)
      // is refused here, before the vault is opened and the export made.
      const path = resolve(io.cwd, out);
      output = await openOutput({ path }, await checkPaths(undefined, path));
    }
    const session = await openSession(api, { env: io.env, globals: host.globals, prompt: host.prompt, dir: host.vaultDir(api), log: host.log });
    vault = session.vault;
    const result = (await vault.service.dispatch(session.caller, operation, {})) as Record<string, unknown>;
    if (command === 'audit export') {
      const text = String(result.Export);
      if (output === undefined) io.stdout(text);
      else {
        const bytes = Buffer.from(text, 'utf8');
        await output.sink.write([bytes], bytes.length);
        await output.sink.flush();
        await output.commit();
        output = undefined;
      }
      return EXIT.ok;
    }
    io.stdout(formatOutput(applyQuery(result as never, host.globals.query), host.globals.output));
    return result.Valid === true ? EXIT.ok : EXIT_UNVERIFIED;
  } catch (e) {
    if (isKmsError(e)) return host.serviceError(e, operation);
    throw e;
  } finally {
    await output?.discard(); // nothing half-written: the temporary file goes, the destination is untouched
    await vault?.close().catch((e) => host.log('closing the vault failed', e));
  }
}

async function verifyFile(host: CommandHost, file: string, publicKeyFile: string | undefined): Promise<number> {
  const { io } = host;
  const keyFile = publicKeyFile === undefined ? undefined : resolve(io.cwd, publicKeyFile);
  let exportBytes: Buffer | undefined;
  let pemBytes: Buffer | undefined;
  try {
    exportBytes = readFileAtMost(file, MAX_EXPORT_BYTES);
    pemBytes = keyFile === undefined ? undefined : readFileAtMost(keyFile, MAX_PUBLIC_KEY_BYTES);
  } catch (e) {
    io.stderr(`\nstrongroom: error: cannot read ${(e as NodeJS.ErrnoException).path ?? file}: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
  if (exportBytes === undefined) {
    return host.serviceError(validation(`${file} is more than ${MAX_EXPORT_BYTES} bytes, larger than any audit export can be; give the file \`strongroom audit export\` wrote.`), 'VerifyEvents');
  }
  if (keyFile !== undefined && pemBytes === undefined) {
    return host.serviceError(validation(`${keyFile} is more than ${MAX_PUBLIC_KEY_BYTES} bytes, larger than any PEM public key; give the file \`strongroom audit get-audit-public-key\` wrote.`), 'VerifyEvents');
  }
  const text = exportBytes.toString('utf8');
  const pem = pemBytes?.toString('utf8');
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
