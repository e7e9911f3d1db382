// `strongroom backup create` and `strongroom backup restore` (main/backup;
// the format in docs/backup-format.md):
//
//   backup create --out FILE [--recovery-key-file FILE]
//       signs in (an administrator of the operator tenant, as every command
//       signs in) and writes a sealed backup of the whole vault to FILE,
//       atomically. With --recovery-key-file the backup also opens with the
//       vault's recovery key, on a machine that never held its master key.
//   backup restore --in FILE [--recovery-key-file FILE] [--passphrase-only]
//       restores the backup into the vault directory (--vault or
//       STRONGROOM_VAULT, which must hold no vault). Without
//       --recovery-key-file the backup is opened with the vault's master key:
//       this machine's keychain, or the vault passphrase
//       (STRONGROOM_VAULT_PASSPHRASE or a prompt). The restored vault keeps its
//       master key in this machine's keychain, or with --passphrase-only
//       under a vault passphrase (STRONGROOM_VAULT_PASSPHRASE, or asked twice).
//
// The recovery key file holds the 32-byte key as 64 hex digits; it stands in
// until the recovery shares (issue 13) give the key back from custodians.
// Exit codes as every command: 0, 252 usage, 254 refused (`An error occurred
// (InvalidCiphertextException) when calling the RestoreBackup operation: …`).
import { resolve } from 'node:path';
import { isKmsError } from '../core/errors.js';
import type { CustodyChoice } from '../custody/vault-master-key.js';
import type { CommandHost } from './cli-io.js';
import { ENV, newPassphrase, vaultPassphrase } from './credentials.js';
import { applyQuery, formatOutput, toJson } from './format-output.js';
import { readFileAtMost } from './param-files.js';
import { openSession } from './session.js';
import { EXIT, UsageError } from './usage-error.js';

const BACKUP_COMMANDS = ['backup create', 'backup restore'] as const;
type BackupCommand = (typeof BACKUP_COMMANDS)[number];
export const isBackupCommand = (c: string): c is BackupCommand => (BACKUP_COMMANDS as readonly string[]).includes(c);

const OPERATION: Record<BackupCommand, string> = { 'backup create': 'CreateBackup', 'backup restore': 'RestoreBackup' };

export const BACKUP_HELP: Record<BackupCommand, string> = {
  'backup create':
    'usage: strongroom [global options] backup create --out FILE [--recovery-key-file FILE]\n\n' +
    'Writes a consistent, sealed backup of the whole vault (every tenant) to FILE, atomically\n' +
    '(docs/backup-format.md). Only administrators of the operator tenant may; the backup is recorded\n' +
    "in that tenant's audit trail. It opens with the vault's master key, and with --recovery-key-file\n" +
    "(the vault's 32-byte recovery key as 64 hex digits) with that key too, on any machine.\n",
  'backup restore':
    'usage: strongroom [global options] backup restore --in FILE [--recovery-key-file FILE] [--passphrase-only]\n\n' +
    'Restores a backup into the vault directory (--vault / STRONGROOM_VAULT), which must hold no vault.\n' +
    'The whole backup is verified before anything is written; a damaged, cut or extended backup is\n' +
    'refused (InvalidCiphertextException) and nothing is left behind. Without --recovery-key-file it\n' +
    "is opened with the vault's master key (this machine's keychain, or STRONGROOM_VAULT_PASSPHRASE).\n" +
    "The restored vault keeps its master key in this machine's keychain, or with --passphrase-only under\n" +
    "a vault passphrase (STRONGROOM_VAULT_PASSPHRASE, or asked twice). Every tenant's audit trail gets\n" +
    'a RestoreBackup record naming the backup.\n',
};

/** A recovery key file: 64 hex digits and whitespace; read no further than this. */
const MAX_RECOVERY_KEY_FILE = 1024;

interface BackupArgs {
  help: boolean;
  out?: string;
  in?: string;
  recoveryKeyFile?: string;
  passphraseOnly: boolean;
}

