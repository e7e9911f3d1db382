// `strongroom export-public-key … --out FILE`: the one option the command
// line adds to an operation command (command-options.ts
// OPERATION_EXTRA_OPTIONS). It runs what the desktop's SavePublicKey app
// operation runs (session/public-key-files.ts): ExportPublicKey as the
// signed-in user, its text (or, for der, the binary DER) written to a
// temporary file beside FILE, synced and renamed into place, so a partner
// never receives half a key; an existing FILE is replaced only once the new
// one is complete, as `backup create --out` and `encrypt-file --out` replace
// theirs. It prints SavePublicKey's result: the path, the size and the
// fingerprint (SHA-256 of the DER SubjectPublicKeyInfo for pem and der) to
// read aloud to the partner.
import { resolve } from 'node:path';
import { isKmsError } from '../core/errors.js';
import { checkPaths } from '../files/outputs.js';
import { checkAppInput } from '../session/app-input.js';
import { savePublicKey } from '../session/public-key-files.js';
import type { CommandHost } from './cli-io.js';
import { applyQuery, formatOutput, toJson } from './format-output.js';
import { openSession } from './session.js';
import { UsageError, EXIT } from './usage-error.js';
import { loadVaultApi, type OpenedVault } from './vault-api.js';

export const OUT_COMMAND = 'export-public-key';
const OUT = '--out';

/** Takes `--out FILE` (or `--out=FILE`) out of an operation command's tokens; other commands' tokens pass unchanged. */
export function takeOutOption(command: string, tokens: readonly string[]): { out?: string; tokens: readonly string[] } {
  if (command !== OUT_COMMAND) return { tokens };
  const rest: string[] = [];
  let out: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] ?? '';
    if (t !== OUT && !t.startsWith(`${OUT}=`)) {
      rest.push(t);
      continue;
    }
    if (out !== undefined) throw new UsageError(`argument ${OUT}: given more than once`, command);
    const v = t === OUT ? tokens[++i] : t.slice(OUT.length + 1);
    if (v === undefined || v.startsWith('--') || v === '') throw new UsageError(`argument ${OUT}: expected one argument`, command);
    if (v === '-') throw new UsageError(`argument ${OUT}: expected a file; without ${OUT} the key is printed to standard output`, command);
    out = v;
  }
  return { ...(out !== undefined ? { out } : {}), tokens: rest };
}

/** Writes the key ExportPublicKey's `input` names to `out` and prints where, its size and its fingerprint. */
export async function exportPublicKeyToFile(host: CommandHost, input: Record<string, unknown>, out: string): Promise<number> {
  const { io } = host;
  const operation = 'ExportPublicKey';
  const path = resolve(io.cwd, out);
  let vault: OpenedVault | undefined;
  try {
    // the request and the destination are checked before the vault is opened: a bad path costs no prompt and no audited call
    const request = checkAppInput('SavePublicKey', { ...input, OutPath: path });
    await checkPaths(undefined, path);
    const api = io.vault ?? (await loadVaultApi());
    const session = await openSession(api, { env: io.env, globals: host.globals, prompt: host.prompt, dir: host.vaultDir(api), log: host.log });
    vault = session.vault;
    const result = await savePublicKey(vault.service, session.caller, request, path);
    io.stdout(formatOutput(applyQuery(toJson(result), host.globals.query), host.globals.output));
    return EXIT.ok;
  } catch (e) {
    if (isKmsError(e)) return host.serviceError(e, operation);
    throw e;
  } finally {
    await vault?.close().catch((e) => host.log('closing the vault failed', e));
  }
}
