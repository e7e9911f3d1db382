// `strongroom audit export [--out FILE]` and `strongroom audit verify
// [--file FILE [--public-key PEM]]`. Export writes the tenant's trail as
// JSONL (docs/audit-format.md) atomically, as the file commands write
// theirs (files/outputs.ts): FILE is checked and a temporary file beside it
// created before the vault is opened, and renamed into place once complete.
// Both run what the ExportAuditTrail and VerifyAuditTrail app operations
// run (session/audit-files.ts); export can also write to standard output.
// Verify checks the stored trail through the vault, or — with --file — an
// export on its own, on any machine, with nothing but the file and the
// tenant's audit public key (from `strongroom audit get-audit-public-key`).
// A trail that fails verification exits 1 and prints what is wrong.
import { resolve } from 'node:path';
import { isKmsError, validation } from '../core/errors.js';
import type { Output } from '../files/outputs.js';
import { MAX_EXPORT_BYTES, openExportFile, verifyExportText, writeExport } from '../session/audit-files.js';
import { formatOutput, applyQuery } from './format-output.js';
import { readFileAtMost } from './param-files.js';
import type { CommandHost } from './cli-io.js';
import type { AuditCommand } from './command-groups.js';
import { openSession } from './session.js';
import { EXIT, UsageError } from './usage-error.js';
import { loadVaultApi, type OpenedVault } from './vault-api.js';

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
    // the ExportAuditTrail app operation's destination, refused before the vault is opened if it cannot be written
    const path = out === undefined ? undefined : resolve(io.cwd, out);
    if (path !== undefined) output = await openExportFile(path);
    const session = await openSession(api, { env: io.env, globals: host.globals, prompt: host.prompt, dir: host.vaultDir(api), log: host.log });
    vault = session.vault;
    if (command === 'audit export') {
      if (output !== undefined && path !== undefined) await writeExport(vault.service, session.caller, output, path);
      else io.stdout((await vault.service.call(session.caller, 'ExportEvents', {})).Export);
      return EXIT.ok;
    }
    const result = await vault.service.call(session.caller, 'VerifyEvents', {});
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
  // the VerifyAuditTrail app operation's verification, on what the options name
  const out = verifyExportText(exportBytes.toString('utf8'), pemBytes?.toString('utf8'));
  io.stdout(formatOutput(applyQuery(out as never, host.globals.query), host.globals.output));
  return out.Valid ? EXIT.ok : EXIT_UNVERIFIED;
}