function parseArgs(command: BackupCommand, tokens: readonly string[]): BackupArgs {
  const valued = command === 'backup create' ? ['--out', '--recovery-key-file'] : ['--in', '--recovery-key-file'];
  const args: BackupArgs = { help: false, passphraseOnly: false };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === 'help' || t === '--help' || t === '-h') args.help = true;
    else if (t === '--passphrase-only' && command === 'backup restore') args.passphraseOnly = true;
    else if (valued.includes(t)) {
      const v = tokens[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`argument ${t}: expected one argument`);
      if (t === '--out') args.out = v;
      else if (t === '--in') args.in = v;
      else args.recoveryKeyFile = v;
    } else throw new UsageError(`Unknown options: ${t}`);
  }
  if (args.help) return args;
  if (command === 'backup create' && args.out === undefined) throw new UsageError('the following arguments are required: --out');
  if (command === 'backup restore' && args.in === undefined) throw new UsageError('the following arguments are required: --in');
  return args;
}

/** The recovery key from its file (64 hex digits); a file that cannot be read or does not hold one is a usage error. */
function readRecoveryKey(file: string, cwd: string): Buffer {
  const path = resolve(cwd, file);
  let bytes: Buffer | undefined;
  try {
    bytes = readFileAtMost(path, MAX_RECOVERY_KEY_FILE);
  } catch (e) {
    throw new UsageError(`argument --recovery-key-file: cannot read ${path}: ${(e as Error).message}`);
  }
  const hex = bytes?.toString('utf8').replace(/\s+/g, '');
  bytes?.fill(0);
  if (hex === undefined || !/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new UsageError(`argument --recovery-key-file: ${path} must hold the vault's 32-byte recovery key as 64 hexadecimal digits`);
  }
  return Buffer.from(hex, 'hex');
}

export async function runBackupCommand(command: BackupCommand, tokens: readonly string[], host: CommandHost): Promise<number> {
  const { io } = host;
  let args: BackupArgs;
  let recoveryKey: Buffer | undefined;
  try {
    args = parseArgs(command, tokens);
    if (!args.help && args.recoveryKeyFile !== undefined) recoveryKey = readRecoveryKey(args.recoveryKeyFile, io.cwd);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`\n${BACKUP_HELP[command]}\nstrongroom: error: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
  if (args.help) {
    io.stdout(BACKUP_HELP[command]);
    return EXIT.ok;
  }
  // The real vault module, never a stand-in (CliIo.vault): a backup needs the vault itself, its master key included.
  const vaults = await import('../vault/vault.js');
  const busy = host.globals.lockTimeoutMs !== undefined ? { busyTimeoutMs: host.globals.lockTimeoutMs } : {};
  try {
    let result: unknown;
    if (command === 'backup create') {
      const { createBackup } = await import('../backup/create.js');
      const session = await openSession(vaults, { env: io.env, globals: host.globals, prompt: host.prompt, dir: host.vaultDir(vaults), log: host.log });
      try {
        result = await createBackup(session.vault, session.caller, { outPath: resolve(io.cwd, args.out!), ...(recoveryKey ? { recoveryKey } : {}), ...busy });
      } finally {
        await session.vault.close().catch((e) => host.log('closing the vault failed', e));
      }
    } else {
      const { restoreBackup } = await import('../backup/restore.js');
      const custody: CustodyChoice = args.passphraseOnly
        ? { kind: 'passphrase', passphrase: await newPassphrase(io.env, host.prompt, ENV.vaultPassphrase, 'vault passphrase') }
        : { kind: 'keychain' };
      result = await restoreBackup({
        inPath: resolve(io.cwd, args.in!),
        dir: host.vaultDir(vaults),
        ...(recoveryKey ? { recoveryKey } : {}),
        vaultPassphrase: () => vaultPassphrase(io.env, host.prompt),
        custody,
        source: 'cli',
        ...busy,
        service: { log: host.log },
      });
    }
    io.stdout(formatOutput(applyQuery(toJson(result), host.globals.query), host.globals.output));
    return EXIT.ok;
  } catch (e) {
    if (isKmsError(e)) return host.serviceError(e, OPERATION[command]);
    throw e;
  } finally {
    recoveryKey?.fill(0);
  }
}
